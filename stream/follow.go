package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/liveplot/liveplot/kernelext"
)

// Follower returns a frontend that feeds traces of figures this program showed with the frames
// that links elsewhere send to the same tokens: those of producers on other machines, relayed
// from NATS by [natsrelay.Follow]. Each channel it is asked to open is named by a stream token:
// it opens a link of this program to that token ([Open], with opts) and applies every frame that
// comes on the channel to the link's window, in the order the producer's link sent them (a frame
// older than the last one applied is dropped, a snapshot replaces the window). The link sends
// the figure's viewers its own frames, answers a reloaded page with its own snapshot, and, when
// the channel closes (its producer closed the stream, or the relay stops), closes: the figure
// is shown again with the final window, the output a saved notebook keeps, with its picture
// where a page draws one. The window is this program's: the trace's MaxPoints as this program
// showed it.
//
// It shows no outputs: Display fails. A channel whose name is the token of no figure shown by
// this program fails to open, as Open does.
//
// [natsrelay.Follow]: https://pkg.go.dev/github.com/liveplot/liveplot/kernelext/natsrelay#Follow
func Follower(opts ...Option) kernelext.Frontend {
	return &follower{opts: opts, links: map[string]*followed{}}
}

type follower struct {
	opts []Option

	mu    sync.Mutex
	links map[string]*followed // by token: the link each open channel feeds
}

// followed is a link of this program fed by the frames of a link elsewhere.
type followed struct {
	link *Link

	mu      sync.Mutex
	current *followerChannel // the channel opened last for the token: its Close closes the link
	closing bool             // that Close began: a channel opened now needs a new link
	from    string           // the link ID of the frames applied last
	seq     int64            // and its seq
	frames  int64            // frames applied so far
}

func (f *follower) Display(context.Context, kernelext.Output) error {
	return errors.New("stream: a Follower shows no outputs, it feeds the figures this program showed: " +
		"show the figure with plotly.Show, and relay only its tokens' channels (natsrelay.Follow)")
}

// OpenChannel opens a link of this program to the token name, or returns another channel to the
// link open already (a producer that announced the channel again). When snapshot is not nil it
// is asked for the window once, in the background: a link elsewhere may have written before.
func (f *follower) OpenChannel(name string, snapshot func() []byte) (kernelext.Channel, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fl := f.links[name]
	if fl == nil || fl.isClosing() {
		// A link still closing holds the token: Open fails ("in use") until it is released,
		// and the relay opens the channel again with the next frame (and its snapshot).
		l, err := Open(name, f.opts...)
		if err != nil {
			return nil, err
		}
		fl = &followed{link: l}
		f.links[name] = fl
	}
	c := &followerChannel{fl: fl, fetched: make(chan struct{})}
	fl.mu.Lock()
	fl.current = c
	before := fl.frames
	fl.mu.Unlock()
	if snapshot == nil {
		close(c.fetched)
		return c, nil
	}
	go func() {
		defer close(c.fetched)
		frame := snapshot()
		if frame == nil {
			return
		}
		fl.mu.Lock()
		defer fl.mu.Unlock()
		// Frames that came meanwhile are newer than the window asked for, unless the
		// snapshot is of their link (then the seq tells).
		var head frameHead
		if json.Unmarshal(frame, &head) != nil || fl.frames != before && head.Link != fl.from {
			return
		}
		fl.applyLocked(frame) //nolint:errcheck // a window the producer's link made: its paths are the trace's
	}()
	return c, nil
}

type frameHead struct {
	Link string `json:"link"`
	Seq  *int64 `json:"seq"`
}

// remoteFrame is a link's frame, as it travels (docs/architecture.md).
type remoteFrame struct {
	frameHead
	Reset    bool                       `json:"reset"`
	Replace  map[string][]any           `json:"replace"`
	Extend   map[string][]any           `json:"extend"`
	Relayout map[string]json.RawMessage `json:"relayout"`
}

// applyLocked applies a frame of the link elsewhere to the window, unless it is older than the
// last one applied. Called with fl.mu held.
func (fl *followed) applyLocked(raw []byte) error {
	var fr remoteFrame
	if err := json.Unmarshal(raw, &fr); err != nil {
		return fmt.Errorf("stream: a frame that is not a link's: %w", err)
	}
	if fr.Link == fl.from && fr.Seq != nil && *fr.Seq <= fl.seq {
		return nil
	}
	var fields []field
	for _, key := range []struct {
		arrays map[string][]any
		op     op
	}{{fr.Replace, replaceMany}, {fr.Extend, appendMany}} {
		paths := make([]string, 0, len(key.arrays))
		for path := range key.arrays {
			paths = append(paths, path)
		}
		slices.Sort(paths)
		for _, path := range paths {
			vs, _, err := toValues(key.arrays[path])
			if err != nil {
				return fmt.Errorf("stream: a frame's %s: %w", path, err)
			}
			fields = append(fields, field{path: path, op: key.op, many: vs})
		}
	}
	// Only a frame that the window takes counts: a rejected one does not hide a snapshot or
	// move the seq.
	if err := fl.link.applyFields(fields); err != nil {
		return err
	}
	if fr.Link != fl.from {
		fl.from, fl.seq = fr.Link, 0
	}
	if fr.Seq != nil {
		fl.seq = *fr.Seq
	}
	fl.frames++
	if len(fr.Relayout) > 0 {
		update := make(map[string]any, len(fr.Relayout))
		for path, raw := range fr.Relayout {
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				return fmt.Errorf("stream: a frame's relayout of %s: %w", path, err)
			}
			update[path] = v
		}
		return fl.link.Relayout(update)
	}
	return nil
}

// followerChannel is a channel a relay sends a link's frames on.
type followerChannel struct {
	fl      *followed
	fetched chan struct{} // closed once the snapshot asked at open was applied (or not)
}

// Send applies frame to the link's window.
func (c *followerChannel) Send(frame []byte) error {
	c.fl.mu.Lock()
	defer c.fl.mu.Unlock()
	return c.fl.applyLocked(frame)
}

// Close closes the link, when this is the channel opened last for its token (an earlier one was
// replaced by a producer's announcement): the figure is shown with the final window.
func (c *followerChannel) Close(ctx context.Context) error {
	select {
	case <-c.fetched:
	case <-ctx.Done():
	}
	c.fl.mu.Lock()
	current := c.fl.current == c
	if current {
		c.fl.closing = true // no channel opened from now on joins this link
	}
	c.fl.mu.Unlock()
	if !current {
		return nil
	}
	return c.fl.link.CloseContext(ctx)
}

// isClosing reports whether the link is closed or its channel's Close began.
func (fl *followed) isClosing() bool {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	return fl.closing || fl.link.isClosed()
}
