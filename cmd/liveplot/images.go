package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/liveplot/liveplot/internal/atomicfile"
	"github.com/liveplot/liveplot/internal/figureimage"
	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/jupytext"
)

func init() {
	commands["images"] = command{
		summary: "add a PNG picture to every figure output of a saved notebook (.ipynb), for viewers without scripts",
		run:     runImages,
	}
}

const imagesUsage = `Usage: liveplot images [-o OUT.ipynb] NOTEBOOK.ipynb

Draws every liveplot figure output of a saved notebook (an output holding
application/vnd.plotly.v1+json) with headless Chromium and the plotly.js that
liveplot embeds, and adds the picture to the output: as image/png, and as an
<img> that shows where the output's scripts do not run. GitHub, an untrusted
notebook in Jupyter, and nbconvert to Markdown or PDF then show the figures.
A figure is drawn at its layout's width and height, else at 700x450. The
notebook is updated in place unless -o says otherwise. See docs/gonb.md.

Flags:
`

func runImages(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("images", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", "", "write the notebook with pictures to `OUT.ipynb` (default: update the input in place)")
	fs.Usage = func() {
		fmt.Fprint(stderr, imagesUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("want one notebook, got %d arguments", fs.NArg())
	}
	input := fs.Arg(0)
	if *output == "" {
		*output = input
	}
	name, data, err := readInput(input, nil)
	if err != nil {
		return err
	}
	if !isIPYNB(input, data) {
		return fmt.Errorf("%s is not an .ipynb notebook: only a notebook with outputs has figures to draw (run a Markdown notebook with liveplot run --images)", input)
	}
	nb, err := jupytext.ReadIPYNB(data, name)
	if err != nil {
		return fmt.Errorf("the notebook does not parse, nothing was changed: %w", err)
	}
	n, err := addImages(ctx, nb)
	if err != nil {
		return fmt.Errorf("%w; %s was not changed", err, *output)
	}
	if err := atomicfile.WriteFile(*output, jupytext.WriteIPYNB(nb, jupytext.IPYNBOptions{}), 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: figures drawn: %d\n", *output, n)
	return nil
}

// addImages draws the figures of nb into it (figureimage.AddImages) with a headless Chromium
// started for the purpose, and returns how many it drew.
func addImages(ctx context.Context, nb *jupytext.Notebook) (int, error) {
	if figureimage.CountFigures(nb) == 0 {
		return 0, nil // no browser to start
	}
	r, err := figureimage.Start(ctx)
	if err != nil {
		var m *harness.MissingError
		if errors.As(err, &m) {
			return 0, fmt.Errorf("drawing the figures needs %s: %s", m.What, m.Install)
		}
		return 0, fmt.Errorf("drawing the figures: %w", err)
	}
	defer r.Close()
	n, err := figureimage.AddImages(ctx, nb, r)
	if err != nil {
		return n, fmt.Errorf("drawing the figures: %w", err)
	}
	return n, nil
}
