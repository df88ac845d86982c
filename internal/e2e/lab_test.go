package e2e

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

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

// loopCell prints "looping" and runs until it is interrupted.
const loopCell = `%%
fmt.Println("looping")
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

// TestLabShowsFigure runs a GoNB cell that shows a figure in the JupyterLab page, at the
// server's root over http and under a base URL over https (as JupyterHub serves it): the figure
// draws, the interrupt ends a cell that loops, the saved notebook holds the figure, and the saved notebook (signed by the server) draws it
// again when the page reloads, without running anything. Over http it also shows how a notebook
// edited outside the server is trusted (untrustedUntilSigned).
func TestLabShowsFigure(t *testing.T) {
	for _, tc := range labServers {
		t.Run(tc.name, func(t *testing.T) {
			lab := testenv.LabServer(t, tc.opts)
			ctx := testenv.Browser(t, testenv.IgnoreCertificateErrors)
			path := lab.WriteNotebook(t, "figure.ipynb", harness.GoNBSetupCell, smallFigureCell, loopCell)
			page := testenv.OpenPage(t, ctx, harness.LabPage{}, lab.PageURL("figure.ipynb"))
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
			testenv.Poll(t, ctx, time.Minute, "the loop cell printing", `JSON.stringify(labtest.cells()[2].outputs).includes("looping")`)
			page.Interrupt()
			page.WaitCell(2, 30*time.Second)
			page.WaitDone(30 * time.Second)
			page.Save()
			if got := savedY(t, path, 1); !equal(got, want) {
				t.Fatalf("the saved notebook's figure has y = %v, want %v", got, want)
			}
			page.Reload()
			testenv.Poll(t, ctx, 30*time.Second, "the saved figure drawn after a reload", drawnY+`?.join() === "3,1,2"`)
			if tc.opts.BaseURL == "" {
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
	page := testenv.OpenPage(t, ctx, harness.LabPage{}, lab.PageURL("edited.ipynb"))
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
	writeStreamingTutorial(t, lab.Root)
	page := testenv.OpenPage(t, ctx, harness.LabPage{}, lab.PageURL("streaming.ipynb"))
	page.RunAll()

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
