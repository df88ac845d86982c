package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/liveplot/liveplot/internal/atomicfile"
	"github.com/liveplot/liveplot/jupytext"
)

// Paired notebooks, as jupytext pairs them: the notebook metadata
// jupytext.formats ("ipynb,md") names the files that hold the same notebook,
// X.ipynb (inputs and outputs) and X.md (inputs). liveplot pairs only these
// two formats, in the same folder.

// outdatedTextMargin is how much newer than the .md the .ipynb may be before
// a sync checks that the .md is not outdated: jupytext's
// outdated_text_notebook_margin.
const outdatedTextMargin = time.Second

// readNotebook reads a notebook file, or standard input for "-", as .ipynb
// or Markdown by its extension (for standard input, by a leading "{"), and
// says which it was. A notebook that does not parse gives a *jupytext.Error.
func readNotebook(input string, stdin io.Reader) (name string, nb *jupytext.Notebook, ipynb bool, err error) {
	name, data, err := readInput(input, stdin)
	if err != nil {
		return "", nil, false, err
	}
	ipynb = isIPYNB(input, data)
	if ipynb {
		nb, err = jupytext.ReadIPYNB(data, name)
	} else {
		nb, err = jupytext.ReadMarkdown(data, name)
	}
	return name, nb, ipynb, err
}

// checkFormats accepts the pairings liveplot supports: ipynb and md, in
// either order, optionally with a leading "." or a ":markdown" format name.
func checkFormats(formats string) error {
	seen := map[string]bool{}
	for _, f := range strings.Split(formats, ",") {
		f = strings.TrimSpace(f)
		ext, name, _ := strings.Cut(f, ":")
		ext = strings.TrimPrefix(ext, ".")
		switch {
		case strings.Contains(ext, "/"):
			return fmt.Errorf("formats %q: liveplot pairs files in the same folder only (no prefix such as %q)", formats, f)
		case ext == "ipynb" && name == "", ext == "md" && (name == "" || name == "markdown"):
			seen[ext] = true
		default:
			return fmt.Errorf("formats %q: liveplot pairs only ipynb and md (jupytext Markdown), not %q", formats, f)
		}
	}
	if !seen["ipynb"] || !seen["md"] {
		return fmt.Errorf("formats %q: say ipynb,md", formats)
	}
	return nil
}

// pairedFormats returns the jupytext.formats of nb, "" when nb is not paired.
func pairedFormats(nb *jupytext.Notebook) string {
	return nb.Metadata.Sub("jupytext").String("formats")
}

// pairPaths returns the two files of the pair that holds path.
func pairPaths(path string) (md, ipynb string, err error) {
	ext := filepath.Ext(path)
	if ext != ".md" && ext != ".ipynb" {
		return "", "", fmt.Errorf("%s: a paired notebook is a .md or an .ipynb file", path)
	}
	base := strings.TrimSuffix(path, ext)
	return base + ".md", base + ".ipynb", nil
}

// modTime returns the modification time of path; ok is false when it does
// not exist.
func modTime(path string) (t time.Time, ok bool, err error) {
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return st.ModTime(), true, nil
}

// syncPair brings the two files of a paired notebook up to date, as
// "jupytext --sync" does: the newer file's inputs win, and the .ipynb keeps
// the outputs, ids and metadata of the cells whose inputs did not change.
// When the .ipynb is newer than the .md (by more than a second) and their
// inputs differ, the .md may have changed since the last sync as well:
// liveplot refuses, as jupytext's Jupyter contents manager does, rather than
// drop either side. setFormats, if not "", is written as jupytext.formats.
func syncPair(f *jupytextFlags, input string, stderr io.Writer) error {
	if input == "-" {
		return errors.New("--sync and --set-formats need the path of a notebook, not standard input")
	}
	name, nb, _, err := readNotebook(input, nil)
	if err != nil {
		return err
	}
	formats := f.setFormats
	if formats == "" {
		formats = pairedFormats(nb)
	}
	if formats == "" {
		fmt.Fprintf(stderr, "[liveplot jupytext] Warning: %s is not a paired notebook (no jupytext.formats metadata); use --set-formats ipynb,md to pair it\n", name)
		return nil
	}
	if err := checkFormats(formats); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	mdPath, ipynbPath, err := pairPaths(input)
	if err != nil {
		return err
	}
	mdTime, hasMD, err := modTime(mdPath)
	if err != nil {
		return err
	}
	ipynbTime, hasIPYNB, err := modTime(ipynbPath)
	if err != nil {
		return err
	}
	var mdNB, ipynbNB *jupytext.Notebook
	if input == mdPath {
		mdNB = nb
	} else {
		ipynbNB = nb
	}
	if hasMD && mdNB == nil {
		if _, mdNB, _, err = readNotebook(mdPath, nil); err != nil {
			return err
		}
	}
	if hasIPYNB && ipynbNB == nil {
		if _, ipynbNB, _, err = readNotebook(ipynbPath, nil); err != nil {
			return err
		}
	}

	var result *jupytext.Notebook
	switch {
	case mdNB != nil && ipynbNB != nil && ipynbTime.After(mdTime.Add(outdatedTextMargin)):
		opts := jupytext.MarkdownOptions{}
		if !bytes.Equal(jupytext.WriteMarkdown(mdNB, opts), jupytext.WriteMarkdown(ipynbNB, opts)) {
			return fmt.Errorf("%s (modified %s) is more recent than %s (modified %s) and their inputs differ, so both may have changed since the last sync; nothing was written. "+
				"To keep the inputs of %[1]s, run: liveplot jupytext --to md %[1]s; to keep those of %[3]s, save it again (touch %[3]s) and sync",
				ipynbPath, ipynbTime.Format(time.DateTime), mdPath, mdTime.Format(time.DateTime))
		}
		result = ipynbNB
	case mdNB != nil && ipynbNB != nil:
		result = jupytext.CombineInputsWithOutputs(mdNB, ipynbNB)
	case mdNB != nil:
		result = mdNB
	default:
		result = ipynbNB
	}
	if f.setFormats != "" {
		result.Metadata.SubOrNew("jupytext").Set("formats", f.setFormats)
	}

	// The .ipynb first, then the .md, so that the .md is the newer file.
	ipynbChanged, err := writeIfChanged(ipynbPath, jupytext.WriteIPYNB(result, jupytext.IPYNBOptions{SequentialCellIDs: f.cellIDs == "sequential"}), stderr)
	if err != nil {
		return err
	}
	mdChanged, err := writeIfChanged(mdPath, jupytext.WriteMarkdown(result, jupytext.MarkdownOptions{NoVersionStamp: f.noVersionStamp}), stderr)
	if err != nil {
		return err
	}
	if ipynbChanged && !mdChanged {
		now := time.Now()
		if err := os.Chtimes(mdPath, now, now); err != nil {
			return fmt.Errorf("updating the time of %s: %w", mdPath, err)
		}
		fmt.Fprintf(stderr, "[liveplot jupytext] Updating the timestamp of %s\n", mdPath)
	}
	return nil
}

// writeIfChanged writes data to path (atomically) unless path holds it
// already, and says which it did.
func writeIfChanged(path string, data []byte, stderr io.Writer) (bool, error) {
	old, err := os.ReadFile(path)
	if err == nil && bytes.Equal(old, data) {
		fmt.Fprintf(stderr, "[liveplot jupytext] Unchanged %s\n", path)
		return false, nil
	}
	if err := atomicfile.WriteFile(path, data, 0o644); err != nil {
		return false, err
	}
	fmt.Fprintf(stderr, "[liveplot jupytext] Updating %s\n", path)
	return true, nil
}
