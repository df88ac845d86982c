package jupytext

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

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

// FuzzReadMarkdown checks that reading any input either fails with an error
// or gives a notebook whose Markdown is stable after one normalisation:
// write(read(x)) reads and writes back unchanged, and so does its trip
// through .ipynb (which sorts metadata keys, as nbformat does).
func FuzzReadMarkdown(f *testing.F) {
	addSeeds(f, "testdata/outputs/ipynb_to_md/*.md", "testdata/inline/*/*.md", "testdata/inputs/md/*.md")
	f.Add([]byte("```python\nx = '''\n```\n"))
	f.Add([]byte("<!-- #region -->\ntext\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ReadMarkdown(data, "fuzz.md")
		if err != nil {
			return
		}
		viaMarkdown := func(md []byte) []byte {
			nb, err := ReadMarkdown(md, "written.md")
			if err != nil {
				t.Fatalf("written Markdown does not read back: %v\n%s", err, md)
			}
			return WriteMarkdown(nb, MarkdownOptions{})
		}
		viaIPYNB := func(nb *Notebook) []byte {
			nb, err := ReadIPYNB(WriteIPYNB(nb, IPYNBOptions{SequentialCellIDs: true}), "written.ipynb")
			if err != nil {
				t.Fatalf("written .ipynb does not read back: %v", err)
			}
			return WriteMarkdown(nb, MarkdownOptions{})
		}
		first := WriteMarkdown(nb, MarkdownOptions{})
		if second := viaMarkdown(first); !bytes.Equal(first, second) {
			t.Fatalf("Markdown not stable:\nfirst:\n%q\nsecond:\n%q", first, second)
		}
		through := viaIPYNB(nb)
		again, err := ReadMarkdown(through, "through.md")
		if err != nil {
			t.Fatalf("Markdown written through .ipynb does not read back: %v\n%s", err, through)
		}
		if second := viaIPYNB(again); !bytes.Equal(through, second) {
			t.Fatalf("Markdown through .ipynb not stable:\nfirst:\n%q\nsecond:\n%q", through, second)
		}
	})
}

// FuzzReadIPYNB checks that reading any input either fails with an error or
// gives a notebook whose .ipynb JSON is stable after one write, and that
// writing it as Markdown works.
func FuzzReadIPYNB(f *testing.F) {
	addSeeds(f, "testdata/inputs/*/*.ipynb", "testdata/inline/roundtrip/*.ipynb")
	f.Add([]byte(`{"cells": [], "metadata": {"x": [1.5e300, -0, 1E2, "\u2028<&>"]}, "nbformat": 4, "nbformat_minor": 2}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := ReadIPYNB(data, "fuzz.ipynb")
		if err != nil {
			return
		}
		first := WriteIPYNB(nb, IPYNBOptions{SequentialCellIDs: true})
		nb2, err := ReadIPYNB(first, "first.ipynb")
		if err != nil {
			t.Fatalf("written .ipynb does not read back: %v\n%s", err, first)
		}
		if second := WriteIPYNB(nb2, IPYNBOptions{SequentialCellIDs: true}); !bytes.Equal(first, second) {
			t.Fatalf(".ipynb not stable:\nfirst:\n%s\nsecond:\n%s", first, second)
		}
		md := WriteMarkdown(nb2, MarkdownOptions{})
		if _, err := ReadMarkdown(md, "fuzz.md"); err != nil {
			t.Fatalf("Markdown written from .ipynb does not read back: %v\n%s", err, md)
		}
	})
}
