package stream

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/liveplot/liveplot/kernelext/kerneltest"
)

func benchLink(b *testing.B, maxPoints int) *Link {
	b.Helper()
	_, _, l := openTrace(b, maxPoints, []time.Time{}, []float64{}, WithFrontend(kerneltest.Discard{}))
	return l
}

// BenchmarkWritePoint: one Write of a Point with a time and a float64 (one op = one point).
func BenchmarkWritePoint(b *testing.B) {
	l := benchLink(b, 1000)
	t0 := time.Now()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Write(Point{X: t0.Add(time.Duration(i)), Y: float64(i)}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAppendFloats: Append of two float64 (one op = one point).
func BenchmarkAppendFloats(b *testing.B) {
	l := benchLink(b, 1000)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Append(float64(i), float64(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkExtend1000Floats: Extend with 1000 x and 1000 y float64 values.
func BenchmarkExtend1000Floats(b *testing.B) {
	l := benchLink(b, 0)
	xs, ys := make([]float64, 1000), make([]float64, 1000)
	for i := range xs {
		xs[i], ys[i] = float64(i), math.Sin(float64(i))
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := l.Extend(xs, ys); err != nil {
			b.Fatal(err)
		}
		l.mu.Lock() // keep the unbounded window from growing across iterations
		l.window["x"].col.reset()
		l.window["y"].col.reset()
		l.mu.Unlock()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/point")
}

// BenchmarkProducerMemory writes 1e7 (time, float64) points to a window of 1000 (and of 10,000)
// and reports the heap the link holds afterwards beyond what it held when opened, per point of
// the window, and how much the heap grew over the last 90% of the writes (flat means bounded).
// It measures between frames (the loop has sent what was pending): a frame in flight holds a
// buffer of about 40 bytes per point it carries.
func BenchmarkProducerMemory(b *testing.B) {
	for _, maxPoints := range []int{1000, 10_000} {
		b.Run(fmt.Sprintf("maxpoints=%d", maxPoints), func(b *testing.B) { benchmarkProducerMemory(b, maxPoints) })
	}
}

func benchmarkProducerMemory(b *testing.B, maxPoints int) {
	const writes = 10_000_000
	heap := func() int64 {
		var m runtime.MemStats
		time.Sleep(100 * time.Millisecond) // let the frame loop send what is pending
		runtime.GC()
		runtime.ReadMemStats(&m)
		return int64(m.HeapAlloc)
	}
	var perPoint, drift float64
	for range b.N {
		l := benchLink(b, maxPoints)
		before := heap() // the link's constant part is not counted
		t0 := time.Now()
		var atTenth int64
		for i := range writes {
			if err := l.Write(Point{X: t0.Add(time.Duration(i)), Y: float64(i)}); err != nil {
				b.Fatal(err)
			}
			if i == writes/10 {
				atTenth = heap()
			}
		}
		after := heap()
		perPoint = float64(after-before) / float64(maxPoints)
		drift = float64(after - atTenth) // memory grown over the last 90% of the writes
		runtime.KeepAlive(l)
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(perPoint, "heapbytes/maxpoint")
	b.ReportMetric(drift, "heapbytes-grown-after-1e6-writes")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*writes), "ns/write")
}

// BenchmarkEncodeFrame encodes a snapshot of 1000 (time, float64) points.
func BenchmarkEncodeFrame(b *testing.B) {
	l := benchLink(b, 1000)
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 1000 {
		if err := l.Write(Point{X: t0.Add(time.Duration(i) * 1234567 * time.Microsecond), Y: math.Sin(float64(i))}); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(len(l.snapshot())))
	b.ReportAllocs()
	for b.Loop() {
		l.snapshot()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/point")
}

// BenchmarkAppendTime: the typed append of one (time, float64) point (one op = one point).
func BenchmarkAppendTime(b *testing.B) {
	l := benchLink(b, 1000)
	t0 := time.Now()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if err := l.AppendTime(t0.Add(time.Duration(i)), float64(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAppendFloat: the typed append of one (float64, float64) point (one op = one point).
func BenchmarkAppendFloat(b *testing.B) {
	l := benchLink(b, 1000)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if err := l.AppendFloat(float64(i), float64(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
