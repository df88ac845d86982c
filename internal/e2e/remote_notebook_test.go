package e2e

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// followCell follows the token tok's writes from producers that publish through the NATS server
// at natsURL (natsrelay.Follow onto stream.Follower), until they close their streams or the stop
// button.
func followCell(natsURL string) string {
	return fmt.Sprintf(`import (
	"context"

	"github.com/liveplot/liveplot/kernelext/natsrelay"
)

%%%%
fmt.Println("following")
err := natsrelay.Follow(context.Background(), %q, stream.Follower(), []string{tok}, natsrelay.Options{})
fmt.Println("followed:", err)
`, natsURL)
}

// TestNotebookFollowsRemoteProducer shows a figure in Notebook 6 and in the JupyterLab 4 page and
// follows its token from a cell (natsrelay.Follow, stream.Follower) while a producer process
// writes to it through a real NATS server: the plot in the page shows the producer's exact
// windows as it writes (paused mid-stream, then at its last point), keeps the last window when
// the producer is killed, and the stop button ends the cell cleanly with that window shown and
// saved in the notebook.
func TestNotebookFollowsRemoteProducer(t *testing.T) {
	producer := buildProgram(t, "internal/e2e/testdata/natsproducer")
	inBothFrontends(t, func(t *testing.T, fe testenv.Frontend) {
		ns := testenv.NATSServer(t, t.TempDir(), 0, "", "")
		ctx := testenv.Browser(t)
		tok := fmt.Sprintf("follow-%d", time.Now().UnixNano())
		path := fe.WriteNotebook(t, "follow.ipynb", harness.GoNBSetupCell, figureCell(tok, 50), followCell(ns.ClientURL()))
		page := testenv.Open(t, ctx, fe, "follow.ipynb")
		pageFigureThenStream(t, ctx, page) // cell 2 follows

		pctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		p := startProducer(t, pctx, producer, ns.ClientURL(), "-token", tok, "-hold", "-pause", "120", "-n", "200", "-maxpoints", "1000")
		p.waitLine(t, "natsproducer: open")
		p.next(t)
		p.waitLine(t, "natsproducer: paused")
		waitY(t, ctx, 2*time.Minute, "the producer's window at its pause: 71..120", func(y []float64) bool { return equal(y, counting(71, 1, 50)) })
		p.next(t)
		p.waitLine(t, "natsproducer: written")
		written := time.Now()
		final := counting(151, 1, 50)
		waitY(t, ctx, time.Minute, "the producer's last window: 151..200", func(y []float64) bool { return equal(y, final) })
		t.Logf("the page showed the producer's last window %v after it wrote its last point (polled every 50 ms)", time.Since(written).Round(10*time.Millisecond))
		start := time.Now()
		if err := p.cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		p.cmd.Wait()

		// The producer is gone, its stream never closed: the cell follows on until the stop
		// button, which closes its link: the figure is shown again with the last window.
		page.Interrupt()
		page.WaitCell(2, time.Minute) // GoNB kills the cell's program 5 s after the interrupt
		page.WaitDone(time.Minute)
		if n := page.ErrorOutputs(); n != 0 {
			page.Save()
			raw, _ := os.ReadFile(path)
			t.Fatalf("after the stop the page shows %d error outputs, want none; the cells printed %q; the saved notebook's error: %s",
				n, cellsPrinted(t, path), regexp.MustCompile(`(?s)"output_type": "error".{0,600}`).Find(raw))
		}
		// The cell's end can reach the page before the final display: save until the notebook
		// holds the window, and the page shows it too.
		for deadline := time.Now().Add(time.Minute); ; {
			waitY(t, ctx, 10*time.Second, "the last window after the kill and the stop", func(y []float64) bool { return equal(y, final) })
			page.Save()
			saved := savedY(t, path, 1)
			if equal(saved, final) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the saved notebook's figure has y = %v, want the producer's last window %v; the cells printed %q", saved, final, cellsPrinted(t, path))
			}
			time.Sleep(500 * time.Millisecond)
		}
		picture := false
		for _, cell := range readOutputs(t, path) {
			for _, o := range cell {
				_, ok := o.Data["image/png"]
				picture = picture || ok
			}
		}
		t.Logf("the saved notebook held the last window %v after the kill, with the page's picture: %v; the cells printed %q", time.Since(start).Round(100*time.Millisecond), picture, cellsPrinted(t, path))
		page.Reload()
		waitY(t, ctx, time.Minute, "the reopened notebook's last window", func(y []float64) bool { return equal(y, final) })
	})
}
