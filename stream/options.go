package stream

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/liveplot/liveplot/kernelext"
)

// An Option changes how [Open] sets up a link.
type Option func(*config)

type config struct {
	frontend     kernelext.Frontend
	frameRate    float64
	frameRateSet bool // by WithFrameRate; else Open takes the channel's pace
	bufferBound  int
	ctx          context.Context
}

const (
	defaultFrameRate   = 60
	defaultBufferBound = 10_000
)

func defaultConfig() config {
	return config{bufferBound: defaultBufferBound, ctx: context.Background()}
}

// paceTo sets an unset frame rate to one frame per batch of a paced channel, or the default.
func (c *config) paceTo(ch kernelext.Channel) {
	if c.frameRateSet {
		return
	}
	c.frameRate = defaultFrameRate
	if p, ok := ch.(kernelext.Paced); ok && p.FrameInterval() > 0 {
		c.frameRate = min(defaultFrameRate, float64(time.Second)/float64(p.FrameInterval()))
	}
}

func (c *config) check() error {
	if c.frameRateSet {
		// NaN would send no frame, +Inf one per write; a rate whose interval overflows a
		// time.Duration would wrap around to none at all.
		if !(c.frameRate > 0) || math.IsInf(c.frameRate, 1) || float64(time.Second)/c.frameRate >= math.MaxInt64 {
			return fmt.Errorf("stream: WithFrameRate(%v): want a positive, finite number of frames a second, e.g. 60", c.frameRate)
		}
	}
	if c.bufferBound <= 0 {
		return fmt.Errorf("stream: buffer bound %d is not positive", c.bufferBound)
	}
	if c.ctx == nil {
		return fmt.Errorf("stream: nil context")
	}
	return nil
}

// WithFrontend sends the link's frames to frontend instead of the one the figure was shown on
// (the same choice as [plotly.WithFrontend] makes for Show).
//
// [plotly.WithFrontend]: https://pkg.go.dev/github.com/liveplot/liveplot/plotly#WithFrontend
func WithFrontend(frontend kernelext.Frontend) Option {
	return func(c *config) { c.frontend = frontend }
}

// WithFrameRate sets how many frames a second the link sends at most while it is written to
// (default 60, or one per batch of a frontend that sends frames in batches, as GoNB's does 40
// times a second). A frame carries every write since the one before.
// Open fails for a rate that is not a positive, finite number.
func WithFrameRate(perSecond float64) Option {
	return func(c *config) { c.frameRate, c.frameRateSet = perSecond, true }
}

// WithBufferBound sets how many values may wait for the next frame tick (default 10000): when
// more are pending, the link sends a frame at once instead of waiting. Whatever the bound, a
// link never holds more than its window of values (maxpoints per array).
func WithBufferBound(values int) Option {
	return func(c *config) { c.bufferBound = values }
}

// WithContext ties the link to ctx: when ctx is done the link closes as if by [Link.Close].
func WithContext(ctx context.Context) Option {
	return func(c *config) { c.ctx = ctx }
}
