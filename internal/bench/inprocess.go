package bench

import (
	"fmt"
	"runtime"
	"time"

	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

// discardLink opens a link to a new figure whose frames go nowhere.
func discardLink(maxPoints int) (*stream.Link, error) {
	tok := stream.NewToken()
	fig := plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: []time.Time{}, Y: []float64{}, Mode: "lines",
		Stream: &plotly.Stream{Token: tok, MaxPoints: maxPoints}}}}
	if err := plotly.Show(fig, plotly.WithFrontend(kerneltest.Discard{})); err != nil {
		return nil, fmt.Errorf("bench: showing the in-process figure: %w", err)
	}
	return stream.Open(tok, stream.WithFrontend(kerneltest.Discard{}))
}

// writeCost times n Writes of a Point{time, float64} into a window of maxPoints, in ns per Write.
func writeCost(n, maxPoints int) (float64, error) {
	l, err := discardLink(maxPoints)
	if err != nil {
		return 0, err
	}
	defer l.Close()
	t0 := time.Now()
	start := time.Now()
	for i := range n {
		if err := l.Write(stream.Point{X: t0.Add(time.Duration(i)), Y: float64(i)}); err != nil {
			return 0, err
		}
	}
	return float64(time.Since(start).Nanoseconds()) / float64(n), nil
}

// MemoryPoint is the heap a producer holds after some writes.
type MemoryPoint struct {
	Writes    int   `json:"writes"`
	HeapBytes int64 `json:"heap_bytes"` // live heap after GC, above what it was before the link
}

// producerMemory writes up to writes points to a window of maxPoints and reads the live heap at
// 1e5, 1e6, ... writes.
func producerMemory(writes, maxPoints int) ([]MemoryPoint, error) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	before := int64(ms.HeapAlloc)
	l, err := discardLink(maxPoints)
	if err != nil {
		return nil, err
	}
	defer l.Close()
	var out []MemoryPoint
	t0 := time.Now()
	next := 100_000
	for i := 1; i <= writes; i++ {
		if err := l.Write(stream.Point{X: t0.Add(time.Duration(i)), Y: float64(i)}); err != nil {
			return nil, err
		}
		if i == next || i == writes {
			runtime.GC()
			runtime.ReadMemStats(&ms)
			out = append(out, MemoryPoint{Writes: i, HeapBytes: int64(ms.HeapAlloc) - before})
			next *= 10
		}
	}
	runtime.KeepAlive(l)
	return out, nil
}
