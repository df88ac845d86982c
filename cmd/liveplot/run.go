package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/liveplot/liveplot/internal/atomicfile"

	"github.com/liveplot/liveplot/internal/notebookhtml"
	"github.com/liveplot/liveplot/internal/notebookrun"
	"github.com/liveplot/liveplot/jupytext"
)

func init() {
	commands["run"] = command{
		summary: "execute a notebook (.md or .ipynb) in a real kernel and save its outputs",
		run:     runNotebook,
	}
}

const runUsage = `Usage: liveplot run [flags] NOTEBOOK.md|NOTEBOOK.ipynb

Executes the notebook's code cells in a real Jupyter kernel (GoNB unless the
notebook or --kernel names another), with no Jupyter server, and writes the
executed notebook with every output. The kernel runs in the notebook's
directory. The exit status is 1 when a cell fails or the run cannot finish;
the outputs recorded so far are written anyway. See docs/cli-run.md.

Flags:
`

// runFlags are the options of "liveplot run".
type runFlags struct {
	input       string
	output      string
	html        string
	kernel      string
	cellTimeout time.Duration
	timeout     time.Duration
	keepGoing   bool
	images      bool
	quiet       bool
	progress    bool
}

func parseRunFlags(args []string, stderr io.Writer) (*runFlags, error) {
	f := &runFlags{}
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.output, "o", "", "write the executed notebook to `OUT.ipynb` (default: beside the input with the .ipynb extension; an .ipynb input is updated in place)")
	fs.StringVar(&f.output, "output", "", "same as -o")
	fs.StringVar(&f.html, "html", "", "also write a static page of the executed notebook to `OUT.html`, figures included, offline")
	fs.StringVar(&f.kernel, "kernel", "", "kernelspec `NAME` to run (default: the notebook's metadata.kernelspec.name, else gonb)")
	fs.DurationVar(&f.cellTimeout, "cell-timeout", 0, "interrupt a cell that runs longer than `D` (e.g. 30s) and go on with the next; 0: no limit")
	fs.DurationVar(&f.timeout, "timeout", 0, "stop the whole run after `D`; 0: no limit")
	fs.BoolVar(&f.keepGoing, "keep-going", false, "run every cell even after one failed (the exit status still says it failed)")
	fs.BoolVar(&f.images, "images", false, "draw every figure output as a PNG picture (headless Chromium) and add it to the output, for viewers that run no scripts: GitHub, untrusted notebooks, nbconvert to Markdown or PDF")
	fs.BoolVar(&f.quiet, "q", false, "no progress lines, even on a terminal")
	fs.Usage = func() {
		fmt.Fprint(stderr, runUsage)
		fs.PrintDefaults()
	}
	// Flags may come after the notebook.
	var inputs []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		inputs = append(inputs, fs.Arg(0))
		args = fs.Args()[1:]
	}
	switch {
	case len(inputs) == 0:
		fs.Usage()
		return nil, errors.New("no notebook given")
	case len(inputs) > 1:
		return nil, fmt.Errorf("one notebook at a time, got %d: %s", len(inputs), strings.Join(inputs, " "))
	case f.cellTimeout < 0 || f.timeout < 0:
		return nil, errors.New("--cell-timeout and --timeout must not be negative")
	}
	f.input = inputs[0]
	if f.output == "" {
		f.output = strings.TrimSuffix(f.input, filepath.Ext(f.input)) + ".ipynb"
	}
	f.progress = !f.quiet && isTerminal(stderr)
	return f, nil
}

func runNotebook(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parseRunFlags(args, stderr)
	if err != nil {
		return err
	}
	if f.input == "-" {
		return errors.New(`a notebook from standard input has no directory to run in: give its path`)
	}
	name, nb, ipynb, err := readNotebook(f.input, nil)
	var perr *jupytext.Error
	if errors.As(err, &perr) {
		return fmt.Errorf("the notebook does not parse, nothing was run: %w", err)
	}
	if err != nil {
		return err
	}
	if nb, err = withPairedOutputs(f, nb, ipynb); err != nil {
		return err
	}
	dir, err := filepath.Abs(filepath.Dir(f.input))
	if err != nil {
		return err
	}
	if f.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, f.timeout, fmt.Errorf("the run took longer than --timeout %v", f.timeout))
		defer cancel()
	}
	opts := notebookrun.Options{
		Kernel:      f.kernel,
		Dir:         dir,
		CellTimeout: f.cellTimeout,
		KeepGoing:   f.keepGoing,
	}
	if f.progress {
		opts.Progress = func(p notebookrun.Progress) { printProgress(stderr, p) }
	}
	start := time.Now()
	res, runErr := notebookrun.Run(ctx, nb, opts)
	if !res.Started {
		// Nothing ran: leave the output (perhaps the input itself) as it was.
		return runErr
	}
	if f.images {
		// A figure that cannot be drawn costs its picture, not the run's outputs: they are
		// written anyway.
		if _, err := addImages(ctx, nb); err != nil {
			runErr = errors.Join(runErr, err)
		}
	}
	if err := atomicfile.WriteFile(f.output, jupytext.WriteIPYNB(nb, jupytext.IPYNBOptions{}), 0o644); err != nil {
		return errors.Join(runErr, err)
	}
	written := []string{f.output}
	if f.html != "" {
		if err := writeHTML(f.html, nb, name); err != nil {
			return errors.Join(runErr, err)
		}
		written = append(written, f.html)
	}
	if f.progress || runErr != nil {
		fmt.Fprintf(stderr, "[liveplot run] %s: %d cells run in %v (%s), %s\n", name, len(res.Cells),
			time.Since(start).Round(100*time.Millisecond), summary(res), "wrote "+strings.Join(written, " and "))
	}
	return runErr
}

// withPairedOutputs returns the notebook to run for a paired .md whose run
// writes its paired .ipynb: the .md's inputs combined with that .ipynb as
// "liveplot jupytext --update" combines them, so that the cells keep their
// ids and metadata (the run replaces the outputs). Other notebooks run as
// they are.
func withPairedOutputs(f *runFlags, nb *jupytext.Notebook, ipynb bool) (*jupytext.Notebook, error) {
	formats := pairedFormats(nb)
	if formats == "" || ipynb {
		return nb, nil
	}
	_, ipynbPath, err := pairPaths(f.input)
	if err != nil || filepath.Clean(f.output) != filepath.Clean(ipynbPath) {
		return nb, nil
	}
	if err := checkFormats(formats); err != nil {
		return nil, fmt.Errorf("%s: %w; nothing was run", f.input, err)
	}
	if _, err := os.Stat(ipynbPath); errors.Is(err, os.ErrNotExist) {
		return nb, nil
	}
	_, existing, _, err := readNotebook(ipynbPath, nil)
	if err != nil {
		return nil, fmt.Errorf("the paired notebook does not parse, nothing was run: %w", err)
	}
	return jupytext.CombineInputsWithOutputs(nb, existing), nil
}

// summary counts the cells by status.
func summary(res *notebookrun.Result) string {
	counts := map[notebookrun.Status]int{}
	for _, c := range res.Cells {
		counts[c.Status]++
	}
	var parts []string
	for _, s := range []notebookrun.Status{notebookrun.StatusOK, notebookrun.StatusError, notebookrun.StatusInterrupted, notebookrun.StatusAborted} {
		if counts[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[s], s))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func printProgress(w io.Writer, p notebookrun.Progress) {
	line := p.FirstLine
	if len(line) > 50 {
		line = line[:47] + "..."
	}
	if !p.Done {
		fmt.Fprintf(w, "[%d/%d] cell %d  %s ...", p.N, p.Total, p.Index, line)
		return
	}
	fmt.Fprintf(w, " %s (%v)\n", p.Result.Status, p.Result.Duration.Round(10*time.Millisecond))
}

func writeHTML(path string, nb *jupytext.Notebook, title string) error {
	return atomicfile.Write(path, 0o644, func(w io.Writer) error {
		return notebookhtml.Write(w, nb, notebookhtml.Options{Title: filepath.Base(title)})
	})
}

// isTerminal tells whether w is a terminal (a character device), where progress lines help.
func isTerminal(w io.Writer) bool {
	file, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := file.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
