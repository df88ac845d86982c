// Command burst streams points to one figure as fast as it is told, for the end-to-end
// benchmarks. Each point carries its write time: x is the point's number, y the wall-clock time
// of the write in milliseconds since the Unix epoch, so the page can measure write -> applied
// latency. It waits for a line "go" on standard input, writes, prints "done N", and serves
// its page until it is killed.
//
//	burst -n 1000000 -maxpoints 1000 -rate 0
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
	n := flag.Int("n", 100000, "points to write")
	maxPoints := flag.Int("maxpoints", 1000, "the window")
	rate := flag.Float64("rate", 0, "points per second (0: as fast as Write goes)")
	flag.Parse()
	if err := run(*n, *maxPoints, *rate); err != nil {
		fmt.Fprintln(os.Stderr, "burst:", err)
		os.Exit(1)
	}
}

func run(n, maxPoints int, rate float64) error {
	tok := stream.NewToken()
	fig := plotly.Figure{Data: plotly.Data{&plotly.Scatter{
		X: []float64{}, Y: []float64{}, Mode: "lines",
		Stream: &plotly.Stream{Token: tok, MaxPoints: maxPoints},
	}}}
	if err := plotly.Show(fig); err != nil {
		return err
	}
	s, err := stream.Open(tok)
	if err != nil {
		return err
	}
	in := bufio.NewScanner(os.Stdin)
	if !in.Scan() || in.Text() != "go" {
		return fmt.Errorf("expected a line \"go\" on standard input")
	}
	start := time.Now()
	for i := 0; i < n; i++ {
		if rate > 0 {
			if ahead := time.Duration(float64(i)/rate*float64(time.Second)) - time.Since(start); ahead > 0 {
				time.Sleep(ahead)
			}
		}
		now := float64(time.Now().UnixNano()) / 1e6
		if err := s.Append(float64(i), now); err != nil {
			return err
		}
	}
	if err := s.Close(); err != nil {
		return err
	}
	st := s.Stats()
	fmt.Printf("done %d written=%d sent=%d coalesced=%d frames=%d\n", n, st.Written, st.Sent, st.Coalesced, st.Frames)
	// Keep serving the page, as a program should that wants its final figure seen: exiting now
	// could race the last frames and the final output to the page. The benchmark kills it.
	if err := plotly.Wait(); err != nil {
		return err
	}
	return nil
}
