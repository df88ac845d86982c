package jupytext

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

// largeNotebook repeats the cells of a golden vector into a notebook of
// about 8 MB of Markdown.
func largeNotebook(b *testing.B) *Notebook {
	data, err := os.ReadFile("testdata/outputs/ipynb_to_md/Notebook with metadata and long cells.md")
	if err != nil {
		b.Fatal(err)
	}
	seed, err := ReadMarkdown(data, "seed.md")
	if err != nil {
		b.Fatal(err)
	}
	nb := seed.Clone()
	for len(WriteMarkdown(nb, MarkdownOptions{})) < 8<<20 {
		nb.Cells = append(nb.Cells, nb.Clone().Cells...)
	}
	return nb
}

func BenchmarkMarkdownToIPYNB(b *testing.B) {
	md := WriteMarkdown(largeNotebook(b), MarkdownOptions{})
	b.SetBytes(int64(len(md)))
	b.ResetTimer()
	for b.Loop() {
		nb, err := ReadMarkdown(md, "large.md")
		if err != nil {
			b.Fatal(err)
		}
		WriteIPYNB(nb, IPYNBOptions{SequentialCellIDs: true})
	}
}

func BenchmarkIPYNBToMarkdown(b *testing.B) {
	js := WriteIPYNB(largeNotebook(b), IPYNBOptions{SequentialCellIDs: true})
	b.SetBytes(int64(len(js)))
	b.ResetTimer()
	for b.Loop() {
		nb, err := ReadIPYNB(js, "large.ipynb")
		if err != nil {
			b.Fatal(err)
		}
		if md := WriteMarkdown(nb, MarkdownOptions{}); !bytes.HasPrefix(md, []byte("---\n")) {
			b.Fatal("no header")
		}
	}
}

// BenchmarkLongOptionText reads a cell whose options are 1 MB of "a=" pairs: every "=" is a
// candidate key end, so reading them must stay linear (jupytext's own scan is quadratic).
func BenchmarkLongOptionText(b *testing.B) {
	in := []byte("<!-- #raw " + strings.Repeat("a=", 500_000) + " -->\n<!-- #endraw -->\n")
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := ReadMarkdown(in, "options.md"); err != nil {
			b.Fatal(err)
		}
	}
}
