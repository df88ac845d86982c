package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const vectors = "../../jupytext/testdata"

func copyFile(t *testing.T, from, dir string) string {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	to := filepath.Join(dir, filepath.Base(from))
	if err := os.WriteFile(to, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return to
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"jupytext"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestJupytextMarkdownToIPYNBNextToInput(t *testing.T) {
	dir := t.TempDir()
	md := copyFile(t, vectors+"/outputs/ipynb_to_md/hello_world_gonb.md", dir)
	md2 := copyFile(t, vectors+"/outputs/ipynb_to_md/ir_notebook.md", dir)
	if code, _, stderr := runCLI(t, "--to", "ipynb", "--cell-ids", "sequential", md, md2); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"hello_world_gonb", "ir_notebook"} {
		got, err := os.ReadFile(filepath.Join(dir, name+".ipynb"))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := os.ReadFile(vectors + "/generated/md_to_ipynb/" + name + ".ipynb")
		if !bytes.Equal(got, want) {
			t.Errorf("%s.ipynb differs from jupytext's", name)
		}
	}
}

func TestJupytextIPYNBToMarkdownOnStdout(t *testing.T) {
	in := vectors + "/inputs/ipynb_go/hello_world_gonb.ipynb"
	code, stdout, stderr := runCLI(t, in, "--to", "md", "--no-version-stamp", "-o", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, _ := os.ReadFile(vectors + "/outputs/ipynb_to_md/hello_world_gonb.md")
	if stdout != string(want) {
		t.Errorf("stdout differs from jupytext's Markdown:\n%s", stdout)
	}
}

func TestJupytextVersionStampByDefault(t *testing.T) {
	code, stdout, _ := runCLI(t, "--to", "md", "-o", "-", vectors+"/inputs/ipynb_go/hello_world_gonb.ipynb")
	if code != 0 || !strings.Contains(stdout, "    text_representation:\n      extension: .md\n      format_name: markdown\n      format_version: '1.3'\n") {
		t.Errorf("exit %d, header lacks the text_representation block:\n%s", code, stdout)
	}
}

func TestJupytextStdin(t *testing.T) {
	f, err := os.Open(vectors + "/outputs/ipynb_to_md/hello_world_gonb.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	saved := os.Stdin
	os.Stdin = f
	defer func() { os.Stdin = saved }()
	code, stdout, stderr := runCLI(t, "--to", "ipynb", "--cell-ids", "sequential", "-")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	want, _ := os.ReadFile(vectors + "/generated/md_to_ipynb/hello_world_gonb.ipynb")
	if stdout != string(want) {
		t.Errorf("stdin to stdout conversion differs from jupytext's")
	}
}

func TestJupytextOutputExtensionGivesFormat(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "x.md")
	code, _, stderr := runCLI(t, "-o", out, "--no-version-stamp", vectors+"/inputs/ipynb_R/ir_notebook.ipynb")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got, _ := os.ReadFile(out)
	want, _ := os.ReadFile(vectors + "/outputs/ipynb_to_md/ir_notebook.md")
	if !bytes.Equal(got, want) {
		t.Errorf("x.md differs from jupytext's")
	}
}

func TestJupytextErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.ipynb")
	os.WriteFile(bad, []byte("{\n \"cells\": [\n  {,\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--to", "ipynb"}, "no input"},
		{[]string{"--to", "py", "a.md"}, "--to md or --to ipynb"},
		{[]string{"--to", "md", bad}, "bad.ipynb:3:"},
		{[]string{"--to", "md", filepath.Join(dir, "missing.md")}, "missing.md"},
		{[]string{"--to", "md", "-o", "x.md", bad, bad}, "several inputs"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want it to mention %q", tc.args, code, stderr, tc.want)
		}
	}
}

// A header of nested YAML aliases ("billion laughs") is an error at its
// line for both commands that read Markdown, not an out-of-memory crash
// (issue 9). The reader's bound is tested in package jupytext.
func TestAliasBombIsAnError(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\njupyter:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("  a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [" +
			strings.TrimSuffix(strings.Repeat("*a"+string(rune('0'+i-1))+", ", 9), ", ") + "]\n")
	}
	b.WriteString("---\n\ntext\n")
	bomb := filepath.Join(t.TempDir(), "bomb.md")
	if err := os.WriteFile(bomb, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	want := bomb + ":8: in the jupyter: header: the aliases of the YAML header expand to more than"
	if code, _, stderr := runCLI(t, "--to", "ipynb", bomb); code == 0 || !strings.Contains(stderr, want) {
		t.Errorf("liveplot jupytext: exit %d, stderr %q, want %q", code, stderr, want)
	}
	if _, err := os.Stat(strings.TrimSuffix(bomb, ".md") + ".ipynb"); err == nil {
		t.Error("liveplot jupytext wrote an output")
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"run", bomb}, io.Discard, &stderr); code == 0 || !strings.Contains(stderr.String(), want) {
		t.Errorf("liveplot run: exit %d, stderr %q, want %q", code, stderr.String(), want)
	}
}
