package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
)

// Lab is Debian's jupyter_server serving the JupyterLab 4 test page (internal/labpage), with the
// GoNB kernel installed, for one test.
type Lab struct {
	*harness.Lab
}

// LabServer installs the GoNB kernel (as NotebookServer does) and starts Debian's jupyter_server
// with the JupyterLab 4 test page on 127.0.0.1. The server stops when the test ends. Outside CI
// the test is skipped when jupyter_server or the page's bundle is missing (scripts/setup
// installs and builds both).
func LabServer(t testing.TB, opts NotebookOptions) *Lab {
	t.Helper()
	return &Lab{startServer(t, "jupyter_server", harness.StartLab, opts)}
}

// WriteNotebook writes a notebook of code cells, in the GoNB kernel, into the server's root.
func (l *Lab) WriteNotebook(t testing.TB, name string, cells ...string) string {
	t.Helper()
	path, err := l.Lab.WriteNotebook(name, harness.GoNB, cells...)
	check(t, err)
	return path
}

// Trust signs a notebook of the server's root, as `jupyter trust` does, so that the page runs
// its outputs' scripts when it opens it.
func (l *Lab) Trust(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	check(t, l.Lab.Trust(ctx, name))
}

// Frontend is a Jupyter server with its notebook front-end: NotebookServer's (Notebook 6) or
// LabServer's (the JupyterLab 4 test page). A test written against Frontend and Page runs over
// either.
type Frontend interface {
	// PageURL is the address of a notebook's page, token included.
	PageURL(name string) string
	// WriteNotebook writes a notebook of GoNB code cells into the server's root.
	WriteNotebook(t testing.TB, name string, cells ...string) string
	// Driver drives the front-end's page.
	Driver() harness.Page
}

var (
	_ Frontend = (*Notebook)(nil)
	_ Frontend = (*Lab)(nil)
)

// Driver implements Frontend: the JupyterLab page's driver.
func (l *Lab) Driver() harness.Page { return harness.LabPage{} }

// Open opens the notebook name of fe in the browser tab ctx and waits until its kernel is
// ready.
func Open(t testing.TB, ctx context.Context, fe Frontend, name string) *Page {
	t.Helper()
	return OpenPage(t, ctx, fe.Driver(), fe.PageURL(name))
}

// Page is a notebook open in a front-end in the test's browser, through harness.Page; its
// methods end the test on error.
type Page struct {
	t   testing.TB
	ctx context.Context
	p   harness.Page
}

// OpenPage opens url in the browser tab ctx with the front-end driver p (harness.LabPage{} or
// harness.ClassicPage{}) and waits until the notebook's kernel is ready (pageReady at most).
func OpenPage(t testing.TB, ctx context.Context, p harness.Page, url string) *Page {
	t.Helper()
	check(t, p.Open(ctx, url, pageReady))
	return &Page{t: t, ctx: ctx, p: p}
}

// Reload reloads the page and waits until its kernel is ready again.
func (p *Page) Reload() { p.t.Helper(); check(p.t, p.p.Reload(p.ctx, pageReady)) }

// pageReady bounds the wait for a page's kernel to be connected and idle: a new GoNB kernel
// behind a page that parses megabytes of scripts took over a minute with the test command's
// other packages and three busy loops beside it.
const pageReady = 3 * time.Minute

// RunAll runs every cell; it does not wait.
func (p *Page) RunAll() { p.t.Helper(); check(p.t, p.p.RunAll(p.ctx)) }

// RunCell runs cell i; it does not wait.
func (p *Page) RunCell(i int) { p.t.Helper(); check(p.t, p.p.RunCell(p.ctx, i)) }

// WaitCell waits until cell i has run and finished.
func (p *Page) WaitCell(i int, timeout time.Duration) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		done, err := p.p.CellDone(p.ctx, i)
		if err == nil && done {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("waited %v for cell %d to finish (last error %v)", timeout, i, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// WaitDone waits until every run asked for has finished and the kernel is idle.
func (p *Page) WaitDone(timeout time.Duration) {
	p.t.Helper()
	check(p.t, p.p.WaitDone(p.ctx, timeout))
}

// Interrupt interrupts the kernel, as the stop button does.
func (p *Page) Interrupt() { p.t.Helper(); check(p.t, p.p.Interrupt(p.ctx)) }

// Save saves the notebook and waits until the server has written it.
func (p *Page) Save() { p.t.Helper(); check(p.t, p.p.Save(p.ctx, 30*time.Second)) }

// ErrorOutputs counts the error outputs the page shows.
func (p *Page) ErrorOutputs() int {
	p.t.Helper()
	n, err := p.p.ErrorOutputs(p.ctx)
	check(p.t, err)
	return n
}

// Eval evaluates expr in the page and returns its value.
func Eval[T any](t testing.TB, ctx context.Context, expr string) T {
	t.Helper()
	v, err := harness.Eval[T](ctx, expr)
	check(t, err)
	return v
}
