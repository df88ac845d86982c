package testenv

import (
	"context"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPaths are where Debian's package and common installs put the browser.
var chromiumPaths = []string{"chromium", "chromium-browser", "/usr/bin/chromium"}

// Chromium returns the path of the headless browser the tests drive.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range chromiumPaths {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, "Chromium", "install Debian's chromium package (scripts/setup does)")
	return ""
}

// IgnoreCertificateErrors lets the browser open the test's own https servers, whose
// certificates are self-signed.
var IgnoreCertificateErrors = chromedp.Flag("ignore-certificate-errors", true)

// Browser starts a headless Chromium with a fresh profile for the test and returns a chromedp
// context for one tab in it; extra options are added to the browser's. The browser is closed
// when the test ends. Each call starts its own browser, so tests that use it can run in parallel.
func Browser(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	path := Chromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", "new"),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1200, 900),
	}
	opts = append(opts, extra...)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// Start the browser now, so that a browser that cannot start fails here, plainly. (The first
	// run's context must not have a timeout: it would end the browser; see chromedp.Run.)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium (%s): %v", path, err)
	}
	return ctx
}

// Poll evaluates expr in the page every 50 ms until it returns true, or fails the test when
// timeout passes, naming what it waited for.
func Poll(t testing.TB, ctx context.Context, timeout time.Duration, what, expr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("waited %v for %s (%s): last error %v", timeout, what, expr, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
