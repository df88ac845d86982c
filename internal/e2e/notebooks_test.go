package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/testenv"
	"github.com/liveplot/liveplot/jupytext"
)

// These tests run the tutorials in notebooks/ as CI does: each one with `liveplot run` in the
// real GoNB kernel, checking that it ends without error and that its figures hold the final data
// the notebook wrote; and the streaming tutorial in Notebook 6 and Chromium, checking that the
// plot moves while the cell runs.

// executedOutput is one output of an executed .ipynb, its multi-line strings joined.
type executedOutput struct {
	Type string // output_type
	Name string // a stream's name: stdout or stderr
	Text string // a stream's text
	HTML string // a display's text/html
}

// readExecuted returns the outputs of every cell of an executed notebook, by cell index (markdown
// cells have none).
func readExecuted(t *testing.T, path string) [][]executedOutput {
	t.Helper()
	saved := readOutputs(t, path)
	cells := make([][]executedOutput, len(saved))
	for i, outputs := range saved {
		for _, o := range outputs {
			cells[i] = append(cells[i], executedOutput{
				Type: o.OutputType, Name: o.Name,
				Text: joinLines(t, o.Text), HTML: joinLines(t, o.Data["text/html"]),
			})
		}
	}
	return cells
}

// joinLines reads an nbformat multi-line string: a string, or a list of lines.
func joinLines(t *testing.T, raw json.RawMessage) string {
	t.Helper()
	if len(raw) == 0 {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var lines []string
	if err := json.Unmarshal(raw, &lines); err != nil {
		t.Fatalf("an output string is neither a string nor a list of lines: %.200s", raw)
	}
	return strings.Join(lines, "")
}

// shownFigure is a figure as a figure output's HTML holds it.
type shownFigure struct {
	Data []struct {
		Name string          `json:"name"`
		X    json.RawMessage `json:"x"`
		Y    []float64       `json:"y"`
	} `json:"data"`
	Layout struct {
		Title struct {
			Text string `json:"text"`
		} `json:"title"`
		XAxis struct {
			Range []float64 `json:"range"`
		} `json:"xaxis"`
		YAxis struct {
			Range []float64 `json:"range"`
		} `json:"yaxis"`
	} `json:"layout"`
}

// figureInHTML returns the figure of a figure output's HTML.
func figureInHTML(t *testing.T, html string) shownFigure {
	t.Helper()
	m := figureJSON.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no figure JSON in output %.300s", html)
	}
	var fig shownFigure
	if err := json.Unmarshal([]byte(m[1]), &fig); err != nil {
		t.Fatalf("figure JSON %.300s: %v", m[1], err)
	}
	return fig
}

// xs reads a trace's x as numbers.
func (f shownFigure) xs(t *testing.T, trace int) []float64 {
	t.Helper()
	var x []float64
	if err := json.Unmarshal(f.Data[trace].X, &x); err != nil {
		t.Fatalf("trace %d's x %.200s: %v", trace, f.Data[trace].X, err)
	}
	return x
}

// executedNotebook is what `liveplot run` made of one notebook.
type executedNotebook struct {
	cells   [][]executedOutput
	figures []shownFigure // every figure output, in notebook order
	stdout  string        // everything the cells printed on stdout
}

// printed returns the value printed after "label: " on a line of stdout.
func (nb *executedNotebook) printed(t *testing.T, label string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(label) + `: ?(.*)$`).FindStringSubmatch(nb.stdout)
	if m == nil {
		t.Fatalf("the notebook printed no %q line; stdout:\n%s", label, nb.stdout)
	}
	return m[1]
}

// printedFloat returns the number printed after "label: ".
func (nb *executedNotebook) printedFloat(t *testing.T, label string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(strings.TrimSpace(nb.printed(t, label)), 64)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	return v
}

// stderr returns everything the cells printed on stderr.
func (nb *executedNotebook) stderr() string {
	var b strings.Builder
	for _, cell := range nb.cells {
		for _, o := range cell {
			if o.Name == "stderr" {
				b.WriteString(o.Text)
			}
		}
	}
	return b.String()
}

// oneFigure returns the notebook's figure when it shows exactly one, with n traces.
func (nb *executedNotebook) oneFigure(t *testing.T, n int) shownFigure {
	t.Helper()
	if len(nb.figures) != 1 || len(nb.figures[0].Data) != n {
		for i, cell := range nb.cells {
			for _, o := range cell {
				t.Logf("cell %d: %s %s %.300q %.300q", i, o.Type, o.Name, o.Text, o.HTML)
			}
		}
		t.Fatalf("the notebook shows %d figures, want one with %d traces: %+v", len(nb.figures), n, nb.figures)
	}
	return nb.figures[0]
}

// tutorialY is y at step i of the streaming tutorial's write loop (and of the program in
// outside-notebook.md): cos(k·i/50)·cos(i/50) plus the i-th draw of noise, seeded PCG(1, 2).
func tutorialY(from, to int) []float64 {
	noise := rand.New(rand.NewPCG(1, 2))
	var y []float64
	for i := 0; i < to; i++ {
		v := math.Cos(5*float64(i)/50)*math.Cos(float64(i)/50) + noise.NormFloat64()
		if i >= from {
			y = append(y, v)
		}
	}
	return y
}

// notebookChecks holds, for every notebook in notebooks/, what its executed notebook must show.
// A notebook missing here fails TestNotebooksRun: a tutorial is checked, or it is not shipped.
var notebookChecks = map[string]func(t *testing.T, nb *executedNotebook){
	"streaming.md": func(t *testing.T, nb *executedNotebook) {
		if got := nb.printed(t, "error"); !strings.Contains(got, "stream: reading stream tokens") {
			t.Errorf("stream.Tokens() without a credentials file printed %q, want its error", got)
		}
		if got := nb.printed(t, "points written"); got != "200" {
			t.Errorf("points written: %s, want 200", got)
		}
		fig := nb.oneFigure(t, 1)
		if got, want := fig.Data[0].Y, tutorialY(120, 200); !equal(got, want) {
			t.Errorf("the figure's y = %v, want the last 80 values written (steps 120..199): %v", got, want)
		}
		var x []string
		if err := json.Unmarshal(fig.Data[0].X, &x); err != nil || len(x) != 80 {
			t.Fatalf("the figure's x = %.200s (%v), want 80 times", fig.Data[0].X, err)
		}
		var prev time.Time
		for _, s := range x {
			tm, err := time.Parse("2006-01-02 15:04:05.999999", s)
			if err != nil || !tm.After(prev) {
				t.Fatalf("x holds %q (%v) after %v, want increasing plotly dates", s, err, prev)
			}
			prev = tm
		}
		if fig.Layout.Title.Text != "Time Series" {
			t.Errorf("title %q, want Time Series", fig.Layout.Title.Text)
		}
	},
	"multiple-traces.md": func(t *testing.T, nb *executedNotebook) {
		fig := nb.oneFigure(t, 3)
		for j, name := range []string{"sensor A", "sensor B", "sensor C"} {
			var want []float64
			for i := 200; i < 300; i++ {
				want = append(want, math.Sin(float64(i)/20+float64(j))+3*float64(j))
			}
			if got := fig.Data[j]; got.Name != name || !equal(fig.xs(t, j), counting(200, 1, 100)) || !equal(got.Y, want) {
				t.Errorf("trace %d: %s x %s y %v, want %s x 200..299 y %v", j, got.Name, got.X, got.Y, name, want)
			}
		}
	},
	"live-bar-chart.md": func(t *testing.T, nb *executedNotebook) {
		fig := nb.oneFigure(t, 1)
		var counts []float64
		for _, f := range strings.Fields(strings.Trim(nb.printed(t, "counts"), "[]")) {
			n, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatal(err)
			}
			counts = append(counts, n)
		}
		sum := 0.0
		for _, c := range counts {
			sum += c
		}
		if len(counts) != 6 || sum != 600 {
			t.Fatalf("printed counts %v, want 6 counts of 600 rolls", counts)
		}
		if !equal(fig.Data[0].Y, counts) {
			t.Errorf("the bars show %v, the notebook counted %v", fig.Data[0].Y, counts)
		}
		if x := string(fig.Data[0].X); x != `["1","2","3","4","5","6"]` {
			t.Errorf("the bars' x = %s, want the six faces", x)
		}
	},
	"training-loss.md": func(t *testing.T, nb *executedNotebook) {
		fig := nb.oneFigure(t, 2)
		train, valid := fig.Data[0], fig.Data[1]
		if !equal(fig.xs(t, 0), counting(1, 1, 200)) || len(train.Y) != 200 {
			t.Errorf("the training curve has x %s and %d losses, want steps 1..200", train.X, len(train.Y))
		}
		if !equal(fig.xs(t, 1), counting(10, 10, 20)) || len(valid.Y) != 20 {
			t.Errorf("the validation curve has x %s and %d losses, want steps 10, 20 .. 200", valid.X, len(valid.Y))
		}
		final := nb.printedFloat(t, "final validation loss")
		if len(valid.Y) == 0 || valid.Y[len(valid.Y)-1] != final || final > 0.02 || train.Y[0] < 10*final {
			t.Errorf("validation losses %v, training from %v; printed final %v: want the curve to end at the printed loss, which is small", valid.Y, train.Y[0], final)
		}
		if want := fmt.Sprintf("Training loss: validation %.4f after 200 steps", final); fig.Layout.Title.Text != want {
			t.Errorf("title %q, want %q (set by Relayout)", fig.Layout.Title.Text, want)
		}
	},
	"layout-updates.md": func(t *testing.T, nb *executedNotebook) {
		fig := nb.oneFigure(t, 1)
		if !equal(fig.xs(t, 0), counting(300, 1, 200)) || len(fig.Data[0].Y) != 200 {
			t.Errorf("x %s, %d values of y, want the window of 200: steps 300..499", fig.Data[0].X, len(fig.Data[0].Y))
		}
		if last := nb.printedFloat(t, "last step"); len(fig.Data[0].Y) == 0 || fig.Data[0].Y[len(fig.Data[0].Y)-1] != last {
			t.Errorf("the walk ends at %v in the figure, the notebook printed %v", fig.Data[0].Y, last)
		}
		if fig.Layout.Title.Text != "Random walk: 500 steps" || !equal(fig.Layout.XAxis.Range, []float64{400, 500}) {
			t.Errorf("layout title %q, x range %v: want the last relayout's \"Random walk: 500 steps\" and [400 500]", fig.Layout.Title.Text, fig.Layout.XAxis.Range)
		}
		ymax, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimPrefix(nb.printed(t, "y range"), "±")), 64)
		if err != nil || !equal(fig.Layout.YAxis.Range, []float64{-ymax, ymax}) {
			t.Errorf("y range %v, want ±%v as printed (%v)", fig.Layout.YAxis.Range, ymax, err)
		}
	},
	"remote-producers.md": func(t *testing.T, nb *executedNotebook) {
		fig := nb.oneFigure(t, 1)
		var want []float64
		for i := 251; i <= 300; i++ {
			want = append(want, math.Sin(float64(i)/10))
		}
		if !equal(fig.xs(t, 0), counting(251, 1, 50)) || !equal(fig.Data[0].Y, want) {
			t.Errorf("the figure shows x %s y %v, want the producer's last 50 points (251..300) and sin(x/10)", fig.Data[0].X, fig.Data[0].Y)
		}
		if got := nb.printed(t, "followed until the producer closed its stream, error"); got != "<nil>" {
			t.Errorf("Follow returned %q, want nil: the producer's close ends it", got)
		}
		stderr := nb.stderr()
		for _, want := range []string{"liveplot: publishing the figures through NATS at nats://127.0.0.1:", "producer: wrote 300 points"} {
			if !strings.Contains(stderr, want) {
				t.Errorf("the producer's output has no %q; stderr of the notebook:\n%s", want, stderr)
			}
		}
	},
	"outside-notebook.md": func(t *testing.T, nb *executedNotebook) {
		if len(nb.figures) != 0 {
			t.Errorf("the notebook shows %d figures, want none (the program has its own page)", len(nb.figures))
		}
		if got := nb.printed(t, "liveplot version"); got != "(devel)" {
			t.Errorf("the kernel uses liveplot %q, want (devel): this checkout, through the test kernel's go.work", got)
		}
		stderr := nb.stderr()
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`liveplot: open http://127\.0\.0\.1:\d+/\?s=[0-9a-f]+ to see the figures`),
			regexp.MustCompile(`wrote 100 points`),
		} {
			if !want.MatchString(stderr) {
				t.Errorf("the program's output has no %q; stderr of the notebook:\n%s", want, stderr)
			}
		}
	},
}

// notebookFiles returns the tutorials in notebooks/.
func notebookFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testenv.ModuleRoot(t), "notebooks", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no notebooks in notebooks/ (%v)", err)
	}
	return files
}

// TestNotebooksRun runs every notebook in notebooks/ with `liveplot run` in the real GoNB kernel,
// as a user would run it unattended: it must end with status 0, with no error output, no failed
// command, and its figures holding the final data the notebook wrote.
func TestNotebooksRun(t *testing.T) {
	dataDir := testenv.GoNBKernel(t)
	liveplot := buildProgram(t, "cmd/liveplot")
	noCredentials := t.TempDir() // stream.Tokens() finds no credentials file, whatever $HOME holds
	for _, src := range notebookFiles(t) {
		name := filepath.Base(src)
		t.Run(name, func(t *testing.T) {
			check, ok := notebookChecks[name]
			if !ok {
				t.Fatalf("notebooks/%s has no entry in notebookChecks: say what its figures must show", name)
			}
			dir := t.TempDir() // the kernel runs here, and the executed notebook is written here
			md := filepath.Join(dir, name)
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(md, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(liveplot, "run", "-q", "--timeout", "3m", md)
			cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+dataDir, "PLOTLY_DIR="+noCredentials)
			start := time.Now()
			out, err := cmd.CombinedOutput()
			took := time.Since(start)
			if err != nil {
				t.Fatalf("liveplot run %s: %v\n%s", name, err, out)
			}
			t.Logf("%s ran in %v", name, took.Round(100*time.Millisecond))

			nb := &executedNotebook{cells: readExecuted(t, strings.TrimSuffix(md, ".md")+".ipynb")}
			for i, cell := range nb.cells {
				for _, o := range cell {
					switch {
					case o.Type == "error":
						t.Errorf("cell %d has an error output: %s", i, o.Text)
					case o.Type == "stream" && (strings.Contains(o.Text, "exit status") || strings.Contains(o.Text, "panic:")):
						t.Errorf("cell %d reports a failure on %s: %s", i, o.Name, o.Text)
					case o.Type == "stream" && o.Name == "stdout":
						nb.stdout += o.Text
					case o.Type == "display_data":
						nb.figures = append(nb.figures, figureInHTML(t, o.HTML)) // the notebooks display only figures
					}
				}
			}
			check(t, nb)
		})
	}
}

// writeStreamingTutorial writes notebooks/streaming.md into dir as streaming.ipynb (no outputs,
// unsigned) and returns it as read.
func writeStreamingTutorial(t *testing.T, dir string) *jupytext.Notebook {
	t.Helper()
	src := filepath.Join(testenv.ModuleRoot(t), "notebooks", "streaming.md")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	md, err := jupytext.ReadMarkdown(data, src)
	if err != nil {
		t.Fatal(err)
	}
	ipynb := jupytext.WriteIPYNB(md, jupytext.IPYNBOptions{SequentialCellIDs: true})
	if err := os.WriteFile(filepath.Join(dir, "streaming.ipynb"), ipynb, 0o600); err != nil {
		t.Fatal(err)
	}
	return md
}

// runTutorialFigureFirst runs the streaming tutorial's cells up to the one that shows the figure,
// waits until the page has drawn it, then runs the others: on a busy machine a page can take
// longer to load plotly.js than the tutorial's stream runs (10 s), and would show only its final
// window.
func runTutorialFigureFirst(t *testing.T, ctx context.Context, page *testenv.Page, md *jupytext.Notebook) {
	t.Helper()
	show := slices.IndexFunc(md.Cells, func(c *jupytext.Cell) bool { return strings.Contains(c.Source, "plotly.Show(fig)") })
	if show < 0 {
		t.Fatal("no cell of notebooks/streaming.md shows the figure")
	}
	for i := 0; i <= show; i++ {
		page.RunCell(i)
	}
	testenv.Poll(t, ctx, 3*time.Minute, "the tutorial's empty figure drawn", `(() => { const gd = document.querySelector(".liveplot-figure"); return !!(gd && gd._fullLayout && gd.data); })()`)
	for i := show + 1; i < len(md.Cells); i++ {
		page.RunCell(i)
	}
}

// TestStreamingTutorialInNotebook6 runs notebooks/streaming.md in Notebook 6 with the GoNB
// kernel and headless Chromium: the plot moves while the write loop runs, and ends with the
// last 80 points written.
func TestStreamingTutorialInNotebook6(t *testing.T) {
	t.Setenv("PLOTLY_DIR", t.TempDir()) // the server, so its kernel, finds no credentials file
	nb := testenv.NotebookServer(t, testenv.NotebookOptions{})
	ctx := testenv.Browser(t)
	md := writeStreamingTutorial(t, nb.Root)
	page := openNotebook(t, ctx, nb.PageURL("streaming.ipynb"))
	runTutorialFigureFirst(t, ctx, page, md)
	final := tutorialY(120, 200)
	// Mid-stream: some points drawn, not yet the final window.
	mid := waitY(t, ctx, 3*time.Minute, "the plot moving mid-stream", func(y []float64) bool {
		return len(y) > 0 && !equal(y, final)
	})
	later := waitY(t, ctx, time.Minute, "the plot moving on", func(y []float64) bool {
		return len(y) > 0 && !equal(y, mid)
	})
	waitY(t, ctx, time.Minute, "the final window: the last 80 points written", func(y []float64) bool { return equal(y, final) })
	t.Logf("the page showed %d, then %d points, then the final 80", len(mid), len(later))
	last := len(md.Cells) - 1
	for last >= 0 && md.Cells[last].CellType != "code" {
		last--
	}
	testenv.Poll(t, ctx, time.Minute, "the last code cell to end", fmt.Sprintf(`typeof Jupyter.notebook.get_cell(%d).input_prompt_number === "number"`, last))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(".output_error").length`)); err != nil || n != 0 {
		t.Fatalf("the page shows %d error outputs (%v), want none", n, err)
	}
}
