package e2e

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// pageFigureThenStream runs cells 0 (setup) and 1 (the figure) in the page (either front-end), waits
// until the figure is drawn (the first cell may build for 30 s with a cold Go cache, and parsing
// plotly.js takes seconds on a busy machine), then runs cell 2, which streams.
func pageFigureThenStream(t *testing.T, ctx context.Context, page *testenv.Page) {
	t.Helper()
	page.RunCell(0)
	page.RunCell(1)
	page.WaitCell(1, 3*time.Minute)
	testenv.Poll(t, ctx, 3*time.Minute, "the figure drawn", drawnY+` !== null`)
	page.RunCell(2)
}

// TestLabStreamsLive streams into a figure in the JupyterLab page, where liveplot's page script
// reaches the kernel through a WebSocket of its own, at the server's root over http and under a
// base URL over https: a later cell streams into the figure an earlier cell showed and the plot
// moves while it runs, with frames delivered; over https a reload mid-stream gets frames again
// and goes on from a later window.
func TestLabStreamsLive(t *testing.T) {
	for _, tc := range labServers {
		t.Run(tc.name, func(t *testing.T) {
			lab := testenv.LabServer(t, tc.opts)
			ctx := testenv.Browser(t, testenv.IgnoreCertificateErrors)
			tok := fmt.Sprintf("lab-%d", time.Now().UnixNano())
			lab.WriteNotebook(t, "live.ipynb", harness.GoNBSetupCell, figureCell(tok, 50), writeCell(0, 3000, 10))
			page := testenv.OpenPage(t, ctx, harness.LabPage{}, lab.PageURL("live.ipynb"))
			pageFigureThenStream(t, ctx, page)

			before := waitY(t, ctx, 3*time.Minute, "the plot moving", func(y []float64) bool { return consecutive(y, 50, 49, 2500) })
			moved := waitY(t, ctx, time.Minute, "the plot moving on", func(y []float64) bool { return consecutive(y, 50, before[49]+1, 2500) })
			st := pageLiveStatus(t, ctx)
			if len(st.Connections) != 1 || st.Connections[0].Kind != "socket" || !st.Connections[0].Connected || st.Frames == 0 {
				t.Fatalf("mid-stream the page reports %+v, want its own connected socket and frames delivered", st)
			}
			t.Logf("the plot moved from y = %v to %v mid-stream; %d frames so far", before[49], moved[49], st.Frames)

			if tc.opts.TLS {
				page.Save() // the reloaded page shows the figure from the saved notebook
				page.Reload()
				after := waitY(t, ctx, time.Minute, "a later window after the reload", func(y []float64) bool {
					return consecutive(y, 50, moved[49]+1, 2999)
				})
				t.Logf("after the reload y went on from %v", after[49])
				waitY(t, ctx, 2*time.Minute, "the stream's end 2950..2999", func(y []float64) bool { return consecutive(y, 50, 2999, 2999) })
				// (A reloaded page does not know that a cell started by the page before it ended.)
				if st := pageLiveStatus(t, ctx); st.Frames == 0 { // counted since the reload
					t.Fatalf("after the reload the page reports %+v: no frame came", st)
				}
				return
			}

			waitY(t, ctx, 2*time.Minute, "the stream's end 2950..2999", func(y []float64) bool { return consecutive(y, 50, 2999, 2999) })
			page.WaitCell(2, time.Minute)
		})
	}
}

// TestLabStopButtonKeepsFinalWindow: in the JupyterLab page the stop button ends a cell that
// streams without end cleanly (no error output), the figure keeps the window at the stop, the
// saved notebook holds it with no output of GoNB's installer, and reopens showing it.
func TestLabStopButtonKeepsFinalWindow(t *testing.T) {
	lab := testenv.LabServer(t, testenv.NotebookOptions{})
	ctx := testenv.Browser(t)
	tok := fmt.Sprintf("labstop-%d", time.Now().UnixNano())
	path := lab.WriteNotebook(t, "stop.ipynb", harness.GoNBSetupCell, figureCell(tok, 50), endlessCell)
	page := testenv.OpenPage(t, ctx, harness.LabPage{}, lab.PageURL("stop.ipynb"))
	pageFigureThenStream(t, ctx, page)
	waitY(t, ctx, 2*time.Minute, "the endless cell streaming", func(y []float64) bool { return consecutive(y, 50, 1049, 1e9) })
	page.Interrupt()
	page.WaitCell(2, time.Minute) // GoNB kills the cell's program 5 s after the interrupt
	page.WaitDone(time.Minute)
	if n := page.ErrorOutputs(); n != 0 {
		t.Fatalf("after the stop the page shows %d error outputs, want none", n)
	}
	// The cell's end can reach the page before the final display update: save until the
	// notebook holds the window the page shows.
	var final, saved []float64
	for deadline := time.Now().Add(30 * time.Second); ; {
		final = waitY(t, ctx, 10*time.Second, "the window at the stop", func(y []float64) bool { return consecutive(y, 50, 1049, 1e9) })
		page.Save()
		if saved = savedY(t, path, 1); equal(saved, final) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the saved notebook's figure has y = %v, the page shows %v", saved, final)
		}
		time.Sleep(500 * time.Millisecond)
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "Installing gonb_comm") {
		t.Errorf("the saved notebook holds GoNB's WebSocket installer script")
	}
	// The page's picture of the final figure has to come within the stop's grace (4 s, the
	// final display included): the log says whether it did.
	picture := false
	for _, cell := range readOutputs(t, path) {
		for _, o := range cell {
			_, ok := o.Data["image/png"]
			picture = picture || ok
		}
	}
	t.Logf("the saved figure output holds the page's picture: %v; the page's pictures: %s", picture, testenv.Eval[string](t, ctx, `JSON.stringify(liveplotNotebook.status().pictures)`))
	page.Reload()
	waitY(t, ctx, time.Minute, "the reopened notebook's final window", func(y []float64) bool { return equal(y, final) })
}

// falsyCell writes one point whose values are all falsy in JavaScript (0, "", false), then keeps
// its stream open for a minute, so that the page can only have them from a frame.
const falsyCell = `%%
s, err := stream.Open(tok)
if err != nil {
	panic(err)
}
if err := s.Write(map[string]any{"x": 0, "y": 0, "text": "", "customdata": false}); err != nil {
	panic(err)
}
time.Sleep(time.Minute)
if err := s.Close(); err != nil {
	panic(err)
}
`

// TestLabFramesKeepFalsyValues: a frame carrying 0, "" and false reaches the figure in the
// JupyterLab page complete while its cell still runs.
func TestLabFramesKeepFalsyValues(t *testing.T) {
	lab := testenv.LabServer(t, testenv.NotebookOptions{})
	ctx := testenv.Browser(t)
	tok := fmt.Sprintf("falsy-%d", time.Now().UnixNano())
	lab.WriteNotebook(t, "falsy.ipynb", harness.GoNBSetupCell, figureCell(tok, 50), falsyCell)
	page := testenv.OpenPage(t, ctx, harness.LabPage{}, lab.PageURL("falsy.ipynb"))
	pageFigureThenStream(t, ctx, page)
	testenv.Poll(t, ctx, 2*time.Minute, "the falsy point drawn", `(() => {
  const tr = document.querySelector(".liveplot-figure").data[0];
  const arr = (a) => JSON.stringify(Array.from(a || []));
  return arr(tr.x) === "[0]" && arr(tr.y) === "[0]" && arr(tr.text) === '[""]' && arr(tr.customdata) === "[false]";
})()`)
	if done, err := (harness.LabPage{}).CellDone(ctx, 2); err != nil || done {
		t.Fatalf("the writing cell had ended (%v, %v): the point must come by a frame, while it runs", done, err)
	}
	if st := pageLiveStatus(t, ctx); st.Frames == 0 {
		t.Fatalf("the page reports %+v: no frame came", st)
	}
	page.Interrupt()
	page.WaitDone(time.Minute)
}
