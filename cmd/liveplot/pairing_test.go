package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/jupytext"
)

const tutorial = "../../notebooks/multiple-traces.md"

func readNB(t *testing.T, path string) *jupytext.Notebook {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var nb *jupytext.Notebook
	if strings.HasSuffix(path, ".ipynb") {
		nb, err = jupytext.ReadIPYNB(data, path)
	} else {
		nb, err = jupytext.ReadMarkdown(data, path)
	}
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

func writeNB(t *testing.T, path string, nb *jupytext.Notebook) {
	t.Helper()
	if err := os.WriteFile(path, jupytext.WriteIPYNB(nb, jupytext.IPYNBOptions{}), 0o644); err != nil {
		t.Fatal(err)
	}
}

// executed gives every code cell of the .ipynb at path an output naming the
// cell, and the notebook and first code cell metadata only Jupyter shows, as
// a run in Jupyter would.
func executed(t *testing.T, path string) {
	t.Helper()
	nb := readNB(t, path)
	for i, c := range nb.Cells {
		if c.CellType != "code" {
			continue
		}
		out := jupytext.NewMap()
		out.Set("output_type", "stream")
		out.Set("name", "stdout")
		out.Set("text", "output of cell "+string(rune('a'+i))+"\n")
		c.Other.Set("outputs", []any{out})
		c.Other.Set("execution_count", jupytext.Number("7"))
		c.Metadata.Set("collapsed", true)
	}
	li := jupytext.NewMap()
	li.Set("name", "go")
	nb.Metadata.Set("language_info", li)
	writeNB(t, path, nb)
}

func outputText(c *jupytext.Cell) string {
	outs, _ := c.Other.Get("outputs")
	list, _ := outs.([]any)
	if len(list) != 1 {
		return ""
	}
	m, _ := list[0].(*jupytext.Map)
	return m.String("text")
}

func codeCells(nb *jupytext.Notebook) []*jupytext.Cell {
	var cells []*jupytext.Cell
	for _, c := range nb.Cells {
		if c.CellType == "code" {
			cells = append(cells, c)
		}
	}
	return cells
}

// setMtime moves the modification time of path by d from now.
func setMtime(t *testing.T, path string, d time.Duration) {
	t.Helper()
	when := time.Now().Add(d)
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
}

// --update writes the .md's inputs into the existing .ipynb: unchanged cells
// keep their outputs, ids and Jupyter-only metadata, an edited cell keeps
// them too when jupytext's fourth rule (the next cell of the same type)
// matches it, and a new cell comes without outputs. Without --update the
// .ipynb is replaced.
func TestJupytextUpdate(t *testing.T) {
	dir := t.TempDir()
	md := copyFile(t, tutorial, dir)
	ipynb := strings.TrimSuffix(md, ".md") + ".ipynb"
	if code, _, stderr := runCLI(t, "--to", "ipynb", md); code != 0 {
		t.Fatal(stderr)
	}
	executed(t, ipynb)
	before := readNB(t, ipynb)

	// Edit the .md: a new Markdown cell and a new code cell at the top.
	text, _ := os.ReadFile(md)
	edited := strings.Replace(string(text), "# ", "A new first paragraph.\n\n```go\nfmt.Println(\"new\")\n```\n\n# ", 1)
	if err := os.WriteFile(md, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "--to", "ipynb", "--update", md); code != 0 {
		t.Fatal(stderr)
	}
	after := readNB(t, ipynb)
	if len(after.Cells) != len(before.Cells)+2 {
		t.Fatalf("%d cells, want %d", len(after.Cells), len(before.Cells)+2)
	}
	if li := after.Metadata.Sub("language_info"); li.String("name") != "go" {
		t.Errorf("notebook metadata language_info lost: %v", after.Metadata.Keys())
	}
	newCode := codeCells(after)[0]
	if newCode.Source != `fmt.Println("new")` || outputText(newCode) != "" || newCode.ID == "" {
		t.Errorf("new cell: %q, outputs %q, id %q", newCode.Source, outputText(newCode), newCode.ID)
	}
	for i, c := range codeCells(before) {
		got := codeCells(after)[i+1]
		if got.Source != c.Source || got.ID != c.ID || outputText(got) != outputText(c) || got.Metadata.Len() != 1 {
			t.Errorf("code cell %d after --update: id %q (was %q), output %q (was %q), metadata %v", i, got.ID, c.ID, outputText(got), outputText(c), got.Metadata.Keys())
		}
	}

	if code, _, stderr := runCLI(t, "--to", "ipynb", md); code != 0 {
		t.Fatal(stderr)
	}
	for _, c := range codeCells(readNB(t, ipynb)) {
		if outputText(c) != "" {
			t.Fatalf("without --update the outputs stay: %q", outputText(c))
		}
	}
	if code, _, stderr := runCLI(t, "--to", "md", "--update", ipynb); code == 0 || !strings.Contains(stderr, "--update is only for .ipynb") {
		t.Errorf("--update --to md: exit %d, %s", code, stderr)
	}
}

// --set-formats ipynb,md pairs a tutorial and writes both files; --sync then
// lets the newer inputs win, keeps the outputs, and refuses when the .ipynb
// is newer with other inputs (both may have changed), writing nothing.
func TestJupytextPairing(t *testing.T) {
	dir := t.TempDir()
	md := copyFile(t, tutorial, dir)
	ipynb := strings.TrimSuffix(md, ".md") + ".ipynb"

	if code, _, stderr := runCLI(t, "--sync", md); code != 0 || !strings.Contains(stderr, "is not a paired notebook") {
		t.Fatalf("--sync on an unpaired notebook: exit %d, %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "--set-formats", "ipynb,md", md); code != 0 {
		t.Fatal(stderr)
	}
	text, _ := os.ReadFile(md)
	if !strings.Contains(string(text), "  jupytext:\n    formats: ipynb,md\n") {
		t.Fatalf("the .md header does not name the pair:\n%s", text)
	}
	if f := readNB(t, ipynb).Metadata.Sub("jupytext").String("formats"); f != "ipynb,md" {
		t.Fatalf("the .ipynb has formats %q", f)
	}

	// The .ipynb was executed (it is now the newer file, with the same inputs):
	// a sync keeps its outputs and leaves the .md as it is.
	executed(t, ipynb)
	setMtime(t, ipynb, 5*time.Second)
	if code, _, stderr := runCLI(t, "--sync", md); code != 0 {
		t.Fatal(stderr)
	}
	if again, _ := os.ReadFile(md); !bytes.Equal(again, text) {
		t.Errorf("the .md changed:\n%s", again)
	}
	if c := codeCells(readNB(t, ipynb))[1]; outputText(c) == "" {
		t.Errorf("the outputs were lost")
	}

	// The .md is edited (the newer file): its inputs go into the .ipynb,
	// whose other cells keep their outputs.
	edited := strings.Replace(string(text), "var sensors = ", "var sensors2 = 1\nvar sensors = ", 1)
	if err := os.WriteFile(md, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	setMtime(t, md, 10*time.Second)
	if code, _, stderr := runCLI(t, "--sync", ipynb); code != 0 {
		t.Fatal(stderr)
	}
	nb := readNB(t, ipynb)
	if c := codeCells(nb)[1]; !strings.Contains(c.Source, "var sensors2 = 1") {
		t.Errorf("the edit did not reach the .ipynb: %q", c.Source)
	}
	if c := codeCells(nb)[0]; outputText(c) == "" {
		t.Errorf("an unchanged cell lost its outputs")
	}

	// Both changed: the .ipynb is newer and its inputs differ from the .md's.
	codeCells(nb)[0].Source += "\n// edited in Jupyter"
	writeNB(t, ipynb, nb)
	setMtime(t, ipynb, 20*time.Second)
	mdBefore, _ := os.ReadFile(md)
	ipynbBefore, _ := os.ReadFile(ipynb)
	code, _, stderr := runCLI(t, "--sync", md)
	if code == 0 || !strings.Contains(stderr, "is more recent than") || !strings.Contains(stderr, "their inputs differ") {
		t.Errorf("sync of a pair where both changed: exit %d, %s", code, stderr)
	}
	mdAfter, _ := os.ReadFile(md)
	ipynbAfter, _ := os.ReadFile(ipynb)
	if !bytes.Equal(mdBefore, mdAfter) || !bytes.Equal(ipynbBefore, ipynbAfter) {
		t.Error("a refused sync wrote a file")
	}
}

// liveplot run on a paired tutorial writes its outputs into the paired
// .ipynb with --update semantics, in the real GoNB kernel: the .md is left
// as it was, and the cells keep the ids and Jupyter-only metadata the
// .ipynb had.
func TestRunPairedNotebook(t *testing.T) {
	useGoNB(t)
	t.Setenv("PLOTLY_DIR", t.TempDir()) // stream.Tokens() finds no credentials file
	dir := t.TempDir()
	md := copyFile(t, tutorial, dir)
	ipynb := strings.TrimSuffix(md, ".md") + ".ipynb"
	if code, _, stderr := runCLI(t, "--set-formats", "ipynb,md", md); code != 0 {
		t.Fatal(stderr)
	}
	executed(t, ipynb) // old outputs, and metadata only the .ipynb holds
	before := readNB(t, ipynb)
	mdBefore, _ := os.ReadFile(md)
	mdInfo, _ := os.Stat(md)

	if code, stderr := runLiveplot(t, "-q", "--timeout", "3m", md); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if after, _ := os.ReadFile(md); !bytes.Equal(after, mdBefore) {
		t.Error("liveplot run changed the .md")
	}
	if info, _ := os.Stat(md); !info.ModTime().Equal(mdInfo.ModTime()) {
		t.Error("liveplot run touched the .md")
	}
	after := readNB(t, ipynb)
	if len(after.Cells) != len(before.Cells) {
		t.Fatalf("%d cells, want %d", len(after.Cells), len(before.Cells))
	}
	if after.Metadata.Sub("language_info").String("name") != "go" || after.Metadata.Sub("jupytext").String("formats") != "ipynb,md" {
		t.Errorf("notebook metadata not kept: %v", after.Metadata.Keys())
	}
	ran := 0
	for i, c := range after.Cells {
		b := before.Cells[i]
		if c.ID != b.ID || c.Source != b.Source || c.Metadata.Len() != b.Metadata.Len() {
			t.Errorf("cell %d: id %q (was %q), metadata %v (was %v)", i, c.ID, b.ID, c.Metadata.Keys(), b.Metadata.Keys())
		}
		if c.CellType != "code" {
			continue
		}
		if strings.HasPrefix(outputText(c), "output of cell") {
			t.Errorf("cell %d keeps the old output", i)
		}
		if n, _ := c.Other.Get("execution_count"); n != nil && n != jupytext.Number("7") {
			ran++
		}
	}
	if ran != len(codeCells(after)) {
		t.Errorf("%d of %d code cells have an execution count of this run", ran, len(codeCells(after)))
	}
}
