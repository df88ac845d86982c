package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/liveplot/liveplot/internal/testenv"
)

// These tests run the built liveplot binary under a file-size limit (bash's ulimit -f, in KiB),
// so that its writes fail part way, as on a full disk: the files it would have replaced must keep
// their old bytes, and no temporary file may be left beside them.

var (
	binaryOnce sync.Once
	binaryPath string
	binaryErr  error
	binaryOut  []byte
)

// liveplotBinary builds this command once per test binary.
func liveplotBinary(t *testing.T) string {
	t.Helper()
	binaryOnce.Do(func() {
		dir, err := os.MkdirTemp("", "liveplot-bin-")
		if err != nil {
			binaryErr = err
			return
		}
		binaryPath = filepath.Join(dir, "liveplot")
		binaryOut, binaryErr = exec.Command("go", "build", "-o", binaryPath, ".").CombinedOutput()
	})
	if binaryErr != nil {
		t.Fatalf("go build: %v\n%s", binaryErr, binaryOut)
	}
	return binaryPath
}

// runLimited runs the liveplot binary in dir with writes limited to limitKiB per file.
func runLimited(t *testing.T, dir string, limitKiB int, args ...string) (int, string) {
	t.Helper()
	testenv.Tool(t, "bash")
	bin := liveplotBinary(t)
	cmd := exec.Command("bash", append([]string{"-c", `ulimit -f "$1"; shift; exec "$@"`, "bash",
		strconv.Itoa(limitKiB), bin}, args...)...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return code, out.String()
}

// bigMarkdownNotebook returns a jupytext Markdown notebook of about 300 KB.
func bigMarkdownNotebook() []byte {
	var b bytes.Buffer
	b.WriteString("# A big notebook\n")
	for range 3000 {
		b.WriteString("Cell " + strings.Repeat("lorem ipsum ", 5) + "\n\n```go\nfmt.Println(\"x\")\n```\n\n")
	}
	return b.Bytes()
}

// assertUntouched fails unless path holds want and dir holds only the names in keep.
func assertUntouched(t *testing.T, path string, want []byte, dir string, keep ...string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed: %d bytes, was %d", filepath.Base(path), len(got), len(want))
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != strings.Join(keep, " ") {
		t.Errorf("the directory holds %v, want only %v (no temporary file left)", names, keep)
	}
}

// TestJupytextFailedWriteKeepsItsOwnInput: "liveplot jupytext --to md X.md" writes X.md over its
// own input. When the write fails part way, X.md must keep every byte: before internal/atomicfile
// the command truncated X.md and wrote what fit (16 KiB of a 300 KB notebook).
func TestJupytextFailedWriteKeepsItsOwnInput(t *testing.T) {
	dir := t.TempDir()
	md := bigMarkdownNotebook()
	path := filepath.Join(dir, "X.md")
	if err := os.WriteFile(path, md, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runLimited(t, dir, 16, "jupytext", "--to", "md", "X.md")
	if code == 0 {
		t.Fatalf("exit 0 with writes limited to 16 KiB:\n%s", out)
	}
	if !strings.Contains(out, "writing X.md") || !strings.Contains(out, "file too large") {
		t.Errorf("the error does not say which write failed and why:\n%s", out)
	}
	assertUntouched(t, path, md, dir, "X.md")
}

// TestJupytextFailedWriteKeepsTheOldOutput: converting X.ipynb onto an X.md that exists leaves
// the old X.md whole when the write fails.
func TestJupytextFailedWriteKeepsTheOldOutput(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "X.md")
	if err := os.WriteFile(path, bigMarkdownNotebook(), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out := runLimited(t, dir, 1<<20, "jupytext", "--to", "ipynb", "X.md"); code != 0 {
		t.Fatalf("making X.ipynb: exit %d\n%s", code, out)
	}
	old := []byte("the old Markdown, which a failed write must keep\n")
	if err := os.WriteFile(path, old, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runLimited(t, dir, 16, "jupytext", "--to", "md", "X.ipynb")
	if code == 0 {
		t.Fatalf("exit 0 with writes limited to 16 KiB:\n%s", out)
	}
	assertUntouched(t, path, old, dir, "X.ipynb", "X.md")
}

// TestRunFailedHTMLWriteKeepsTheOldPage: "liveplot run --html OUT.html" rewrites a page that
// exists. The page embeds plotly.js (some MB), so a 2 MiB limit lets the notebook be written
// and fails the page part way: the old page must stay whole. Before internal/atomicfile the
// command created OUT.html in place and left the first 2 MiB of the new page.
func TestRunFailedHTMLWriteKeepsTheOldPage(t *testing.T) {
	useGoNB(t)
	dir := t.TempDir()
	nb := "# A shell cell\n\n```go\n!echo hello\n```\n"
	if err := os.WriteFile(filepath.Join(dir, "nb.md"), []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "nb.html")
	old := []byte("<p>the old page, which a failed write must keep</p>\n")
	if err := os.WriteFile(page, old, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out := runLimited(t, dir, 2048, "run", "-q", "--html", "nb.html", "nb.md")
	if code == 0 {
		t.Fatalf("exit 0 with writes limited to 2 MiB:\n%s", out)
	}
	if !strings.Contains(out, "writing nb.html") || !strings.Contains(out, "file too large") {
		t.Errorf("the error does not say which write failed and why:\n%s", out)
	}
	assertUntouched(t, page, old, dir, "nb.html", "nb.ipynb", "nb.md")
}
