package figure

import (
	"context"
	"fmt"
	"time"

	"github.com/liveplot/liveplot/kernelext"
)

const (
	// pictureWait bounds how long AddPicture waits for a page's picture: the page must first
	// show the figure's final output (in Notebook 6, parse the output again, plotly.js inline
	// included when that output carries it), then draw it.
	pictureWait = 8 * time.Second
	// pictureReserve is what AddPicture keeps of its context's time for showing the figure
	// again with the picture.
	pictureReserve = 2 * time.Second
)

// AddPicture asks the page that shows a figure for a picture of it, drawn there by plotly.js at
// the size shown (kernelext.Picturer), and shows the figure again with that picture as image/png:
// a saved notebook then shows the figure where no script runs (GitHub, an untrusted notebook,
// nbconvert to Markdown or PDF). Streams call it after a figure's final display (Close, the stop
// button).
//
// The picture is an extra: AddPicture returns at once when the figure's frontend draws no
// pictures (the local page, a notebook run in batch with no page, comms off), and adds nothing
// when no page answers within 8 seconds, or by ctx's deadline less the time kept to show the
// figure again. Only showing the figure again can fail.
func AddPicture(ctx context.Context, figureID string) error {
	registry.Lock()
	s, ok := registry.figures[figureID]
	registry.Unlock()
	if !ok {
		return fmt.Errorf("plotly: no figure shown with ID %q", figureID)
	}
	picturer, ok := s.frontend.(kernelext.Picturer)
	if !ok {
		return nil
	}
	wait := pictureWait
	if deadline, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(deadline)-pictureReserve)
	}
	if wait <= 0 {
		return nil
	}
	waitCtx, cancel := context.WithTimeout(ctx, wait)
	png := picturer.Picture(waitCtx, s.id)
	cancel()
	if png == nil {
		return nil
	}
	registry.Lock()
	out, err := Render(ctx, s.id, s.tree)
	registry.Unlock()
	if err != nil {
		return err
	}
	out.Data["image/png"] = png
	return s.frontend.Display(ctx, out)
}
