package kerneltest

import (
	"context"

	"github.com/liveplot/liveplot/kernelext"
)

// Discard is a kernelext.Frontend whose outputs and frames go nowhere, so that benchmarks
// measure the code that produces them alone.
type Discard struct{}

// Display drops out.
func (Discard) Display(context.Context, kernelext.Output) error { return nil }

// OpenChannel returns a channel that drops its frames.
func (Discard) OpenChannel(string, func() []byte) (kernelext.Channel, error) {
	return discardChannel{}, nil
}

type discardChannel struct{}

func (discardChannel) Send([]byte) error           { return nil }
func (discardChannel) Close(context.Context) error { return nil }
