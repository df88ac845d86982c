// Command natsproducer is the README tutorial's program in the shape the remote end-to-end tests
// need: it uses only liveplot's public API, and publishes through NATS only because
// LIVEPLOT_NATS is in its environment. It shows one figure titled -title whose trace has a
// window of -maxpoints and whose stream token is -token (a new one when empty), writes the
// points (i, i) for i = 1 ... -n, one every -interval, and closes the stream. With -hold it waits
// for a line on standard input once the stream is open and again before closing it, so that a
// test can look at the stream while it is open; with -pause K too, it waits once more after the
// K-th point.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
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

func run() error {
	n := flag.Int("n", 200, "how many points")
	maxPoints := flag.Int("maxpoints", 50, "the window")
	title := flag.String("title", "producer", "the figure's title")
	interval := flag.Duration("interval", time.Millisecond, "time between two points")
	hold := flag.Bool("hold", false, "wait for a line on standard input before writing, and another before closing the stream")
	pause := flag.Int("pause", 0, "with -hold, after this many points wait for a line on standard input")
	tok := flag.String("token", "", "the trace's stream token (a new one when empty): a notebook that follows it shows the writes")
	flag.Parse()

	if *tok == "" {
		*tok = stream.NewToken()
	}
	fig := plotly.Figure{
		Data: plotly.Data{&plotly.Scatter{
			X: []float64{}, Y: []float64{}, Mode: "lines+markers",
			Stream: &plotly.Stream{Token: *tok, MaxPoints: *maxPoints},
		}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: *title}},
	}
	if err := plotly.Show(fig); err != nil {
		return err
	}
	s, err := stream.Open(*tok)
	if err != nil {
		return err
	}
	stdin := bufio.NewScanner(os.Stdin)
	if *hold {
		fmt.Println("natsproducer: open")
		stdin.Scan()
	}
	for i := 1; i <= *n; i++ {
		if err := s.Write(stream.Point{X: float64(i), Y: float64(i)}); err != nil {
			return err
		}
		if *hold && i == *pause {
			fmt.Println("natsproducer: paused")
			stdin.Scan()
		}
		time.Sleep(*interval)
	}
	if *hold {
		fmt.Println("natsproducer: written")
		stdin.Scan()
	}
	if err := s.Close(); err != nil {
		return err
	}
	fmt.Println("natsproducer: closed")
	return plotly.Wait()
}
