package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runImagesCommand(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), append([]string{"images"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// TestImagesRefusesWhatItCannotDraw: a Markdown notebook has no outputs, and a notebook that
// does not parse is left as it is; both say why.
func TestImagesRefusesWhatItCannotDraw(t *testing.T) {
	dir := t.TempDir()
	md := filepath.Join(dir, "nb.md")
	broken := filepath.Join(dir, "broken.ipynb")
	os.WriteFile(md, []byte("# T\n\n```go\nfmt.Println(1)\n```\n"), 0o644)
	os.WriteFile(broken, []byte(`{"cells": [`), 0o644)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{md}, "liveplot run --images"},
		{[]string{broken}, "nothing was changed"},
		{[]string{}, "want one notebook"},
	} {
		code, _, stderr := runImagesCommand(c.args...)
		if code != 1 || !strings.Contains(stderr, c.want) {
			t.Errorf("liveplot images %v: exit %d, stderr %q; want 1 and %q", c.args, code, stderr, c.want)
		}
	}
	if data, _ := os.ReadFile(broken); string(data) != `{"cells": [` {
		t.Errorf("the broken notebook was changed: %q", data)
	}
}

// TestImagesWithoutFigures leaves a notebook with no figure output as it was, and needs no
// browser.
func TestImagesWithoutFigures(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plain.ipynb")
	src := `{"cells": [{"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {}, "outputs": [{"data": {"text/html": "<b>x</b>"}, "metadata": {}, "output_type": "display_data"}], "source": "x"}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
	os.WriteFile(path, []byte(src), 0o644)
	t.Setenv("PATH", t.TempDir()) // no Chromium to find
	code, stdout, stderr := runImagesCommand(path)
	if code != 0 || !strings.Contains(stdout, "figures drawn: 0") {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 0 figures drawn", code, stdout, stderr)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "image/png") || !strings.Contains(string(data), "<b>x</b>") {
		t.Fatalf("the notebook changed: %s", data)
	}
}
