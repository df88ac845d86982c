// Package figureimage draws plotly figures to PNG pictures with headless Chromium and the
// plotly.js that liveplot embeds, and adds those pictures to the figure outputs of a notebook, so
// that viewers that run no scripts (GitHub, an untrusted notebook, nbconvert to Markdown or PDF)
// show the figures. `liveplot run --images` and `liveplot images` use it.
//
// A figure is drawn at its layout's width and height, or at DefaultWidth × DefaultHeight when
// its layout sets none (a figure that fits its container has no size of its own outside a page).
// The picture's size in bytes depends on its pixels, not on the figure's points: a figure of
// 100,000 points costs about what one of 100 costs (docs/gonb.md gives the measurements).
package figureimage

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/plotlyjs"
)

// DefaultWidth and DefaultHeight are the size of a figure whose layout sets none: plotly.js's
// own default size, which plotly's other image exporters use too.
const (
	DefaultWidth  = 700
	DefaultHeight = 450
)

//go:embed render.js
var renderJS []byte

// Image is a figure drawn as a PNG picture.
type Image struct {
	PNG           []byte
	Width, Height int // in pixels
}

// Renderer draws figures in one headless Chromium. It is not safe for concurrent use.
type Renderer struct {
	dir    string // the page, plotly.js and the browser's profile
	tab    context.Context
	cancel context.CancelFunc
}

// Start starts headless Chromium with a page that has plotly.js loaded. Close ends it. It fails
// with a *harness.MissingError when Chromium is not installed.
func Start(ctx context.Context) (*Renderer, error) {
	dir, err := os.MkdirTemp("", "liveplot-figureimage-")
	if err != nil {
		return nil, fmt.Errorf("figureimage: %w", err)
	}
	r := &Renderer{dir: dir}
	if err := r.start(ctx); err != nil {
		r.Close()
		return nil, err
	}
	return r, nil
}

func (r *Renderer) start(ctx context.Context) error {
	html := "<!DOCTYPE html>\n<meta charset=\"utf-8\">\n<script src=\"plotly.min.js\"></script>\n<script src=\"render.js\"></script>\n"
	for name, content := range map[string][]byte{"page.html": []byte(html), "plotly.min.js": plotlyjs.Bundle, "render.js": renderJS} {
		if err := os.WriteFile(filepath.Join(r.dir, name), content, 0o600); err != nil {
			return fmt.Errorf("figureimage: writing the drawing page: %w", err)
		}
	}
	tab, cancel, err := harness.StartBrowser(filepath.Join(r.dir, "profile"))
	if err != nil {
		return fmt.Errorf("figureimage: %w", err)
	}
	r.tab, r.cancel = tab, cancel
	if err := r.run(ctx, chromedp.Navigate("file://"+filepath.Join(r.dir, "page.html"))); err != nil {
		return fmt.Errorf("figureimage: opening the drawing page: %w", err)
	}
	page, cancelPage := r.child(ctx)
	defer cancelPage()
	ready, err := chromedp.Run(page, chromedp.Evaluate[bool](`typeof Plotly === "object" && typeof liveplotRender === "function"`))
	if err != nil || !ready {
		return fmt.Errorf("figureimage: the drawing page has no plotly.js (%v)", err)
	}
	return nil
}

// child returns a context of the browser's tab that ends with ctx, and its cancel.
func (r *Renderer) child(ctx context.Context) (context.Context, context.CancelFunc) {
	tab, cancel := context.WithCancel(r.tab)
	stop := context.AfterFunc(ctx, cancel)
	return tab, func() {
		stop()
		cancel()
	}
}

func (r *Renderer) run(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) error {
	tab, cancel := r.child(ctx)
	defer cancel()
	err := chromedp.Do(tab, actions...)
	if err != nil && ctx.Err() != nil {
		return fmt.Errorf("%w (%w)", ctx.Err(), err)
	}
	return err
}

// Render draws figure, a plotly figure's JSON ({"data": [...], "layout": {...}}), as a PNG.
func (r *Renderer) Render(ctx context.Context, figure []byte) (Image, error) {
	var probe struct {
		Data json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(figure, &probe); err != nil {
		return Image{}, fmt.Errorf("figureimage: the figure is not a JSON object: %w", err)
	}
	expr := fmt.Sprintf("liveplotRender(%s, %d, %d)", figure, DefaultWidth, DefaultHeight)
	type result struct {
		URL    string `json:"url"`
		Width  int    `json:"width"`
		Height int    `json:"height"`
	}
	tab, cancel := r.child(ctx)
	defer cancel()
	res, err := chromedp.Run(tab, chromedp.Evaluate[result](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		if ctx.Err() != nil {
			return Image{}, fmt.Errorf("figureimage: drawing a figure: %w", ctx.Err())
		}
		return Image{}, fmt.Errorf("figureimage: plotly.js could not draw the figure: %w", err)
	}
	b64, ok := strings.CutPrefix(res.URL, "data:image/png;base64,")
	if !ok {
		return Image{}, fmt.Errorf("figureimage: plotly.js returned %.40q, not a PNG data URL", res.URL)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		return Image{}, fmt.Errorf("figureimage: plotly.js returned a damaged PNG: %w", err)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(raw))
	if err != nil {
		return Image{}, fmt.Errorf("figureimage: plotly.js returned a damaged PNG: %w", err)
	}
	return Image{PNG: raw, Width: cfg.Width, Height: cfg.Height}, nil
}

// Close ends the browser and removes its files.
func (r *Renderer) Close() {
	if r.cancel != nil {
		r.cancel()
	}
	os.RemoveAll(r.dir) //nolint:errcheck // a temporary directory: nothing to tell the user

}
