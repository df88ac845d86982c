package stream

import (
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

// BenchmarkProducerMemory writes 1e7 (time, float64) points to a window of 1000 and reports the
// heap the link holds afterwards, per point of the window.
func BenchmarkProducerMemory(b *testing.B) {
	const writes, maxPoints = 10_000_000, 1000
	var perPoint float64
	for range b.N {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		l := benchLink(b, maxPoints)
		t0 := time.Now()
		for i := range writes {
			if err := l.Write(Point{X: t0.Add(time.Duration(i)), Y: float64(i)}); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perPoint = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / maxPoints
		runtime.KeepAlive(l)
		if err := l.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(perPoint, "heapbytes/maxpoint")
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
