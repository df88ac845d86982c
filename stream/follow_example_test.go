package stream_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/kernelext/natsrelay"
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

// A notebook cell shows a figure and follows what a producer elsewhere writes to its trace,
// through NATS: natsrelay.Follow relays the token's channel to a Follower, which feeds the
// figure's trace until the producer closes its stream, then shows the final figure.
func ExampleFollower() {
	// A NATS server with JetStream (`liveplot serve` embeds one like it).
	store, _ := os.MkdirTemp("", "nats-example-")
	defer os.RemoveAll(store)
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: store, NoSigs: true, NoLog: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	ns.Start()
	defer ns.Shutdown()
	ns.ReadyForConnections(10 * time.Second)
	ctx := context.Background()

	// The cell: in a notebook, plotly.Show(fig) shows the figure in the cell.
	rec := &kerneltest.Recorder{}
	tok := stream.TokenFor("example-follower")
	fig := plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines",
		Stream: &plotly.Stream{Token: tok, MaxPoints: 3}}}}
	if err := plotly.Show(fig, plotly.WithFrontend(rec)); err != nil {
		fmt.Println(err)
		return
	}
	followed := make(chan error, 1)
	go func() {
		followed <- natsrelay.Follow(ctx, ns.ClientURL(), stream.Follower(), []string{tok}, natsrelay.Options{})
	}()

	// The producer, in another process: LIVEPLOT_NATS=nats://... and stream.Open(tok). Here its
	// channel sends one frame by hand, once the cell's relay listens (it opened the channel).
	for rec.Channel(tok) == nil {
		time.Sleep(10 * time.Millisecond)
	}
	producer, err := kernelext.NewNATS(ctx, ns.ClientURL())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer producer.Close(ctx)
	ch, _ := producer.OpenChannel(tok, nil)
	ch.Send([]byte(`{"link":"p","seq":1,"extend":{"x":[1,2,3,4],"y":[1,4,9,16]}}`))
	ch.Close(ctx)

	fmt.Println(<-followed)
	final := rec.Outputs()[len(rec.Outputs())-1].HTML
	fmt.Println(strings.Contains(final, `"x":[2,3,4]`), strings.Contains(final, `"y":[4,9,16]`))
	// Output:
	// <nil>
	// true true
}
