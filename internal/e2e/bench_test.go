package e2e

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/testenv"
)

// instrumentJS counts, in the page, the points that the figure client hands to plotly.js and the
// age of each batch's oldest and newest point when it is applied (y holds the write time in ms).
// It also notes when the page first shows the point numbered target (x), by whatever path it came:
// a frame, or the figure as it stands when the stream closed.
const instrumentJS = `(function (target) {
  window.bench = {points: 0, calls: 0, oldest: [], newest: [], done: 0};
  const watch = () => {
    const gd = document.querySelector(".liveplot-figure");
    const x = gd && gd.data && gd.data[0] && gd.data[0].x;
    if (x && x.length && x[x.length - 1] === target) window.bench.done = Date.now();
    else requestAnimationFrame(watch);
  };
  requestAnimationFrame(watch);
  for (const name of ["extendTraces", "restyle"]) {
    const orig = Plotly[name];
    Plotly[name] = function (gd, update) {
      const ys = update && update.y && update.y[0];
      if (ys && ys.length) {
        const now = Date.now();
        window.bench.points += ys.length;
        window.bench.calls++;
        window.bench.oldest.push(now - ys[0]);
        window.bench.newest.push(now - ys[ys.length - 1]);
      }
      return orig.apply(this, arguments);
    };
  }
  return true;
})(%d)`

type benchResult struct {
	Points int       `json:"points"`
	Calls  int       `json:"calls"`
	Oldest []float64 `json:"oldest"`
	Newest []float64 `json:"newest"`
	Done   float64   `json:"done"`
}

func percentile(v []float64, p float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	return s[min(len(s)-1, int(p*float64(len(s))))]
}

// BenchmarkLocalPageStream streams bursts of points from a real program to its page in headless
// Chromium and reports, as the page counts them: written points per second end to end (until
// the page shows the last point), points applied per second, plotly.js calls per second, and
// the write -> applied latency of each batch's oldest point (p50, p99).
func BenchmarkLocalPageStream(b *testing.B) {
	bin := buildProgram(b, "internal/e2e/testdata/burst")
	cases := []struct {
		n, window int
		rate      float64
	}{
		{1_000_000, 1_000, 0},
		{1_000_000, 10_000, 0},
		{1_000_000, 100_000, 0},
		{50_000, 10_000, 10_000},
	}
	for _, c := range cases {
		name := fmt.Sprintf("n=%d/window=%d/rate=%s", c.n, c.window, map[bool]string{true: "max", false: fmt.Sprint(c.rate)}[c.rate == 0])
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				runBurst(b, bin, c.n, c.window, c.rate)
			}
		})
	}
}

func runBurst(b *testing.B, bin string, n, window int, rate float64) {
	b.StopTimer()
	ctx := testenv.Browser(b)
	p := startProgram(b, bin, "-n", fmt.Sprint(n), "-maxpoints", fmt.Sprint(window), "-rate", fmt.Sprint(rate))
	if err := chromedp.Do(ctx, chromedp.Navigate(p.url)); err != nil {
		b.Fatal(err)
	}
	testenv.Poll(b, ctx, 30*time.Second, "the figure", `!!(document.querySelector(".liveplot-figure") && document.querySelector(".liveplot-figure").data)`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(instrumentJS, n-1))); err != nil {
		b.Fatal(err)
	}
	b.StartTimer()
	start := time.Now()
	fmt.Fprintln(p.stdin, "go")
	if !p.stdout.Scan() || !strings.HasPrefix(p.stdout.Text(), "done") {
		b.Fatalf("burst did not finish: %q", p.stdout.Text())
	}
	testenv.Poll(b, ctx, 120*time.Second, "the last point", `window.bench.done > 0`)
	b.StopTimer()
	res, err := chromedp.Run(ctx, chromedp.Evaluate[benchResult](`window.bench`))
	if err != nil {
		b.Fatal(err)
	}
	elapsed := time.UnixMilli(int64(res.Done)).Sub(start).Seconds()
	b.ReportMetric(float64(n)/elapsed, "written-points/s")
	b.ReportMetric(float64(res.Points)/elapsed, "applied-points/s")
	b.ReportMetric(float64(res.Calls)/elapsed, "plotly-calls/s")
	b.ReportMetric(percentile(res.Oldest, 0.5), "p50-ms")
	b.ReportMetric(percentile(res.Oldest, 0.99), "p99-ms")
	b.Logf("%s; page: %d points in %d plotly calls over %.2fs", p.stdout.Text(), res.Points, res.Calls, elapsed)
}
