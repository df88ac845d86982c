package jupyter_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"time"

	"github.com/liveplot/liveplot/internal/jupyter"
)

// Start the GoNB kernel installed in the Jupyter data directories, run a cell and print what a
// notebook would show.
func ExampleStartKernel() {
	ctx := context.Background()
	spec, err := jupyter.FindKernelSpec("gonb") // searches JUPYTER_PATH, JUPYTER_DATA_DIR, ...
	if err != nil {
		log.Print(err)
		return
	}
	startCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	kernel, err := jupyter.StartKernel(startCtx, spec, jupyter.StartOptions{
		Client: jupyter.ClientOptions{AnswerGoNBComms: true},
	})
	if err != nil {
		log.Print(err)
		return
	}
	defer kernel.Shutdown(ctx)

	rec := jupyter.NewRecorder()
	reply, err := kernel.Execute(ctx, "%%\nfmt.Println(\"hello\")", rec.Cell(0))
	if err != nil {
		log.Print(err)
		return
	}
	fmt.Println(reply.Status, rec.Outputs(0)[0].Text)
}

// Bound a cell's run time: when the timeout passes, interrupt the kernel and wait for the cell
// to end.
func ExampleClient_Interrupt() {
	var kernel *jupyter.Client // from StartKernel or Connect
	run := func(code string, limit time.Duration) (*jupyter.ExecuteReply, error) {
		ctx, cancel := context.WithTimeout(context.Background(), limit)
		defer cancel()
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-ctx.Done():
				ictx, icancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer icancel()
				kernel.Interrupt(ictx)
			case <-done:
			}
		}()
		// Execute itself gets more time than the limit, to see the interrupted cell end.
		return kernel.Execute(context.Background(), code, nil)
	}
	_ = run
}

// Feed IOPub messages to a Recorder: it keeps outputs the way a notebook does.
func ExampleRecorder() {
	msg := func(msgType, content string) *jupyter.Message {
		return &jupyter.Message{Header: jupyter.Header{MsgType: msgType}, Content: json.RawMessage(content)}
	}
	rec := jupyter.NewRecorder()
	handle := rec.Cell(0) // an Execute handler
	handle(msg("stream", `{"name":"stdout","text":"step 1\n"}`))
	handle(msg("stream", `{"name":"stdout","text":"step 2\n"}`))
	handle(msg("display_data", `{"data":{"text/html":"<b>0%</b>"},"transient":{"display_id":"progress"}}`))
	handle(msg("update_display_data", `{"data":{"text/html":"<b>100%</b>"},"transient":{"display_id":"progress"}}`))
	for _, o := range rec.Outputs(0) {
		fmt.Printf("%s %q %v\n", o.OutputType, o.Text, o.Data["text/html"])
	}
	// Output:
	// stream "step 1\nstep 2\n" <nil>
	// display_data "" <b>100%</b>
}
