package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/liveplot/liveplot/internal/testenv"
)

// traceJS reads trace 0 of the figure at index i on the page as {x, y, title}; y is a plain
// array whatever plotly.js keeps (arrays, typed arrays, or base64 specs with their decoded cache).
const traceJS = `(function (i) {
  const gd = document.querySelectorAll(".liveplot-figure")[i];
  if (!gd || !gd.data || !gd.data[0]) return null;
  const plain = (v) => v == null ? [] : (Array.isArray(v) ? v : (ArrayBuffer.isView(v) ? Array.from(v) : (v._vals ? Array.from(v._vals) : [])));
  const t = gd.layout && gd.layout.title;
  return {x: plain(gd.data[0].x).map(String), y: plain(gd.data[0].y), title: t ? (t.text || "") : ""};
})(%d)`

type trace struct {
	X     []string  `json:"x"`
	Y     []float64 `json:"y"`
	Title string    `json:"title"`
}

// waitBound is how long waitTrace waits for a page to show what a test wants before it fails.
const waitBound = 60 * time.Second

// waitTrace polls figure i until want(trace) holds, or fails with the last trace seen.
func waitTrace(t *testing.T, ctx context.Context, i int, what string, want func(trace) bool) trace {
	t.Helper()
	return waitFor(t, ctx, fmt.Sprintf(traceJS, i), fmt.Sprintf("figure %d", i), what, want)
}

// waitFor evaluates expr, which reads a figure's trace, until want(trace) holds, or fails with
// the last trace seen; figure names the figure in the failure.
func waitFor(t *testing.T, ctx context.Context, expr, figure, what string, want func(trace) bool) trace {
	t.Helper()
	// A bound for failure, not a wait: the loop returns as soon as the page shows want. It is
	// generous because CI runs on developers' machines, which are never idle.
	deadline := time.Now().Add(waitBound)
	var last *trace
	var lastErr error
	for time.Now().Before(deadline) {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		last, lastErr = chromedp.Run(cctx, chromedp.Evaluate[*trace](expr))
		cancel()
		if lastErr == nil && last != nil && want(*last) {
			return *last
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s: waited %v for %s; last seen %+v (error %v)", figure, waitBound, what, last, lastErr)
	return trace{}
}

// counting returns from, from+step, ... (n values).
func counting(from, step float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = from + step*float64(i)
	}
	return out
}

func equal(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestProgramStreamsToItsPage runs a program that uses only the public API, opens its page in
// headless Chromium and reads the plot objects while the program streams.
func TestProgramStreamsToItsPage(t *testing.T) {
	ctx := testenv.Browser(t)
	p := startProgram(t, buildProgram(t, "internal/e2e/testdata/driver"))
	if err := chromedp.Do(ctx, testenv.CountViolations(), chromedp.Navigate(p.url)); err != nil {
		t.Fatal(err)
	}
	waitTrace(t, ctx, 1, "figure B drawn", func(tr trace) bool { return tr.Title == "B" })
	// The page draws, streams and reloads under its Content-Security-Policy, with nothing refused.
	defer func() {
		if v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.cspViolations`)); err != nil || len(v) != 0 {
			t.Errorf("Content-Security-Policy violations on the page: %q (error %v)", v, err)
		}
	}()

	t.Run("points arrive in order and complete", func(t *testing.T) {
		p.do("a 50")
		waitTrace(t, ctx, 0, "y = 0..49", func(tr trace) bool { return equal(tr.Y, counting(0, 1, 50)) })
	})
	t.Run("maxpoints keeps the newest 80", func(t *testing.T) {
		p.do("a 100")
		tr := waitTrace(t, ctx, 0, "y = 70..149", func(tr trace) bool { return equal(tr.Y, counting(70, 1, 80)) })
		if len(tr.X) != 80 || !strings.HasPrefix(tr.X[0], "20") {
			t.Fatalf("x = %v..., want 80 date strings", tr.X[:min(3, len(tr.X))])
		}
	})
	t.Run("two streams on two figures do not mix", func(t *testing.T) {
		p.do("b 30")
		waitTrace(t, ctx, 1, "B's y = -1..-30", func(tr trace) bool { return equal(tr.Y, counting(-1, -1, 30)) })
		waitTrace(t, ctx, 0, "A unchanged", func(tr trace) bool { return equal(tr.Y, counting(70, 1, 80)) })
	})
	t.Run("a reload mid-stream shows the current window", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitTrace(t, ctx, 0, "A's window after reload", func(tr trace) bool { return equal(tr.Y, counting(70, 1, 80)) })
		waitTrace(t, ctx, 1, "B after reload", func(tr trace) bool { return equal(tr.Y, counting(-1, -1, 30)) })
		p.do("a 20")
		waitTrace(t, ctx, 0, "the stream goes on after reload", func(tr trace) bool { return equal(tr.Y, counting(90, 1, 80)) })
	})
	t.Run("a large window is drawn decimated, with every point kept", func(t *testing.T) {
		p.do("c 20000")
		testenv.Poll(t, ctx, 15*time.Second, "figure C decimated", `(function () {
			const gd = document.querySelectorAll(".liveplot-figure")[2];
			const full = gd && liveplot.data(gd.id, 0);
			if (!full || full.y.length !== 20000) return false;
			const view = Array.from(gd.data[0].y);
			return view.length > 100 && view.length < 5000 && Math.max(...view) === 1000 &&
				full.y.every((v, i) => v === (i === 10000 ? 1000 : i % 10)) && full.x.every((v, i) => v === i);
		})()`)
	})
	t.Run("a removed output is let go, a cell out of the document is kept", func(t *testing.T) {
		// B's output goes into a cell element that leaves the document, as JupyterLab's
		// windowing does with cells out of view; C's output is removed, as a cleared one is.
		testenv.Eval[bool](t, ctx, `(function () {
			const [, b, c] = document.querySelectorAll(".liveplot-figure");
			window.heldB = b.id; window.heldC = c.id;
			const out = b.parentNode, cell = document.createElement("div");
			cell.className = "jp-Cell";
			out.parentNode.insertBefore(cell, out);
			cell.appendChild(out);
			window.detachedCell = {cell, at: cell.nextSibling, parent: cell.parentNode};
			cell.remove();
			window.removedC = c;
			c.parentNode.remove();
			return true;
		})()`)
		p.do("c 10") // a frame for the removed figure: the client then looks at what it holds
		testenv.Poll(t, ctx, 15*time.Second, "C let go, its plot purged", `!liveplot.held().includes(heldC) && !removedC.data`)
		if ok := testenv.Eval[bool](t, ctx, `liveplot.held().includes(heldB) && window.detachedCell.cell.querySelector(".liveplot-figure").data[0].y.length === 30`); !ok {
			t.Fatalf("B, in a cell out of the document, was let go: held %v", testenv.Eval[[]string](t, ctx, `liveplot.held()`))
		}
		testenv.Eval[bool](t, ctx, `(function () {
			const d = window.detachedCell;
			d.parent.insertBefore(d.cell, d.at);
			return true;
		})()`)
		waitTrace(t, ctx, 1, "B back in the page, its window whole", func(tr trace) bool { return equal(tr.Y, counting(-1, -1, 30)) })
	})
	t.Run("a list write overwrites, numbers then append", func(t *testing.T) {
		p.do("list")
		waitTrace(t, ctx, 0, "y = [1000 1001 1002]", func(tr trace) bool { return equal(tr.Y, []float64{1000, 1001, 1002}) })
		p.do("a 2")
		waitTrace(t, ctx, 0, "y = [1000 1001 1002 170 171]", func(tr trace) bool {
			return equal(tr.Y, []float64{1000, 1001, 1002, 170, 171})
		})
	})
	t.Run("relayout applies", func(t *testing.T) {
		p.do("title Hello </script> world")
		waitTrace(t, ctx, 0, "the new title", func(tr trace) bool { return tr.Title == "Hello </script> world" })
	})
	t.Run("after close, a new page shows the final state", func(t *testing.T) {
		p.do("close")
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitTrace(t, ctx, 0, "A's final window", func(tr trace) bool {
			return equal(tr.Y, []float64{1000, 1001, 1002, 170, 171}) && tr.Title == "Hello </script> world"
		})
		waitTrace(t, ctx, 1, "B's final data", func(tr trace) bool { return equal(tr.Y, counting(-1, -1, 30)) })
	})
	t.Run("a wrong secret or Origin is refused", func(t *testing.T) {
		bad := strings.Replace(p.url, "?s=", "?s=x", 1)
		resp, err := http.Get(bad)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET with a wrong secret = %d, want 403", resp.StatusCode)
		}
		ws := strings.Replace(strings.Replace(p.url, "http://", "ws://", 1), "/?s=", "/ws?s=", 1)
		conn, resp, err := websocket.DefaultDialer.Dial(ws, http.Header{"Origin": {"http://attacker.example"}})
		if err == nil {
			conn.Close()
			t.Fatal("a WebSocket from another origin was accepted")
		}
		if resp == nil || resp.StatusCode != http.StatusForbidden {
			t.Errorf("WebSocket from another origin: %v, want 403", err)
		}
	})
}
