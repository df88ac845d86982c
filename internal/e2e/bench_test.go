package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/bench"
	"github.com/liveplot/liveplot/internal/testenv"
)

// BenchmarkLocalPageStream streams bursts of points from a real program to its page in headless
// Chromium and reports, as the page counts them: written points per second end to end (until
// the page applies the last point), points applied per second, plotly.js calls per second, and
// the write -> applied latency of every point (p50, p99), counted by the probe of liveplot bench.
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
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](bench.ProbeJS)); err != nil {
		b.Fatal(err)
	}
	testenv.Poll(b, ctx, 10*time.Second, "the probe", `window.liveplotBench.summary().wrapped > 0 && window.liveplotBench.reset()`)
	b.StartTimer()
	start := time.Now()
	fmt.Fprintln(p.stdin, "go")
	if !p.stdout.Scan() || !strings.HasPrefix(p.stdout.Text(), "done") {
		b.Fatalf("burst did not finish: %q", p.stdout.Text())
	}
	testenv.Poll(b, ctx, 120*time.Second, "the last point", fmt.Sprintf(`window.liveplotBench.summary().lastX >= %d`, n-1))
	b.StopTimer()
	res, err := chromedp.Run(ctx, chromedp.Evaluate[bench.Summary](`window.liveplotBench.summary()`))
	if err != nil {
		b.Fatal(err)
	}
	elapsed := time.UnixMilli(int64(res.LastApplied)).Sub(start).Seconds()
	b.ReportMetric(float64(n)/elapsed, "written-points/s")
	b.ReportMetric(float64(res.Points)/elapsed, "applied-points/s")
	b.ReportMetric(float64(res.Calls)/elapsed, "plotly-calls/s")
	b.ReportMetric(res.AppliedP50, "p50-ms")
	b.ReportMetric(res.AppliedP99, "p99-ms")
	b.Logf("%s; page: %d points in %d plotly calls over %.2fs", p.stdout.Text(), res.Points, res.Calls, elapsed)
}
