package jupytext

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fuzz targets check the properties that jupytext itself has, since
// liveplot writes what jupytext writes (also where jupytext's own Markdown
// does not read back the same):
//
//   - nothing panics or hangs (on any input, a notebook or an error);
//   - what liveplot writes, it reads (Markdown and .ipynb);
//   - reading is deterministic;
//   - a notebook whose cells are unambiguous in Markdown (see
//     unambiguousInMarkdown) keeps every cell's type and source through
//     Markdown and back.

func addSeeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err == nil {
				f.Add(data)
			}
		}
	}
}

func FuzzReadMarkdown(f *testing.F) {
	addSeeds(f, "testdata/outputs/ipynb_to_md/*.md", "testdata/inline/*/*.md", "testdata/inputs/md/*.md", "testdata/differential/inputs/*.md")
	f.Add([]byte("```python\nx = '''\n```\n"))
	f.Add([]byte("<!-- #region -->\ntext\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ReadMarkdown(data, "fuzz.md")
		if err != nil {
			return
		}
		ipynb := WriteIPYNB(nb, IPYNBOptions{SequentialCellIDs: true})
		if again, err := ReadMarkdown(data, "fuzz.md"); err != nil || !bytes.Equal(WriteIPYNB(again, IPYNBOptions{SequentialCellIDs: true}), ipynb) {
			t.Fatalf("reading the same Markdown twice gave different notebooks (%v)", err)
		}
		checkWrittenReads(t, nb)
		checkCellsSurvive(t, nb)
	})
}

func FuzzReadIPYNB(f *testing.F) {
	addSeeds(f, "testdata/inputs/*/*.ipynb", "testdata/inline/roundtrip/*.ipynb", "testdata/differential/expected/*.ipynb")
	f.Add([]byte(`{"cells": [], "metadata": {"x": [1.5e300, -0, 1E2, "\u2028<&>"]}, "nbformat": 4, "nbformat_minor": 2}`))
	f.Add([]byte(`{"cells": [{"cell_type": "code", "source": "x\u0000y", "metadata": {}}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ReadIPYNB(data, "fuzz.ipynb")
		if err != nil {
			return
		}
		first := WriteIPYNB(nb, IPYNBOptions{SequentialCellIDs: true})
		if again, err := ReadIPYNB(data, "fuzz.ipynb"); err != nil || !bytes.Equal(WriteIPYNB(again, IPYNBOptions{SequentialCellIDs: true}), first) {
			t.Fatalf("reading the same .ipynb twice gave different notebooks (%v)", err)
		}
		// nbformat's JSON is stable: written once, it writes back the same.
		nb2, err := ReadIPYNB(first, "first.ipynb")
		if err != nil {
			t.Fatalf("written .ipynb does not read back: %v\n%s", err, first)
		}
		if second := WriteIPYNB(nb2, IPYNBOptions{SequentialCellIDs: true}); !bytes.Equal(first, second) {
			t.Fatalf(".ipynb not stable:\nfirst:\n%s\nsecond:\n%s", first, second)
		}
		checkWrittenReads(t, nb)
		checkCellsSurvive(t, nb)
	})
}

// checkWrittenReads checks that the Markdown and the .ipynb written for nb
// read back without an error.
func checkWrittenReads(t *testing.T, nb *Notebook) {
	t.Helper()
	for _, opts := range []MarkdownOptions{{}, {NoVersionStamp: true}} {
		md := WriteMarkdown(nb, opts)
		if _, err := ReadMarkdown(md, "written.md"); err != nil {
			t.Fatalf("written Markdown does not read back: %v\n%q", err, md)
		}
	}
	if _, err := ReadIPYNB(WriteIPYNB(nb, IPYNBOptions{}), "written.ipynb"); err != nil {
		t.Fatalf("written .ipynb does not read back: %v", err)
	}
}

// checkCellsSurvive checks that a notebook whose cells are unambiguous in
// Markdown keeps every cell's type and source through Markdown and back.
func checkCellsSurvive(t *testing.T, nb *Notebook) {
	t.Helper()
	if !unambiguousInMarkdown(nb) {
		return
	}
	md := WriteMarkdown(nb, MarkdownOptions{})
	back, err := ReadMarkdown(md, "written.md")
	if err != nil {
		t.Fatalf("written Markdown does not read back: %v\n%q", err, md)
	}
	if len(back.Cells) != len(nb.Cells) {
		t.Fatalf("%d cells became %d through Markdown:\n%q", len(nb.Cells), len(back.Cells), md)
	}
	for i, c := range nb.Cells {
		if b := back.Cells[i]; b.CellType != c.CellType || b.Source != c.Source {
			t.Fatalf("cell %d: %s %q became %s %q through Markdown:\n%q", i, c.CellType, c.Source, b.CellType, b.Source, md)
		}
	}
}

// unambiguousInMarkdown reports whether nb is a notebook whose Markdown
// form has no region or fence ambiguity, so that jupytext reads back every
// cell's type and source as written. It holds when the notebook has cells
// (jupytext writes an empty one as "\n", which reads back as one empty
// Markdown cell), its language is one a fence names (or the default,
// python), the first cell does not
// start with a "---" line (a header), and every cell
//   - has a source with only "\n" line breaks (no "\r", "\v", "\f", U+2028...),
//     and no line starting with "```" or "<!--";
//   - has no cell metadata but the few that only Jupyter reads, so that the
//     cell marker says nothing that changes the cell's type or spacing
//     (active, tags, .noeval, lines_to_next_cell, language ...);
//   - if Markdown: is not blank, does not start or end with a blank line,
//     has no two blank lines in a row and no line indented by four spaces or
//     a tab (an indented block keeps the cell open past the blank lines that
//     end it), and does not start with a %% cell magic;
//   - if code: does not leave a string open (the reader would look past the
//     closing fence) and has no "escape"-marked magic (written commented).
//
// Raw cells are written as <!-- #raw --> regions and are covered by the
// rules above.
func unambiguousInMarkdown(nb *Notebook) bool {
	lang := defaultLanguage(nb.Metadata, false)
	if lang == "" {
		lang = "python"
	}
	if !isFenceLanguage(lang) || len(nb.Cells) == 0 {
		return false
	}
	for i, c := range nb.Cells {
		if c.Metadata.Len() > 0 {
			return false
		}
		if len(splitLines(c.Source)) != strings.Count(c.Source, "\n")+boolInt(!strings.HasSuffix(c.Source, "\n") && c.Source != "") {
			return false
		}
		lines := strings.Split(c.Source, "\n")
		if i == 0 && headerRE.MatchString(lines[0]) {
			return false
		}
		for _, l := range lines {
			if strings.HasPrefix(l, "```") || strings.HasPrefix(l, "<!--") {
				return false
			}
		}
		switch c.CellType {
		case "markdown":
			if isBlank(c.Source) || isBlank(lines[0]) || isBlank(lines[len(lines)-1]) || strings.HasPrefix(c.Source, "%%") {
				return false
			}
			for j, l := range lines {
				if strings.HasPrefix(l, "    ") || strings.HasPrefix(l, "\t") || (j > 0 && isBlank(l) && isBlank(lines[j-1])) {
					return false
				}
			}
		case "code":
			parser := newStringParser(lang)
			for _, l := range lines {
				parser.readLine(l)
			}
			if parser.isQuoted() || len(commentForcedMagics(lines, lang)) > 0 && strings.Join(commentForcedMagics(lines, lang), "\n") != c.Source {
				return false
			}
		}
	}
	return true
}
