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
	// makes slow (seen: up to 12.9 s, and no answer within 8 s in two runs of three with the
	// tests' other processes beside it); nobody waits for it but WaitPictures.
	laterWait = 30 * time.Second
	// missedWait replaces laterWait once a picture asked in the background did not come in this
	// kernel session (the page closed, or a JupyterLab that has not laid the figure's cell out):
	// a notebook of many static figures then does not wait 30 s for each.
	missedWait = 5 * time.Second
	// maxLaterPictures is how many pictures a program asks in the background: each is drawn by
	// the page and shown again, so a cell of hundreds of figures does not flood the page.
	maxLaterPictures = 20
	// laterAtOnce is how many of them are asked at a time.
	laterAtOnce = 2
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
	_, err := addPicture(ctx, figureID, pictureWait)
	return err
}

// addPicture is AddPicture with its wait for the page bounded by wait; it reports whether the page
// answered with a picture.
func addPicture(ctx context.Context, figureID string, wait time.Duration) (bool, error) {
	registry.Lock()
	s, ok := registry.figures[figureID]
	registry.Unlock()
	if !ok {
		return false, fmt.Errorf("plotly: no figure shown with ID %q", figureID)
	}
	picturer, ok := s.frontend.(kernelext.Picturer)
	if !ok {
		return false, nil
	}
	if deadline, ok := ctx.Deadline(); ok {
		wait = min(wait, time.Until(deadline)-pictureReserve)
	}
	if wait <= 0 {
		return false, nil
	}
	waitCtx, cancel := context.WithTimeout(ctx, wait)
	png := picturer.Picture(waitCtx, s.id)
	cancel()
	if png == nil {
		return false, nil
	}
	registry.Lock()
	out, err := Render(ctx, s.id, s.tree)
	registry.Unlock()
	if err != nil {
		return true, err
	}
	out.Data["image/png"] = png
	return true, s.frontend.Display(ctx, out)
}

// later is the state of the pictures asked in the background: how many were asked, how many
// have not come back or been given up yet, and a channel closed when that count drops to zero.
var later = struct {
	sync.Mutex
	asked   int
	pending int
	idle    chan struct{}
	slots   chan struct{} // laterAtOnce tokens
}{slots: make(chan struct{}, laterAtOnce)}

// AddPictureLater is AddPicture for a figure that has no stream, whose only display is Show's: it
// asks in a goroutine, so that Show does not wait for the page (the first figure of a notebook
// kernel waits seconds: GoNB sets up its comm, the page says hello, then draws). The picture is
// added if it comes while the program runs; WaitPictures waits for it. ctx's values are kept, its
// cancellation is not: the picture is asked after Show returned.
//
// A figure with streams gets its picture when a stream closes, and nothing is asked here. A
// program asks at most 20 pictures this way, 2 at a time, each within 30 s, or 5 s once one did
// not come in this kernel session.
func AddPictureLater(ctx context.Context, figureID string) {
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
	later.Lock()
	if later.asked >= maxLaterPictures {
		later.Unlock()
		return
	}
	later.asked++
	if later.pending == 0 {
		later.idle = make(chan struct{})
	}
	later.pending++
	later.Unlock()
	ctx = context.WithoutCancel(ctx)
	go func() {
		defer laterDone()
		later.slots <- struct{}{}
		defer func() { <-later.slots }()
		store := defaultStore()
		missed := store.picturesMissed()
		wait := laterWait
		if missed {
			wait = missedWait
		}
		got, err := addPicture(ctx, figureID, wait)
		if err != nil {
			fmt.Fprintf(os.Stderr, "liveplot: the figure's picture is not in the notebook: %v\n", err)
		}
		if got == missed {
			store.setPicturesMissed(!got)
		}
	}()
}

func laterDone() {
	later.Lock()
	defer later.Unlock()
	later.pending--
	if later.pending == 0 {
		close(later.idle)
	}
}

// WaitPictures waits until every picture that AddPictureLater asked for has come back or been
// given up, or until ctx is done.
func WaitPictures(ctx context.Context) error {
	later.Lock()
	if later.pending == 0 {
		later.Unlock()
		return nil
	}
	idle := later.idle
	later.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("waiting for the figures' pictures: %w", ctx.Err())
	}
}
