package harness

import (
	"context"
	"fmt"
	"os/exec"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPaths are where Debian's package and common installs put the browser.
var chromiumPaths = []string{"chromium", "chromium-browser", "/usr/bin/chromium"}

// Chromium returns the path of the headless browser.
func Chromium() (string, error) {
	for _, name := range chromiumPaths {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", &MissingError{What: "Chromium", Install: "install Debian's chromium package (scripts/setup does)"}
}

// IgnoreCertificateErrors lets the browser open the loopback https servers of tests, whose
// certificates are self-signed.
var IgnoreCertificateErrors = chromedp.Flag("ignore-certificate-errors", true)

// StartBrowser starts a headless Chromium whose profile is userDataDir (a fresh directory), with
// extra options added to the usual ones, and returns a chromedp context for one tab in it; cancel
// closes the browser.
func StartBrowser(userDataDir string, extra ...chromedp.ExecAllocatorOption) (ctx context.Context, cancel context.CancelFunc, err error) {
	path, err := Chromium()
	if err != nil {
		return nil, nil, err
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(userDataDir),
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
	tab, cancelTab := chromedp.NewContext(allocCtx)
	cancel = func() {
		cancelTab()
		cancelAlloc()
	}
	// Start the browser now, so that a browser that cannot start fails here, plainly. (The first
	// run's context must not have a timeout: it would end the browser; see chromedp.Run.)
	if err := chromedp.Do(tab); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("harness: starting Chromium (%s): %w", path, err)
	}
	return tab, cancel, nil
}

// Poll evaluates expr in the page every 50 ms until it returns true, or returns an error naming
// what it waited for once timeout passes (or ctx is done).
func Poll(ctx context.Context, timeout time.Duration, what, expr string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waited %v for %s (%s): last error %v", timeout, what, expr, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
