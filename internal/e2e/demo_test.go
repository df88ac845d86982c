package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/testenv"
)

// TestDemo runs `liveplot demo` as docs/cli-demo.md describes it: it prints its page's address,
// the page shows the time series with the window of -maxpoints, and with -wait=false the
// command ends after "demo: stream closed".
func TestDemo(t *testing.T) {
	ctx := testenv.Browser(t)
	p := startProgram(t, buildProgram(t, "cmd/liveplot"), "demo", "-n", "800", "-interval", "10ms", "-maxpoints", "50", "-wait=false")
	if err := chromedp.Do(ctx, chromedp.Navigate(p.url)); err != nil {
		t.Fatal(err)
	}
	tr := waitTrace(t, ctx, 0, "the window of 50 time points", func(tr trace) bool { return len(tr.Y) == 50 && len(tr.X) == 50 })
	if tr.Title != "Time Series" || !strings.HasPrefix(tr.X[0], "20") {
		t.Errorf("the page shows title %q and x %v..., want Time Series and dates", tr.Title, tr.X[:3])
	}
	// Read stdout before Wait, which closes the pipe.
	said := make(chan string, 1)
	go func() {
		p.stdout.Scan()
		said <- p.stdout.Text()
	}()
	select {
	case line := <-said:
		if line != "demo: stream closed" {
			t.Errorf("demo printed %q on stdout, want \"demo: stream closed\"", line)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the demo's stream did not end in 60s")
	}
	waitCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.wait(waitCtx); err != nil {
		t.Fatalf("demo -wait=false did not exit cleanly: %v", err)
	}
}
