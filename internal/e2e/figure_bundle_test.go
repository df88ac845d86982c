package e2e

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/figureimage"
	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
	"github.com/liveplot/liveplot/plotly"
)

// These tests check that a saved notebook shows its figures where no script runs: each figure
// output is a full MIME bundle (text/html, the plotly JSON, a PNG, a line of text), and the
// pictures survive nbconvert's sanitized HTML and its Markdown.

// threeFigures is a notebook with three figures: a streamed window of 100 points at a size of its
// own, a static bar chart, and a streamed window of 100,000 points.
var threeFigures = "# Three figures\n\n```go\n" + harness.GoNBSetupCell + "\n```\n\n```go\n" + threeFiguresShow + "```\n\n```go\n" + threeFiguresStream + "```\n"

// threeFiguresShow is the notebook's cell that shows the three figures; it ends with plotly.Wait,
// which waits for the page's picture of the static one where a page draws pictures.
const threeFiguresShow = `import (
	"math"

	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

const (
	small = "three-figures-small"
	large = "three-figures-large"
)

// wave is the value written at step i.
func wave(i int) float64 { return math.Sin(float64(i)/5000) + float64(i%7)/10 }

%%
show := func(fig plotly.Figure) {
	if err := plotly.Show(fig); err != nil {
		panic(err)
	}
}
show(plotly.Figure{
	Data:   plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines", Stream: &plotly.Stream{Token: small, MaxPoints: 100}}},
	Layout: &plotly.Layout{Title: plotly.Title{Text: "small window"}, Width: 500, Height: 300},
})
show(plotly.Figure{
	Data:   plotly.Data{&plotly.Bar{X: []string{"a", "b", "c"}, Y: []float64{3, 1, 2}}},
	Layout: &plotly.Layout{Title: plotly.Title{Text: "bars"}},
})
show(plotly.Figure{
	Data:   plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines", Stream: &plotly.Stream{Token: large, MaxPoints: 100000}}},
	Layout: &plotly.Layout{Title: plotly.Title{Text: "large window"}},
})
if err := plotly.Wait(); err != nil {
	panic(err)
}
`

// threeFiguresStream is the notebook's cell that streams into the two streamed figures and closes
// their streams.
const threeFiguresStream = `%%
for _, w := range []struct {
	token string
	n     int
}{{small, 300}, {large, 120000}} {
	s, err := stream.Open(w.token)
	if err != nil {
		panic(err)
	}
	xs := make([]float64, w.n)
	ys := make([]float64, w.n)
	for i := range w.n {
		xs[i], ys[i] = float64(i), wave(i)
	}
	if err := s.Extend(xs, ys); err != nil {
		panic(err)
	}
	if err := s.Close(); err != nil {
		panic(err)
	}
}
`

// checkThreeFiguresOutput checks the plotly JSON and the text/plain of the i-th figure output of
// the three-figure notebook, once run: the window written, and the line that says what it is.
func checkThreeFiguresOutput(t *testing.T, i int, out bundleOutput) {
	t.Helper()
	windows := [][]float64{wave(200, 300), {3, 1, 2}, wave(20000, 120000)}
	texts := []string{
		`Figure "small window": 1 trace (scatter), 100 points`,
		`Figure "bars": 1 trace (bar), 3 points`,
		`Figure "large window": 1 trace (scatter), 100000 points`,
	}
	if got := out.figure.Data[0].Y; !equal(got, windows[i]) {
		t.Errorf("figure %d: the plotly JSON's y has %d values (%.80v), want the window written, %d values", i, len(got), got, len(windows[i]))
	}
	if out.text != texts[i] {
		t.Errorf("figure %d: text/plain = %q, want %q", i, out.text, texts[i])
	}
}

// wave is the notebook's wave(i) for i in [from, to).
func wave(from, to int) []float64 {
	var y []float64
	for i := from; i < to; i++ {
		y = append(y, math.Sin(float64(i)/5000)+float64(i%7)/10)
	}
	return y
}

// bundleOutput is a figure output of a saved notebook, its MIME bundle decoded.
type bundleOutput struct {
	html, text string
	figure     struct {
		Data []struct {
			Y []float64 `json:"y"`
		} `json:"data"`
		Layout map[string]any `json:"layout"`
	}
	png   []byte
	bytes map[string]int // the size of each type in the .ipynb, as JSON
}

// bundleOutputs returns the display_data outputs of a saved notebook, checking that each holds
// all four types, in their nbformat form. The empty output GoNB's erased installer leaves is
// skipped.
func bundleOutputs(t *testing.T, path string) []bundleOutput {
	t.Helper()
	var outs []bundleOutput
	for i, cell := range readOutputs(t, path) {
		for _, o := range cell {
			if o.OutputType != "display_data" {
				continue
			}
			if _, html := o.Data["text/html"]; html && len(o.Data) == 1 && !strings.Contains(joinLines(t, o.Data["text/html"]), "liveplot") {
				continue // GoNB's WebSocket installer (a script, or empty once a page opened its comm)
			}
			b := bundleOutput{bytes: map[string]int{}}
			for _, mime := range []string{"text/html", plotly.MIMEType, "image/png", "text/plain"} {
				if _, ok := o.Data[mime]; !ok {
					t.Fatalf("cell %d: a display_data output has no %s; it has %v", i, mime, keysOf(o.Data))
				}
				b.bytes[mime] = len(o.Data[mime])
			}
			b.html, b.text = joinLines(t, o.Data["text/html"]), joinLines(t, o.Data["text/plain"])
			if err := json.Unmarshal(o.Data[plotly.MIMEType], &b.figure); err != nil {
				t.Fatalf("cell %d: %s is not the figure as a JSON object: %v (%.200s)", i, plotly.MIMEType, err, o.Data[plotly.MIMEType])
			}
			png, err := base64.StdEncoding.DecodeString(strings.TrimSpace(joinLines(t, o.Data["image/png"])))
			if err != nil {
				t.Fatalf("cell %d: image/png is not base64: %v", i, err)
			}
			b.png = png
			outs = append(outs, b)
		}
	}
	return outs
}

// keysOf returns the keys of m, e.g. the MIME types of a bundle.
func keysOf[V any](m map[string]V) []string {
	var k []string
	for key := range m {
		k = append(k, key)
	}
	return k
}

// checkPicture decodes a figure's PNG: it has the given size and the trace drawn in it (pixels of
// plotly's first trace colour, where the background is white or the plot's grey).
func checkPicture(t *testing.T, what string, png []byte, width, height int) {
	t.Helper()
	w, h, blue, err := figureimage.CountColor(png, figureimage.TraceBlue)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if w != width || h != height {
		t.Errorf("%s: the PNG is %dx%d, want %dx%d", what, w, h, width, height)
	}
	if blue < 200 {
		t.Errorf("%s: the PNG has %d pixels of the trace's colour: the trace is not drawn", what, blue)
	}
	t.Logf("%s: %dx%d PNG, %d bytes, %d trace pixels", what, w, h, len(png), blue)
}

// runWithImages copies a Markdown notebook into a fresh directory, runs `liveplot run --images`
// on it, and returns the executed .ipynb's path.
func runWithImages(t *testing.T, liveplot, dataDir, name, md string) string {
	t.Helper()
	return runNotebook(t, liveplot, dataDir, name, md, "--images")
}

// runNotebook copies a Markdown notebook into a fresh directory, runs `liveplot run` on it with
// the given flags and the GoNB kernel of dataDir, and returns the executed .ipynb's path.
func runNotebook(t *testing.T, liveplot, dataDir, name, md string, flags ...string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, name)
	if err := os.WriteFile(src, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{"run", "-q"}, flags...), "--timeout", "5m", src)
	cmd := exec.Command(liveplot, args...)
	cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+dataDir, "PLOTLY_DIR="+t.TempDir())
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("liveplot %v: %v\n%s", args, err, out)
	}
	t.Logf("liveplot run %v %s took %v", flags, name, time.Since(start).Round(100*time.Millisecond))
	return strings.TrimSuffix(src, ".md") + ".ipynb"
}

// TestRunImagesStreamingTutorial runs notebooks/streaming.md with `liveplot run --images`: its
// one figure output holds the four types, the picture is 700x450 with the trace drawn, and the
// plotly JSON holds the last 80 points written.
func TestRunImagesStreamingTutorial(t *testing.T) {
	dataDir := testenv.GoNBKernel(t)
	testenv.Chromium(t)
	liveplot := buildProgram(t, "cmd/liveplot")
	md, err := os.ReadFile(filepath.Join(testenv.ModuleRoot(t), "notebooks", "streaming.md"))
	if err != nil {
		t.Fatal(err)
	}
	path := runWithImages(t, liveplot, dataDir, "streaming.md", string(md))
	outs := bundleOutputs(t, path)
	if len(outs) != 1 {
		t.Fatalf("the tutorial has %d figure outputs, want 1", len(outs))
	}
	out := outs[0]
	if got, want := out.figure.Data[0].Y, tutorialY(120, 200); !equal(got, want) {
		t.Errorf("the plotly JSON's y = %v, want the last 80 points written %v", got, want)
	}
	if got, want := out.text, `Figure "Time Series": 1 trace (scatter), 80 points`; got != want {
		t.Errorf("text/plain = %q, want %q", got, want)
	}
	checkPicture(t, "the tutorial's figure", out.png, figureimage.DefaultWidth, figureimage.DefaultHeight)
	if y := figureYInHTML(t, out.html); !equal(y, tutorialY(120, 200)) {
		t.Errorf("text/html's figure has y = %v, want the final window", y)
	}
}

// TestRunImagesThreeFigures runs a notebook of three figures with `liveplot run --images`, checks
// every figure output's bundle, and opens the saved notebook as viewers without scripts do:
// nbconvert's sanitized HTML in Chromium with JavaScript off shows each picture at its size,
// the plain export with scripts on shows the live figures and no picture, and nbconvert's
// Markdown keeps one picture per figure.
func TestRunImagesThreeFigures(t *testing.T) {
	dataDir := testenv.GoNBKernel(t)
	testenv.Chromium(t)
	liveplot := buildProgram(t, "cmd/liveplot")
	path := runWithImages(t, liveplot, dataDir, "three.md", threeFigures)
	outs := bundleOutputs(t, path)
	if len(outs) != 3 {
		t.Fatalf("the notebook has %d figure outputs, want 3", len(outs))
	}
	sizes := [][2]int{{500, 300}, {700, 450}, {700, 450}}
	for i, out := range outs {
		checkThreeFiguresOutput(t, i, out)
		checkPicture(t, fmt.Sprintf("figure %d", i), out.png, sizes[i][0], sizes[i][1])
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("notebook: %d bytes; bytes of each type in the .ipynb: 100-point window %v, bars %v, 100,000-point window %v (the first output also carries plotly.js)",
		st.Size(), outs[0].bytes, outs[1].bytes, outs[2].bytes)
	if len(outs[2].png) > 2*len(outs[0].png)+50_000 {
		t.Errorf("the 100,000-point window's PNG has %d bytes, the 100-point one's %d: want about the same", len(outs[2].png), len(outs[0].png))
	}

	ctx := testenv.Browser(t)
	checkPicturesWithoutScripts(t, ctx, path, sizes)

	t.Run("plain HTML with scripts draws the figures and drops the pictures", func(t *testing.T) {
		exported := nbconvert(t, path, "--to", "html", "--output", "plain")
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(exported, "plain.html"))); err != nil {
			t.Fatal(err)
		}
		testenv.Poll(t, ctx, 60*time.Second, "three drawn figures", `document.querySelectorAll(".liveplot-figure .main-svg").length >= 3`)
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("img.liveplot-image").length`)); err != nil || n != 0 {
			t.Errorf("the page with scripts still shows %d pictures (%v), want none: the live figures replace them", n, err)
		}
	})
}

// nbconvert runs nbconvert with args on the notebook at path, writing into a fresh directory,
// which it returns.
func nbconvert(t *testing.T, path string, args ...string) string {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(harness.JupyterPython, append([]string{"-m", "nbconvert", "--output-dir", dir}, append(args, path)...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nbconvert %v: %v\n%s", args, err, out)
	}
	return dir
}

// markdownPicture is a picture in nbconvert's Markdown: the <img> that starts a figure's HTML
// (its PNG inline, base64), or a Markdown image whose file nbconvert wrote beside it.
var markdownPicture = regexp.MustCompile(`<img class="liveplot-image"[^>]* src="data:image/png;base64,([A-Za-z0-9+/=]+)"|!\[png\]\(([^)]+)\)`)

// checkPicturesWithoutScripts opens the saved notebook at path as viewers that run no scripts do
// and checks that each figure output shows its own picture there, figure i's at sizes[i] (width,
// height), and no other picture shows: nbconvert's sanitized HTML, in Chromium (ctx) with
// JavaScript off, and nbconvert's Markdown. A picture belongs to a figure when it is the PNG of
// that figure's output, byte for byte.
func checkPicturesWithoutScripts(t *testing.T, ctx context.Context, path string, sizes [][2]int) {
	t.Helper()
	outs := bundleOutputs(t, path)
	if len(outs) != len(sizes) {
		t.Fatalf("the saved notebook has %d figure outputs, want %d", len(outs), len(sizes))
	}
	// whose returns the index of the figure output whose picture png is, or -1.
	whose := func(png []byte) int {
		for i, out := range outs {
			if bytes.Equal(png, out.png) {
				return i
			}
		}
		return -1
	}
	// checkShown checks the pictures a viewer shows, in its order: figure i's picture i, at
	// sizes[i], and no more.
	checkShown := func(t *testing.T, viewer string, pngs [][]byte) {
		t.Helper()
		var figures []int
		for _, png := range pngs {
			figures = append(figures, whose(png))
		}
		want := make([]int, len(outs))
		for i := range want {
			want[i] = i
		}
		if fmt.Sprint(figures) != fmt.Sprint(want) {
			t.Errorf("%s shows the pictures of figure outputs %v (-1: of none), want %v: each figure's own picture, once, in its output", viewer, figures, want)
		}
		for i, png := range pngs[:min(len(pngs), len(sizes))] {
			checkPicture(t, fmt.Sprintf("%s, picture %d", viewer, i), png, sizes[i][0], sizes[i][1])
		}
	}

	t.Run("sanitized HTML with JavaScript off shows the pictures", func(t *testing.T) {
		exported := nbconvert(t, path, "--to", "html", "--HTMLExporter.sanitize_html=True", "--output", "sanitized")
		scripts := func(disabled bool) {
			t.Helper()
			if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: disabled}); err != nil {
				t.Fatal(err)
			}
		}
		scripts(true)
		defer scripts(false)
		if err := chromedp.Do(ctx, chromedp.Navigate("file://"+filepath.Join(exported, "sanitized.html"))); err != nil {
			t.Fatal(err)
		}
		testenv.Poll(t, ctx, 30*time.Second, "the pictures to load", fmt.Sprintf(`(() => {
			const imgs = [...document.querySelectorAll("img")];
			return imgs.length >= %d && imgs.every((i) => i.complete && i.naturalWidth > 0);
		})()`, len(sizes)))
		srcs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("img")].map((i) => i.getAttribute("src"))`))
		if err != nil {
			t.Fatal(err)
		}
		var pngs [][]byte
		for _, src := range srcs {
			// A picture that is no inline PNG is no figure's (nil).
			b64, _ := strings.CutPrefix(src, "data:image/png;base64,")
			png, _ := base64.StdEncoding.DecodeString(b64)
			pngs = append(pngs, png)
		}
		checkShown(t, "the sanitized HTML", pngs)
		if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".main-svg").length`)); err != nil || n != 0 {
			t.Errorf("with scripts off the page has %d plotly drawings (%v): the test did not turn scripts off", n, err)
		}
	})

	t.Run("Markdown keeps one picture per figure", func(t *testing.T) {
		exported := nbconvert(t, path, "--to", "markdown", "--output", "saved")
		md, err := os.ReadFile(filepath.Join(exported, "saved.md"))
		if err != nil {
			t.Fatal(err)
		}
		var pngs [][]byte
		for _, m := range markdownPicture.FindAllStringSubmatch(string(md), -1) {
			var png []byte
			if m[1] != "" {
				png, err = base64.StdEncoding.DecodeString(m[1])
			} else {
				png, err = os.ReadFile(filepath.Join(exported, m[2]))
			}
			if err != nil {
				t.Fatalf("the Markdown's picture %.100q: %v", m[0], err)
			}
			pngs = append(pngs, png)
		}
		checkShown(t, "the Markdown", pngs)
		t.Logf("Markdown: %d bytes, %d pictures", len(md), len(pngs))
	})
}

// checkSavedWithImages saves the notebook open in the page (Notebook 6), checks that the saved
// figure output kept the plotly JSON and text/plain with the window the page shows (want), then
// adds the pictures with `liveplot images` and checks the picture.
func checkSavedWithImages(t *testing.T, ctx context.Context, path string, want []float64) {
	t.Helper()
	// The cell's end can reach the page before the final display update: save until the saved
	// notebook holds the window.
	for deadline := time.Now().Add(30 * time.Second); ; {
		saveNotebook(t, ctx)
		if y := savedPlotlyY(t, path); equal(y, want) {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the saved plotly JSON has y = %v, the page shows %v", y, want)
		}
		time.Sleep(500 * time.Millisecond)
	}
	liveplot := buildProgram(t, "cmd/liveplot")
	if out, err := exec.Command(liveplot, "images", path).CombinedOutput(); err != nil {
		t.Fatalf("liveplot images: %v\n%s", err, out)
	}
	outs := bundleOutputs(t, path)
	if len(outs) != 1 {
		t.Fatalf("the saved notebook has %d figure outputs, want 1", len(outs))
	}
	if !equal(outs[0].figure.Data[0].Y, want) {
		t.Errorf("after liveplot images the plotly JSON's y = %v, want %v", outs[0].figure.Data[0].Y, want)
	}
	checkPicture(t, "the saved figure", outs[0].png, figureimage.DefaultWidth, figureimage.DefaultHeight)
}

// savedPlotlyY reads trace 0's y of the plotly JSON of the first figure output of a saved
// notebook (nil when there is none yet).
func savedPlotlyY(t *testing.T, path string) []float64 {
	t.Helper()
	for _, cell := range readOutputs(t, path) {
		for _, o := range cell {
			if fig, ok := o.Data[plotly.MIMEType]; ok {
				var f struct {
					Data []struct {
						Y []float64 `json:"y"`
					} `json:"data"`
				}
				if err := json.Unmarshal(fig, &f); err != nil || len(f.Data) == 0 {
					t.Fatalf("saved %s: %.200s (%v)", plotly.MIMEType, fig, err)
				}
				return f.Data[0].Y
			}
		}
	}
	return nil
}

// TestStreamingTutorialSavedFromNotebook6GetsImages runs notebooks/streaming.md in Notebook 6
// with Chromium, waits for the final window in the page, saves the notebook (its figure output
// must have kept the plotly JSON of that window), and adds the pictures with `liveplot images`.
func TestStreamingTutorialSavedFromNotebook6GetsImages(t *testing.T) {
	t.Setenv("PLOTLY_DIR", t.TempDir()) // the server, so its kernel, finds no credentials file
	nb := testenv.NotebookServer(t, testenv.NotebookOptions{})
	ctx := testenv.Browser(t)
	writeStreamingTutorial(t, nb.Root)
	openNotebook(t, ctx, nb.PageURL("streaming.ipynb"))
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Jupyter.notebook.execute_all_cells(), true`)); err != nil {
		t.Fatal(err)
	}
	final := tutorialY(120, 200)
	waitY(t, ctx, 4*time.Minute, "the final window: the last 80 points written", func(y []float64) bool { return equal(y, final) })
	checkSavedWithImages(t, ctx, filepath.Join(nb.Root, "streaming.ipynb"), final)
}

// savedOutput is an output of a saved notebook, as nbformat writes it.
type savedOutput struct {
	OutputType string                     `json:"output_type"`
	Name       string                     `json:"name"` // a stream's
	Text       json.RawMessage            `json:"text"` // a stream's
	Data       map[string]json.RawMessage `json:"data"` // a display's MIME bundle
}

// readOutputs returns the outputs of every cell of a saved notebook, by cell index.
func readOutputs(t *testing.T, path string) [][]savedOutput {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb struct {
		Cells []struct {
			Outputs []savedOutput `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	cells := make([][]savedOutput, len(nb.Cells))
	for i, c := range nb.Cells {
		cells[i] = c.Outputs
	}
	return cells
}
