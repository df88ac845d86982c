package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

// SoakConfig says what the soak runs: Links streams of Rate points a second each, for Duration,
// into one local page open in headless Chromium that is reloaded every Reload, or with Notebook
// into one Notebook 6 page from a GoNB cell program.
type SoakConfig struct {
	Links    int
	Rate     float64       // points a second, per link
	Window   int           // maxpoints of each stream
	Duration time.Duration // how long the links write
	Reload   time.Duration // the page is reloaded this often (0: never)
	Sample   time.Duration // how often the page and the producer are measured
	// Notebook runs the soak into a notebook: a GoNB kernel behind a Jupyter Notebook 6 server,
	// the page open in Chromium, the links written by a cell's program (see soakNotebook).
	Notebook bool `json:"notebook"`
	// NATS runs the soak through NATS (see soakNATS): each link a producer process publishing to
	// the server StartNATS starts, relayed onto a local page served by this process, as
	// liveplot serve does. The page's latency and applied points are measured too.
	NATS bool `json:"nats,omitempty"`
	// Processes is how many processes run the NATS soak's producers, each producer with its own
	// NATS connection (0: one process per producer).
	Processes int                         `json:"processes,omitempty"`
	StartNATS func() (*NATSServer, error) `json:"-"`
	// PageProfile profiles the page's JavaScript while the NATS soak's producers write.
	PageProfile bool      `json:"page_profile,omitempty"`
	Log         io.Writer `json:"-"`

	producerBin string // the NATS soak's producer program, already built
}

// DefaultSoak is the soak of issue 9: 100 links at 1000 points/s for 10 minutes, reloaded every
// minute, measured every 10 s.
func DefaultSoak() SoakConfig {
	return SoakConfig{Links: 100, Rate: 1000, Window: 1000, Duration: 10 * time.Minute, Reload: time.Minute, Sample: 10 * time.Second}
}

// SoakSample is one measurement during a soak.
type SoakSample struct {
	AtSec float64 `json:"at_sec"`
	// Written is the points the links had written; Shown the points in the page's windows.
	Written int64 `json:"written"`
	Shown   int   `json:"shown"`
	// Lost is the points missing inside the page's windows: between the oldest and the newest
	// point a window shows, every point must be there (goal 0).
	Lost int `json:"lost"`
	// LagPoints is, over the links, the most points the producer had written that the page did
	// not show yet (not lost: in flight).
	LagPoints int64 `json:"lag_points"`
	Figures   int   `json:"figures"` // figures drawn in the page
	// Producer memory: live heap after a GC, and the process's resident set.
	ProducerHeapMB float64 `json:"producer_heap_mb"`
	ProducerRSSMB  float64 `json:"producer_rss_mb"`
	// Page memory: the JavaScript heap in use and the DOM's element count.
	PageHeapMB float64 `json:"page_heap_mb"`
	PageNodes  int     `json:"page_nodes"`
	// Notebook soak only: the resident sets of the GoNB kernel, which relays the cell program's
	// messages, and of the Jupyter server, which relays them to the page. In a NATS soak,
	// ServerRSSMB is this process's: the NATS server, the relay and the page's server.
	KernelRSSMB float64 `json:"kernel_rss_mb,omitempty"`
	ServerRSSMB float64 `json:"server_rss_mb,omitempty"`
	// NATS soak only, over the interval since the previous sample: the points that reached
	// plotly.js in the page a second and their write -> painted latency (the probe), and the
	// server's messages a second in and out (varz). The producer heap and RSS are then the sums
	// over the producer processes, ProducerRSSMaxMB the largest one's; BrowserRSSMB is all of
	// Chromium's processes, RendererRSSMB its renderers (the page).
	AppliedPerSec    float64 `json:"applied_per_sec,omitempty"`
	DrawsPerSec      float64 `json:"draws_per_sec,omitempty"` // plotly.js calls that brought points
	PaintedP50       float64 `json:"painted_p50_ms,omitempty"`
	PaintedP99       float64 `json:"painted_p99_ms,omitempty"`
	NATSInPerSec     float64 `json:"nats_in_per_sec,omitempty"`
	NATSOutPerSec    float64 `json:"nats_out_per_sec,omitempty"`
	ProducerRSSMaxMB float64 `json:"producer_rss_max_mb,omitempty"` // the largest producer process
	// ProducerBaseRSSMB is the producer processes' resident sets before they connected.
	ProducerBaseRSSMB float64 `json:"producer_base_rss_mb,omitempty"`
	BrowserRSSMB      float64 `json:"browser_rss_mb,omitempty"`
	RendererRSSMB     float64 `json:"renderer_rss_mb,omitempty"`
	// NATS soak only: the CPUs used over the interval by this process (NATS server, relay, page
	// server), the producers, Chromium, and every other process of the machine.
	ServeCPU     float64 `json:"serve_cpu,omitempty"`
	ProducersCPU float64 `json:"producers_cpu,omitempty"`
	ChromiumCPU  float64 `json:"chromium_cpu,omitempty"`
	OtherCPU     float64 `json:"other_cpu,omitempty"`
	// NATS soak only: the page's main thread, seconds a second (Chromium's Performance metrics):
	// busy in all, running script, and in layout and style.
	PageTaskCPU   float64 `json:"page_task_cpu,omitempty"`
	PageScriptCPU float64 `json:"page_script_cpu,omitempty"`
	PageLayoutCPU float64 `json:"page_layout_cpu,omitempty"`
	Reloads       int     `json:"reloads"` // reloads so far
	Error         string  `json:"error,omitempty"`
}

// SoakReport is the result of a soak.
type SoakReport struct {
	Machine Machine      `json:"machine"`
	Config  SoakConfig   `json:"config"`
	Load    string       `json:"load"` // /proc/loadavg at the start and the end
	Samples []SoakSample `json:"samples"`
	Lost    int          `json:"lost"` // the most points any sample found missing
	// Overall is a NATS soak's numbers over its whole write phase.
	Overall *SoakOverall `json:"overall,omitempty"`
	// PageProfile is where the page's main thread spent its time (with SoakConfig.PageProfile).
	PageProfile *PageProfile `json:"page_profile,omitempty"`
}

// soakPageJS measures the page's figures: each shows trace 0 of one link, x the point's number
// (0, 1, 2, ... per link). It returns [figures, shown, lost, per-figure newest x...].
const soakPageJS = `(function () {
  const out = [0, 0, 0];
  for (const gd of document.querySelectorAll(".liveplot-figure")) {
    const d = window.liveplot && liveplot.data(gd.id, 0);
    if (!d || !d.x || d.x.length === 0) { out.push(-1); continue; }
    const xs = Array.from(d.x);
    out[0]++;
    out[1] += xs.length;
    for (let i = 1; i < xs.length; i++) if (xs[i] - xs[i - 1] > 1) out[2] += xs[i] - xs[i - 1] - 1;
    out.push(xs[xs.length - 1]);
  }
  return out;
})()`

// soakFilledJS is true once the page draws n figures and each shows points of its window.
func soakFilledJS(n int) string {
	return fmt.Sprintf(`(function () {
  const gds = document.querySelectorAll(".liveplot-figure");
  if (gds.length !== %d || !window.liveplot) return false;
  for (const gd of gds) {
    const d = liveplot.data(gd.id, 0);
    if (!d || !d.x || d.x.length === 0) return false;
  }
  return true;
})()`, n)
}

// Soak runs the soak and reports its samples: into a local page served by this process, or with
// cfg.Notebook into a notebook (see soakNotebook).
func Soak(ctx context.Context, cfg SoakConfig) (*SoakReport, error) {
	report := &SoakReport{Machine: machine(), Config: cfg, Load: loadAvg()}
	var err error
	switch {
	case cfg.Notebook:
		err = soakNotebook(ctx, cfg, report)
	case cfg.NATS:
		err = soakNATS(ctx, cfg, report)
	default:
		err = soakPage(ctx, cfg, report)
	}
	if len(report.Samples) == 0 && err != nil {
		return nil, err
	}
	report.Load += " -> " + loadAvg()
	return report, err
}

// soakPage runs the soak into a local page served by this process: the producer's memory is this
// process's.
func soakPage(ctx context.Context, cfg SoakConfig, report *SoakReport) error {
	page, err := kernelext.NewLocalPage(kernelext.DefaultAddr)
	if err != nil {
		return err
	}
	defer page.Close()
	links := make([]*stream.Link, cfg.Links)
	for i := range links {
		tok := stream.NewToken()
		fig := plotly.Figure{
			Data:   plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines", Stream: &plotly.Stream{Token: tok, MaxPoints: cfg.Window}}},
			Layout: &plotly.Layout{Title: plotly.Title{Text: "link " + strconv.Itoa(i)}, Height: 200},
		}
		if err := plotly.Show(fig, plotly.WithFrontend(page)); err != nil {
			return err
		}
		if links[i], err = stream.Open(tok, stream.WithFrontend(page)); err != nil {
			return err
		}
	}
	dir, err := os.MkdirTemp("", "liveplot-soak-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	tab, cancelTab, err := harness.StartBrowser(dir)
	if err != nil {
		return err
	}
	defer cancelTab()
	if err := chromedp.Do(tab, chromedp.Navigate(page.URL())); err != nil {
		return fmt.Errorf("soak: opening the page: %w", err)
	}
	if err := harness.Poll(tab, 2*time.Minute, "the figures", soakDrawnJS(cfg.Links)); err != nil {
		return err
	}
	// Without reloads the probe measures the page's latency too (a reload would remove it).
	measure := cfg.Reload == 0
	if measure {
		if err := startProbe(tab); err != nil {
			return err
		}
	}

	// The writers: each link writes its points in ticks of 10 ms, x its point number.
	written := make([]int64, cfg.Links) // guarded by mu
	var mu sync.Mutex
	run := &soakRun{cfg: cfg, tab: tab, report: report,
		producer: func(s *SoakSample) ([]int64, error) {
			mu.Lock()
			at := append([]int64(nil), written...)
			mu.Unlock()
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			s.ProducerHeapMB = float64(ms.HeapAlloc) / (1 << 20)
			s.ProducerRSSMB = rssMB("self")
			return at, nil
		},
		reload: func() error { return chromedp.Do(tab, chromedp.Reload()) },
	}
	var prevAt time.Time
	if measure {
		run.extra = func(s *SoakSample) {
			now := time.Now()
			probeInterval(tab, now.Sub(prevAt).Seconds(), s)
			prevAt = now
		}
	}
	run.logf("%d figures drawn; %d links at %g points/s for %v, reload every %v", cfg.Links, cfg.Links, cfg.Rate, cfg.Duration, cfg.Reload)
	writeCtx, stopWriting := context.WithTimeout(ctx, cfg.Duration)
	defer stopWriting()
	var wg sync.WaitGroup
	errs := make(chan error, cfg.Links)
	run.start = time.Now()
	if measure {
		prevAt = run.start
		run.extra(&SoakSample{}) // starts the probe's interval
	}
	for i, l := range links {
		wg.Go(func() {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			n := int64(0)
			for {
				select {
				case <-writeCtx.Done():
					return
				case now := <-tick.C:
					due := int64(cfg.Rate * now.Sub(run.start).Seconds())
					if due <= n {
						continue
					}
					// y is the write time in ms since the epoch, for the probe's latency.
					y := float64(time.Now().UnixNano()) / 1e6
					xs, ys := make([]float64, 0, due-n), make([]float64, 0, due-n)
					for ; n < due; n++ {
						xs, ys = append(xs, float64(n)), append(ys, y)
					}
					if err := l.Extend(xs, ys); err != nil {
						errs <- fmt.Errorf("soak: link %d: %w", i, err)
						return
					}
					mu.Lock()
					written[i] = n
					mu.Unlock()
				}
			}
		})
	}
	if err := run.watch(writeCtx.Done(), errs); err != nil {
		return err
	}
	if measure {
		overall, err := probeOverall(tab, run.start)
		if err != nil {
			return err
		}
		report.Overall = overall
	}
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
	}
	if measure {
		mu.Lock()
		for _, n := range written {
			report.Overall.Written += n
		}
		mu.Unlock()
		report.Overall.WrittenPerSec = float64(report.Overall.Written) / time.Since(run.start).Seconds()
	}
	closeCtx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var closeErrs []error
	for _, l := range links {
		closeErrs = append(closeErrs, l.CloseContext(closeCtx))
	}
	run.final()
	return errors.Join(closeErrs...)
}

// soakDrawnJS is true once the page has drawn n figures.
func soakDrawnJS(n int) string {
	return fmt.Sprintf(`Array.from(document.querySelectorAll(".liveplot-figure")).filter((gd) => gd._fullLayout).length === %d`, n)
}

// soakRun is a soak under way, whichever the page and the producer: it samples both and reloads
// the page on the soak's schedule.
type soakRun struct {
	cfg    SoakConfig
	tab    context.Context // the page
	report *SoakReport
	start  time.Time // when the links started writing
	// producer returns how many points each link has written so far, and fills in s's producer
	// memory.
	producer func(s *SoakSample) ([]int64, error)
	// reload reloads the page (the soak then waits for its figures).
	reload  func() error
	reloads int
	// extra, if set, measures more in each sample (after the producer and the page).
	extra func(s *SoakSample)
}

func (r *soakRun) logf(format string, args ...any) {
	if r.cfg.Log != nil {
		fmt.Fprintf(r.cfg.Log, "soak: "+format+"\n", args...)
	}
}

// sample measures the producer and the page now.
func (r *soakRun) sample() SoakSample {
	s := SoakSample{AtSec: time.Since(r.start).Seconds(), Reloads: r.reloads}
	at, err := r.producer(&s)
	if err != nil {
		s.Error = err.Error()
		return s
	}
	for _, n := range at {
		s.Written += n
	}
	got, err := harness.Eval[[]float64](r.tab, soakPageJS)
	if err != nil {
		s.Error = err.Error()
		return s
	}
	s.Figures, s.Shown, s.Lost = int(got[0]), int(got[1]), int(got[2])
	for i, last := range got[3:] {
		if i < len(at) {
			s.LagPoints = max(s.LagPoints, at[i]-1-int64(last))
		}
	}
	heapCtx, cancel := context.WithTimeout(r.tab, 20*time.Second)
	defer cancel()
	if h, err := chromedp.Call(heapCtx, cdpruntime.GetHeapUsage, cdp.Empty{}); err == nil {
		s.PageHeapMB = h.UsedSize / (1 << 20)
	}
	if n, err := harness.Eval[int](r.tab, `document.getElementsByTagName("*").length`); err == nil {
		s.PageNodes = n
	}
	if r.extra != nil {
		r.extra(&s)
	}
	return s
}

// record adds a sample to the report and logs it.
func (r *soakRun) record(s SoakSample) {
	r.report.Samples = append(r.report.Samples, s)
	r.report.Lost = max(r.report.Lost, s.Lost)
	relays := ""
	if r.cfg.Notebook {
		relays = fmt.Sprintf(" kernel rss %.1f MB server rss %.1f MB", s.KernelRSSMB, s.ServerRSSMB)
	}
	if r.cfg.NATS {
		relays = fmt.Sprintf(" (max %.1f MB) applied %.0f/s draws %.0f/s painted p50 %.0f p99 %.0f ms nats in %.0f/s out %.0f/s serve rss %.1f MB chromium rss %.1f MB (renderers %.1f MB) cpus: serve %.2f producers %.2f chromium %.2f others %.2f; page main thread %.2f (script %.2f layout+style %.2f)",
			s.ProducerRSSMaxMB, s.AppliedPerSec, s.DrawsPerSec, s.PaintedP50, s.PaintedP99, s.NATSInPerSec, s.NATSOutPerSec, s.ServerRSSMB, s.BrowserRSSMB, s.RendererRSSMB, s.ServeCPU, s.ProducersCPU, s.ChromiumCPU, s.OtherCPU, s.PageTaskCPU, s.PageScriptCPU, s.PageLayoutCPU)
	}
	r.logf("%5.0fs written %d shown %d lost %d lag %d producer heap %.1f MB rss %.1f MB%s page heap %.1f MB nodes %d reloads %d %s",
		s.AtSec, s.Written, s.Shown, s.Lost, s.LagPoints, s.ProducerHeapMB, s.ProducerRSSMB, relays, s.PageHeapMB, s.PageNodes, s.Reloads, s.Error)
}

// watch samples every cfg.Sample, reloading the page every cfg.Reload, until done is closed (the
// links stopped writing) or a writer fails.
func (r *soakRun) watch(done <-chan struct{}, errs <-chan error) error {
	nextReload := r.start.Add(r.cfg.Reload)
	tick := time.NewTicker(r.cfg.Sample)
	defer tick.Stop()
	for {
		select {
		case err := <-errs:
			return err
		case <-done:
			return nil
		case now := <-tick.C:
			if r.cfg.Reload > 0 && !now.Before(nextReload) {
				// Reload, then wait for every figure to be drawn again before measuring.
				if err := r.reload(); err != nil {
					return fmt.Errorf("soak: reloading: %w", err)
				}
				r.reloads++
				nextReload = nextReload.Add(r.cfg.Reload)
				// A page that cannot keep up takes long to fill its windows again: that is measured
				// (lag), not waited for beyond one sampling interval.
				if err := harness.Poll(r.tab, r.cfg.Sample, "the figures' windows after a reload", soakFilledJS(r.cfg.Links)); err != nil {
					r.logf("%v", err)
				}
			}
			r.record(r.sample())
		}
	}
}

// final records the final state, once the links are closed: every window full and complete.
func (r *soakRun) final() { r.record(r.sample()) }

// rssMB is the resident set in MB of the process proc ("self", or a process id), from /proc (0
// where there is none).
func rssMB(proc string) float64 {
	raw, err := os.ReadFile("/proc/" + proc + "/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(rest)
			if kb, err := strconv.ParseFloat(f[0], 64); err == nil {
				return kb / 1024
			}
		}
	}
	return 0
}

// loadAvg is /proc/loadavg's first three numbers ("" where there is none).
func loadAvg() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(raw))
	return strings.Join(f[:min(3, len(f))], " ")
}

// WriteTable writes the soak's samples as a Markdown table.
func (r *SoakReport) WriteTable(w io.Writer) {
	c := r.Config
	if c.NATS {
		r.writeNATSTable(w)
		return
	}
	into := "one local page"
	if c.Notebook {
		into = "one Notebook 6 page from a GoNB cell"
	}
	fmt.Fprintf(w, "Soak: %d links x %g points/s, window %d, %v, into %s, page reloaded every %v; %d CPUs (%s), load %s\n\n",
		c.Links, c.Rate, c.Window, c.Duration, into, c.Reload, r.Machine.CPUs, r.Machine.CPU, r.Load)
	relays, relayCols := "", ""
	if c.Notebook {
		relays, relayCols = " kernel RSS MB | server RSS MB |", "---:|---:|"
	}
	fmt.Fprintln(w, "| t (s) | points written | shown | lost in windows | lag (points) | producer heap MB | producer RSS MB |"+relays+" page JS heap MB | page elements | reloads |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|"+relayCols+"---:|---:|---:|")
	for _, s := range r.Samples {
		if s.Error != "" {
			fmt.Fprintf(w, "| %.0f | error: %s |\n", s.AtSec, strings.ReplaceAll(firstLine(s.Error), "|", "/"))
			continue
		}
		relays = ""
		if c.Notebook {
			relays = fmt.Sprintf(" %.1f | %.1f |", s.KernelRSSMB, s.ServerRSSMB)
		}
		fmt.Fprintf(w, "| %.0f | %d | %d | %d | %d | %.1f | %.1f |%s %.1f | %d | %d |\n",
			s.AtSec, s.Written, s.Shown, s.Lost, s.LagPoints, s.ProducerHeapMB, s.ProducerRSSMB, relays, s.PageHeapMB, s.PageNodes, s.Reloads)
	}
	fmt.Fprintf(w, "\nMost points lost inside the windows in any sample: %d\n", r.Lost)
	r.writeOverall(w)
}

// writeNATSTable writes a NATS soak's samples and its overall numbers.
func (r *SoakReport) writeNATSTable(w io.Writer) {
	c := r.Config
	procs := c.Processes
	if procs <= 0 || procs > c.Links {
		procs = c.Links
	}
	fmt.Fprintf(w, "NATS soak: %d producers x %g points/s (each with its own NATS connection, in %d processes), window %d, %v, through one NATS server and its relay into one local page; %d CPUs (%s), load %s\n\n",
		c.Links, c.Rate, procs, c.Window, c.Duration, r.Machine.CPUs, r.Machine.CPU, r.Load)
	fmt.Fprintln(w, "| t (s) | points written | shown | lost in windows | lag (points) | applied pts/s | draws/s | painted p50/p99 ms | NATS msgs in/s | NATS msgs out/s | serve RSS MB | producers RSS MB (all / per producer / before connecting) | producers heap MB | page JS heap MB | Chromium RSS MB (all / renderers) | CPUs: serve / producers / Chromium / others | page main thread s/s: all / script / layout+style |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range r.Samples {
		if s.Error != "" {
			fmt.Fprintf(w, "| %.0f | error: %s |\n", s.AtSec, strings.ReplaceAll(firstLine(s.Error), "|", "/"))
			continue
		}
		fmt.Fprintf(w, "| %.0f | %d | %d | %d | %d | %s | %.0f | %.0f / %.0f | %s | %s | %.1f | %.0f / %.1f / %.0f | %.1f | %.1f | %.0f / %.0f | %.2f / %.2f / %.2f / %.2f | %.2f / %.2f / %.2f |\n",
			s.AtSec, s.Written, s.Shown, s.Lost, s.LagPoints, si(s.AppliedPerSec), s.DrawsPerSec, s.PaintedP50, s.PaintedP99, si(s.NATSInPerSec), si(s.NATSOutPerSec),
			s.ServerRSSMB, s.ProducerRSSMB, s.ProducerRSSMB/float64(max(c.Links, 1)), s.ProducerBaseRSSMB, s.ProducerHeapMB, s.PageHeapMB, s.BrowserRSSMB, s.RendererRSSMB,
			s.ServeCPU, s.ProducersCPU, s.ChromiumCPU, s.OtherCPU, s.PageTaskCPU, s.PageScriptCPU, s.PageLayoutCPU)
	}
	fmt.Fprintf(w, "\nMost points lost inside the windows in any sample: %d\n", r.Lost)
	r.writeOverall(w)
	writePageProfile(w, r.PageProfile)
}

// writeOverall writes the page's numbers over the whole soak, if it has them.
func (r *SoakReport) writeOverall(w io.Writer) {
	if o := r.Overall; o != nil {
		fmt.Fprintf(w, "Over the %.0f s of writes: written %s points/s, applied in the page %s points/s (%.0f%%), write -> applied p50/p99 %.0f / %.0f ms, write -> painted p50/p99 %.0f / %.0f ms\n",
			o.Seconds, si(o.WrittenPerSec), si(o.AppliedPerSec), 100*o.AppliedPerSec/max(o.WrittenPerSec, 1), o.AppliedP50, o.AppliedP99, o.PaintedP50, o.PaintedP99)
	}
}
