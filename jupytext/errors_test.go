package jupytext

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// Bad input gives an *Error naming the file and, where there is one, the
// line; never a panic.
func TestBadInput(t *testing.T) {
	huge := bytes.Repeat([]byte("line of text\n"), MaxInputSize/13+2)
	for _, tc := range []struct {
		name, file string
		data       []byte
		ipynb      bool
		want       string
	}{
		{"malformed YAML header", "a.md", []byte("---\njupyter:\n  kernelspec: [\n---\n\ntext\n"), false, "a.md:3:"},
		{"jupyter entry not a mapping", "a.md", []byte("---\njupyter:\n  - 3\n---\n"), false, "a.md:2:"},
		{"binary", "a.md", []byte("text\n\xff\xfe\x00binary"), false, "a.md:2: invalid UTF-8"},
		{"100 MB Markdown", "big.md", huge, false, "big.md:"},
		{"invalid JSON", "a.ipynb", []byte("{\n \"cells\": [\n  }\n"), true, "a.ipynb:3: invalid JSON"},
		{"nbformat 3", "a.ipynb", []byte(`{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}`), true, "nbformat 3 is not supported"},
		{"not an object", "a.ipynb", []byte(`[1, 2]`), true, "a.ipynb:1:"},
		{"deep nesting", "a.ipynb", bytes.Repeat([]byte("["), 100000), true, "nested deeper"},
		{"binary ipynb", "a.ipynb", []byte{0x89, 'P', 'N', 'G', 0x0d, 0x0a}, true, "a.ipynb:1: invalid UTF-8"},
		{"bad cell type", "a.ipynb", []byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [{"cell_type": "heading", "source": ""}]}`), true, "not markdown, code or raw"},
		{"100 MB ipynb", "big.ipynb", huge, true, "larger than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.ipynb {
				_, err = ReadIPYNB(tc.data, tc.file)
			} else {
				_, err = ReadMarkdown(tc.data, tc.file)
			}
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want an *Error containing %q", err, tc.want)
			}
		})
	}
}

// As in jupytext, a code fence or a region that is never closed runs to the
// end of the file: no error.
func TestUnclosedRunsToEnd(t *testing.T) {
	for _, tc := range []struct{ name, md, cellType, source string }{
		{"fence", "text\n\n```python\nx = 1\n", "code", "x = 1"},
		{"fence after an open string", "```python\nx = \"\"\"\n```\n\ntext\n", "code", "x = \"\"\"\n```\n\ntext"},
		{"region", "# Title\n\n<!-- #region -->\ntext\n", "markdown", "text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := ReadMarkdown([]byte(tc.md), "a.md")
			if err != nil {
				t.Fatal(err)
			}
			last := nb.Cells[len(nb.Cells)-1]
			if last.CellType != tc.cellType || last.Source != tc.source {
				t.Errorf("last cell = %s %q, want %s %q", last.CellType, last.Source, tc.cellType, tc.source)
			}
		})
	}
}

// A GoNB notebook keeps its %%, %, ! and !* lines in ```go fences both ways.
func TestGoNBMagicsSurvive(t *testing.T) {
	md := "---\njupyter:\n  kernelspec:\n    display_name: Go (gonb)\n    language: go\n    name: gonb\n---\n\n" +
		"```go\n%%\nfmt.Println(1)\n```\n\n```go\n%% --who=world\nfmt.Println(2)\n```\n\n" +
		"```go\n%goflags -race\n!echo hi\n!*go get example.com/x\n```\n\n```bash\necho from bash\n```\n"
	nb, err := ReadMarkdown([]byte(md), "gonb.md")
	if err != nil {
		t.Fatal(err)
	}
	var sources []string
	for _, c := range nb.Cells {
		sources = append(sources, c.CellType+":"+c.Source)
	}
	want := []string{"code:%%\nfmt.Println(1)", "code:%% --who=world\nfmt.Println(2)",
		"code:%goflags -race\n!echo hi\n!*go get example.com/x", "code:%%bash\necho from bash"}
	if strings.Join(sources, "|") != strings.Join(want, "|") {
		t.Errorf("cells = %q\nwant %q", sources, want)
	}
	back := WriteMarkdown(nb, MarkdownOptions{NoVersionStamp: true})
	if string(back) != md {
		t.Errorf("Markdown not written back as read:\n%s", back)
	}
}
