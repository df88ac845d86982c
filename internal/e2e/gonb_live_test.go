package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// These tests drive the two ways a page follows a stream other than Notebook 6's kernel object:
// notebook.js's own WebSocket to the kernel (what JupyterLab and Notebook 7 use), here forced in
// Notebook 6 with localStorage.liveplotLive = "socket", and the display-update fallback of a page
// that does not acknowledge the live channel (localStorage.liveplotLive = "off").

// liveStatus is what liveplotNotebook.status() reports.
type liveStatus struct {
	Mode        string `json:"mode"`
	Frames      int    `json:"frames"`
	Connections []struct {
		KernelID  string `json:"kernelId"`
		Kind      string `json:"kind"`
		Connected bool   `json:"connected"`
		Comm      bool   `json:"comm"`
	} `json:"connections"`
}

func pageLiveStatus(t *testing.T, ctx context.Context) liveStatus {
	t.Helper()
	st, err := chromedp.Run(ctx, chromedp.Evaluate[liveStatus](`globalThis.liveplotNotebook ? liveplotNotebook.status() : {}`))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// runFigureThenStream runs the notebook's cells 0 (setup) and 1 (the figure), waits until the
// page has drawn the figure (on a busy machine parsing plotly.js can take seconds), then runs
// cell 2 (the stream), so that the stream starts when the page can listen.
func runFigureThenStream(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Jupyter.notebook.execute_cells([0, 1]), true`)); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 3*time.Minute, "the figure drawn", `(() => { const gd = document.querySelector(".liveplot-figure"); return !!(gd && gd.data && gd.data.length); })()`)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`Jupyter.notebook.execute_cells([2]), true`)); err != nil {
		t.Fatal(err)
	}
}

// movingWindows waits for n windows of 50 consecutive values, each ending later than the one
// before and at most at hi (the figure moves while its cell runs), and returns where they end.
func movingWindows(t *testing.T, ctx context.Context, n int, hi float64) []float64 {
	t.Helper()
	var ends []float64
	for len(ends) < n {
		last := -1.0
		if len(ends) > 0 {
			last = ends[len(ends)-1]
		}
		y := waitY(t, ctx, 3*time.Minute, fmt.Sprintf("window %d mid-stream", len(ends)+1), func(y []float64) bool { return consecutive(y, 50, last+1, hi) })
		ends = append(ends, y[49])
	}
	return ends
}

// reloadNotebook6 reloads a Notebook 6 page without its "leave the page?" prompt.
func reloadNotebook6(t *testing.T, ctx context.Context) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.onbeforeunload = null; true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
}

// setLiveMode sets localStorage.liveplotLive for the origin of the page at url, before any
// notebook page of that origin loads.
func setLiveMode(t *testing.T, ctx context.Context, url, mode string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`localStorage.setItem("liveplotLive", %q), true`, mode))); err != nil {
		t.Fatal(err)
	}
}

// TestGoNBNotebookLiveUnderHTTPSAndBaseURL streams from a Notebook 6 server on https and under a
// base_url through each kind of kernel connection of notebook.js: Notebook 6's kernel object
// (the default) and the page script's own WebSocket, as JupyterLab uses it (forced with
// localStorage.liveplotLive = "socket"). The figure is drawn before the stream starts (on a busy
// machine parsing plotly.js takes seconds). The plot moves live with frames delivered by that
// connection, and after a reload mid-stream frames come again and the plot goes on from a
// later window. (The stream lasts 30 s: a reload that ends after it would show the saved
// window, since a reloaded page no longer knows the output's display id.)
func TestGoNBNotebookLiveUnderHTTPSAndBaseURL(t *testing.T) {
	for _, tc := range []struct{ mode, kind string }{{"auto", "notebook6"}, {"socket", "socket"}} {
		t.Run(tc.kind, func(t *testing.T) {
			nb := testenv.NotebookServer(t, testenv.NotebookOptions{BaseURL: "/user/x/", TLS: true})
			ctx := testenv.Browser(t, testenv.IgnoreCertificateErrors)
			tok := fmt.Sprintf("live-%d", time.Now().UnixNano())
			nb.WriteNotebook(t, "live.ipynb", harness.GoNBSetupCell, figureCell(tok, 50), writeCell(0, 3000, 10))
			setLiveMode(t, ctx, nb.URL+"api/status?token="+nb.Token, tc.mode)
			openNotebook(t, ctx, nb.PageURL("live.ipynb"))
			runFigureThenStream(t, ctx)
			before := waitY(t, ctx, 3*time.Minute, "the plot moving", func(y []float64) bool { return consecutive(y, 50, 49, 2500) })
			moved := waitY(t, ctx, time.Minute, "the plot moving on", func(y []float64) bool { return consecutive(y, 50, before[49]+1, 2500) })
			st := pageLiveStatus(t, ctx)
			if len(st.Connections) != 1 || st.Connections[0].Kind != tc.kind || !st.Connections[0].Connected || !st.Connections[0].Comm || st.Frames == 0 {
				t.Fatalf("mid-stream the page reports %+v, want one connected %s connection with GoNB's comm and frames delivered", st, tc.kind)
			}
			t.Logf("the page moved from y = %v to %v; %d frames came through its %s connection", before[49], moved[49], st.Frames, tc.kind)

			saveNotebook(t, ctx) // the reloaded page shows cell 1's output from the saved notebook
			reloadNotebook6(t, ctx)
			after := waitY(t, ctx, time.Minute, "a later window after the reload", func(y []float64) bool {
				return consecutive(y, 50, moved[49]+1, 2999)
			})
			waitY(t, ctx, time.Minute, "the stream's end 2950..2999", func(y []float64) bool { return consecutive(y, 50, 2999, 2999) })
			if st := pageLiveStatus(t, ctx); st.Frames == 0 {
				t.Fatalf("after the reload the page reports %+v: no frame came", st)
			}
			t.Logf("after the reload y went on from %v", after[49])
		})
	}
}

// TestDisplayUpdatesWithoutLiveChannel opens the notebook, in Notebook 6 and in the JupyterLab
// page, with the live channel off (localStorage.liveplotLive = "off"), as a front-end with no
// kernel connection for page scripts: no frame reaches the page, yet the figure moves, by display
// updates of its output at a few a second, and ends, in the page and the saved notebook, with the
// final window. (The first streaming cell of a kernel under a Jupyter server waits 10 s for a
// page to answer before it updates the output: the stream lasts longer.)
func TestDisplayUpdatesWithoutLiveChannel(t *testing.T) {
	for _, tc := range []struct {
		name string
		lab  bool
	}{
		{"Notebook 6", false},
		{"JupyterLab", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fe testenv.Frontend
			var base, token string
			if tc.lab {
				lab := testenv.LabServer(t, testenv.NotebookOptions{})
				fe, base, token = lab, lab.URL, lab.Token
			} else {
				nb := testenv.NotebookServer(t, testenv.NotebookOptions{})
				fe, base, token = nb, nb.URL, nb.Token
			}
			ctx := testenv.Browser(t)
			tok := fmt.Sprintf("off-%d", time.Now().UnixNano())
			path := fe.WriteNotebook(t, "fallback.ipynb", harness.GoNBSetupCell, figureCell(tok, 50), writeCell(0, 3000, 10))
			setLiveMode(t, ctx, base+"api/status?token="+token, "off")
			page := testenv.Open(t, ctx, fe, "fallback.ipynb")
			pageFigureThenStream(t, ctx, page)
			ends := movingWindows(t, ctx, 4, 2980)
			final := waitY(t, ctx, time.Minute, "the final window 2950..2999", func(y []float64) bool { return consecutive(y, 50, 2999, 2999) })
			if st := pageLiveStatus(t, ctx); st.Mode != "off" || st.Frames != 0 || len(st.Connections) != 0 {
				t.Fatalf("the page reports %+v, want no connection and no frame (the live channel is off)", st)
			}
			t.Logf("windows ending at %v seen mid-stream, by display updates", ends)
			page.WaitCell(2, time.Minute)
			page.Save()
			if saved := savedY(t, path, 1); !equal(saved, final) {
				t.Fatalf("the saved notebook's figure has y = %v, want the final window %v", saved, final)
			}
		})
	}
}
