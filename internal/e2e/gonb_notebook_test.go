package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// These tests run the tutorial's two cells in Debian's Notebook 6 server with the real GoNB
// kernel, in headless Chromium, and read the plot object in the page.

// figureY reads trace 0's y of the first liveplot figure in the page ([] when there is none).
const figureY = `(function () {
  const gd = document.querySelector(".liveplot-figure");
  const y = gd && gd.data && gd.data[0] && gd.data[0].y;
  return y ? Array.from(y) : [];
})()`

// waitY polls the page's figure until want(y) holds.
func waitY(t *testing.T, ctx context.Context, timeout time.Duration, what string, want func([]float64) bool) []float64 {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var y []float64
	var err error
	for time.Now().Before(deadline) {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		y, err = chromedp.Run(cctx, chromedp.Evaluate[[]float64](figureY))
		cancel()
		if err == nil && want(y) {
			return y
		}
		time.Sleep(50 * time.Millisecond)
	}
	diag, _ := chromedp.Run(ctx, chromedp.Evaluate[string](pageDiagnostics))
	t.Fatalf("waited %v for %s; last y = %v (error %v); the page: %s", timeout, what, y, err, diag)
	return nil
}

// pageDiagnostics describes the liveplot outputs of a page, for a failing test: how the page
// listens, whether plotly.js is defined, and what each output shows.
const pageDiagnostics = `JSON.stringify({
  status: globalThis.liveplotNotebook ? liveplotNotebook.status() : null,
  plotly: typeof globalThis.Plotly,
  outputs: Array.from(document.querySelectorAll(".liveplot-output"), (e) => e.textContent.slice(0, 200) + " [" + e.innerHTML.length + " bytes]"),
})`

// consecutive reports whether y is a window of n consecutive values whose last is in [lo, hi].
func consecutive(y []float64, n int, lo, hi float64) bool {
	return len(y) == n && y[n-1] >= lo && y[n-1] <= hi && equal(y, counting(y[0], 1, n))
}

func openNotebook(t *testing.T, ctx context.Context, url string) *testenv.Page {
	t.Helper()
	return testenv.OpenPage(t, ctx, harness.ClassicPage{}, url)
}

func saveNotebook(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.saved = false; Jupyter.notebook.save_notebook().then(() => (window.saved = true)); true`)); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 20*time.Second, "the save", `window.saved === true`)
}

// savedY reads trace 0's y of the figure that is the output of the given cell of a saved
// notebook.
func savedY(t *testing.T, path string, cell int) []float64 {
	t.Helper()
	cells := readExecuted(t, path)
	if len(cells) <= cell || len(cells[cell]) != 1 {
		t.Fatalf("saved notebook: cell %d has no single figure output", cell)
	}
	return figureYInHTML(t, cells[cell][0].HTML)
}

// TestGoNBNotebookStreams is the tutorial in Notebook 6: cell 1 shows the figure, cell 2 streams
// 600 points into it (window 50), cell 3 streams until the stop button. The plot moves live, the
// stop ends cell 3 cleanly, the saved notebook holds the final window, and its HTML export shows
// it offline.
func TestGoNBNotebookStreams(t *testing.T) {
	nb := testenv.NotebookServer(t, testenv.NotebookOptions{})
	ctx := testenv.Browser(t)
	tok := fmt.Sprintf("nb-%d", time.Now().UnixNano())
	path := nb.WriteNotebook(t, "tutorial.ipynb", harness.GoNBSetupCell, figureCell(tok, 50), writeCell(0, 600, 10), endlessCell)
	openNotebook(t, ctx, nb.PageURL("tutorial.ipynb"))
	// The figure is drawn before cell 2 streams, and cell 3 starts only once cell 2's final window
	// shows: on a busy machine the page can spend longer parsing plotly.js than cell 2 streams.
	runFigureThenStream(t, ctx)
	waitY(t, ctx, 3*time.Minute, "cell 2's final window 550..599", func(y []float64) bool { return consecutive(y, 50, 599, 599) })
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Jupyter.notebook.execute_cells([3]), true`)); err != nil {
		t.Fatal(err)
	}
	// Cell 3 streams until the stop button: the plot moving from one window to a later one while
	// it runs is the live path at work, with no race against the cell's end.
	live := waitY(t, ctx, 3*time.Minute, "cell 3 streaming", func(y []float64) bool { return consecutive(y, 50, 1049, 1e9) })
	moved := waitY(t, ctx, time.Minute, "cell 3's plot moving on", func(y []float64) bool { return consecutive(y, 50, live[49]+1, 1e9) })
	t.Logf("mid-stream the page went from y = %v..%v to %v..%v", live[0], live[49], moved[0], moved[49])

	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Jupyter.notebook.kernel.interrupt(), true`)); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 30*time.Second, "cell 3 to end", `typeof Jupyter.notebook.get_cell(3).input_prompt_number === "number"`)
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".output_error").length`)); err != nil || n != 0 {
		t.Fatalf("after the stop the page shows %d error outputs (%v), want none", n, err)
	}
	// The cell's end (an execute_reply, on the shell channel) can reach the page before the final
	// display update (on IOPub): save until the notebook holds the window the page shows.
	var final, saved []float64
	for deadline := time.Now().Add(30 * time.Second); ; {
		final = waitY(t, ctx, 10*time.Second, "the window at the stop", func(y []float64) bool { return consecutive(y, 50, 1049, 1e9) })
		saveNotebook(t, ctx)
		if saved = savedY(t, path, 1); equal(saved, final) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the saved notebook's figure has y = %v, the page shows %v", saved, final)
		}
		time.Sleep(500 * time.Millisecond)
	}

	t.Run("the HTML export shows the last points offline", func(t *testing.T) {
		dir := t.TempDir()
		out, err := exec.Command("/usr/bin/python3", "-m", "nbconvert", "--to", "html", "--output-dir", dir, path).CombinedOutput()
		if err != nil {
			t.Fatalf("nbconvert --to html: %v\n%s", err, out)
		}
		html := filepath.Join(dir, "tutorial.html")
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+html)); err != nil {
			t.Fatal(err)
		}
		waitY(t, ctx, 30*time.Second, "the exported figure", func(y []float64) bool { return equal(y, final) })
	})
}
