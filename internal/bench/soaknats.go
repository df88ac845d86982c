package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/cdproto/profiler"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/natsrelay"
)

// NATSServer is the NATS server a NATS soak streams through (see SoakConfig.StartNATS).
type NATSServer struct {
	URL string // the client URL, credentials included
	// Msgs returns the server's counts of messages received and sent so far (its varz in_msgs and
	// out_msgs).
	Msgs func() (in, out int64)
	Stop func() // shuts the server down and removes its store
}

// natsProducerPkg is the producer program of the NATS soak, built from the checkout.
const natsProducerPkg = "github.com/liveplot/liveplot/internal/bench/natsproducer"

// buildNATSProducer builds the producer program into dir and returns its path.
func buildNATSProducer(ctx context.Context, dir string) (string, error) {
	root, err := harness.ModuleRoot()
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "natsproducer")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, natsProducerPkg)
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("soak: building the producer (%s; run the bench from liveplot's checkout with go on PATH): %w\n%s", natsProducerPkg, err, out)
	}
	return bin, nil
}

// natsProducer is one producer process of the NATS soak.
type natsProducer struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	mu     sync.Mutex
	last   producerStatus // its last status line
	rssMB  float64        // its resident set when last measured while it ran
	opened chan struct{}  // closed at {"state":"open"}
	closed chan struct{}  // closed at {"state":"closed"}
	exited chan error     // its exit (once)
	stderr strings.Builder
}

// producerStatus is a status line of natsproducer.
type producerStatus struct {
	State     string  `json:"state"`
	Written   []int64 `json:"written"` // per producer of the process
	HeapMB    float64 `json:"heap_mb"`
	BaseRSSMB float64 `json:"base_rss_mb"` // before it connected
}

// startNATSProducer starts the producer program bin, process i, running n producers whose
// figures are numbered from first, publishing through natsURL, and reads its status lines.
func startNATSProducer(ctx context.Context, bin, natsURL string, i, first, n int, cfg SoakConfig) (*natsProducer, error) {
	p := &natsProducer{opened: make(chan struct{}), closed: make(chan struct{}), exited: make(chan error, 1)}
	p.cmd = exec.CommandContext(ctx, bin, "-rate", strconv.FormatFloat(cfg.Rate, 'g', -1, 64),
		"-window", strconv.Itoa(cfg.Window), "-n", strconv.Itoa(n), "-first", strconv.Itoa(first))
	p.cmd.Env = append(os.Environ(), "LIVEPLOT_NATS="+natsURL)
	p.cmd.Stderr = &lockedBuilder{b: &p.stderr, mu: &p.mu}
	var err error
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		return nil, err
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("soak: starting producer process %d: %w", i, err)
	}
	go func() {
		lines := bufio.NewScanner(stdout)
		lines.Buffer(nil, 1<<20) // a status line lists every producer's count
		closed := false
		for lines.Scan() {
			var st producerStatus
			if json.Unmarshal(lines.Bytes(), &st) != nil {
				continue
			}
			p.mu.Lock()
			p.last = st
			p.mu.Unlock()
			switch st.State {
			case "open":
				close(p.opened)
			case "closed":
				close(p.closed)
				closed = true
			}
		}
		io.Copy(io.Discard, stdout) //nolint:errcheck // a line past the buffer: never block the producer
		err := p.cmd.Wait()
		p.mu.Lock()
		if err != nil {
			err = fmt.Errorf("soak: producer process %d exited: %w: %s", i, err, strings.TrimSpace(p.stderr.String()))
		} else if !closed {
			err = fmt.Errorf("soak: producer process %d exited before it closed its streams: %s", i, strings.TrimSpace(p.stderr.String()))
		}
		p.mu.Unlock()
		p.exited <- err
	}()
	return p, nil
}

func (p *natsProducer) status() producerStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last
}

// startingAtOnce is how many producers of the NATS soak start at the same time.
const startingAtOnce = 10

// waitOpen waits until producer i has opened its stream, or a producer fails, or by.
func waitOpen(p *natsProducer, i int, errs <-chan error, by <-chan time.Time) error {
	select {
	case <-p.opened:
		return nil
	case err := <-errs:
		return err
	case <-by:
		return fmt.Errorf("soak: producer process %d did not open its streams in 5 minutes", i)
	}
}

// lockedBuilder is a strings.Builder written under a mutex (a process's stderr).
type lockedBuilder struct {
	b  *strings.Builder
	mu *sync.Mutex
}

func (w *lockedBuilder) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(b)
}

// soakNATS runs the soak through NATS: cfg.Links producers (natsproducer, each with its own NATS
// connection, in cfg.Processes processes) publish to the server cfg.StartNATS starts; this process relays it onto a
// local page (kernelext/natsrelay, as liveplot serve does), open in headless Chromium with the
// probe counting every figure's points. The report's overall numbers are the probe's from the
// first write to the end of the writes.
func soakNATS(ctx context.Context, cfg SoakConfig, report *SoakReport) error {
	if cfg.StartNATS == nil {
		return errors.New("soak: a NATS soak needs SoakConfig.StartNATS")
	}
	if cfg.Reload != 0 {
		return errors.New("soak: a NATS soak measures latency in one load of the page: set Reload to 0")
	}
	dir, err := os.MkdirTemp("", "liveplot-soak-nats-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := cfg.producerBin
	if bin == "" {
		if bin, err = buildNATSProducer(ctx, dir); err != nil {
			return err
		}
	}
	srv, err := cfg.StartNATS()
	if err != nil {
		return err
	}
	defer srv.Stop()
	page, err := kernelext.NewLocalPage(kernelext.DefaultAddr)
	if err != nil {
		return err
	}
	defer page.Close()
	run := &soakRun{cfg: cfg, report: report}
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	relay, err := natsrelay.Connect(cctx, srv.URL, page, natsrelay.Options{Logf: run.logf})
	cancel()
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		relay.Close(cctx) //nolint:errcheck // the soak is over
	}()

	pctx, stopProducers := context.WithCancel(ctx)
	defer stopProducers() // kills any producer still running
	// The producers start startingAtOnce at a time: 100 Go processes started in the same instant
	// on two CPUs do not all connect within nats.go's 2 s connect timeout (measured), and the
	// soak is about streaming, not about a thundering herd.
	nproc := cfg.Processes
	if nproc <= 0 || nproc > cfg.Links {
		nproc = cfg.Links
	}
	producers := make([]*natsProducer, nproc)
	errs := make(chan error, nproc)
	openBy := time.After(5 * time.Minute)
	for i := range producers {
		if i >= startingAtOnce {
			if err := waitOpen(producers[i-startingAtOnce], i-startingAtOnce, errs, openBy); err != nil {
				return err
			}
		}
		// Process i runs the links from first to next.
		first, next := i*cfg.Links/nproc, (i+1)*cfg.Links/nproc
		if producers[i], err = startNATSProducer(pctx, bin, srv.URL, i, first, next-first, cfg); err != nil {
			return err
		}
		go func(p *natsProducer) {
			if err := <-p.exited; err != nil {
				errs <- err
			}
		}(producers[i])
	}
	for i, p := range producers {
		if err := waitOpen(p, i, errs, openBy); err != nil {
			return err
		}
	}

	tab, cancelTab, err := harness.StartBrowser(filepath.Join(dir, "chromium"))
	if err != nil {
		return err
	}
	defer cancelTab()
	run.tab = tab
	if err := chromedp.Do(tab, chromedp.Navigate(page.URL())); err != nil {
		return fmt.Errorf("soak: opening the page: %w", err)
	}
	if err := harness.Poll(tab, 3*time.Minute, "the figures", soakDrawnJS(cfg.Links)); err != nil {
		return err
	}
	if err := startProbe(tab); err != nil {
		return err
	}
	if _, err := chromedp.Call(tab, performance.Enable, performance.EnableParams{}); err != nil {
		return fmt.Errorf("soak: enabling the page's performance metrics: %w", err)
	}
	browserPID := 0
	if c := chromedp.FromContext(tab); c != nil && c.Browser != nil && c.Browser.Process() != nil {
		browserPID = c.Browser.Process().Pid
	}

	var cpus cpuMeter
	prevAt, prevIn, prevOut := time.Now(), int64(0), int64(0)
	prevIn, prevOut = srv.Msgs()
	run.producer = func(s *SoakSample) ([]int64, error) {
		var at []int64
		for _, p := range producers {
			st := p.status()
			at = append(at, st.Written...)
			s.ProducerHeapMB += st.HeapMB
			s.ProducerBaseRSSMB += st.BaseRSSMB
			// Once the producer has exited (the final sample), its last resident set stands.
			if rss := rssMB(strconv.Itoa(p.cmd.Process.Pid)); rss > 0 {
				p.rssMB = rss
			}
			rss := p.rssMB
			s.ProducerRSSMB += rss
			s.ProducerRSSMaxMB = max(s.ProducerRSSMaxMB, rss)
		}
		s.ServerRSSMB = rssMB("self")
		return at, nil
	}
	run.extra = func(s *SoakSample) {
		now := time.Now()
		secs := now.Sub(prevAt).Seconds()
		in, out := srv.Msgs()
		s.NATSInPerSec, s.NATSOutPerSec = float64(in-prevIn)/secs, float64(out-prevOut)/secs
		prevAt, prevIn, prevOut = now, in, out
		probeInterval(tab, secs, s)
		s.BrowserRSSMB, s.RendererRSSMB = chromiumRSS(browserPID)
		used := map[string]float64{"serve": cpuSeconds(os.Getpid()), "machine": machineBusySeconds()}
		for _, p := range producers {
			used["producers"] += cpuSeconds(p.cmd.Process.Pid)
		}
		for _, p := range chromiumTree(browserPID) {
			used["chromium"] += cpuSeconds(p)
		}
		if m, err := chromedp.Call(tab, performance.GetMetrics, cdp.Empty{}); err == nil {
			for _, mt := range m.Metrics {
				switch mt.Name {
				case "TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration":
					used["page"+mt.Name] = mt.Value // seconds of the page's main thread
				}
			}
		}
		cpu := cpus.rate(now, used)
		s.PageTaskCPU, s.PageScriptCPU = cpu["pageTaskDuration"], cpu["pageScriptDuration"]
		s.PageLayoutCPU = cpu["pageLayoutDuration"] + cpu["pageRecalcStyleDuration"]
		s.ServeCPU, s.ProducersCPU, s.ChromiumCPU = cpu["serve"], cpu["producers"], cpu["chromium"]
		s.OtherCPU = max(0, cpu["machine"]-s.ServeCPU-s.ProducersCPU-s.ChromiumCPU)
	}
	run.logf("%d figures drawn; %d producers in %d processes at %g points/s for %v, through NATS at %s", cfg.Links, cfg.Links, nproc, cfg.Rate, cfg.Duration, srv.URL)

	writeCtx, stopWriting := context.WithTimeout(ctx, cfg.Duration)
	defer stopWriting()
	if cfg.PageProfile {
		if err := startPageProfile(tab); err != nil {
			return err
		}
	}
	run.start = time.Now()
	prevAt = run.start
	run.extra(&SoakSample{}) // starts the meters
	for i, p := range producers {
		if _, err := io.WriteString(p.stdin, "go\n"); err != nil {
			return fmt.Errorf("soak: starting producer process %d's writes: %w", i, err)
		}
	}
	if err := run.watch(writeCtx.Done(), errs); err != nil {
		return err
	}
	if report.Overall, err = probeOverall(tab, run.start); err != nil {
		return err
	}
	if cfg.PageProfile {
		if report.PageProfile, err = stopPageProfile(tab); err != nil {
			return err
		}
	}
	// Closing standard input stops the writes; the producers then report what they wrote in all.
	for _, p := range producers {
		p.stdin.Close()
	}
	stopped := time.Since(run.start).Seconds()
	closeBy := time.After(time.Minute)
	for i, p := range producers {
		select {
		case <-p.closed:
		case err := <-errs:
			return err
		case <-closeBy:
			return fmt.Errorf("soak: producer process %d did not close its streams in a minute", i)
		}
		for _, n := range p.status().Written {
			report.Overall.Written += n
		}
	}
	report.Overall.WrittenPerSec = float64(report.Overall.Written) / stopped
	run.final()
	return nil
}

// startProbe installs the probe in the page (once plotly.js is there), counting every figure's
// points from now.
func startProbe(tab context.Context) error {
	if _, err := harness.Eval[bool](tab, ProbeJS); err != nil {
		return fmt.Errorf("soak: installing the probe: %w", err)
	}
	return harness.Poll(tab, 10*time.Second, "the probe", `window.liveplotBench.wrapped > 0 && window.liveplotBench.reset(0, 0, {byElement: true})`)
}

// probeInterval sets s's page numbers over the probe's interval, secs long, and starts the next.
func probeInterval(tab context.Context, secs float64, s *SoakSample) {
	if iv, err := harness.Eval[Summary](tab, `window.liveplotBench.interval()`); err == nil && secs > 0 {
		s.AppliedPerSec, s.DrawsPerSec = float64(iv.Points)/secs, float64(iv.Calls)/secs
		s.PaintedP50, s.PaintedP99 = iv.PaintedP50, iv.PaintedP99
	}
}

// probeOverall returns the probe's numbers since startProbe, the writes having started at start
// (the caller fills in what was written).
func probeOverall(tab context.Context, start time.Time) (*SoakOverall, error) {
	sum, err := harness.Eval[Summary](tab, `window.liveplotBench.summary()`)
	if err != nil {
		return nil, err
	}
	elapsed := time.Since(start).Seconds()
	return &SoakOverall{Seconds: elapsed, AppliedPerSec: float64(sum.Points) / elapsed,
		AppliedP50: sum.AppliedP50, AppliedP99: sum.AppliedP99, PaintedP50: sum.PaintedP50, PaintedP99: sum.PaintedP99}, nil
}

// SoakOverall is a soak's page numbers over the whole write phase (a NATS soak, or a page soak
// without reloads).
type SoakOverall struct {
	Seconds       float64 `json:"seconds"`         // from the first write to the end of the writes
	Written       int64   `json:"written"`         // points the producers wrote
	WrittenPerSec float64 `json:"written_per_sec"` // the same, a second
	// AppliedPerSec is the points that reached plotly.js in the page, a second.
	AppliedPerSec float64 `json:"applied_per_sec"`
	AppliedP50    float64 `json:"applied_p50_ms"`
	AppliedP99    float64 `json:"applied_p99_ms"`
	PaintedP50    float64 `json:"painted_p50_ms"`
	PaintedP99    float64 `json:"painted_p99_ms"`
}

// chromiumRSS returns the resident sets in MB of the browser whose main process is pid: all its
// processes, and its renderers (the page's) alone. (Shared pages count once per process: the sum
// is an upper bound.)
func chromiumRSS(pid int) (all, renderers float64) {
	for _, p := range chromiumTree(pid) {
		rss := rssMB(strconv.Itoa(p))
		all += rss
		if cmd, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/cmdline"); err == nil && strings.Contains(string(cmd), "--type=renderer") {
			renderers += rss
		}
	}
	return all, renderers
}

// chromiumTree returns the browser's main process pid and all its descendants (none for pid 0).
func chromiumTree(pid int) []int {
	if pid == 0 {
		return nil
	}
	children := map[int][]int{}
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid := parentPID(child); ppid > 0 {
			children[ppid] = append(children[ppid], child)
		}
	}
	return descendants(pid, children)
}

// parentPID is the parent of process pid (0 if unknown), from /proc/pid/stat.
func parentPID(pid int) int {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	// pid (comm) state ppid ...: comm may hold spaces and parentheses; it ends at the last ')'.
	s := string(raw)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(f[1])
	return ppid
}

// descendants returns root and every process below it in the tree children (parent -> children).
func descendants(root int, children map[int][]int) []int {
	out := []int{root}
	for i := 0; i < len(out); i++ {
		out = append(out, children[out[i]]...)
	}
	return out
}

// RateStep is one step of the single-producer rate search.
type RateStep struct {
	Rate          float64 `json:"rate"`
	WrittenPerSec float64 `json:"written_per_sec"`
	AppliedPerSec float64 `json:"applied_per_sec"`
	PaintedP50    float64 `json:"painted_p50_ms"`
	PaintedP99    float64 `json:"painted_p99_ms"`
	NATSInPerSec  float64 `json:"nats_in_per_sec"`
	// Means over the samples taken while the producer wrote: plotly.js calls that brought points a
	// second, the page's main thread busy (seconds a second), and the CPUs Chromium and the
	// machine's other processes used.
	DrawsPerSec float64 `json:"draws_per_sec"`
	PageTaskCPU float64 `json:"page_task_cpu"`
	ChromiumCPU float64 `json:"chromium_cpu"`
	OtherCPU    float64 `json:"other_cpu"`
	Pass        bool    `json:"pass"`
	Error       string  `json:"error,omitempty"`
}

// RateSearchReport is the result of NATSRateSearch.
type RateSearchReport struct {
	Machine Machine    `json:"machine"`
	Config  SoakConfig `json:"config"`
	Load    string     `json:"load"`
	LimitMs float64    `json:"limit_ms"` // the painted p99 a step must keep to
	Steps   []RateStep `json:"steps"`
	Best    float64    `json:"best"` // the highest rate that passed (0: none)
}

// The rate search climbs up to maxSearchRate, and goes down to minSearchRate when even its first
// rate fails.
const (
	maxSearchRate = 1e7
	minSearchRate = 10
)

// NATSRateSearch finds the highest rate of one producer through NATS whose painted p99 is at
// most limitMs: a NATS soak of one link (cfg.Duration each, everything started afresh) at rates
// climbing from cfg.Rate by 1-2-5 steps until one fails, then two bisections between the last
// rate that passed and the first that failed (see nextRate).
func NATSRateSearch(ctx context.Context, cfg SoakConfig, limitMs float64) (*RateSearchReport, error) {
	cfg.Links, cfg.Reload, cfg.Sample = 1, 0, min(cfg.Sample, cfg.Duration)
	cfg.NATS = true
	report := &RateSearchReport{Machine: machine(), Config: cfg, Load: loadAvg(), LimitMs: limitMs}
	dir, err := os.MkdirTemp("", "liveplot-ratesearch-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	if cfg.producerBin, err = buildNATSProducer(ctx, dir); err != nil {
		return nil, err
	}
	for {
		rate, ok := nextRate(report.Steps, cfg.Rate)
		if !ok || ctx.Err() != nil {
			break
		}
		step := cfg
		step.Rate = rate
		r, err := Soak(ctx, step)
		st := RateStep{Rate: rate}
		if r != nil && r.Overall != nil {
			o := r.Overall
			st.WrittenPerSec, st.AppliedPerSec, st.PaintedP50, st.PaintedP99 = o.WrittenPerSec, o.AppliedPerSec, o.PaintedP50, o.PaintedP99
			writing := r.Samples
			if len(writing) > 1 {
				writing = writing[:len(writing)-1] // the last is taken after the close
			}
			for _, s := range writing {
				n := float64(len(writing))
				st.NATSInPerSec += s.NATSInPerSec / n
				st.DrawsPerSec += s.DrawsPerSec / n
				st.PageTaskCPU += s.PageTaskCPU / n
				st.ChromiumCPU += s.ChromiumCPU / n
				st.OtherCPU += s.OtherCPU / n
			}
		}
		if err != nil {
			st.Error = err.Error()
		}
		st.Pass = err == nil && st.AppliedPerSec > 0 && st.PaintedP99 >= 0 && st.PaintedP99 <= limitMs
		if st.Pass {
			report.Best = max(report.Best, rate)
		}
		if cfg.Log != nil {
			fmt.Fprintf(cfg.Log, "ratesearch: %g points/s: written %.0f/s applied %.0f/s painted p50 %.0f p99 %.0f ms pass %v %s\n",
				rate, st.WrittenPerSec, st.AppliedPerSec, st.PaintedP50, st.PaintedP99, st.Pass, st.Error)
		}
		report.Steps = append(report.Steps, st)
	}
	report.Load += " -> " + loadAvg()
	return report, ctx.Err()
}

// nextRate is the rate search's next rate after steps, starting at start: up the 1-2-5 ladder from
// the highest rate that passed while none above it failed (up to maxSearchRate), or down it from
// the lowest failure while none passed (down to minSearchRate); once a rate passed and one
// failed, the geometric middle between the highest pass and the lowest failure above it (rounded
// to two significant digits), twice, or until they are within 25% of each other. It says false
// when the search is over.
func nextRate(steps []RateStep, start float64) (float64, bool) {
	if len(steps) == 0 {
		return start, true
	}
	pass, fail := 0.0, math.Inf(1)
	for _, s := range steps {
		if s.Pass {
			pass = max(pass, s.Rate)
		}
	}
	lowest := math.Inf(1) // the lowest failure
	bisections := 0       // the steps after the first that made a pass and a failure
	sawPass, sawFail := false, false
	for i, s := range steps {
		if !s.Pass && s.Rate > pass {
			fail = min(fail, s.Rate)
		}
		if !s.Pass {
			lowest = min(lowest, s.Rate)
		}
		if !(sawPass && sawFail) {
			sawPass, sawFail = sawPass || s.Pass, sawFail || !s.Pass
			if sawPass && sawFail {
				bisections = len(steps) - 1 - i
			}
		}
	}
	switch {
	case pass == 0:
		if lowest <= minSearchRate {
			return 0, false
		}
		return prevLadder(lowest), true
	case math.IsInf(fail, 1):
		if pass >= maxSearchRate {
			return 0, false
		}
		return nextLadder(pass), true
	case bisections >= 2 || fail <= 1.25*pass:
		return 0, false
	}
	mid := roundSig(math.Sqrt(pass*fail), 2)
	if mid <= pass || mid >= fail {
		return 0, false
	}
	return mid, true
}

// prevLadder is the last of 1, 2, 5, 10, 20, 50, ... below r.
func prevLadder(r float64) float64 {
	for p := math.Pow(10, math.Ceil(math.Log10(r))); ; p /= 10 {
		for _, m := range []float64{5, 2, 1} {
			if m*p < r*(1-1e-9) {
				return m * p
			}
		}
	}
}

// nextLadder is the first of 1, 2, 5, 10, 20, 50, ... above r.
func nextLadder(r float64) float64 {
	for p := math.Pow(10, math.Floor(math.Log10(r))); ; p *= 10 {
		for _, m := range []float64{1, 2, 5} {
			if m*p > r*(1+1e-9) {
				return m * p
			}
		}
	}
}

// roundSig rounds r to n significant digits.
func roundSig(r float64, n int) float64 {
	if r == 0 {
		return 0
	}
	p := math.Pow(10, float64(n)-math.Ceil(math.Log10(math.Abs(r))))
	return math.Round(r*p) / p
}

// WriteTable writes the search's steps as a Markdown table.
func (r *RateSearchReport) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "One producer through NATS, window %d, %v a step (means over the samples while it wrote, a sample every %v); %d CPUs (%s), load %s; pass: painted p99 <= %g ms\n\n",
		r.Config.Window, r.Config.Duration, r.Config.Sample, r.Machine.CPUs, r.Machine.CPU, r.Load, r.LimitMs)
	fmt.Fprintln(w, "| rate (pts/s) | written pts/s | applied pts/s | painted p50/p99 ms | draws/s | NATS msgs in/s | page main thread busy s/s | CPUs: Chromium / others | pass |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|---:|---:|---:|---:|:---:|")
	for _, s := range r.Steps {
		if s.Error != "" {
			fmt.Fprintf(w, "| %s | error: %s |\n", si(s.Rate), strings.ReplaceAll(firstLine(s.Error), "|", "/"))
			continue
		}
		pass := "no"
		if s.Pass {
			pass = "yes"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %.0f / %.0f | %.0f | %.0f | %.2f | %.2f / %.2f | %s |\n", si(s.Rate), si(s.WrittenPerSec), si(s.AppliedPerSec),
			s.PaintedP50, s.PaintedP99, s.DrawsPerSec, s.NATSInPerSec, s.PageTaskCPU, s.ChromiumCPU, s.OtherCPU, pass)
	}
	if r.Best > 0 {
		fmt.Fprintf(w, "\nHighest rate with painted p99 <= %g ms: %s points/s\n", r.LimitMs, si(r.Best))
	} else {
		fmt.Fprintf(w, "\nNo rate kept painted p99 <= %g ms\n", r.LimitMs)
	}
}

// clockTicks is Linux's USER_HZ, the unit of /proc's CPU times (100 on every Linux platform Go
// supports).
const clockTicks = 100

// cpuSeconds is the CPU time (user + system) process pid has used so far, from /proc/pid/stat (0
// if unknown).
func cpuSeconds(pid int) float64 {
	raw, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0
	}
	s := string(raw)
	// After "pid (comm)": state is field 3 of stat(5), utime 14 and stime 15.
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / clockTicks
}

// machineBusySeconds is the CPU time all the machine's CPUs have spent not idle so far, from
// /proc/stat.
func machineBusySeconds() float64 {
	raw, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0
	}
	line, _, _ := strings.Cut(string(raw), "\n")
	f := strings.Fields(line)
	if len(f) < 6 || f[0] != "cpu" {
		return 0
	}
	busy := 0.0
	for i, v := range f[1:] {
		n, _ := strconv.ParseFloat(v, 64)
		if i != 3 && i != 4 { // idle and iowait
			busy += n
		}
	}
	return busy / clockTicks
}

// cpuMeter turns CPU times into CPUs used since the previous reading.
type cpuMeter struct {
	at   time.Time
	last map[string]float64
}

// rate returns, per name, the CPU seconds used a second since the previous call (0 the first
// time), given the CPU seconds used so far.
func (m *cpuMeter) rate(now time.Time, used map[string]float64) map[string]float64 {
	out := map[string]float64{}
	secs := now.Sub(m.at).Seconds()
	for name, v := range used {
		if prev, ok := m.last[name]; ok && secs > 0 {
			out[name] = max(0, v-prev) / secs
		}
	}
	m.at, m.last = now, used
	return out
}

// ProfileShare is a share of the page's JavaScript CPU profile.
type ProfileShare struct {
	What string  `json:"what"` // a script (its URL's path) or a function ("name (script)")
	Pct  float64 `json:"pct"`  // of the profile's samples, self time
}

// PageProfile is where the page's main thread spent its time while the producers wrote (the V8
// CPU profiler, self time; "(program)" is the browser's own work outside JavaScript: layout,
// style, paint, parsing, "(idle)" nothing).
type PageProfile struct {
	Seconds   float64        `json:"seconds"`
	Scripts   []ProfileShare `json:"scripts"`
	Functions []ProfileShare `json:"functions"` // the top ones
}

// startPageProfile starts the V8 CPU profiler in the page, sampling every millisecond.
func startPageProfile(tab context.Context) error {
	if _, err := chromedp.Call(tab, profiler.Enable, cdp.Empty{}); err != nil {
		return fmt.Errorf("soak: enabling the page's profiler: %w", err)
	}
	if _, err := chromedp.Call(tab, profiler.SetSamplingInterval, profiler.SetSamplingIntervalParams{Interval: 1000}); err != nil {
		return fmt.Errorf("soak: setting the page's profiler's interval: %w", err)
	}
	if _, err := chromedp.Call(tab, profiler.Start, cdp.Empty{}); err != nil {
		return fmt.Errorf("soak: starting the page's profiler: %w", err)
	}
	return nil
}

// stopPageProfile stops the profiler and sums its samples by script and by function.
func stopPageProfile(tab context.Context) (*PageProfile, error) {
	res, err := chromedp.Call(tab, profiler.Stop, cdp.Empty{})
	if err != nil {
		return nil, fmt.Errorf("soak: stopping the page's profiler: %w", err)
	}
	if res.Profile == nil {
		return nil, errors.New("soak: the page's profiler returned no profile")
	}
	return sumProfile(res.Profile), nil
}

// sumProfile sums a V8 CPU profile's samples (self time) by script and by function.
func sumProfile(p *profiler.Profile) *PageProfile {
	frames := map[int64]*cdpruntime.CallFrame{}
	for _, n := range p.Nodes {
		frames[n.ID] = n.CallFrame
	}
	scripts, funcs := map[string]float64{}, map[string]float64{}
	for _, id := range p.Samples {
		f := frames[id]
		if f == nil {
			continue
		}
		script := f.URL
		if u, err := url.Parse(script); err == nil && u.Path != "" {
			script = u.Path
		}
		name := f.FunctionName
		if name == "" {
			name = "(anonymous)"
		}
		if strings.HasPrefix(name, "(") && script == "" {
			script = name // (program), (idle), (garbage collector), (root)
		} else {
			if script == "" {
				script = "(no script URL)"
			}
			name += " (" + script + ")"
		}
		scripts[script]++
		funcs[name]++
	}
	total := float64(len(p.Samples))
	top := func(m map[string]float64, n int) []ProfileShare {
		var out []ProfileShare
		for k, v := range m {
			out = append(out, ProfileShare{What: k, Pct: 100 * v / max(total, 1)})
		}
		sort.Slice(out, func(i, j int) bool {
			return out[i].Pct > out[j].Pct || out[i].Pct == out[j].Pct && out[i].What < out[j].What
		})
		return out[:min(n, len(out))]
	}
	return &PageProfile{Seconds: (p.EndTime - p.StartTime) / 1e6, Scripts: top(scripts, 10), Functions: top(funcs, 15)}
}

// writePageProfile writes a page profile's shares as two Markdown lists.
func writePageProfile(w io.Writer, p *PageProfile) {
	if p == nil {
		return
	}
	fmt.Fprintf(w, "\nThe page's main thread over %.0f s (V8 CPU profile, self time): by script:", p.Seconds)
	for _, s := range p.Scripts {
		fmt.Fprintf(w, " %s %.1f%%;", s.What, s.Pct)
	}
	fmt.Fprintf(w, "\nTop functions:")
	for _, s := range p.Functions {
		fmt.Fprintf(w, " %s %.1f%%;", s.What, s.Pct)
	}
	fmt.Fprintln(w)
}
