package jupytext

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// The golden vectors in testdata come from jupytext (see testdata/README.md).

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func glob(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s (%v)", pattern, err)
	}
	return files
}

func baseName(path, ext string) string { return strings.TrimSuffix(filepath.Base(path), ext) }

// writeMarkdownLike writes md without the version stamp, except for the one
// vector that jupytext wrote in normal mode.
func writeMarkdownLike(nb *Notebook, expectedFile string) []byte {
	return WriteMarkdown(nb, MarkdownOptions{NoVersionStamp: !strings.Contains(expectedFile, "read_raw_cell_markdown_version_1_1.expected")})
}

func diffText(t *testing.T, name string, got, want []byte) {
	t.Helper()
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w || i >= len(gl) || i >= len(wl) {
			t.Errorf("%s: first difference at line %d:\n got: %q\nwant: %q", name, i+1, g, w)
			return
		}
	}
	t.Errorf("%s: outputs differ", name)
}

func TestVectorsIPYNBToMarkdown(t *testing.T) {
	for _, in := range glob(t, "testdata/inputs/ipynb_*/*.ipynb") {
		name := baseName(in, ".ipynb")
		want := filepath.Join("testdata/outputs/ipynb_to_md", name+".md")
		if _, err := os.Stat(want); err != nil {
			continue
		}
		t.Run(name, func(t *testing.T) {
			nb, err := ReadIPYNB(mustRead(t, in), in)
			if err != nil {
				t.Fatal(err)
			}
			diffText(t, name, WriteMarkdown(nb, MarkdownOptions{NoVersionStamp: true}), mustRead(t, want))
		})
	}
}

func TestVectorsMarkdownRoundTrip(t *testing.T) {
	files := append(glob(t, "testdata/outputs/ipynb_to_md/*.md"), glob(t, "testdata/inline/roundtrip/*.md")...)
	files = append(files, glob(t, "testdata/inline/normalized/*.expected.md")...)
	for _, path := range files {
		name := baseName(path, ".md")
		t.Run(name, func(t *testing.T) {
			data := mustRead(t, path)
			nb, err := ReadMarkdown(data, path)
			if err != nil {
				t.Fatal(err)
			}
			diffText(t, "md->md", writeMarkdownLike(nb, path), data)
			json := WriteIPYNB(nb, IPYNBOptions{SequentialCellIDs: true})
			nb2, err := ReadIPYNB(json, path+".ipynb")
			if err != nil {
				t.Fatal(err)
			}
			diffText(t, "md->ipynb->md", writeMarkdownLike(nb2, path), data)
		})
	}
}

func TestVectorsMarkdownNormalized(t *testing.T) {
	for _, in := range glob(t, "testdata/inline/normalized/*.input.md") {
		name := baseName(in, ".input.md")
		want := filepath.Join("testdata/inline/normalized", name+".expected.md")
		t.Run(name, func(t *testing.T) {
			nb, err := ReadMarkdown(mustRead(t, in), in)
			if err != nil {
				t.Fatal(err)
			}
			diffText(t, name, writeMarkdownLike(nb, want), mustRead(t, want))
		})
	}
}

// sortFilterLists makes the cell_metadata_filter of a notebook comparable:
// jupytext writes its keys in the order of a Python set.
func sortFilterLists(nb *Notebook) {
	jt := nb.Metadata.Sub("jupytext")
	if s, ok := jt.value("cell_metadata_filter").(string); ok {
		parts := strings.Split(s, ",")
		sort.Strings(parts)
		jt.Set("cell_metadata_filter", strings.Join(parts, ","))
	}
}

func checkIPYNB(t *testing.T, mdPath, ipynbPath string) {
	t.Helper()
	nb, err := ReadMarkdown(mustRead(t, mdPath), mdPath)
	if err != nil {
		t.Fatal(err)
	}
	got := WriteIPYNB(nb, IPYNBOptions{SequentialCellIDs: true})
	want := mustRead(t, ipynbPath)
	if !bytes.Equal(got, want) {
		wantNB, err := ReadIPYNB(want, ipynbPath)
		if err != nil {
			t.Fatal(err)
		}
		sortFilterLists(nb)
		sortFilterLists(wantNB)
		got = WriteIPYNB(nb, IPYNBOptions{SequentialCellIDs: true})
		want = WriteIPYNB(wantNB, IPYNBOptions{})
	}
	diffText(t, filepath.Base(ipynbPath), got, want)
}

func TestVectorsMarkdownToIPYNB(t *testing.T) {
	for _, want := range glob(t, "testdata/generated/md_to_ipynb/*.ipynb") {
		name := baseName(want, ".ipynb")
		md := filepath.Join("testdata/outputs/ipynb_to_md", name+".md")
		if _, err := os.Stat(md); err != nil {
			md = filepath.Join("testdata/inputs/md", name+".md")
		}
		t.Run(name, func(t *testing.T) { checkIPYNB(t, md, want) })
	}
	for _, md := range glob(t, "testdata/inline/roundtrip/*.md") {
		name := baseName(md, ".md")
		t.Run(name, func(t *testing.T) { checkIPYNB(t, md, strings.TrimSuffix(md, ".md")+".ipynb") })
	}
	for _, md := range glob(t, "testdata/inline/normalized/*.input.md") {
		name := baseName(md, ".input.md")
		t.Run(name, func(t *testing.T) {
			checkIPYNB(t, md, filepath.Join("testdata/inline/normalized", name+".ipynb"))
		})
	}
}

func TestVectorsOlderMirrors(t *testing.T) {
	for _, in := range glob(t, "testdata/outputs/md_to_ipynb/*.ipynb") {
		name := baseName(in, ".ipynb")
		want := filepath.Join("testdata/inputs/md", name+".md")
		t.Run(name, func(t *testing.T) {
			nb, err := ReadIPYNB(mustRead(t, in), in)
			if err != nil {
				t.Fatal(err)
			}
			diffText(t, name, WriteMarkdown(nb, MarkdownOptions{NoVersionStamp: true}), mustRead(t, want))
		})
	}
}
