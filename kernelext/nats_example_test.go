package kernelext_test

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/liveplot/liveplot/kernelext"
)

// A producer that publishes through a NATS server requiring a token. Pass it to
// plotly.WithFrontend and stream.WithFrontend, or set LIVEPLOT_NATS to the same URL and let
// kernelext.Default pick it; `liveplot serve` (or package natsrelay) shows what it publishes.
// For TLS, use a tls:// URL and nats.go's options: kernelext.NewNATS(ctx, url,
// nats.RootCAs("ca.pem"), nats.ClientCert("cert.pem", "key.pem")).
func ExampleNewNATS() {
	store, _ := os.MkdirTemp("", "nats-example-")
	defer os.RemoveAll(store)
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: store, NoSigs: true, NoLog: true, Authorization: "s3cret"})
	if err != nil {
		fmt.Println(err)
		return
	}
	ns.Start()
	defer ns.Shutdown()
	ns.ReadyForConnections(10 * time.Second)
	ctx := context.Background()

	withToken := strings.Replace(ns.ClientURL(), "nats://", "nats://s3cret@", 1)
	producer, err := kernelext.NewNATS(ctx, withToken)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer producer.Close(ctx)
	fmt.Println(strings.HasPrefix(producer.URL(), "nats://xxxxx@")) // the token is masked
	fmt.Println(producer.Display(ctx, kernelext.Output{ID: "greeting", HTML: "<p>hello</p>"}))

	_, err = kernelext.NewNATS(ctx, ns.ClientURL()) // no token
	fmt.Println(strings.Contains(err.Error(), "refused the credentials"))
	// Output:
	// true
	// <nil>
	// true
}
