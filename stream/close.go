package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/liveplot/liveplot/internal/figure"
)

// closeTimeout bounds Close: how long it waits for the last frame to go out and the figure to be
// shown again. CloseContext takes any bound.
const closeTimeout = 10 * time.Second

// Close is CloseContext with a 10-second bound.
func (l *Link) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
	defer cancel()
	return l.CloseContext(ctx)
}

// CloseContext ends the link: it sends everything written in a last frame marked closed, shows
// the figure again with the trace's final window and layout updates (the output that a saved
// notebook keeps), and closes the channel. In a notebook whose page listens, it then asks that
// page for a picture of the final figure and shows the figure once more with it (an image/png
// for viewers that run no scripts): that wait ends by ctx's deadline too. Writes after it fail
// with [ErrClosed]. Calling it again returns what the first call returned.
func (l *Link) CloseContext(ctx context.Context) error {
	l.closeOnce.Do(func() { l.closeErr = l.close(ctx) })
	return l.closeErr
}

func (l *Link) close(ctx context.Context) error {
	// Freed once the final figure is shown (or closing gave up): a new link then starts from it.
	defer releaseToken(l.target.Token, l.id)
	if l.stopInterrupt != nil {
		l.stopInterrupt()
	}
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
	close(l.stop)
	select {
	case <-l.done:
	case <-ctx.Done():
		return fmt.Errorf("stream: closing link %s: last frame not sent: %w", l.target.Token, ctx.Err())
	}
	if l.previewDone != nil { // no display update may land after the final one
		select {
		case <-l.previewDone:
		case <-ctx.Done():
			return fmt.Errorf("stream: closing link %s: a display update is still being sent: %w", l.target.Token, ctx.Err())
		}
	}

	data, err := l.finalWindow(ctx)
	if err != nil {
		return fmt.Errorf("stream: closing link %s: encoding the final window: %w", l.target.Token, err)
	}
	l.mu.Lock()
	relayout, relayoutErr := l.relayout.values()
	sendErr := l.sendErr
	l.mu.Unlock()

	var errs []error
	if sendErr != nil {
		errs = append(errs, fmt.Errorf("stream: sending frames: %w", sendErr))
	}
	if relayoutErr != nil {
		errs = append(errs, fmt.Errorf("stream: decoding layout updates: %w", relayoutErr))
	} else if err := figure.UpdateTrace(ctx, l.target.FigureID, l.target.Trace, data, relayout); errors.Is(err, context.DeadlineExceeded) {
		// The final figure carries the whole window: a million points is tens of MB.
		errs = append(errs, fmt.Errorf("stream: showing the final figure (the whole window, %d bytes of JSON) took longer than the close's deadline: "+
			"close with CloseContext and a later deadline: %w", jsonBytes(data), err))
	} else if err != nil {
		errs = append(errs, fmt.Errorf("stream: showing the final figure: %w", err))
	}
	if err := l.channel.Close(ctx); err != nil {
		errs = append(errs, fmt.Errorf("stream: closing channel: %w", err))
	}
	if len(errs) == 0 {
		// A picture of the final figure, drawn by the notebook page that shows it, for viewers
		// that run no scripts. An extra within ctx: without it the output keeps its final
		// display, so failing to show it again is no error of the stream's.
		_ = figure.AddPicture(ctx, l.target.FigureID)
	}
	return errors.Join(errs...)
}

// encodeChunk is how many values finalWindow encodes at a time, holding the link's lock and
// between two checks of its context.
const encodeChunk = 1 << 16

// finalWindow encodes each array of the window as a JSON array, for the final figure: once, in
// chunks that release the lock (a late viewer's snapshot may want it) and check ctx. The
// window no longer changes: the link is closed and its frame loop has ended.
func (l *Link) finalWindow(ctx context.Context) (map[string]json.RawMessage, error) {
	l.mu.Lock()
	paths := slices.Clone(l.paths)
	l.mu.Unlock()
	data := make(map[string]json.RawMessage, len(paths))
	for _, path := range paths {
		l.mu.Lock()
		col := l.window[path].col
		n := col.len()
		l.mu.Unlock()
		b := []byte{'['}
		for from := 0; from < n; from += encodeChunk {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			to := min(from+encodeChunk, n)
			l.mu.Lock()
			b = col.appendValues(b, from, to, 0)
			l.mu.Unlock()
			if from == 0 && to < n { // one buffer of about the array's size, not doubled as it grows
				perValue := float64(len(b)) / float64(to-from)
				b = slices.Grow(b, int(perValue*float64(n-to)*1.05)+1)
			}
		}
		data[path] = append(b, ']')
	}
	return data, nil
}

// jsonBytes is the size of the arrays of a final window.
func jsonBytes(data map[string]json.RawMessage) int {
	n := 0
	for _, raw := range data {
		n += len(raw)
	}
	return n
}
