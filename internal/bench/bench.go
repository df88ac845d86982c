// Package bench is the engine of `liveplot bench`: it measures liveplot end to end through the
// real stack (Debian's Notebook 6 server, a GoNB kernel, headless Chromium) side by side with
// what users do today — a GoNB cell that redraws the whole figure with gonbui.UpdateHTML each
// tick, and Python's plotly updating a display handle — plus liveplot's in-process costs (Write,
// producer memory) and the build time a liveplot import adds to a GoNB cell.
//
// Points are counted where they land: a probe in the page (probe.js) wraps plotly.js's functions
// and the notebook kernel's IOPub handling. Nothing here fails on a number; it reports them.
package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
)

// Config says what to measure.
type Config struct {
	Shapes   []Shape       // the streaming scenarios, each run by every system it names
	Duration time.Duration // how long each scenario writes
	// Writes is how many points the producer-memory run writes (window 1e4).
	Writes int
	// CompileRuns is how many times each compile-time cell runs (the first warms the cache).
	CompileRuns int
	// ShowRuns is how many times the cell that shows a figure in a page that has plotly.js runs.
	ShowRuns int
	// Systems, when not empty, limits the streaming scenarios to these systems (Liveplot,
	// Rerender, Python).
	Systems []string
	Log     io.Writer // progress, one line per step (nil: none)
}

// measures reports whether the run measures the streaming scenarios of system.
func (c Config) measures(system string) bool {
	return len(c.Systems) == 0 || slices.Contains(c.Systems, system)
}

// A Shape is one streaming scenario: Figures figures (1 when 0) in one cell, each with one trace
// of a Window-point window streamed at Rate points/s. Only, when not empty, names the one system
// that runs it (the baselines cannot keep up with some shapes in any useful time).
type Shape struct {
	Window  int
	Rate    float64
	Figures int
	Only    string
}

func (s Shape) figures() int { return max(s.Figures, 1) }

// Full is the configuration of a full run: every window and rate of the issue, a 1M-point window
// at 100k points/s, and 20 figures at 1k points/s each.
func Full() Config {
	var shapes []Shape
	for _, w := range []int{1_000, 10_000, 100_000} {
		for _, rate := range []float64{1_000, 10_000, 1_000_000} {
			shapes = append(shapes, Shape{Window: w, Rate: rate})
		}
	}
	// The 1M-point window last: its figure is the heaviest a page holds.
	shapes = append(shapes,
		Shape{Window: 1_000, Rate: 1_000, Figures: 20, Only: Liveplot},
		Shape{Window: 1_000_000, Rate: 100_000, Only: Liveplot})
	return Config{Shapes: shapes, Duration: 10 * time.Second, Writes: 100_000_000, CompileRuns: 4, ShowRuns: 5}
}

// Quick is a short smoke run: one window, one rate, and two figures at once, two seconds each.
func Quick() Config {
	return Config{
		Shapes:   []Shape{{Window: 1_000, Rate: 10_000}, {Window: 1_000, Rate: 1_000, Figures: 2, Only: Liveplot}},
		Duration: 2 * time.Second, Writes: 1_000_000, CompileRuns: 2, ShowRuns: 1,
	}
}

// Systems compared.
const (
	Liveplot = "liveplot (GoNB)"
	Rerender = "GoNB UpdateHTML re-render"
	Python   = "Python plotly display update"
)

// Stream is one streaming scenario's numbers, as the page counted them.
type Stream struct {
	System  string  `json:"system"`
	Window  int     `json:"window"`
	Rate    float64 `json:"rate"`              // points/s written (asked), per figure
	Figures int     `json:"figures,omitempty"` // figures streamed at once (1 when 0)
	Live    int     `json:"live,omitempty"`    // of those, the figures that got points
	Written int     `json:"written"`           // points the cell wrote, all figures
	Applied int     `json:"applied"`           // points that reached plotly.js in the page
	// Behind is, when the page had not applied the last point written by the end of the wait
	// after the cell, how many seconds of points it was still behind.
	Behind float64 `json:"behind_sec,omitempty"`
	// PointsPerSec is Applied over the time from the first applied point's write to the last
	// point's application.
	PointsPerSec float64 `json:"points_per_sec"`
	AppliedP50   float64 `json:"applied_p50_ms"` // write -> plotly.js call returned
	AppliedP99   float64 `json:"applied_p99_ms"`
	PaintedP50   float64 `json:"painted_p50_ms"` // write -> the next animation frame after it
	PaintedP99   float64 `json:"painted_p99_ms"`
	DrawsPerSec  float64 `json:"draws_per_sec"` // plotly.js calls that brought new points
	MsgsPerSec   float64 `json:"msgs_per_sec"`  // IOPub comm_msg + display_data + update_display_data
	MBPerSec     float64 `json:"mb_per_sec"`    // what those messages carried (comm value, text/html)
	SavedBytes   int     `json:"saved_bytes"`   // the cell's outputs in the saved notebook
	Error        string  `json:"error,omitempty"`
}

// Report is the result of a run.
type Report struct {
	Machine      Machine       `json:"machine"`
	Config       Config        `json:"-"`
	DurationSec  float64       `json:"duration_sec"`
	Streams      []Stream      `json:"streams"`
	WriteNs      float64       `json:"write_ns"` // one Write of Point{time, float64}, window 1e4
	Memory       []MemoryPoint `json:"memory"`   // window 1e4
	MemoryWindow int           `json:"memory_window"`
	// Show to first paint: from plotly.Show in the cell program to the paint after the plot
	// appears, in the page that loads plotly.js with it, and (median) in one that has it.
	FirstPaintFreshMs float64 `json:"first_paint_fresh_ms"`
	FirstPaintWarmMs  float64 `json:"first_paint_warm_ms"`
	CompilePlainMs    float64 `json:"compile_plain_ms"`
	CompileLiveMs     float64 `json:"compile_liveplot_ms"`
	PythonPlotly      string  `json:"python_plotly"`
}

// Machine describes where the run happened.
type Machine struct {
	CPUs     int    `json:"cpus"`
	CPU      string `json:"cpu"`
	MemoryGB int    `json:"memory_gb"`
	Chromium string `json:"chromium"`
	Go       string `json:"go"`
	OS       string `json:"os"`
}

func (c Config) logf(format string, args ...any) {
	if c.Log != nil {
		fmt.Fprintf(c.Log, "bench: "+format+"\n", args...)
	}
}

// Run measures everything cfg asks for. It starts its own Notebook server (with the GoNB kernel
// and ipykernel) and Chromium, in a temporary directory it removes, from the liveplot checkout
// that holds the working directory.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	root, err := harness.ModuleRoot()
	if err != nil {
		return nil, err
	}
	r := &Report{Config: cfg, DurationSec: cfg.Duration.Seconds(), Machine: machine(), MemoryWindow: 10_000}

	cfg.logf("in process: Write cost and producer memory over %d writes", cfg.Writes)
	if r.Memory, err = producerMemory(cfg.Writes, r.MemoryWindow); err != nil {
		return nil, err
	}
	if r.WriteNs, err = writeCost(2_000_000, 10_000); err != nil {
		return nil, err
	}

	dir, err := os.MkdirTemp("", "liveplot-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer os.RemoveAll(dir)
	cfg.logf("starting Jupyter Notebook (GoNB, ipykernel) and Chromium in %s", dir)
	nb, err := harness.StartNotebook(ctx, root, harness.NotebookOptions{Dir: filepath.Join(dir, "jupyter"), Python: true})
	if err != nil {
		return nil, err
	}
	defer nb.Close()
	bctx, closeBrowser, err := harness.StartBrowser(filepath.Join(dir, "chromium"))
	if err != nil {
		return nil, err
	}
	defer closeBrowser()
	// Stop the page's work when ctx is done.
	stop := context.AfterFunc(ctx, closeBrowser)
	defer stop()

	if err := runGoNB(bctx, nb, cfg, r); err != nil {
		return r, fmt.Errorf("%w\njupyter log:\n%s", err, nb.LogTail(3000))
	}
	if !cfg.measures(Python) {
		return r, ctx.Err()
	}
	if err := runPython(bctx, nb, cfg, r); err != nil {
		return r, fmt.Errorf("%w\njupyter log:\n%s", err, nb.LogTail(3000))
	}
	return r, ctx.Err()
}

type scenario struct {
	system string
	shape  Shape
	cell   int
	lo     float64 // x of its first point: every scenario has its own range
}

// Each scenario's points have x in [lo, lo+scenarioXs), figure k's from lo+k*figureXs: a
// scenario writes far fewer than figureXs points per figure.
const (
	scenarioXs = 1e11
	figureXs   = 1e9
)

// source makes a streaming cell: the shape, the x of its first point, and how long it writes.
type source func(s Shape, lo, seconds float64) string

func (c Config) scenarios(system string, first int, src source) ([]scenario, []string) {
	var list []scenario
	var cells []string
	for _, shape := range c.Shapes {
		if shape.Only != "" && shape.Only != system || shape.figures() > 1 && system != Liveplot {
			continue // the baselines' cells draw one figure
		}
		// The ranges are numbered over systems too, so that no two scenarios of a run share one.
		lo := scenarioXs * float64(1+len(list)+100*slices.Index([]string{Liveplot, Rerender, Python}, system))
		list = append(list, scenario{system, shape, first + len(cells), lo})
		cells = append(cells, src(shape, lo, c.Duration.Seconds()))
	}
	return list, cells
}

func runGoNB(ctx context.Context, nb *harness.Notebook, cfg Config, r *Report) error {
	cells := []string{harness.GoNBSetupCell}
	for i := range cfg.CompileRuns {
		cells = append(cells, plainCell(i))
	}
	for i := range cfg.CompileRuns {
		cells = append(cells, liveplotCell(i))
	}
	cells = append(cells, gonbDeclCell, showCell)
	live, liveCells := cfg.scenarios(Liveplot, len(cells), liveplotStreamCell)
	cells = append(cells, liveCells...)
	rerender, rerenderCells := cfg.scenarios(Rerender, len(cells), rerenderCell)
	cells = append(cells, rerenderCells...)
	path, err := nb.WriteNotebook("gonb.ipynb", harness.GoNB, cells...)
	if err != nil {
		return err
	}
	p, err := openNotebook(ctx, nb, "gonb.ipynb", path)
	if err != nil {
		return err
	}
	cfg.logf("GoNB: setup cell (a cold Go cache takes a minute)")
	if run, err := p.run(0, 5*time.Minute); err != nil || run.timedOut {
		return fmt.Errorf("bench: GoNB setup cell: %v %s", err, run.output)
	}
	var plain, withLive []float64
	for i := 1; i <= 2*cfg.CompileRuns; i++ {
		run, err := p.run(i, 3*time.Minute)
		if err != nil || run.timedOut || !strings.Contains(run.output, "plain") && !strings.Contains(run.output, "liveplot") {
			return fmt.Errorf("bench: GoNB compile cell %d: %v %s", i, err, run.output)
		}
		ms := float64(run.took.Milliseconds())
		cfg.logf("GoNB: compile cell %d took %v", i, run.took)
		if i == 1 || i == cfg.CompileRuns+1 {
			continue // the first of each warms the build cache
		}
		if i <= cfg.CompileRuns {
			plain = append(plain, ms)
		} else {
			withLive = append(withLive, ms)
		}
	}
	r.CompilePlainMs, r.CompileLiveMs = median(plain), median(withLive)
	decl := 1 + 2*cfg.CompileRuns
	if r.FirstPaintFreshMs, err = p.showToPaint(decl); err != nil {
		return fmt.Errorf("bench: GoNB declarations cell: %w", err)
	}
	cfg.logf("GoNB: Show to first paint in a page without plotly.js: %.0f ms", r.FirstPaintFreshMs)
	if err := harness.Poll(ctx, 30*time.Second, "plotly.js wrapped by the probe", `window.liveplotBench.summary().wrapped > 0`); err != nil {
		return err
	}
	var warm []float64
	for range cfg.ShowRuns {
		ms, err := p.showToPaint(decl + 1)
		if err != nil {
			return fmt.Errorf("bench: GoNB show cell: %w", err)
		}
		cfg.logf("GoNB: Show to first paint in a page with plotly.js: %.0f ms", ms)
		warm = append(warm, ms)
	}
	r.FirstPaintWarmMs = median(warm)
	// The re-render first: it leaves nothing behind in the page (each redraw replaces the last),
	// while liveplot's figures stay until their outputs are cleared.
	for _, s := range append(rerender, live...) {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !cfg.measures(s.system) {
			continue
		}
		r.Streams = append(r.Streams, p.measure(cfg, s))
	}
	return nil
}

func runPython(ctx context.Context, nb *harness.Notebook, cfg Config, r *Report) error {
	cells := []string{pythonInitCell}
	scen, more := cfg.scenarios(Python, 1, pythonCell)
	cells = append(cells, more...)
	path, err := nb.WriteNotebook("python.ipynb", harness.Python, cells...)
	if err != nil {
		return err
	}
	p, err := openNotebook(ctx, nb, "python.ipynb", path)
	if err != nil {
		return err
	}
	run, err := p.run(0, 2*time.Minute)
	if err != nil || run.timedOut {
		return fmt.Errorf("bench: Python init cell: %v %s", err, run.output)
	}
	r.PythonPlotly = strings.TrimSpace(strings.TrimPrefix(run.output, "bench: "))
	if err := harness.Poll(ctx, 30*time.Second, "Python's plotly.js wrapped by the probe", `window.liveplotBench.summary().wrapped > 0`); err != nil {
		return err
	}
	for _, s := range scen {
		if err := ctx.Err(); err != nil {
			return err
		}
		r.Streams = append(r.Streams, p.measure(cfg, s))
	}
	return nil
}

// measure runs one scenario's cell and reads what the page counted.
func (p *notebookPage) measure(cfg Config, s scenario) Stream {
	figures := s.shape.figures()
	out := Stream{System: s.system, Window: s.shape.Window, Rate: s.shape.Rate}
	if figures > 1 {
		out.Figures = figures
	}
	name := fmt.Sprintf("%s window %d rate %g figures %d", s.system, s.shape.Window, s.shape.Rate, figures)
	fail := func(err error) Stream {
		out.Error = err.Error()
		cfg.logf("%s: %v", name, err)
		return out
	}
	if err := p.reset(s.lo); err != nil {
		return fail(err)
	}
	run, err := p.run(s.cell, cfg.Duration+2*time.Minute)
	if err != nil {
		return fail(err)
	}
	perFigure, err := written(run.output)
	if err != nil {
		return fail(err)
	}
	out.Written = perFigure * figures
	sum, err := p.settle(float64(perFigure-1), figures, 30*time.Second)
	if err != nil {
		return fail(err)
	}
	out.Applied, out.Live = sum.Points, sum.Figures
	if sum.LastX < float64(perFigure-1) {
		out.Behind = float64(perFigure-1-max(int(sum.LastX), 0)) / s.shape.Rate
	}
	if span := (sum.LastApplied - sum.FirstY) / 1000; sum.Points > 0 && span > 0 {
		out.PointsPerSec = float64(sum.Points) / span
		out.DrawsPerSec = float64(sum.Calls) / span
		out.MsgsPerSec = float64(sum.Msgs) / span
		out.MBPerSec = sum.MsgBytes / 1e6 / span
	}
	out.AppliedP50, out.AppliedP99 = sum.AppliedP50, sum.AppliedP99
	out.PaintedP50, out.PaintedP99 = sum.PaintedP50, sum.PaintedP99
	if out.SavedBytes, err = p.savedOutputBytes(s.cell); err != nil {
		return fail(err)
	}
	// Its figures leave the page: every plot in it costs each later draw a share of the page's
	// layout (a 1M-point window and 20 live figures made the baselines' redraws 10x slower).
	if err := p.clearOutput(s.cell); err != nil {
		return fail(err)
	}
	if run.timedOut {
		out.Error = "interrupted after the timeout"
	}
	cfg.logf("%s: written %d applied %d (%d figures live, %.1f s behind), %.0f points/s, p50 %.0f ms, p99 %.0f ms, %.1f msgs/s",
		name, out.Written, out.Applied, out.Live, out.Behind, out.PointsPerSec, out.AppliedP50, out.AppliedP99, out.MsgsPerSec)
	return out
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

func machine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), OS: runtime.GOOS + "/" + runtime.GOARCH}
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				m.CPU = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
				break
			}
		}
	}
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int
		if _, err := fmt.Sscanf(string(raw), "MemTotal: %d kB", &kb); err == nil {
			m.MemoryGB = (kb + 1<<19) >> 20
		}
	}
	if path, err := harness.Chromium(); err == nil {
		if out, err := exec.Command(path, "--version").Output(); err == nil {
			m.Chromium = strings.TrimSpace(string(out))
		}
	}
	return m
}
