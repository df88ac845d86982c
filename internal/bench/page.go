package bench

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
)

// ProbeJS is the in-page probe (probe.js): evaluate it in a page, then call
// window.liveplotBench.reset() and window.liveplotBench.summary().
//
//go:embed probe.js
var ProbeJS string

// Summary is what the probe counted since its last reset (times in ms).
type Summary struct {
	Points      int     `json:"points"`
	Calls       int     `json:"calls"`
	LastX       float64 `json:"lastX"`   // the newest point number every figure reached
	Figures     int     `json:"figures"` // figures that brought points
	FirstY      float64 `json:"firstY"`
	LastApplied float64 `json:"lastApplied"`
	AppliedP50  float64 `json:"appliedP50"`
	AppliedP99  float64 `json:"appliedP99"`
	PaintedP50  float64 `json:"paintedP50"`
	PaintedP99  float64 `json:"paintedP99"`
	Msgs        int     `json:"msgs"`
	MsgBytes    float64 `json:"msgBytes"`
	FirstMsg    float64 `json:"firstMsg"`
	LastMsg     float64 `json:"lastMsg"`
	Wrapped     int     `json:"wrapped"`
}

// notebookPage is a notebook open in the browser, with the probe installed.
type notebookPage struct {
	ctx  context.Context
	path string // the notebook file
}

func openNotebook(ctx context.Context, nb *harness.Notebook, name, path string) (*notebookPage, error) {
	if _, err := harness.Eval[bool](ctx, `window.onbeforeunload = null, true`); err != nil {
		return nil, err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(nb.PageURL(name))); err != nil {
		return nil, fmt.Errorf("bench: opening %s: %w", name, err)
	}
	if err := harness.Poll(ctx, time.Minute, "the notebook's kernel", `!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`); err != nil {
		return nil, err
	}
	if _, err := harness.Eval[bool](ctx, ProbeJS); err != nil {
		return nil, fmt.Errorf("bench: installing the probe: %w", err)
	}
	return &notebookPage{ctx: ctx, path: path}, nil
}

// cellRun is how a cell's execution went.
type cellRun struct {
	took     time.Duration // from execute to the kernel's reply, as the page saw them
	output   string        // its stream outputs and error
	timedOut bool          // interrupted after the timeout
}

// run executes cell i and waits for its reply; past timeout it interrupts the kernel.
func (p *notebookPage) run(i int, timeout time.Duration) (cellRun, error) {
	js := fmt.Sprintf(`(function (i) {
  const c = Jupyter.notebook.get_cell(i);
  window.benchCell = {start: Date.now(), end: 0};
  const h = (e, d) => {
    if (d.cell !== c) return;
    window.benchCell.end = Date.now();
    Jupyter.notebook.events.off("finished_execute.CodeCell", h);
  };
  Jupyter.notebook.events.on("finished_execute.CodeCell", h);
  c.execute();
  return true;
})(%d)`, i)
	if _, err := harness.Eval[bool](p.ctx, js); err != nil {
		return cellRun{}, fmt.Errorf("bench: running cell %d: %w", i, err)
	}
	var r cellRun
	if err := harness.Poll(p.ctx, timeout, fmt.Sprintf("cell %d", i), `window.benchCell.end > 0`); err != nil {
		r.timedOut = true
		if _, err := harness.Eval[bool](p.ctx, `Jupyter.notebook.kernel.interrupt(), true`); err != nil {
			return r, err
		}
		if err := harness.Poll(p.ctx, 30*time.Second, fmt.Sprintf("cell %d after an interrupt", i), `window.benchCell.end > 0`); err != nil {
			return r, err
		}
	}
	ms, err := harness.Eval[float64](p.ctx, `window.benchCell.end - window.benchCell.start`)
	if err != nil {
		return r, err
	}
	r.took = time.Duration(ms * float64(time.Millisecond))
	r.output, err = harness.Eval[string](p.ctx, fmt.Sprintf(`Jupyter.notebook.get_cell(%d).output_area.outputs.map((o) =>
  o.output_type === "stream" ? o.text : o.output_type === "error" ? o.ename + ": " + o.evalue + "\n" : "").join("")`, i))
	return r, err
}

// reset starts counting the points of a scenario whose x start at lo.
func (p *notebookPage) reset(lo float64) error {
	ok, err := harness.Eval[bool](p.ctx, fmt.Sprintf(`window.liveplotBench.reset(%.0f, %.0f)`, lo, figureXs))
	if err == nil && !ok {
		err = fmt.Errorf("bench: the probe did not reset")
	}
	return err
}

func (p *notebookPage) summary() (Summary, error) {
	return harness.Eval[Summary](p.ctx, `window.liveplotBench.summary()`)
}

// settle waits until the page has applied the point numbered last in each of its figures, or has
// applied nothing new for 3 s, at most max, and returns the probe's summary.
func (p *notebookPage) settle(last float64, figures int, max time.Duration) (Summary, error) {
	deadline := time.Now().Add(max)
	var prev Summary
	changed := time.Now()
	for {
		s, err := p.summary()
		if err != nil {
			return s, err
		}
		if s.Figures >= figures && s.LastX >= last || time.Now().After(deadline) {
			return s, nil
		}
		if s.Points != prev.Points {
			prev, changed = s, time.Now()
		} else if time.Since(changed) > 3*time.Second {
			return s, nil
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// clearOutput removes cell i's outputs from the page.
func (p *notebookPage) clearOutput(i int) error {
	_, err := harness.Eval[bool](p.ctx, fmt.Sprintf(`Jupyter.notebook.get_cell(%d).clear_output(), true`, i))
	if err != nil {
		return fmt.Errorf("bench: clearing cell %d's outputs: %w", i, err)
	}
	return nil
}

// savedOutputBytes saves the notebook and returns the size of cell i's outputs in the file.
func (p *notebookPage) savedOutputBytes(i int) (int, error) {
	if _, err := harness.Eval[bool](p.ctx, `window.benchSaved = false; Jupyter.notebook.save_notebook().then(() => (window.benchSaved = true)); true`); err != nil {
		return 0, err
	}
	if err := harness.Poll(p.ctx, time.Minute, "the save", `window.benchSaved === true`); err != nil {
		return 0, err
	}
	raw, err := os.ReadFile(p.path)
	if err != nil {
		return 0, fmt.Errorf("bench: reading the saved notebook: %w", err)
	}
	var nb struct {
		Cells []struct {
			Outputs json.RawMessage `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &nb); err != nil {
		return 0, fmt.Errorf("bench: reading the saved notebook: %w", err)
	}
	if i >= len(nb.Cells) {
		return 0, fmt.Errorf("bench: the saved notebook has no cell %d", i)
	}
	return len(nb.Cells[i].Outputs), nil
}

// showToPaint runs cell i, which prints "bench: shown=MS" (ms since the epoch) just before its
// plotly.Show, and returns the time from then to the first paint of a plot that appeared since.
func (p *notebookPage) showToPaint(i int) (float64, error) {
	run, err := p.run(i, 3*time.Minute)
	if err != nil || run.timedOut {
		return 0, fmt.Errorf("running cell %d: %v %s", i, err, run.output)
	}
	m := shownRE.FindStringSubmatch(run.output)
	if m == nil {
		return 0, fmt.Errorf("cell %d printed no show time: %.500s", i, run.output)
	}
	shown, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		return 0, err
	}
	js := fmt.Sprintf(`window.liveplotBench.paintedSince(%.0f)`, shown)
	if err := harness.Poll(p.ctx, 30*time.Second, "the shown figure's first paint", js+` > 0`); err != nil {
		return 0, err
	}
	at, err := harness.Eval[float64](p.ctx, js)
	return at - shown, err
}

var shownRE = regexp.MustCompile(`bench: shown=(\d+)`)

var writtenRE = regexp.MustCompile(`bench: written=(\d+)`)

// written reads the count a streaming cell printed.
func written(output string) (int, error) {
	m := writtenRE.FindStringSubmatch(output)
	if m == nil {
		return 0, fmt.Errorf("the cell did not finish: %.500s", output)
	}
	return strconv.Atoi(m[1])
}
