package stream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/liveplot/liveplot/plotly"
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
// notebook keeps), and closes the channel. Writes after it fail with ErrClosed. Calling it again
// returns what the first call returned.
func (l *Link) CloseContext(ctx context.Context) error {
	l.closeOnce.Do(func() { l.closeErr = l.close(ctx) })
	return l.closeErr
}

func (l *Link) close(ctx context.Context) error {
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

	l.mu.Lock()
	data := make(map[string][]any, len(l.window))
	for path, a := range l.window {
		data[path] = a.col.values()
	}
	relayout, relayoutErr := l.relayout.values()
	sendErr := l.sendErr
	l.mu.Unlock()

	var errs []error
	if sendErr != nil {
		errs = append(errs, fmt.Errorf("stream: sending frames: %w", sendErr))
	}
	if relayoutErr != nil {
		errs = append(errs, fmt.Errorf("stream: decoding layout updates: %w", relayoutErr))
	} else if err := plotly.UpdateTrace(ctx, l.target.FigureID, l.target.Trace, data, relayout); err != nil {
		errs = append(errs, fmt.Errorf("stream: showing the final figure: %w", err))
	}
	if err := l.channel.Close(ctx); err != nil {
		errs = append(errs, fmt.Errorf("stream: closing channel: %w", err))
	}
	return errors.Join(errs...)
}
