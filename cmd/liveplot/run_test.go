package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/liveplot/liveplot/internal/notebookrun"
	"github.com/liveplot/liveplot/internal/testenv"
)

// These tests run "liveplot run" against the real GoNB kernel (see testenv.GoNBKernel): one
// kernel install, shared, and a kernel per run, so the runs go in parallel.

var jupyterPathOnce sync.Once

// useGoNB makes the installed test kernel the one "liveplot run" finds. JUPYTER_PATH is set for
// the whole test binary (t.Setenv would forbid parallel tests); it only adds kernelspecs.
func useGoNB(t *testing.T) {
	t.Helper()
	dir := testenv.GoNBKernel(t)
	jupyterPathOnce.Do(func() { os.Setenv("JUPYTER_PATH", dir) })
}

func runLiveplot(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	start := time.Now()
	code := run(context.Background(), append([]string{"run"}, args...), &stdout, &stderr)
	t.Logf("liveplot run %s: exit %d in %v\n%s", strings.Join(args, " "), code, time.Since(start).Round(time.Millisecond), stderr.String())
	return code, stderr.String()
}

// ipynb is the part of an .ipynb file the tests read.
type ipynb struct {
	Metadata map[string]any `json:"metadata"`
	Cells    []struct {
		ID             string           `json:"id"`
		CellType       string           `json:"cell_type"`
		Source         []string         `json:"source"`
		ExecutionCount *int             `json:"execution_count"`
		Outputs        []map[string]any `json:"outputs"`
	} `json:"cells"`
}

func readIPYNB(t *testing.T, path string) ipynb {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb ipynb
	if err := json.Unmarshal(data, &nb); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return nb
}

// joined returns an nbformat multi-line string (a list of lines) as one string.
func joined(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, s := range v {
			b.WriteString(s.(string))
		}
		return b.String()
	}
	return ""
}

func TestRunNotebook(t *testing.T) {
	useGoNB(t)
	t.Parallel()
	dir := t.TempDir()
	md := copyFile(t, "testdata/run/demo.md", dir)
	out := filepath.Join(dir, "demo.ipynb")
	page := filepath.Join(dir, "demo.html")
	code, stderr := runLiveplot(t, "--timeout", "3m", "--html", page, md)

	if code == 0 {
		t.Errorf("exit status 0, want non-zero: a cell fails")
	}
	if want := `cell 5 ("panic(\"liveplot boom\")") failed: ERROR: exit status 2 (stderr: panic: liveplot boom)`; !strings.Contains(stderr, want) {
		t.Errorf("stderr does not name the failing cell %s:\n%s", want, stderr)
	}
	nb := readIPYNB(t, out) // written beside the input, with the input's name
	if len(nb.Cells) != 7 {
		t.Fatalf("%d cells, want 7", len(nb.Cells))
	}
	if ks, _ := nb.Metadata["kernelspec"].(map[string]any); ks["name"] != "gonb" {
		t.Errorf("metadata.kernelspec = %v", nb.Metadata["kernelspec"])
	}
	for i, c := range nb.Cells {
		if c.ID == "" {
			t.Errorf("cell %d has no id", i)
		}
		if c.CellType == "code" && c.Outputs == nil {
			t.Errorf("code cell %d has no outputs list", i)
		}
	}
	counts := []int{}
	for _, c := range nb.Cells[1:6] {
		if c.ExecutionCount == nil {
			t.Fatalf("a cell that ran has no execution count: %+v", c)
		}
		counts = append(counts, *c.ExecutionCount)
	}
	for i := 1; i < len(counts); i++ {
		if counts[i] != counts[i-1]+1 {
			t.Errorf("execution counts %v, want consecutive", counts)
		}
	}

	// Streams: one merged stdout output, in the notebook's directory.
	hello := nb.Cells[2].Outputs
	wantText := "hello from the kernel\nwd: " + dir + "\n"
	if len(hello) != 1 || hello[0]["output_type"] != "stream" || hello[0]["name"] != "stdout" || joined(hello[0]["text"]) != wantText {
		t.Errorf("print cell outputs = %v, want one stdout stream %q", hello, wantText)
	}

	// The display shows the HTML of the later cell's update; the updating cell has no output.
	disp := nb.Cells[3].Outputs
	if len(disp) != 1 || disp[0]["output_type"] != "display_data" {
		t.Fatalf("display cell outputs = %v, want one display_data", disp)
	}
	data, _ := disp[0]["data"].(map[string]any)
	if html := joined(data["text/html"]); !strings.Contains(html, `Plotly.newPlot("plot"`) {
		t.Errorf("display_data text/html = %q, want the update's plot", html)
	}
	if _, ok := disp[0]["metadata"]; !ok {
		t.Errorf("display_data without metadata: %v", disp[0])
	}
	if _, ok := disp[0]["transient"]; ok {
		t.Errorf("display_data keeps its transient display id: %v", disp[0])
	}
	if len(nb.Cells[4].Outputs) != 0 {
		t.Errorf("updating cell outputs = %v, want none", nb.Cells[4].Outputs)
	}

	// The error, with its traceback; the panic went to stderr.
	var sawErr, sawPanic bool
	for _, o := range nb.Cells[5].Outputs {
		switch o["output_type"] {
		case "error":
			tb, _ := o["traceback"].([]any)
			sawErr = o["ename"] != "" && len(tb) > 0
		case "stream":
			sawPanic = strings.Contains(joined(o["text"]), "panic: liveplot boom")
		}
	}
	if !sawErr || !sawPanic {
		t.Errorf("failing cell outputs = %v, want the panic on stderr and an error with a traceback", nb.Cells[5].Outputs)
	}
	// The run stopped there.
	if last := nb.Cells[6]; last.ExecutionCount != nil || len(last.Outputs) != 0 {
		t.Errorf("the cell after the failure ran: %+v", last)
	}

	t.Run("HTMLInChromium", func(t *testing.T) {
		ctx := testenv.Browser(t)
		if err := chromedp.Do(ctx, chromedp.Navigate((&url.URL{Scheme: "file", Path: page}).String())); err != nil {
			t.Fatal(err)
		}
		// The figure is drawn offline by the plotly.js in the page head, from the final HTML.
		testenv.Poll(t, ctx, 20*time.Second, "the updated figure drawn", `document.querySelector("#plot .main-svg") !== null`)
		checks := map[string]string{
			"plotly.js embedded once":   `document.querySelectorAll("head script").length === 1 && typeof Plotly === "object"`,
			"no network script":         `[...document.scripts].every(s => !s.src)`,
			"placeholder replaced":      `![...document.querySelectorAll(".output b")].some(b => b.textContent === "placeholder")`,
			"markdown heading":          `document.querySelector("h1").textContent === "A notebook that liveplot run executes"`,
			"stream text":               `document.body.innerText.includes("hello from the kernel")`,
			"error text":                `[...document.querySelectorAll("pre.error")].some(p => p.textContent.length > 0)`,
			"source shown and escaped":  `document.body.innerText.includes("panic(\"liveplot boom\")")`,
			"execution count as prompt": `[...document.querySelectorAll(".prompt")].some(p => /In \[\d+\]:/.test(p.textContent))`,
		}
		for what, expr := range checks {
			var ok bool
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			if err != nil || !ok {
				t.Errorf("%s: %s is %v (%v)", what, expr, ok, err)
			}
		}
	})
}

// TestRunCellTimeout: a cell that never ends is interrupted at --cell-timeout, keeps its
// outputs, does not fail the run, and the next cell runs. The input is an .ipynb, updated in
// place with its cell ids.
func TestRunCellTimeout(t *testing.T) {
	useGoNB(t)
	t.Parallel()
	dir := t.TempDir()
	md := copyFile(t, "testdata/run/loop.md", dir)
	nbPath := filepath.Join(dir, "loop.ipynb")
	if code, _, stderr := runCLI(t, "--to", "ipynb", "--cell-ids", "sequential", md); code != 0 {
		t.Fatalf("converting: %s", stderr)
	}
	os.Remove(md)
	// The loop never ends: that the run ends at all shows the cell timeout. It is long enough for
	// the cell to build and print first on a busy machine (the build counts as the cell's time).
	code, stderr := runLiveplot(t, "--cell-timeout", "40s", "--timeout", "5m", nbPath)
	if code != 0 {
		t.Fatalf("exit %d, want 0: an interrupted cell is not a failure\n%s", code, stderr)
	}
	nb := readIPYNB(t, nbPath)
	loop, after := nb.Cells[1], nb.Cells[2]
	if loop.ID != "00000001" || after.ID != "00000002" {
		t.Errorf("cell ids %q %q, want the input's 00000001 00000002", loop.ID, after.ID)
	}
	if len(loop.Outputs) == 0 || !strings.HasPrefix(joined(loop.Outputs[0]["text"]), "looping") {
		t.Errorf("loop cell outputs = %v, want its output before the interrupt", loop.Outputs)
	}
	if loop.ExecutionCount == nil || after.ExecutionCount == nil || len(after.Outputs) != 1 || joined(after.Outputs[0]["text"]) != "after the loop\n" {
		t.Errorf("cell after the loop: %+v, want it run", after)
	}
}

// TestRunDeadKernel: the kernel dies under a cell: a clear error naming the cell, and the
// outputs recorded before still written.
func TestRunDeadKernel(t *testing.T) {
	useGoNB(t)
	t.Parallel()
	dir := t.TempDir()
	md := copyFile(t, "testdata/run/die.md", dir)
	out := filepath.Join(dir, "out.ipynb")
	start := time.Now()
	code, stderr := runLiveplot(t, "--timeout", "2m", "-o", out, md)
	if code == 0 || !strings.Contains(stderr, `cell 1 ("syscall.Kill(os.Getppid(), syscall.SIGKILL)")`) || !strings.Contains(stderr, "kernel died") {
		t.Errorf("exit %d, stderr:\n%s\nwant non-zero and the dead kernel named with its cell", code, stderr)
	}
	if elapsed := time.Since(start); elapsed > time.Minute {
		t.Errorf("noticing the dead kernel took %v", elapsed)
	}
	nb := readIPYNB(t, out)
	if o := nb.Cells[0].Outputs; len(o) != 1 || joined(o[0]["text"]) != "before the kernel dies\n" {
		t.Errorf("outputs before the kernel died = %v, want them written", o)
	}
	if nb.Cells[2].ExecutionCount != nil {
		t.Errorf("a cell ran after the kernel died: %+v", nb.Cells[2])
	}
}

func TestRunMissingKernel(t *testing.T) {
	useGoNB(t)
	t.Parallel()
	dir := t.TempDir()
	md := copyFile(t, "testdata/run/loop.md", dir)
	code, stderr := runLiveplot(t, "--kernel", "no-such-kernel", md)
	for _, want := range []string{`kernel "no-such-kernel" is not installed`, "installed: gonb", "--kernel"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr does not say %q:\n%s", want, stderr)
		}
	}
	if code == 0 {
		t.Error("exit status 0")
	}
	if _, err := os.Stat(filepath.Join(dir, "loop.ipynb")); err == nil {
		t.Error("an output was written although nothing ran")
	}
}

func TestRunUnparsableNotebook(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := copyFile(t, "testdata/run/broken.ipynb", dir)
	before, _ := os.ReadFile(bad)
	code, stderr := runLiveplot(t, bad)
	if code == 0 || !strings.Contains(stderr, bad+":3:") || !strings.Contains(stderr, "does not parse") {
		t.Errorf("exit %d, stderr:\n%s\nwant an error at %s:3", code, stderr, bad)
	}
	if after, _ := os.ReadFile(bad); !bytes.Equal(before, after) {
		t.Error("the unparsable notebook was overwritten")
	}
}

func TestRunFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string // "" for success
		out  string
	}{
		{args: []string{"a/nb.md"}, out: "a/nb.ipynb"},
		{args: []string{"nb.ipynb"}, out: "nb.ipynb"},
		{args: []string{"nb.md", "-o", "x.ipynb", "--cell-timeout", "5s"}, out: "x.ipynb"},
		{args: []string{}, want: "no notebook"},
		{args: []string{"a.md", "b.md"}, want: "one notebook at a time"},
		{args: []string{"--timeout", "-1s", "a.md"}, want: "negative"},
	} {
		var stderr bytes.Buffer
		f, err := parseRunFlags(tc.args, &stderr)
		switch {
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q: error %v, want %q", tc.args, err, tc.want)
		case tc.want == "" && err != nil:
			t.Errorf("%q: %v", tc.args, err)
		case tc.want == "" && f.output != tc.out:
			t.Errorf("%q: output %q, want %q", tc.args, f.output, tc.out)
		case tc.want == "" && f.progress:
			t.Errorf("%q: progress lines on a buffer, not a terminal", tc.args)
		}
	}
}

// TestRunTimeout: --timeout bounds the whole run; the cell running then is named, and its
// outputs so far are written.
func TestRunTimeout(t *testing.T) {
	useGoNB(t)
	t.Parallel()
	dir := t.TempDir()
	md := copyFile(t, "testdata/run/loop.md", dir)
	// The loop never ends: that the run ends at all shows the timeout. It is long enough for the
	// kernel to start and the cell to build and print first on a busy machine.
	code, stderr := runLiveplot(t, "--timeout", "40s", md)
	if code == 0 || !strings.Contains(stderr, `cell 1 ("fmt.Println(\"looping\")")`) || !strings.Contains(stderr, "longer than --timeout 40s") {
		t.Errorf("exit %d, stderr:\n%s\nwant the timeout and the running cell named", code, stderr)
	}
	nb := readIPYNB(t, filepath.Join(dir, "loop.ipynb"))
	if o := nb.Cells[1].Outputs; len(o) == 0 || !strings.HasPrefix(joined(o[0]["text"]), "looping") {
		t.Errorf("loop cell outputs = %v, want what it printed before the timeout", o)
	}
	if nb.Cells[2].ExecutionCount != nil {
		t.Errorf("a cell ran after the timeout: %+v", nb.Cells[2])
	}
}

func TestPrintProgress(t *testing.T) {
	var b bytes.Buffer
	p := notebookrun.Progress{N: 2, Total: 5, Index: 3, FirstLine: `fmt.Println("hi")`}
	printProgress(&b, p)
	p.Done, p.Result = true, notebookrun.CellResult{Status: notebookrun.StatusOK, Duration: 1234 * time.Millisecond}
	printProgress(&b, p)
	if want := "[2/5] cell 3  fmt.Println(\"hi\") ... ok (1.23s)\n"; b.String() != want {
		t.Errorf("progress line %q, want %q", b.String(), want)
	}
}

// TestRunFailingShellCell: GoNB replies "ok" to a "!" or "%%sh" cell whose command fails, and
// only writes "exit status N" on the cell's stderr. liveplot run counts such a cell as failed,
// names it and its exit status, and exits 1; before, it counted it as ok and exited 0.
func TestRunFailingShellCell(t *testing.T) {
	useGoNB(t)
	t.Parallel()
	dir := t.TempDir()
	md := copyFile(t, "testdata/run/shell.md", dir)
	code, stderr := runLiveplot(t, "--keep-going", "--timeout", "2m", md)
	if code != 1 {
		t.Errorf("exit %d, want 1: two shell commands failed", code)
	}
	for _, want := range []string{
		`cell 2 ("!echo some output; false") failed: shell command failed: exit status 1`,
		`cell 3 ("%%sh") failed: shell command failed: exit status 3`,
		"2 ok, 2 error",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	nb := readIPYNB(t, filepath.Join(dir, "shell.ipynb"))
	if o := nb.Cells[2].Outputs; len(o) == 0 || !strings.Contains(joined(o[0]["text"]), "some output") {
		t.Errorf("the failed cell's outputs %v, want its output kept", o)
	}
	if o := nb.Cells[4].Outputs; len(o) != 1 || joined(o[0]["text"]) != "after\n" {
		t.Errorf("the cell after the failures: %v, want it run (--keep-going)", o)
	}
}
