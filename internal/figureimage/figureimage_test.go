package figureimage

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
	"github.com/liveplot/liveplot/jupytext"
	"github.com/liveplot/liveplot/plotly"
)

func startRenderer(t *testing.T) *Renderer {
	t.Helper()
	testenv.SkipIfShort(t, "Chromium")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r, err := Start(ctx)
	var m *harness.MissingError
	if errors.As(err, &m) {
		testenv.Missing(t, m.What, m.Install)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// noisyFigure is a line of n points, a slow wave plus noise, as a stream's window looks.
func noisyFigure(t *testing.T, n int, layout map[string]any) []byte {
	t.Helper()
	rnd := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range n {
		x[i] = float64(i)
		y[i] = math.Sin(float64(i)*20/float64(n)) + 0.3*rnd.NormFloat64()
	}
	raw, err := json.Marshal(map[string]any{
		"data":   []any{map[string]any{"type": "scatter", "mode": "lines", "x": x, "y": y}},
		"layout": layout,
	})
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func render(t *testing.T, r *Renderer, fig []byte) Image {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	img, err := r.Render(ctx, fig)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("drew %d bytes of figure JSON as a %dx%d PNG of %d bytes in %v", len(fig), img.Width, img.Height, len(img.PNG), time.Since(start).Round(time.Millisecond))
	return img
}

// TestRenderSizeAndPixels draws figures with and without a layout size: the PNG has that size
// (or the default), and the trace's colour is where the trace is drawn; an empty figure has none.
func TestRenderSizeAndPixels(t *testing.T) {
	r := startRenderer(t)
	for _, c := range []struct {
		name          string
		points        int
		layout        map[string]any
		width, height int
	}{
		{"default size", 100, map[string]any{"title": map[string]any{"text": "T"}}, DefaultWidth, DefaultHeight},
		{"layout size", 100, map[string]any{"width": 500, "height": 300}, 500, 300},
		{"empty", 0, map[string]any{}, DefaultWidth, DefaultHeight},
	} {
		t.Run(c.name, func(t *testing.T) {
			img := render(t, r, noisyFigure(t, c.points, c.layout))
			w, h, blue, err := CountColor(img.PNG, TraceBlue)
			if err != nil {
				t.Fatal(err)
			}
			if w != c.width || h != c.height || img.Width != w || img.Height != h {
				t.Fatalf("PNG is %dx%d (reported %dx%d), want %dx%d", w, h, img.Width, img.Height, c.width, c.height)
			}
			if c.points > 0 && blue < 200 {
				t.Fatalf("the PNG has %d pixels of the trace's colour, want the line drawn (hundreds)", blue)
			}
			if c.points == 0 && blue != 0 {
				t.Fatalf("the empty figure's PNG has %d pixels of the trace's colour, want none", blue)
			}
		})
	}
}

// TestRenderCostDoesNotGrowWithPoints measures the PNG of a 100-point and of a 100,000-point
// window at the same size: the picture's bytes depend on its pixels, not on the points.
func TestRenderCostDoesNotGrowWithPoints(t *testing.T) {
	r := startRenderer(t)
	small := render(t, r, noisyFigure(t, 100, map[string]any{}))
	large := render(t, r, noisyFigure(t, 100_000, map[string]any{}))
	t.Logf("PNG bytes: 100 points %d, 100,000 points %d", len(small.PNG), len(large.PNG))
	if len(large.PNG) > 2*len(small.PNG) || len(large.PNG) > 150_000 {
		t.Fatalf("the 100,000-point PNG has %d bytes, the 100-point one %d: want about the same, at most 150 KB", len(large.PNG), len(small.PNG))
	}
}

// TestAddImages adds pictures to a notebook's figure outputs, twice: each figure output gets one
// image/png and one picture before its HTML; other outputs are left alone.
func TestAddImages(t *testing.T) {
	r := startRenderer(t)
	fig := string(noisyFigure(t, 50, map[string]any{"width": 400, "height": 250}))
	nb, err := jupytext.ReadIPYNB([]byte(`{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
 {"cell_type": "code", "metadata": {}, "source": "", "execution_count": 1, "outputs": [
  {"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<div>live</div>\n", "<script>draw()</script>"], "text/plain": "Figure: 1 trace (scatter), 50 points", "`+plotly.MIMEType+`": `+fig+`}},
  {"output_type": "stream", "name": "stdout", "text": "hi\n"},
  {"output_type": "display_data", "metadata": {}, "data": {"text/html": "<b>not a figure</b>"}}]}]}`), "t.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range 2 {
		n, err := AddImages(ctx, nb, r)
		if err != nil || n != 1 {
			t.Fatalf("AddImages = %d, %v; want 1 figure drawn", n, err)
		}
	}
	out := string(jupytext.WriteIPYNB(nb, jupytext.IPYNBOptions{}))
	if got := strings.Count(out, `"image/png"`); got != 1 {
		t.Errorf("the notebook has %d image/png, want 1", got)
	}
	if got := strings.Count(out, `<img class=\"liveplot-image\"`); got != 1 {
		t.Errorf("the notebook has %d pictures in HTML, want 1:\n%.2000s", got, out)
	}
	if !strings.Contains(out, `width=\"400\" height=\"250\" alt=\"Figure: 1 trace (scatter), 50 points\"`) {
		t.Errorf("the picture does not have the figure's size and summary:\n%.2000s", out)
	}
	if !strings.Contains(out, "<div>live</div>") || !strings.Contains(out, "<b>not a figure</b>") {
		t.Errorf("the outputs' own HTML is gone:\n%.2000s", out)
	}
}
