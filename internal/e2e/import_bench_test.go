package e2e

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkGoNBCellImport measures what importing liveplot adds to a warm GoNB cell (issue 10's
// goal: at most 300 ms). In a real GoNB kernel (no Jupyter server, no browser), cells that print
// a number alternate with cells that also import plotly and stream and use a name of each; every
// cell prints a new number, so GoNB writes, builds and runs a new program each time (goimports,
// go get, go build, the run). A cell is timed from execute_request to execute_reply; the first
// cell of each kind warms the build cache and is not counted.
//
// Each iteration runs the pair three ways, one after the other so that they share the machine's
// load: as GoNB comes (plain-ms, liveplot-ms and extra-ms, their difference: the goal's
// measure); after %noautoget, so that no cell runs go get, which asks the module proxy about
// every module of the cell's imports (noautoget-extra-ms); and also with %goflags -ldflags=-w,
// no DWARF (nodwarf-extra-ms). Reported values are medians.
func BenchmarkGoNBCellImport(b *testing.B) {
	s := startSession(b)
	special := func(code string) {
		if r := s.run(code); r.Status != "ok" {
			b.Fatalf("%s: %s %s: %s", code, r.Status, r.EName, r.EValue)
		}
	}
	cell := func(live bool, n int) float64 {
		code := fmt.Sprintf("%%%%\nfmt.Println(\"plain\", %d)\n", n)
		if live {
			code = fmt.Sprintf(`import (
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

%%%%
fmt.Println("liveplot", %d, stream.NewToken() != "", plotly.Figure{}.Layout == nil)
`, n)
		}
		start := time.Now()
		if r := s.run(code); r.Status != "ok" {
			b.Fatalf("cell: %s %s: %s", r.Status, r.EName, r.EValue)
		}
		return float64(time.Since(start)) / 1e6
	}
	variants := []struct{ setup, metric string }{
		{"%autoget\n%goflags \"\"", "extra-ms"},
		{"%noautoget", "noautoget-extra-ms"},
		{"%noautoget\n%goflags -ldflags=-w", "nodwarf-extra-ms"},
	}
	plain := make([][]float64, len(variants))
	live := make([][]float64, len(variants))
	n := 0
	for i, v := range variants { // warm the build cache for each way of building
		special(v.setup)
		cell(false, -1-i)
		cell(true, -1-i)
	}
	for b.Loop() {
		for i, v := range variants {
			special(v.setup)
			n++
			plain[i] = append(plain[i], cell(false, n))
			live[i] = append(live[i], cell(true, n))
		}
	}
	b.ReportMetric(median(plain[0]), "plain-ms")
	b.ReportMetric(median(live[0]), "liveplot-ms")
	for i, v := range variants {
		b.ReportMetric(median(live[i])-median(plain[i]), v.metric)
	}
	b.ReportMetric(0, "ns/op")
}

// median returns the middle value of v (the mean of the two middle ones for an even count).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}
