package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/htmlpicture"
	"github.com/liveplot/liveplot/internal/testenv"
)

// shownSize is the size at which plotly.js draws the first liveplot figure of the page, in CSS
// pixels: its layout's width and height, or its element's size when the layout sets none.
const shownSize = `(() => {
  const gd = document.querySelector(".liveplot-figure");
  const full = gd && gd._fullLayout;
  return full ? [Math.round(full.width), Math.round(full.height)] : null;
})()`

// closeTimedCell writes the points 0..299 to tok, 10 ms apart, closes the stream with Close (its
// 10 s bound, the picture's wait included) and prints how long Close took.
const closeTimedCell = `%%
s, err := stream.Open(tok)
if err != nil {
	panic(err)
}
for i := 0; i < 300; i++ {
	if err := s.Write(stream.Point{X: float64(i), Y: float64(i)}); err != nil {
		panic(err)
	}
	time.Sleep(10 * time.Millisecond)
}
start := time.Now()
if err := s.Close(); err != nil {
	panic(err)
}
fmt.Printf("Close took %d ms\n", time.Since(start).Milliseconds())
`

// TestClosedStreamSavesPagePicture streams into a figure in Notebook 6 and in the JupyterLab 4
// page and closes the stream: the page that shows the figure draws its final window and hands
// the picture back to the cell program, so that the notebook saved from the page holds, with no
// `liveplot images` step, a figure output whose image/png has the figure's shown size and the
// trace drawn, and whose text/html starts with the same picture for viewers that sanitize HTML.
func TestClosedStreamSavesPagePicture(t *testing.T) {
	inBothFrontends(t, func(t *testing.T, fe testenv.Frontend) {
		ctx := testenv.Browser(t)
		tok := fmt.Sprintf("picture-%d", time.Now().UnixNano())
		path := fe.WriteNotebook(t, "picture.ipynb", harness.GoNBSetupCell, figureCell(tok, 50), closeTimedCell)
		page := testenv.Open(t, ctx, fe, "picture.ipynb")
		pageFigureThenStream(t, ctx, page)
		final := waitY(t, ctx, 3*time.Minute, "the final window 250..299", func(y []float64) bool { return consecutive(y, 50, 299, 299) })
		start := time.Now()
		page.WaitCell(2, time.Minute)
		page.WaitDone(time.Minute)
		if n := page.ErrorOutputs(); n != 0 {
			t.Fatalf("the page shows %d error outputs, want none", n)
		}

		// The picture comes after the final display: save until the notebook holds it.
		saveUntilPicture(t, ctx, page, path, 1)
		t.Logf("the picture was in the saved notebook %v after the page showed the final window; the cells printed %q", time.Since(start).Round(100*time.Millisecond), cellsPrinted(t, path))

		size, out := theSavedFigure(t, ctx, path)
		if !equal(out.figure.Data[0].Y, final) {
			t.Errorf("the saved plotly JSON's y = %v, want the final window %v", out.figure.Data[0].Y, final)
		}
		checkPicture(t, "the picture the page drew", out.png, size[0], size[1])
		img := fmt.Sprintf(`<img class="%s" id="`, htmlpicture.Class)
		if !strings.HasPrefix(out.html, img) || !strings.Contains(out.html[:200], fmt.Sprintf(`width="%d" height="%d"`, size[0], size[1])) {
			t.Errorf("the saved text/html does not start with the picture at %dx%d: %.200q", size[0], size[1], out.html)
		}
		t.Logf("bytes in the .ipynb: %v; the page's pictures: %s", out.bytes, testenv.Eval[string](t, ctx, `JSON.stringify(liveplotNotebook.status().pictures)`))
	})
}

// saveUntilPicture saves the notebook from page until the file at path holds n outputs with an
// image/png, for at most a minute.
func saveUntilPicture(t *testing.T, ctx context.Context, page *testenv.Page, path string, n int) {
	t.Helper()
	hasPicture := func() bool {
		pictures := 0
		for _, cell := range readOutputs(t, path) {
			for _, o := range cell {
				if _, ok := o.Data["image/png"]; ok {
					pictures++
				}
			}
		}
		return pictures >= n
	}
	for deadline := time.Now().Add(time.Minute); ; {
		page.Save()
		if hasPicture() {
			return
		}
		if time.Now().After(deadline) {
			raw, _ := os.ReadFile(path)
			diag, _ := harness.Eval[string](ctx, pageDiagnostics+` + JSON.stringify(Array.from(document.querySelectorAll(".liveplot-output"), (e) => [e.id, e.dataset.liveplotShown]))`)
			t.Fatalf("a minute after the cells ended, the saved notebook has fewer than %d figure outputs with an image/png (%d bytes saved; the cells printed %q); the page: %s", n, len(raw), cellsPrinted(t, path), diag)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// staticWaitCell shows a figure without a stream, 50 points, and calls plotly.Wait, which waits
// for the page's picture of it; it prints how long Wait took.
const staticWaitCell = `import (
	"context"
	"fmt"
	"time"

	"github.com/liveplot/liveplot/plotly"
)

%%
x := make([]float64, 50)
for i := range x {
	x[i] = float64(i)
}
fig := plotly.Figure{
	Data:   plotly.Data{&plotly.Scatter{X: x, Y: x, Mode: "lines"}},
	Layout: &plotly.Layout{Title: plotly.Title{Text: "static"}},
}
if err := plotly.Show(fig); err != nil {
	panic(err)
}
start := time.Now()
if err := plotly.Wait(); err != nil {
	panic(err)
}
fmt.Printf("Wait took %d ms\n", time.Since(start).Milliseconds())
`

// TestStaticFigureSavesPagePicture shows a figure that has no stream in Notebook 6 and in the
// JupyterLab 4 page, and calls plotly.Wait: the page draws the figure and hands the picture back
// while Wait waits, so that the saved notebook's figure output holds an image/png at the
// figure's shown size with the trace drawn.
func TestStaticFigureSavesPagePicture(t *testing.T) {
	inBothFrontends(t, func(t *testing.T, fe testenv.Frontend) {
		ctx := testenv.Browser(t)
		path := fe.WriteNotebook(t, "static.ipynb", harness.GoNBSetupCell, staticWaitCell)
		page := testenv.Open(t, ctx, fe, "static.ipynb")
		page.RunCell(0)
		page.RunCell(1)
		page.WaitCell(1, 3*time.Minute)
		page.WaitDone(time.Minute)
		if n := page.ErrorOutputs(); n != 0 {
			t.Fatalf("the page shows %d error outputs, want none", n)
		}
		saveUntilPicture(t, ctx, page, path, 1)
		t.Logf("the cell printed %q", cellsPrinted(t, path))

		size, out := theSavedFigure(t, ctx, path)
		checkPicture(t, "the picture the page drew", out.png, size[0], size[1])
	})
}

// cellsPrinted returns what the cells of the saved notebook at path printed, but for go get's
// lines.
func cellsPrinted(t *testing.T, path string) string {
	t.Helper()
	var out []string
	for _, cell := range readOutputs(t, path) {
		for _, o := range cell {
			if o.OutputType == "stream" && !strings.Contains(joinLines(t, o.Text), "go: added") {
				out = append(out, strings.TrimSpace(joinLines(t, o.Text)))
			}
		}
	}
	return strings.Join(out, "; ")
}

// shownFigures reads each liveplot figure of the page, in page order, as the page shows it: the
// size plotly.js drew it at, in CSS pixels (as shownSize), and trace 0's y as the page's client
// holds it (liveplot.data: the whole window, also where plotly.js draws a large one decimated,
// when gd.data holds the decimated view); null for a figure not drawn.
const shownFigures = `Array.from(document.querySelectorAll(".liveplot-figure"), (gd) => {
	const trace = gd._fullLayout && globalThis.liveplot && liveplot.data(gd.id, 0);
	return trace ? { size: [Math.round(gd._fullLayout.width), Math.round(gd._fullLayout.height)], y: Array.from(trace.y) } : null;
})`

// TestThreeFiguresSavedFromNotebook6HoldPictures runs the notebook of three figures (two streamed
// and closed, one static, the cell that shows them ending with plotly.Wait) in Notebook 6 with
// Chromium and saves it from the page: each figure output holds the four types, the window
// written, which is the window the page shows, and the picture the page drew, at the size the
// page shows the figure and with the trace drawn, with no liveplot images step. That saved
// notebook, through nbconvert's sanitized HTML opened with JavaScript off and through its
// Markdown, shows each figure's own picture in its output (checkPicturesWithoutScripts).
func TestThreeFiguresSavedFromNotebook6HoldPictures(t *testing.T) {
	nb := testenv.NotebookServer(t, testenv.NotebookOptions{})
	ctx := testenv.Browser(t)
	path := nb.WriteNotebook(t, "three.ipynb", harness.GoNBSetupCell, threeFiguresShow, threeFiguresStream)
	page := testenv.Open(t, ctx, nb, "three.ipynb")
	for i := range 3 {
		page.RunCell(i)
		page.WaitCell(i, 3*time.Minute)
	}
	page.WaitDone(time.Minute)
	if n := page.ErrorOutputs(); n != 0 {
		t.Fatalf("the page shows %d error outputs, want none", n)
	}
	saveUntilPicture(t, ctx, page, path, 3)

	// The output shown with its picture is drawn again: wait until the page shows all three drawn.
	testenv.Poll(t, ctx, time.Minute, "the three figures drawn", `Array.from(document.querySelectorAll(".liveplot-figure"),
		(gd) => Boolean(gd._fullLayout && gd.data && gd.data.length > 0)).filter(Boolean).length === 3`)
	type figure struct {
		Size [2]int    `json:"size"`
		Y    []float64 `json:"y"`
	}
	shown := testenv.Eval[[]*figure](t, ctx, shownFigures)
	outs := bundleOutputs(t, path)
	if len(outs) != 3 || len(shown) != 3 {
		t.Fatalf("the saved notebook has %d figure outputs and the page %d figures, want 3", len(outs), len(shown))
	}
	sizes := make([][2]int, len(shown))
	for i, out := range outs {
		checkThreeFiguresOutput(t, i, out)
		if shown[i] == nil {
			t.Fatalf("the page does not show figure %d drawn", i)
		}
		if got := out.figure.Data[0].Y; !equal(got, shown[i].Y) {
			t.Errorf("figure %d: the saved plotly JSON's y has %d values (%.80v), the page shows %d (%.80v)", i, len(got), got, len(shown[i].Y), shown[i].Y)
		}
		sizes[i] = shown[i].Size
		checkPicture(t, fmt.Sprintf("figure %d, the picture the page drew", i), out.png, sizes[i][0], sizes[i][1])
	}
	t.Logf("the cells printed %q; bytes in the .ipynb: %v, %v, %v", cellsPrinted(t, path), outs[0].bytes, outs[1].bytes, outs[2].bytes)

	checkPicturesWithoutScripts(t, ctx, path, sizes)
}

// inBothFrontends runs test in Notebook 6 and in the JupyterLab 4 page, each behind a Jupyter
// server of its own.
func inBothFrontends(t *testing.T, test func(t *testing.T, fe testenv.Frontend)) {
	t.Run("Notebook 6", func(t *testing.T) { test(t, testenv.NotebookServer(t, testenv.NotebookOptions{})) })
	t.Run("JupyterLab", func(t *testing.T) { test(t, testenv.LabServer(t, testenv.NotebookOptions{})) })
}

// theSavedFigure returns the size at which the page shows its (first) figure and the one figure
// output of the saved notebook at path.
func theSavedFigure(t *testing.T, ctx context.Context, path string) ([]int, bundleOutput) {
	t.Helper()
	size := testenv.Eval[[]int](t, ctx, shownSize)
	if len(size) != 2 {
		t.Fatalf("the page shows no drawn figure (size %v)", size)
	}
	outs := bundleOutputs(t, path)
	if len(outs) != 1 {
		t.Fatalf("the saved notebook has %d figure outputs, want 1", len(outs))
	}
	return size, outs[0]
}
