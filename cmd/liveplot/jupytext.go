package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/liveplot/liveplot/internal/atomicfile"

	"github.com/liveplot/liveplot/jupytext"
)

func init() {
	commands["jupytext"] = command{
		summary: "convert notebooks between jupytext Markdown (.md) and .ipynb",
		run:     runJupytext,
	}
}

const jupytextUsage = `Usage: liveplot jupytext --to md|ipynb [-o PATH] [--update] [--cell-ids sequential] [--no-version-stamp] INPUT...
       liveplot jupytext --sync|--set-formats ipynb,md [--cell-ids sequential] [--no-version-stamp] INPUT...

Converts notebooks between jupytext Markdown (.md) and Jupyter (.ipynb), as
"jupytext --to" does. An INPUT of "-" is read from standard input. Each
output goes next to its input with the new extension, unless -o names it
("-o -" writes to standard output). With --update, an existing .ipynb keeps
the outputs, ids and metadata of the cells whose inputs did not change.
--sync brings the files of a paired notebook (jupytext.formats metadata) up
to date; --set-formats ipynb,md pairs a notebook and syncs it.
See docs/jupytext.md.

Flags:
`

// jupytextFlags are the options of "liveplot jupytext".
type jupytextFlags struct {
	to             string
	output         string
	cellIDs        string
	noVersionStamp bool
	update         bool
	sync           bool
	setFormats     string
	inputs         []string
}

func parseJupytextFlags(args []string, stderr io.Writer) (*jupytextFlags, error) {
	f := &jupytextFlags{}
	fs := flag.NewFlagSet("jupytext", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.to, "to", "", "output format: md or ipynb (default: from the extension of -o)")
	fs.StringVar(&f.output, "o", "", "output `PATH`; - for standard output")
	fs.StringVar(&f.output, "output", "", "same as -o")
	fs.StringVar(&f.cellIDs, "cell-ids", "random", "ids of new .ipynb cells: random, or sequential (00000000, 00000001, ...)")
	fs.BoolVar(&f.noVersionStamp, "no-version-stamp", false, "leave the jupytext text_representation block out of Markdown headers")
	fs.BoolVar(&f.update, "update", false, "write the inputs into an existing .ipynb, keeping the outputs, ids and metadata of the cells that did not change")
	fs.BoolVar(&f.sync, "sync", false, "bring the files of a paired notebook (jupytext.formats) up to date: the newer inputs win")
	fs.StringVar(&f.setFormats, "set-formats", "", "pair the notebook with these `FORMATS` (ipynb,md) and sync it")
	fs.Usage = func() {
		fmt.Fprint(stderr, jupytextUsage)
		fs.PrintDefaults()
	}
	// Flags may come after the inputs, as with jupytext.
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		f.inputs = append(f.inputs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if f.to == "" && f.output != "" && f.output != "-" {
		f.to = strings.TrimPrefix(filepath.Ext(f.output), ".")
	}
	if f.setFormats != "" {
		f.sync = true
		if err := checkFormats(f.setFormats); err != nil {
			return nil, fmt.Errorf("--set-formats: %w", err)
		}
	}
	switch {
	case len(f.inputs) == 0:
		fs.Usage()
		return nil, errors.New("no input notebook given")
	case f.sync && (f.to != "" || f.output != "" || f.update):
		return nil, errors.New("--sync and --set-formats write every file of the pair: drop --to, -o and --update")
	case f.sync && f.cellIDs != "random" && f.cellIDs != "sequential":
		return nil, fmt.Errorf("--cell-ids %q: say random or sequential", f.cellIDs)
	case f.sync:
	case f.to != "md" && f.to != "ipynb":
		return nil, fmt.Errorf("--to %q: say --to md or --to ipynb", f.to)
	case f.cellIDs != "random" && f.cellIDs != "sequential":
		return nil, fmt.Errorf("--cell-ids %q: say random or sequential", f.cellIDs)
	case f.output != "" && f.output != "-" && len(f.inputs) > 1:
		return nil, errors.New("-o names one output file but several inputs were given; drop -o to write each next to its input")
	case f.update && f.to != "ipynb":
		return nil, errors.New("--update is only for .ipynb outputs: say --to ipynb")
	}
	return f, nil
}

func runJupytext(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseJupytextFlags(args, stderr)
	if err != nil {
		return err
	}
	for _, input := range f.inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		convert := convertOne
		if f.sync {
			convert = func(f *jupytextFlags, input string, _ io.Reader, _, stderr io.Writer) error {
				return syncPair(f, input, stderr)
			}
		}
		if err := convert(f, input, os.Stdin, stdout, stderr); err != nil {
			return err
		}
	}
	return nil
}

// convertOne converts one input notebook as the flags say.
func convertOne(f *jupytextFlags, input string, stdin io.Reader, stdout, stderr io.Writer) error {
	name, nb, _, err := readNotebook(input, stdin)
	if err != nil {
		return err
	}
	target := f.output
	if target == "" {
		if input == "-" {
			target = "-"
		} else {
			target = strings.TrimSuffix(input, filepath.Ext(input)) + "." + f.to
		}
	}
	updated := false
	if f.update && target != "-" {
		if _, err := os.Stat(target); err == nil {
			_, existing, _, err := readNotebook(target, nil)
			if err != nil {
				return fmt.Errorf("--update: %w", err)
			}
			nb = jupytext.CombineInputsWithOutputs(nb, existing)
			updated = true
		}
	}
	var out []byte
	switch f.to {
	case "md":
		out = jupytext.WriteMarkdown(nb, jupytext.MarkdownOptions{NoVersionStamp: f.noVersionStamp})
	case "ipynb":
		sequential := f.cellIDs == "sequential"
		if sequential && !updated && (nb.NBFormatMinor >= 5 || nb.NBFormat > 4) {
			nb.SetSequentialCellIDs()
		}
		out = jupytext.WriteIPYNB(nb, jupytext.IPYNBOptions{SequentialCellIDs: sequential})
	}
	if target == "-" {
		_, err := stdout.Write(out)
		return err
	}
	if err := atomicfile.WriteFile(target, out, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "[liveplot jupytext] %s -> %s\n", name, target)
	return nil
}

// readInput reads a notebook file, or standard input for "-", reading no
// more than one byte past the size the readers accept.
func readInput(input string, stdin io.Reader) (string, []byte, error) {
	name := input
	var r io.Reader = stdin
	if input == "-" {
		name = "<stdin>"
	} else {
		file, err := os.Open(input)
		if err != nil {
			return "", nil, fmt.Errorf("reading notebook: %w", err)
		}
		defer file.Close()
		r = file
	}
	data, err := io.ReadAll(io.LimitReader(r, jupytext.MaxInputSize+1))
	if err != nil {
		return "", nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return name, data, nil
}

// isIPYNB tells an .ipynb input from a Markdown one: by extension, or for
// standard input by a leading "{".
func isIPYNB(input string, data []byte) bool {
	switch strings.ToLower(filepath.Ext(input)) {
	case ".ipynb":
		return true
	case ".md", ".markdown":
		return false
	}
	return bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("{"))
}
