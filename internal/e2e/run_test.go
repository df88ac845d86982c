package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// TestRunTutorialToHTML runs a Markdown notebook with a live figure through `liveplot run`
// (a real GoNB kernel, no Jupyter server) and opens its --html page, offline, in Chromium: the
// figure shows the stream's final window.
func TestRunTutorialToHTML(t *testing.T) {
	dataDir := testenv.GoNBKernel(t)
	ctx := testenv.Browser(t)
	liveplot := buildProgram(t, "cmd/liveplot")
	dir := t.TempDir()
	tok := fmt.Sprintf("run-%d", time.Now().UnixNano())
	md := "# A live figure\n\n```go\n" + harness.GoNBSetupCell + "\n```\n\n```go\n" + figureCell(tok, 40) + "```\n\n```go\n" + writeCell(0, 300, 0) + "```\n"
	src := filepath.Join(dir, "live.md")
	if err := os.WriteFile(src, []byte(md), 0o644); err != nil {
		t.Fatal(err)
	}
	html := filepath.Join(dir, "live.html")
	cmd := exec.Command(liveplot, "run", "--html", html, src)
	cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+dataDir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("liveplot run: %v\n%s", err, out)
	}
	if y := savedY(t, filepath.Join(dir, "live.ipynb"), 2); !equal(y, counting(260, 1, 40)) {
		t.Fatalf("the executed notebook's figure has y = %v, want 260..299", y)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(page), "* plotly.js v"); n != 1 {
		t.Errorf("the page holds plotly.js %d times, want once", n)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+html)); err != nil {
		t.Fatal(err)
	}
	waitY(t, ctx, 30*time.Second, "the final window in the page", func(y []float64) bool { return equal(y, counting(260, 1, 40)) })
}
