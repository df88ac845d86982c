package testenv

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
)

// Chromium returns the path of the headless browser the tests drive.
func Chromium(t testing.TB) string {
	t.Helper()
	SkipIfShort(t, "Chromium")
	p, err := harness.Chromium()
	check(t, err)
	return p
}

// IgnoreCertificateErrors lets the browser open the test's own https servers, whose
// certificates are self-signed.
var IgnoreCertificateErrors = harness.IgnoreCertificateErrors

// Browser starts a headless Chromium with a fresh profile for the test and returns a chromedp
// context for one tab in it; extra options are added to the browser's. The browser is closed
// when the test ends. Each call starts its own browser, so tests that use it can run in parallel.
func Browser(t testing.TB, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	SkipIfShort(t, "Chromium")
	ctx, cancel, err := harness.StartBrowser(t.TempDir(), extra...)
	check(t, err)
	t.Cleanup(cancel)
	return ctx
}

// Poll evaluates expr in the page every 50 ms until it returns true, or fails the test when
// timeout passes, naming what it waited for.
func Poll(t testing.TB, ctx context.Context, timeout time.Duration, what, expr string) {
	t.Helper()
	check(t, harness.Poll(ctx, timeout, what, expr))
}

// check ends the test on err: through Missing when a component is missing, as a failure otherwise.
func check(t testing.TB, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var m *harness.MissingError
	if errors.As(err, &m) {
		Missing(t, m.What, m.Install)
	}
	t.Fatal(err)
}

// CountViolations records the page's Content-Security-Policy violations ("directive
// blocked-URI source:line") in window.cspViolations, from before the page's first script, on
// every page the tab loads from then on; the list is kept in the tab's sessionStorage, so it
// holds the violations of earlier loads (before a reload) too. Use it before navigating.
func CountViolations() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `
Object.defineProperty(window, "cspViolations", { get: () => JSON.parse(sessionStorage.getItem("cspViolations") || "[]") });
document.addEventListener("securitypolicyviolation", (e) => {
  const list = window.cspViolations;
  list.push(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber);
  sessionStorage.setItem("cspViolations", JSON.stringify(list));
});`})
		return err
	})
}
