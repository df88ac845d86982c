package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/liveplot/liveplot/internal/testenv"
)

// titledTraceJS reads trace 0 of the figure titled %q on the page, as traceJS does.
const titledTraceJS = `(function (title) {
  for (const gd of document.querySelectorAll(".liveplot-figure")) {
    const t = gd.layout && gd.layout.title;
    if (!gd.data || !gd.data[0] || !t || t.text !== title) continue;
    const plain = (v) => v == null ? [] : (Array.isArray(v) ? v : (ArrayBuffer.isView(v) ? Array.from(v) : (v._vals ? Array.from(v._vals) : [])));
    return {x: plain(gd.data[0].x).map(String), y: plain(gd.data[0].y), title: t.text};
  }
  return null;
})(%q)`

// waitTitled polls the figure titled title until want(trace) holds, or fails with the last seen.
func waitTitled(t *testing.T, ctx context.Context, title, what string, want func(trace) bool) trace {
	t.Helper()
	return waitFor(t, ctx, fmt.Sprintf(titledTraceJS, title), fmt.Sprintf("figure %q", title), what, want)
}

// serveProcess is a running `liveplot serve`.
type serveProcess struct {
	cmd     *exec.Cmd
	pageURL string
	natsURL string
	mu      sync.Mutex
	stderr  strings.Builder
}

var natsLine = regexp.MustCompile(`liveplot: NATS at \S+: run producers with LIVEPLOT_NATS=(\S+)`)

// startServe runs `liveplot serve` with args and waits for its page and NATS lines.
func startServe(t *testing.T, bin string, args ...string) *serveProcess {
	t.Helper()
	s := &serveProcess{cmd: exec.Command(bin, append([]string{"serve"}, args...)...)}
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		if t.Failed() {
			t.Logf("liveplot serve's stderr:\n%s", s.log())
		}
	})
	ready := make(chan bool, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			line := lines.Text()
			s.mu.Lock()
			s.stderr.WriteString(line + "\n")
			if m := pageURL.FindStringSubmatch(line); m != nil {
				s.pageURL = m[1]
			}
			if m := natsLine.FindStringSubmatch(line); m != nil {
				s.natsURL = m[1]
			}
			done := s.pageURL != "" && s.natsURL != ""
			s.mu.Unlock()
			if done {
				ready <- true
				break
			}
		}
		close(ready)
		for lines.Scan() {
			s.mu.Lock()
			s.stderr.WriteString(lines.Text() + "\n")
			s.mu.Unlock()
		}
	}()
	select {
	case ok := <-ready:
		if !ok {
			t.Fatalf("liveplot serve ended without printing its addresses:\n%s", s.log())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("liveplot serve printed no addresses in 30s:\n%s", s.log())
	}
	return s
}

func (s *serveProcess) log() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stderr.String()
}

// produce runs the producer program with LIVEPLOT_NATS=natsURL and args, and returns its
// combined output and error once it exits.
func produce(ctx context.Context, bin, natsURL string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "LIVEPLOT_NATS="+natsURL)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// TestRemoteProducersThroughServe runs `liveplot serve` (an embedded NATS server and the local
// page), two producer processes that use only the public API and publish through NATS because
// LIVEPLOT_NATS is set, and the serve page in headless Chromium: the page shows each
// producer's exact window, and so does a page opened after both producers finished.
func TestRemoteProducersThroughServe(t *testing.T) {
	ctx := testenv.Browser(t)
	liveplot := buildProgram(t, "cmd/liveplot")
	producer := buildProgram(t, "internal/e2e/testdata/natsproducer")
	srv := startServe(t, liveplot, "-addr", "127.0.0.1:0", "-nats", "127.0.0.1:0", "-nats-user", "alice", "-nats-password", "s3cret")
	if strings.Contains(srv.log(), "s3cret") {
		t.Fatalf("serve printed the password:\n%s", srv.log())
	}
	natsURL := strings.Replace(srv.natsURL, "xxxxx", "s3cret", 1)

	if err := chromedp.Do(ctx, testenv.CountViolations(), chromedp.Navigate(srv.pageURL)); err != nil {
		t.Fatal(err)
	}
	// Two producers at once: A writes 1..300 with a window of 50, B 1..120 with a window of 80.
	// Each holds its stream open once written, until the test closes its standard input.
	pctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	a := startProducer(t, pctx, producer, natsURL, "-hold", "-title", "A", "-n", "300", "-maxpoints", "50")
	b := startProducer(t, pctx, producer, natsURL, "-hold", "-title", "B", "-n", "120", "-maxpoints", "80", "-interval", "5ms")
	// The page shows both figures before a point is written: then only the frames can bring the
	// windows (a snapshot taken when the page subscribed would be empty).
	a.waitLine(t, "natsproducer: open")
	b.waitLine(t, "natsproducer: open")
	for _, title := range []string{"A", "B"} {
		waitTitled(t, ctx, title, "figure "+title+" drawn, empty", func(tr trace) bool { return len(tr.Y) == 0 })
	}
	a.next(t)
	b.next(t)
	a.waitLine(t, "natsproducer: written")
	b.waitLine(t, "natsproducer: written")
	checkWindows := func(t *testing.T, ctx context.Context) {
		t.Helper()
		waitTitled(t, ctx, "A", "A's window: y = 251..300", func(tr trace) bool { return equal(tr.Y, counting(251, 1, 50)) })
		waitTitled(t, ctx, "B", "B's window: y = 41..120", func(tr trace) bool { return equal(tr.Y, counting(41, 1, 80)) })
	}
	t.Run("the page open while they stream shows both windows", func(t *testing.T) { checkWindows(t, ctx) })
	t.Run("a page opened mid-stream gets the windows from the producers", func(t *testing.T) {
		late := testenv.Browser(t)
		if err := chromedp.Do(late, chromedp.Navigate(srv.pageURL)); err != nil {
			t.Fatal(err)
		}
		checkWindows(t, late)
	})
	a.finish(t)
	b.finish(t)
	t.Run("the page keeps the final windows", func(t *testing.T) { checkWindows(t, ctx) })
	t.Run("a page opened after the producers finished shows the final windows", func(t *testing.T) {
		late := testenv.Browser(t)
		if err := chromedp.Do(late, chromedp.Navigate(srv.pageURL)); err != nil {
			t.Fatal(err)
		}
		checkWindows(t, late)
	})
	t.Run("a producer with wrong credentials fails and says what to do", func(t *testing.T) {
		bad := strings.Replace(natsURL, "s3cret", "wrong", 1)
		out, err := produce(pctx, producer, bad, "-title", "C", "-n", "5")
		if err == nil {
			t.Fatalf("the producer with a wrong password succeeded:\n%s", out)
		}
		for _, want := range []string{"refused the credentials", "nats://USER:PASSWORD@HOST:PORT", "LIVEPLOT_NATS"} {
			if !strings.Contains(out, want) {
				t.Errorf("its error does not say %q:\n%s", want, out)
			}
		}
		if strings.Contains(out, "wrong") {
			t.Errorf("its error shows the password:\n%s", out)
		}
	})
	if v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.cspViolations`)); err != nil || len(v) != 0 {
		t.Errorf("Content-Security-Policy violations on the page: %q (error %v)", v, err)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := srv.cmd.Wait(); err != nil {
		t.Errorf("liveplot serve, interrupted: %v\n%s", err, srv.log())
	}
}

// producerProcess is a running producer started with -hold.
type producerProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	lines chan string
	mu    sync.Mutex
	out   strings.Builder
}

func startProducer(t *testing.T, ctx context.Context, bin, natsURL string, args ...string) *producerProcess {
	t.Helper()
	p := &producerProcess{cmd: exec.CommandContext(ctx, bin, args...), lines: make(chan string, 16)}
	p.cmd.Env = append(os.Environ(), "LIVEPLOT_NATS="+natsURL)
	p.cmd.Stderr = &lockedWriter{p}
	stdin, err := p.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.stdin = stdin
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill(); p.cmd.Wait() })
	go func() {
		lines := bufio.NewScanner(stdout)
		for lines.Scan() {
			fmt.Fprintln(&lockedWriter{p}, lines.Text())
			if strings.HasPrefix(lines.Text(), "natsproducer: ") {
				p.lines <- lines.Text()
			}
		}
		close(p.lines)
	}()
	return p
}

type lockedWriter struct{ p *producerProcess }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.out.Write(b)
}

func (p *producerProcess) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// waitLine waits until the producer prints want.
func (p *producerProcess) waitLine(t *testing.T, want string) {
	t.Helper()
	select {
	case line, ok := <-p.lines:
		if !ok || line != want {
			t.Fatalf("producer %v: waiting for %q, got %q:\n%s", p.cmd.Args, want, line, p.output())
		}
	case <-time.After(waitBound):
		t.Fatalf("producer %v did not print %q in %v:\n%s", p.cmd.Args, want, waitBound, p.output())
	}
}

// next lets a producer that holds go on.
func (p *producerProcess) next(t *testing.T) {
	t.Helper()
	if _, err := fmt.Fprintln(p.stdin, "go"); err != nil {
		t.Fatal(err)
	}
}

// finish lets the producer close its stream and waits until it exits.
func (p *producerProcess) finish(t *testing.T) {
	t.Helper()
	p.stdin.Close()
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("producer %v: %v\n%s", p.cmd.Args, err, p.output())
	}
}

// storedWindow polls the NATS server at natsURL until a stored snapshot contains want, the
// JSON of a window's y values: a producer stores its channel's snapshot once a second, in the
// key-value bucket docs/remote.md names.
func storedWindow(t *testing.T, natsURL, want string) {
	t.Helper()
	nc, err := nats.Connect(natsURL)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), waitBound)
	defer cancel()
	for {
		if kv, err := js.KeyValue(ctx, "liveplot_snapshots"); err == nil {
			if keys, err := kv.Keys(ctx); err == nil {
				for _, k := range keys {
					if e, err := kv.Get(ctx, k); err == nil && strings.Contains(string(e.Value()), want) {
						return
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no stored snapshot holds %s", want)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// yJSON is the JSON of the values from, from+1, ... (n values), as a snapshot holds them.
func yJSON(from, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = strconv.Itoa(from + i)
	}
	return `"y":[` + strings.Join(parts, ",") + `]`
}

// TestRemoteProducerKilled kills a producer mid-stream (its stream never closed): the open page
// keeps the last window, and a page opened afterwards gets it too, from the snapshot the
// producer stored on the NATS server.
func TestRemoteProducerKilled(t *testing.T) {
	ctx := testenv.Browser(t)
	liveplot := buildProgram(t, "cmd/liveplot")
	producer := buildProgram(t, "internal/e2e/testdata/natsproducer")
	srv := startServe(t, liveplot, "-addr", "127.0.0.1:0", "-nats", "127.0.0.1:0")
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.pageURL)); err != nil {
		t.Fatal(err)
	}
	pctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startProducer(t, pctx, producer, srv.natsURL, "-hold", "-title", "K", "-n", "300", "-maxpoints", "50")
	p.waitLine(t, "natsproducer: open")
	waitTitled(t, ctx, "K", "figure K drawn, empty", func(tr trace) bool { return len(tr.Y) == 0 })
	p.next(t)
	p.waitLine(t, "natsproducer: written")
	window := func(tr trace) bool { return equal(tr.Y, counting(251, 1, 50)) }
	waitTitled(t, ctx, "K", "K's window: y = 251..300", window)
	storedWindow(t, srv.natsURL, yJSON(251, 50))
	if err := p.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	t.Run("the open page keeps the last window", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		waitTitled(t, ctx, "K", "K's window after a reload", window)
	})
	t.Run("a page opened after the kill gets the last window", func(t *testing.T) {
		late := testenv.Browser(t)
		if err := chromedp.Do(late, chromedp.Navigate(srv.pageURL)); err != nil {
			t.Fatal(err)
		}
		waitTitled(t, late, "K", "K's window on a new page", window)
	})
}

// TestRemoteNATSRestart stops the NATS server (not serve's own: `liveplot serve -nats-url`)
// near the end of a stream, lets the producer write the last points while it is down, and starts
// it again: the producer and the relay reconnect, and the page ends with the exact window while
// the stream is still open, so from frames and snapshots (frames sent while the server was down
// may be lost; the relay's resync must cover them), not from the final figure. It logs how long
// the page took.
func TestRemoteNATSRestart(t *testing.T) {
	ctx := testenv.Browser(t)
	liveplot := buildProgram(t, "cmd/liveplot")
	producer := buildProgram(t, "internal/e2e/testdata/natsproducer")
	store := t.TempDir()
	ns := testenv.NATSServer(t, store, 0, "", "")
	port := ns.Addr().(*net.TCPAddr).Port
	natsURL := "nats://127.0.0.1:" + strconv.Itoa(port)
	srv := startServe(t, liveplot, "-addr", "127.0.0.1:0", "-nats-url", natsURL)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.pageURL)); err != nil {
		t.Fatal(err)
	}
	pctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	p := startProducer(t, pctx, producer, natsURL, "-hold", "-title", "R", "-n", "300", "-maxpoints", "50", "-pause", "280")
	p.waitLine(t, "natsproducer: open")
	waitTitled(t, ctx, "R", "figure R drawn, empty", func(tr trace) bool { return len(tr.Y) == 0 })
	p.next(t)
	p.waitLine(t, "natsproducer: paused")
	waitTitled(t, ctx, "R", "R's window: y = 231..280", func(tr trace) bool { return equal(tr.Y, counting(231, 1, 50)) })
	ns.Shutdown()
	ns.WaitForShutdown()
	p.next(t) // 281..300, written while the server is down
	p.waitLine(t, "natsproducer: written")
	restarted := time.Now()
	testenv.NATSServer(t, store, port, "", "")
	waitTitled(t, ctx, "R", "R's window: y = 251..300", func(tr trace) bool { return equal(tr.Y, counting(251, 1, 50)) })
	t.Logf("the page showed the exact window %v after the server was started again", time.Since(restarted))
	if !strings.Contains(srv.log(), "lost the connection to NATS") {
		t.Errorf("serve did not report the lost connection:\n%s", srv.log())
	}
	p.finish(t)
}
