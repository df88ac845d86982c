package harness

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// Page drives a notebook open in a front-end in Chromium: Notebook 6's page (ClassicPage) or the
// JupyterLab 4 test page (LabPage). A test written against Page runs over either front-end.
// Every method acts on the chromedp tab ctx; those that wait return an error naming what they
// waited for when timeout passes.
type Page interface {
	// Open navigates to the notebook's address and waits until its kernel is connected and idle.
	Open(ctx context.Context, url string, timeout time.Duration) error
	// Reload reloads the page and waits as Open does.
	Reload(ctx context.Context, timeout time.Duration) error
	// RunAll runs every cell, as the front-end's "Run All" does; it does not wait.
	RunAll(ctx context.Context) error
	// RunCell runs the cell at index i; it does not wait.
	RunCell(ctx context.Context, i int) error
	// CellDone reports whether cell i has run and finished (it has an execution count and is not
	// running).
	CellDone(ctx context.Context, i int) (bool, error)
	// WaitDone waits until every run asked for has finished and the kernel is idle.
	WaitDone(ctx context.Context, timeout time.Duration) error
	// Interrupt interrupts the kernel (the stop button).
	Interrupt(ctx context.Context) error
	// Save saves the notebook to the server and waits until the server has written it.
	Save(ctx context.Context, timeout time.Duration) error
	// ErrorOutputs counts the error outputs the page shows.
	ErrorOutputs(ctx context.Context) (int, error)
}

// Eval evaluates expr in the page and returns its value, bounded by 20 s.
func Eval[T any](ctx context.Context, expr string) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[T](expr))
}

// do evaluates a JavaScript statement for its effect.
func do(ctx context.Context, what, js string) error {
	if _, err := Eval[bool](ctx, "("+js+"), true"); err != nil {
		return fmt.Errorf("harness: %s: %w", what, err)
	}
	return nil
}

// ClassicPage drives Notebook 6's page through its Jupyter global.
type ClassicPage struct{}

const classicReady = `!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`

// Open implements Page.
func (ClassicPage) Open(ctx context.Context, url string, timeout time.Duration) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("harness: opening %s: %w", url, err)
	}
	return Poll(ctx, timeout, "the notebook's kernel", classicReady)
}

// Reload implements Page.
func (ClassicPage) Reload(ctx context.Context, timeout time.Duration) error {
	if err := do(ctx, "reloading", `window.onbeforeunload = null`); err != nil {
		return err
	}
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		return fmt.Errorf("harness: reloading: %w", err)
	}
	return Poll(ctx, timeout, "the reloaded notebook's kernel", classicReady)
}

// RunAll implements Page.
func (ClassicPage) RunAll(ctx context.Context) error {
	return do(ctx, "running all cells", `Jupyter.notebook.execute_all_cells()`)
}

// RunCell implements Page.
func (ClassicPage) RunCell(ctx context.Context, i int) error {
	return do(ctx, fmt.Sprintf("running cell %d", i), fmt.Sprintf(`Jupyter.notebook.get_cell(%d).execute()`, i))
}

// CellDone implements Page.
func (ClassicPage) CellDone(ctx context.Context, i int) (bool, error) {
	return Eval[bool](ctx, fmt.Sprintf(`typeof Jupyter.notebook.get_cell(%d).input_prompt_number === "number"`, i))
}

// WaitDone implements Page.
func (ClassicPage) WaitDone(ctx context.Context, timeout time.Duration) error {
	return Poll(ctx, timeout, "every cell to finish", `!Jupyter.notebook.kernel_busy && Jupyter.notebook.get_cells().every(
  (c) => c.cell_type !== "code" || c.input_prompt_number !== "*")`)
}

// Interrupt implements Page.
func (ClassicPage) Interrupt(ctx context.Context) error {
	return do(ctx, "interrupting the kernel", `Jupyter.notebook.kernel.interrupt()`)
}

// Save implements Page.
func (ClassicPage) Save(ctx context.Context, timeout time.Duration) error {
	if err := do(ctx, "saving", `window.harnessSaved = false, Jupyter.notebook.save_notebook().then(() => (window.harnessSaved = true))`); err != nil {
		return err
	}
	return Poll(ctx, timeout, "the save", `window.harnessSaved === true`)
}

// ErrorOutputs implements Page.
func (ClassicPage) ErrorOutputs(ctx context.Context) (int, error) {
	return Eval[int](ctx, `document.querySelectorAll(".output_error").length`)
}

// LabPage drives the JupyterLab 4 test page through its test hook, window.labtest
// (internal/labpage/src/index.js), which only the tests use: a liveplot page script must not.
type LabPage struct{}

const labReady = `(function () {
  const t = window.labtest;
  if (t && t.error) throw new Error("the JupyterLab page failed: " + t.error);
  return !!(t && t.ready && t.kernelConnection() === "connected" && t.kernelStatus() === "idle");
})()`

// Open implements Page.
func (LabPage) Open(ctx context.Context, url string, timeout time.Duration) error {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return fmt.Errorf("harness: opening %s: %w", url, err)
	}
	return Poll(ctx, timeout, "the JupyterLab page's kernel", labReady)
}

// Reload implements Page.
func (LabPage) Reload(ctx context.Context, timeout time.Duration) error {
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		return fmt.Errorf("harness: reloading: %w", err)
	}
	return Poll(ctx, timeout, "the reloaded JupyterLab page's kernel", labReady)
}

// RunAll implements Page.
func (LabPage) RunAll(ctx context.Context) error {
	return do(ctx, "running all cells", `labtest.runAll()`)
}

// RunCell implements Page.
func (LabPage) RunCell(ctx context.Context, i int) error {
	return do(ctx, fmt.Sprintf("running cell %d", i), fmt.Sprintf(`labtest.runCell(%d)`, i))
}

// CellDone implements Page.
func (LabPage) CellDone(ctx context.Context, i int) (bool, error) {
	return Eval[bool](ctx, fmt.Sprintf(`(function (c) {
  return !!c && typeof c.executionCount === "number" && c.state !== "running";
})(labtest.cells()[%d])`, i))
}

// WaitDone implements Page.
func (LabPage) WaitDone(ctx context.Context, timeout time.Duration) error {
	return Poll(ctx, timeout, "every cell to finish", `labtest.done()`)
}

// Interrupt implements Page.
func (LabPage) Interrupt(ctx context.Context) error {
	return do(ctx, "interrupting the kernel", `labtest.interrupt()`)
}

// Save implements Page.
func (LabPage) Save(ctx context.Context, timeout time.Duration) error {
	if err := do(ctx, "saving", `window.harnessSaved = false, labtest.save().then(() => (window.harnessSaved = true))`); err != nil {
		return err
	}
	return Poll(ctx, timeout, "the save", `window.harnessSaved === true`)
}

// ErrorOutputs implements Page.
func (LabPage) ErrorOutputs(ctx context.Context) (int, error) {
	return Eval[int](ctx, `labtest.cells().reduce((n, c) => n + c.outputs.filter((o) => o.output_type === "error").length, 0)`)
}
