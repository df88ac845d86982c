package kerneltest_test

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/kerneltest"
)

// report is the code under test: it shows a status output, streams its progress on a channel
// (with a snapshot for viewers that come late), and shows the status again when done.
func report(ctx context.Context, frontend kernelext.Frontend, steps int) error {
	if err := frontend.Display(ctx, kernelext.Output{ID: "status", HTML: "<p>working</p>"}); err != nil {
		return err
	}
	var done atomic.Int64
	ch, err := frontend.OpenChannel("progress", func() []byte {
		return fmt.Appendf(nil, `{"done":%d}`, done.Load())
	})
	if err != nil {
		return err
	}
	for i := 1; i <= steps; i++ {
		done.Store(int64(i))
		if err := ch.Send(fmt.Appendf(nil, `{"done":%d}`, i)); err != nil {
			return err
		}
	}
	if err := frontend.Display(ctx, kernelext.Output{ID: "status", HTML: "<p>done</p>"}); err != nil {
		return err
	}
	return ch.Close(ctx)
}

// A test gives the code a Recorder where a program gets kernelext.Default(), then checks what it
// displayed and sent.
func ExampleRecorder() {
	rec := &kerneltest.Recorder{}
	if err := report(context.Background(), rec, 3); err != nil {
		fmt.Println(err)
		return
	}
	for _, out := range rec.Outputs() {
		fmt.Println(out.ID, out.HTML)
	}
	ch := rec.Channel("progress")
	fmt.Printf("frames %s\n", ch.Frames())
	fmt.Printf("a late viewer's snapshot %s, closed %v\n", ch.Snapshot(), ch.Closed())
	// Output:
	// status <p>working</p>
	// status <p>done</p>
	// frames [{"done":1} {"done":2} {"done":3}]
	// a late viewer's snapshot {"done":3}, closed true
}
