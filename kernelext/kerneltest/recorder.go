// Package kerneltest provides [kernelext.Frontend] fakes, in the spirit of net/http/httptest:
// [Recorder] keeps every output and frame it is given, [Discard] drops them, for unit tests of
// code that displays outputs and sends frames. Integration tests use the real frontends.
//
// # Concurrency
//
// A Recorder and its channels are safe for concurrent use, as the frontends they stand in for
// are; they start no goroutines.
package kerneltest

import (
	"context"
	"sync"

	"github.com/liveplot/liveplot/kernelext"
)

// Recorder is a kernelext.Frontend that keeps every output and frame in memory.
// It is safe for concurrent use.
type Recorder struct {
	mu       sync.Mutex
	outputs  []kernelext.Output
	channels map[string]*RecordedChannel
}

// Display records out.
func (r *Recorder) Display(ctx context.Context, out kernelext.Output) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.outputs = append(r.outputs, out)
	return nil
}

// Outputs returns the outputs displayed so far, in order.
func (r *Recorder) Outputs() []kernelext.Output {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]kernelext.Output(nil), r.outputs...)
}

// OpenChannel opens a recorded channel; opening a name again replaces the earlier channel.
func (r *Recorder) OpenChannel(name string, snapshot func() []byte) (kernelext.Channel, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.channels == nil {
		r.channels = map[string]*RecordedChannel{}
	}
	c := &RecordedChannel{snapshot: snapshot}
	r.channels[name] = c
	return c, nil
}

// Channel returns the channel opened with name, or nil.
func (r *Recorder) Channel(name string) *RecordedChannel {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.channels[name]
}

// RecordedChannel keeps the frames sent on it.
type RecordedChannel struct {
	mu       sync.Mutex
	frames   [][]byte
	closed   bool
	snapshot func() []byte
}

// Send records a copy of frame.
func (c *RecordedChannel) Send(frame []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return kernelext.ErrClosed
	}
	c.frames = append(c.frames, append([]byte(nil), frame...))
	return nil
}

// Close marks the channel closed.
func (c *RecordedChannel) Close(ctx context.Context) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

// Frames returns the frames sent so far, in order.
func (c *RecordedChannel) Frames() [][]byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([][]byte(nil), c.frames...)
}

// Closed reports whether Close was called.
func (c *RecordedChannel) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.closed
}

// Snapshot returns what the channel's snapshot function gives a late viewer, or nil.
func (c *RecordedChannel) Snapshot() []byte {
	if c.snapshot == nil {
		return nil
	}
	return c.snapshot()
}
