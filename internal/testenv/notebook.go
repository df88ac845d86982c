package testenv

import (
	"context"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
)

// NotebookOptions configures NotebookServer.
type NotebookOptions struct {
	// BaseURL is the server's base_url, e.g. "/user/x/" (default "/").
	BaseURL string
	// TLS serves https with a self-signed certificate made for the test (open the page with
	// Browser(t, IgnoreCertificateErrors)).
	TLS bool
}

// Notebook is a Jupyter Notebook 6 server with the GoNB kernel installed, for one test.
type Notebook struct {
	*harness.Notebook
}

// NotebookServer installs the GoNB kernel (from bin/, with the module root in its go.work) into a
// private Jupyter data directory and starts Debian's Jupyter Notebook on 127.0.0.1 with it. The
// server stops when the test ends.
func NotebookServer(t testing.TB, opts NotebookOptions) *Notebook {
	t.Helper()
	return &Notebook{startServer(t, "jupyter notebook", harness.StartNotebook, opts)}
}

// startServer starts a server with start for the test and stops it when the test ends, logging
// the tail of its log if the test failed.
func startServer[S interface {
	Close()
	LogTail(int) string
}](t testing.TB, what string, start func(context.Context, string, harness.NotebookOptions) (S, error), opts NotebookOptions) S {
	t.Helper()
	SkipIfShort(t, what)
	root := ModuleRoot(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := start(ctx, root, harness.NotebookOptions{Dir: t.TempDir(), BaseURL: opts.BaseURL, TLS: opts.TLS})
	check(t, err)
	t.Cleanup(func() {
		s.Close()
		if t.Failed() {
			t.Logf("%s log (tail):\n%s", what, s.LogTail(6000))
		}
	})
	return s
}

// Driver implements Frontend: Notebook 6's page driver.
func (n *Notebook) Driver() harness.Page { return harness.ClassicPage{} }

// WriteNotebook writes a notebook of code cells, in the GoNB kernel, into the server's root.
func (n *Notebook) WriteNotebook(t testing.TB, name string, cells ...string) string {
	t.Helper()
	path, err := n.Notebook.WriteNotebook(name, harness.GoNB, cells...)
	check(t, err)
	return path
}

// NBConvertExecute runs `nbconvert --to notebook --execute` on a notebook of the server's root,
// with the same kernel, and returns the executed notebook and how long nbconvert took.
func (n *Notebook) NBConvertExecute(t testing.TB, ctx context.Context, name string) ([]byte, time.Duration) {
	t.Helper()
	raw, took, err := n.Notebook.NBConvertExecute(ctx, name)
	check(t, err)
	return raw, took
}
