package figure

import (
	"context"
	"fmt"
	"os"
	"sync"
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
	// laterWait bounds AddPictureLater's wait, longer than a stream's: the first figure of a
	// notebook kernel also waits for GoNB to set up its comm with the page, which a busy machine
	// makes slow (seen: 7 s, and no answer within 8 s in two runs of three with the tests'
	// other processes beside it); nobody waits for it but WaitPictures.
	laterWait = 30 * time.Second
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
	return addPicture(ctx, figureID, pictureWait)
}

// addPicture is AddPicture with its wait for the page bounded by wait.
func addPicture(ctx context.Context, figureID string, wait time.Duration) error {
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

// pending counts the pictures that AddPictureLater asked for and that have not come back, or been
// given up, yet.
var pending sync.WaitGroup

// AddPictureLater is AddPicture for a figure that has no stream, whose only display is Show's: it
// asks in a goroutine, so that Show does not wait for the page (the first figure of a notebook
// kernel waits about 5 s: GoNB sets up its comm, the page says hello, then draws). The picture is
// added if it comes while the program runs; WaitPictures waits for it. A figure with streams gets
// its picture when a stream closes, and nothing is asked here.
func AddPictureLater(figureID string) {
	registry.Lock()
	s, ok := registry.figures[figureID]
	streams := ok && len(streamTokens(s.tree)) > 0
	registry.Unlock()
	if !ok || streams {
		return
	}
	if _, ok := s.frontend.(kernelext.Picturer); !ok {
		return
	}
	pending.Add(1)
	go func() {
		defer pending.Done()
		if err := addPicture(context.Background(), figureID, laterWait); err != nil {
			fmt.Fprintf(os.Stderr, "liveplot: the figure's picture is not in the notebook: %v\n", err)
		}
	}()
}

// WaitPictures waits until every picture that AddPictureLater asked for has come back or been
// given up, or until ctx is done. A picture is given up 30 s after it was asked for, or once no
// page answered the program's hello (10 s).
func WaitPictures(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		pending.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for the figures' pictures: %w", ctx.Err())
	}
}
