package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/figureimage"
	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// These tests run GoNB notebooks in the JupyterLab 4 test page (internal/labpage: JupyterLab's
// own NotebookPanel, OutputArea, RenderMime and services, built from npm and served by Debian's
// jupyter_server), in headless Chromium.

// smallFigureCell shows a static figure of three points.
const smallFigureCell = `import "github.com/liveplot/liveplot/plotly"

%%
if err := plotly.Show(plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: []float64{1, 2, 3}, Y: []float64{3, 1, 2}}}}); err != nil {
	panic(err)
}
`

// loopCell prints "looping" (a word its source does not hold, so that a page shows it only as
// output) and runs until it is interrupted.
const loopCell = `%%
fmt.Println("loop" + "ing")
for {
	time.Sleep(10 * time.Millisecond)
}
`

// drawnY reads trace 0's y as plotly.js drew it in the first liveplot figure of the page, or
// null when no figure has been drawn (no element, or plotly.js never ran on it).
const drawnY = `(function () {
  const gd = document.querySelector(".liveplot-figure");
  return gd && gd.data && gd.data.length > 0 ? Array.from(gd.data[0].y) : null;
})()`

// labServers are the two ways the Lab tests serve the page: at the server's root over http, and
// under a base URL over https, as JupyterHub serves it.
var labServers = []struct {
	name string
	opts testenv.NotebookOptions
}{
	{"http", testenv.NotebookOptions{}},
	{"https under a base URL", testenv.NotebookOptions{BaseURL: "/user/x/", TLS: true}},
}

// TestShowsFigureInFrontends runs a GoNB cell that shows a figure in the JupyterLab page, at
// the server's root over http and under a base URL over https (as JupyterHub serves it), and in
// Notebook 6 with the same steps through the same driver interface: the figure draws, the
// interrupt ends a cell that loops, the saved notebook holds the figure, and the saved notebook
// (signed by the server) draws it again when the page reloads, without running anything. In Lab
// over http it also shows how a notebook edited outside the server is trusted
// (untrustedUntilSigned).
func TestShowsFigureInFrontends(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lab   bool
		opts  testenv.NotebookOptions
		trust bool
	}{
		{"JupyterLab over http", true, testenv.NotebookOptions{}, true},
		{"JupyterLab over https under a base URL", true, testenv.NotebookOptions{BaseURL: "/user/x/", TLS: true}, false},
		{"Notebook 6", false, testenv.NotebookOptions{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fe testenv.Frontend
			var lab *testenv.Lab
			if tc.lab {
				lab = testenv.LabServer(t, tc.opts)
				fe = lab
			} else {
				fe = testenv.NotebookServer(t, tc.opts)
			}
			ctx := testenv.Browser(t, testenv.IgnoreCertificateErrors)
			path := fe.WriteNotebook(t, "figure.ipynb", harness.GoNBSetupCell, smallFigureCell, loopCell)
			page := testenv.Open(t, ctx, fe, "figure.ipynb")
			page.RunCell(0)
			page.RunCell(1)
			page.WaitCell(1, 3*time.Minute) // the first cell may build for 30 s with a cold Go cache
			if n := page.ErrorOutputs(); n != 0 {
				t.Fatalf("the page shows %d error outputs", n)
			}
			want := []float64{3, 1, 2}
			testenv.Poll(t, ctx, 30*time.Second, "the figure drawn with y = 3, 1, 2", drawnY+`?.join() === "3,1,2"`)

			// The stop button ends a cell that runs until interrupted.
			page.RunCell(2)
			testenv.Poll(t, ctx, time.Minute, "the loop cell's output", `document.body.innerText.includes("looping")`)
			page.Interrupt()
			page.WaitCell(2, 30*time.Second)
			page.WaitDone(30 * time.Second)
			page.Save()
			if got := savedY(t, path, 1); !equal(got, want) {
				t.Fatalf("the saved notebook's figure has y = %v, want %v", got, want)
			}
			page.Reload()
			testenv.Poll(t, ctx, 30*time.Second, "the saved figure drawn after a reload", drawnY+`?.join() === "3,1,2"`)
			if tc.trust {
				t.Run("a notebook edited on disk is untrusted until Trust", func(t *testing.T) { untrustedUntilSigned(t, lab, ctx) })
			}
		})
	}
}

// untrustedUntilSigned shows how the tests trust a notebook they did not save through the
// server: the saved figure.ipynb, changed on disk, opens untrusted (its scripts stripped, nothing
// drawn, as in JupyterLab) until Trust signs it.
func untrustedUntilSigned(t *testing.T, lab *testenv.Lab, ctx context.Context) {
	var nb map[string]any
	raw, err := lab.ReadNotebook("figure.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &nb); err != nil {
		t.Fatal(err)
	}
	nb["metadata"].(map[string]any)["edited"] = "outside the server" // the signature no longer matches
	if raw, err = json.Marshal(nb); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(lab.Root, "edited.ipynb"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	page := testenv.Open(t, ctx, lab, "edited.ipynb")
	testenv.Poll(t, ctx, 30*time.Second, "the untrusted output, sanitized", `labtest.cells()[1].outputs.length === 1 && !!document.querySelector("[data-jupyter-id]")`)
	if y := testenv.Eval[[]float64](t, ctx, drawnY); y != nil {
		t.Fatalf("an untrusted notebook's figure was drawn (y = %v): its scripts ran", y)
	}
	lab.Trust(t, "edited.ipynb")
	page.Reload()
	testenv.Poll(t, ctx, 30*time.Second, "the trusted notebook's figure drawn", drawnY+`?.join() === "3,1,2"`)
}

// TestStreamingTutorialInLab runs notebooks/streaming.md in the JupyterLab page: every cell
// succeeds, the plot moves while the stream cell runs (at least three different windows drawn
// before the final one, frames delivered by the page script's own socket), and the figure ends
// with the last 80 points written.
func TestStreamingTutorialInLab(t *testing.T) {
	t.Setenv("PLOTLY_DIR", t.TempDir()) // the server, so its kernel, finds no credentials file
	lab := testenv.LabServer(t, testenv.NotebookOptions{})
	ctx := testenv.Browser(t)
	md := writeStreamingTutorial(t, lab.Root)
	page := testenv.Open(t, ctx, lab, "streaming.ipynb")
	runTutorialFigureFirst(t, ctx, page, md)

	final := tutorialY(120, 200)
	var seen []int        // the trace's distinct lengths, in order, from the figure's first draw
	var windows []float64 // the last value of each distinct non-final window drawn
	deadline := time.Now().Add(4 * time.Minute)
	for {
		y, err := harness.Eval[[]float64](ctx, drawnY)
		if err == nil && y != nil && (len(seen) == 0 || seen[len(seen)-1] != len(y)) {
			seen = append(seen, len(y))
		}
		if err == nil && len(y) > 0 && !equal(y, final) && (len(windows) == 0 || windows[len(windows)-1] != y[len(y)-1]) {
			windows = append(windows, y[len(y)-1])
		}
		if err == nil && equal(y, final) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 4m for the final window; the trace's lengths were %v, last error %v", seen, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	page.WaitDone(time.Minute)
	if n := page.ErrorOutputs(); n != 0 {
		t.Fatalf("the page shows %d error outputs, want none", n)
	}
	t.Logf("while the stream cell ran, the trace's length went %v; %d different windows were drawn before the final one", seen, len(windows))
	if len(windows) < 3 {
		t.Fatalf("%d windows drawn before the final one (lengths %v): want the plot to move while the cell runs", len(windows), seen)
	}
	if st := pageLiveStatus(t, ctx); st.Frames == 0 {
		t.Fatalf("the page reports %+v: no frame came", st)
	}
}

// labFigureOutput describes what the JupyterLab page shows for the first figure output (the
// output holding the plotly JSON), scrolled into view (Lab lays out only the cells in view): the
// MIME type Lab chose to render ("" for none), the visible text, the elements whose id the
// sanitizer moved to data-jupyter-id, the scripts and plotly drawings in it, and its pictures.
// It is null until that output is rendered.
const labFigureOutput = `(function () {
  const cells = labtest.cells();
  for (let i = 0; i < cells.length; i++) {
    const j = cells[i].outputs.findIndex((o) => o.data && "application/vnd.plotly.v1+json" in o.data);
    if (j < 0) continue;
    const panel = labtest.panel.content.widgets[i].outputArea.widgets[j];
    if (!panel) return null;
    panel.node.scrollIntoView();
    const rendered = panel.node.querySelector("[data-mime-type]");
    return {
      trusted: cells[i].trusted,
      mimeType: rendered ? rendered.dataset.mimeType : "",
      text: panel.node.innerText.trim(),
      sanitizedIDs: panel.node.querySelectorAll("[data-jupyter-id]").length,
      scripts: panel.node.querySelectorAll("script").length,
      drawings: panel.node.querySelectorAll(".main-svg").length,
      plotly: typeof window.Plotly !== "undefined",
      images: [...panel.node.querySelectorAll("img")].map((im) => ({
        loaded: im.complete && im.naturalWidth > 0,
        width: im.naturalWidth,
        height: im.naturalHeight,
        shown: im.offsetWidth > 0 && im.offsetHeight > 0,
      })),
    };
  }
  return null;
})()`

// labOutput is labFigureOutput's answer.
type labOutput struct {
	Trusted      bool
	MIMEType     string
	Text         string
	SanitizedIDs int
	Scripts      int
	Drawings     int
	Plotly       bool
	Images       []struct {
		Loaded, Shown bool
		Width, Height int
	}
}

// TestUntrustedLabShowsPictures opens notebooks/streaming.md, executed by `liveplot run` and
// written on disk, in the JupyterLab page without trusting it, as a notebook received from
// someone else opens: Lab renders the figure output's text/html sanitized, its scripts stripped.
//   - With the pictures added (`liveplot images`, the step `liveplot run --images` adds to the
//     run), the output shows its picture, loaded at the figure's size, and no script ran.
//   - Without them, Lab shows nothing of the figure: the sanitized text/html is two empty
//     elements, and Lab does not fall back to the text/plain line.
//   - Trusted, the notebook with pictures draws the live figure (the final window), and the
//     picture is removed.
func TestUntrustedLabShowsPictures(t *testing.T) {
	dataDir := testenv.GoNBKernel(t)
	testenv.Chromium(t)
	lab := testenv.LabServer(t, testenv.NotebookOptions{})
	liveplot := buildProgram(t, "cmd/liveplot")
	md, err := os.ReadFile(filepath.Join(testenv.ModuleRoot(t), "notebooks", "streaming.md"))
	if err != nil {
		t.Fatal(err)
	}
	executed, err := os.ReadFile(runNotebook(t, liveplot, dataDir, "streaming.md", string(md)))
	if err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(lab.Root, "plain.ipynb")
	if err := os.WriteFile(plain, executed, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(liveplot, "images", "-o", filepath.Join(lab.Root, "pictures.ipynb"), plain).CombinedOutput(); err != nil {
		t.Fatalf("liveplot images: %v\n%s", err, out)
	}
	ctx := testenv.Browser(t)
	// shown waits until the figure output is rendered and cond (a JavaScript expression of o,
	// labFigureOutput's answer) holds, and returns what the page shows.
	shown := func(what, cond string) labOutput {
		t.Helper()
		testenv.Poll(t, ctx, 30*time.Second, what, `((o) => !!o && (`+cond+`))(`+labFigureOutput+`)`)
		out := testenv.Eval[labOutput](t, ctx, labFigureOutput)
		t.Logf("%s: %+v", what, out)
		return out
	}
	// noScriptRan fails the test unless out is an untrusted output, sanitized: scripts stripped,
	// nothing drawn, plotly.js never defined.
	noScriptRan := func(what string, out labOutput) {
		t.Helper()
		if out.Trusted || out.MIMEType != "text/html" || out.Scripts != 0 || out.Drawings != 0 || out.Plotly {
			t.Errorf("%s: want an untrusted text/html output with its scripts stripped and nothing drawn, got %+v", what, out)
		}
	}

	t.Run("untrusted, without pictures: nothing", func(t *testing.T) {
		testenv.Open(t, ctx, lab, "plain.ipynb")
		out := shown("the untrusted figure output without pictures, sanitized", `o.sanitizedIDs > 0`)
		noScriptRan("without pictures", out)
		if out.Text != "" || len(out.Images) != 0 {
			t.Errorf("without pictures, the untrusted figure output shows text %q and %d pictures, want nothing", out.Text, len(out.Images))
		}
	})

	t.Run("untrusted, with pictures: the picture; trusted: the live figure", func(t *testing.T) {
		page := testenv.Open(t, ctx, lab, "pictures.ipynb")
		out := shown("the untrusted figure output's picture, loaded and in view", `o.images.length > 0 && o.images.every((i) => i.loaded && i.shown)`)
		noScriptRan("with pictures", out)
		if len(out.Images) != 1 || out.Images[0].Width != figureimage.DefaultWidth || out.Images[0].Height != figureimage.DefaultHeight {
			t.Errorf("the untrusted figure output shows the pictures %+v, want one of %dx%d", out.Images, figureimage.DefaultWidth, figureimage.DefaultHeight)
		}

		lab.Trust(t, "pictures.ipynb")
		page.Reload()
		final := tutorialY(120, 200)
		testenv.Poll(t, ctx, 30*time.Second, "the trusted notebook's figure drawn", drawnY+` !== null`)
		if y := testenv.Eval[[]float64](t, ctx, drawnY); !equal(y, final) {
			t.Errorf("the trusted notebook's figure has y = %v, want the final window %v", y, final)
		}
		out = shown("the trusted figure output, drawn", `o.drawings > 0`)
		if !out.Trusted || len(out.Images) != 0 {
			t.Errorf("the trusted figure output is %+v, want trusted and its picture removed by its script", out)
		}
	})
}
