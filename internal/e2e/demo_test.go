package e2e

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/testenv"
)

// TestDemo runs `liveplot demo` as docs/cli-demo.md describes it: it prints its page's address,
// the page shows the time series with the window of -maxpoints, the page keeps being served
// after "demo: stream closed" (a reload shows the final window), and Ctrl-C ends the command.
//
// The demo keeps its page (-wait, the default) so that the test never races the program's exit
// against the page load: on a busy machine the page loaded after an 8 s stream had ended and
// the program was gone, and showed an empty trace.
func TestDemo(t *testing.T) {
	ctx := testenv.Browser(t)
	p := startProgram(t, buildProgram(t, "cmd/liveplot"), "demo", "-n", "800", "-interval", "10ms", "-maxpoints", "50")
	if err := chromedp.Do(ctx, chromedp.Navigate(p.url)); err != nil {
		t.Fatal(err)
	}
	tr := waitTrace(t, ctx, 0, "the window of 50 time points", func(tr trace) bool { return len(tr.Y) == 50 && len(tr.X) == 50 })
	if tr.Title != "Time Series" || !strings.HasPrefix(tr.X[0], "20") {
		t.Errorf("the page shows title %q and x %v..., want Time Series and dates", tr.Title, tr.X[:3])
	}
	expectLine(t, p, "demo: stream closed")
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitTrace(t, ctx, 0, "the final window of 50 points after a reload", func(tr trace) bool { return len(tr.Y) == 50 && len(tr.X) == 50 })
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	waitCtx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := p.wait(waitCtx); err != nil {
		t.Fatalf("demo did not exit cleanly on Ctrl-C: %v", err)
	}
}

// TestDemoWithoutWaitEnds: with -wait=false the command ends after "demo: stream closed".
func TestDemoWithoutWaitEnds(t *testing.T) {
	p := startProgram(t, buildProgram(t, "cmd/liveplot"), "demo", "-n", "20", "-interval", "1ms", "-wait=false")
	expectLine(t, p, "demo: stream closed")
	waitCtx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	if err := p.wait(waitCtx); err != nil {
		t.Fatalf("demo -wait=false did not exit cleanly: %v", err)
	}
}

// expectLine reads the program's next line on stdout and fails unless it is want.
func expectLine(t *testing.T, p *program, want string) {
	t.Helper()
	// Read before Wait, which closes the pipe.
	said := make(chan string, 1)
	go func() {
		p.stdout.Scan()
		said <- p.stdout.Text()
	}()
	select {
	case line := <-said:
		if line != want {
			t.Errorf("the program printed %q on stdout, want %q", line, want)
		}
	case <-time.After(2 * time.Minute): // a bound for failure only
		t.Fatalf("the program did not print %q in 2 minutes", want)
	}
}
