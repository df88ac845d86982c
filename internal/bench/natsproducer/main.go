// Command natsproducer is one producer of liveplot bench's NATS soak (`liveplot bench -soak
// -nats`): a program that uses only liveplot's public API and publishes through NATS because
// LIVEPLOT_NATS is in its environment, as a user's producer on another machine would.
//
// It shows one figure titled -title whose trace has a window of -window points, opens its stream,
// prints {"state":"open"} and waits for a line on standard input. Then it writes -rate points a
// second, in ticks of 10 ms, each point's x its number (0, 1, 2, ...) and its y the time of its
// write in milliseconds since the Unix epoch (the page measures its latency against it), and
// prints a status line every second ({"state":"writing","written":N,"heap_mb":H}). When standard
// input ends it closes the stream, prints {"state":"closed",...} and exits.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "natsproducer:", err)
		os.Exit(1)
	}
}

// status is the line the producer prints.
type status struct {
	State   string  `json:"state"`
	Written int64   `json:"written"`
	HeapMB  float64 `json:"heap_mb"`
}

func run() error {
	rate := flag.Float64("rate", 1000, "points a second")
	window := flag.Int("window", 1000, "the trace's window (maxpoints)")
	title := flag.String("title", "producer", "the figure's title")
	flag.Parse()
	if os.Getenv("LIVEPLOT_NATS") == "" {
		return fmt.Errorf("LIVEPLOT_NATS is not set: this producer publishes through NATS only")
	}
	enc := json.NewEncoder(os.Stdout)
	tok := stream.NewToken()
	fig := plotly.Figure{
		Data:   plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines", Stream: &plotly.Stream{Token: tok, MaxPoints: *window}}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: *title}, Height: 200},
	}
	if err := plotly.Show(fig); err != nil {
		return err
	}
	l, err := stream.Open(tok)
	if err != nil {
		return err
	}
	if err := enc.Encode(status{State: "open"}); err != nil {
		return err
	}
	in := bufio.NewReader(os.Stdin)
	if _, err := in.ReadString('\n'); err != nil {
		return fmt.Errorf("waiting for the line that starts the writes: %w", err)
	}
	stop := make(chan struct{})
	go func() {
		io.Copy(io.Discard, in) //nolint:errcheck // any end of standard input stops the writes
		close(stop)
	}()

	start := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	report := time.NewTicker(time.Second)
	defer report.Stop()
	n := int64(0)
	heapMB := func() float64 {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapAlloc) / (1 << 20)
	}
	for {
		select {
		case <-stop:
			if err := l.Close(); err != nil {
				return err
			}
			return enc.Encode(status{State: "closed", Written: n, HeapMB: heapMB()})
		case <-report.C:
			if err := enc.Encode(status{State: "writing", Written: n, HeapMB: heapMB()}); err != nil {
				return err
			}
		case <-tick.C:
			now := time.Now()
			due := int64(*rate * now.Sub(start).Seconds())
			if due <= n {
				continue
			}
			y := float64(now.UnixNano()) / 1e6
			xs, ys := make([]float64, 0, due-n), make([]float64, 0, due-n)
			for ; n < due; n++ {
				xs, ys = append(xs, float64(n)), append(ys, y)
			}
			if err := l.Extend(xs, ys); err != nil {
				return err
			}
		}
	}
}
