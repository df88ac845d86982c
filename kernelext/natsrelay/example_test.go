package natsrelay_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/kernelext/natsrelay"
)

// natsServer starts a NATS server with JetStream on a free port of the loopback interface, its
// store in a temporary directory: `liveplot serve` embeds one like it; yours may be a cluster.
func natsServer() (*server.Server, func(), error) {
	store, err := os.MkdirTemp("", "nats-example-")
	if err != nil {
		return nil, nil, err
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: store, NoSigs: true, NoLog: true})
	if err != nil {
		os.RemoveAll(store)
		return nil, nil, err
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		ns.Shutdown()
		os.RemoveAll(store)
		return nil, nil, fmt.Errorf("the NATS server did not start")
	}
	return ns, func() { ns.Shutdown(); os.RemoveAll(store) }, nil
}

// A producer publishes through NATS with kernelext.NewNATS (or LIVEPLOT_NATS, which
// kernelext.Default reads); a relay shows what it publishes on a frontend of its own, here a
// recorder, usually a kernelext.LocalPage.
func Example() {
	// A NATS server with JetStream: `liveplot serve` embeds one like it; yours may be a cluster.
	ns, stop, err := natsServer()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer stop()
	ctx := context.Background()

	// The viewer side.
	page := &kerneltest.Recorder{}
	relay, err := natsrelay.Connect(ctx, ns.ClientURL(), page, natsrelay.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer relay.Close(ctx)

	// The producer side, in another process or on another machine.
	producer, err := kernelext.NewNATS(ctx, ns.ClientURL())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer producer.Close(ctx)
	producer.Display(ctx, kernelext.Output{ID: "greeting", HTML: "<p>hello</p>"})
	ch, _ := producer.OpenChannel("a-stream-token", nil)
	ch.Send([]byte(`{"seq":1}`))
	ch.Close(ctx)

	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if c := page.Channel("a-stream-token"); len(page.Outputs()) == 1 && c != nil && c.Closed() {
			fmt.Println(page.Outputs()[0].HTML)
			fmt.Printf("%s\n", c.Frames())
			return
		}
	}
	fmt.Println("nothing relayed")
	// Output:
	// <p>hello</p>
	// [{"seq":1}]
}

// Follow relays only the named channels, until their producers close them: what a notebook cell
// does, with stream.Follower as the frontend, to show what producers elsewhere write to the
// traces of its figure. Here a recorder stands for it.
func ExampleFollow() {
	ns, stop, err := natsServer()
	if err != nil {
		fmt.Println(err)
		return
	}
	defer stop()
	ctx := context.Background()

	page := &kerneltest.Recorder{}
	followed := make(chan error, 1)
	go func() {
		followed <- natsrelay.Follow(ctx, ns.ClientURL(), page, []string{"a-stream-token"}, natsrelay.Options{})
	}()
	for page.Channel("a-stream-token") == nil { // opened at once, for its snapshot
		time.Sleep(10 * time.Millisecond)
	}

	producer, err := kernelext.NewNATS(ctx, ns.ClientURL())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer producer.Close(ctx)
	producer.Display(ctx, kernelext.Output{ID: "greeting", HTML: "<p>hello</p>"}) // not followed
	ch, _ := producer.OpenChannel("a-stream-token", nil)
	ch.Send([]byte(`{"seq":1}`))
	ch.Close(ctx)

	fmt.Println(<-followed)
	fmt.Printf("%s %d\n", page.Channel("a-stream-token").Frames(), len(page.Outputs()))
	// Output:
	// <nil>
	// [{"seq":1}] 0
}
