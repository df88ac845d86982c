package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand"
	"sync"
	"time"

	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

func init() {
	commands["demo"] = command{
		summary: "stream the tutorial's live plot to a local page",
		run:     runDemo,
	}
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("demo", flag.ContinueOnError)
	flags.SetOutput(stderr)
	n := flags.Int("n", 1000, "how many points each trace gets")
	interval := flags.Duration("interval", 100*time.Millisecond, "time between two points")
	maxPoints := flags.Int("maxpoints", 80, "the window: how many of the newest points the plot shows")
	fast := flags.Bool("fast", false, "a faster demo: 4 traces on one figure, a point every millisecond, window of 1000")
	keep := flags.Bool("wait", true, "keep the page served after the stream ends, until Ctrl-C")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	traces := 1
	if *fast {
		traces, *interval, *maxPoints = 4, time.Millisecond, 1000
		if !isFlagSet(flags, "n") {
			*n = 100000
		}
	}
	if err := demo(ctx, traces, *n, *interval, *maxPoints); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "demo: stream closed")
	if *keep {
		return kernelext.Wait(ctx)
	}
	return nil
}

func isFlagSet(flags *flag.FlagSet, name string) bool {
	set := false
	flags.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// demo is Plotly's streaming tutorial: a time series of cos·cos plus noise, one token per trace,
// a window of maxPoints.
func demo(ctx context.Context, traces, n int, interval time.Duration, maxPoints int) error {
	fig := plotly.Figure{Layout: &plotly.Layout{Title: plotly.Title{Text: "Time Series"}}}
	tokens := make([]string, traces)
	for i := range tokens {
		tokens[i] = stream.NewToken()
		fig.Data = append(fig.Data, &plotly.Scatter{
			X: []time.Time{}, Y: []float64{},
			Mode:   "lines+markers",
			Name:   fmt.Sprintf("trace %d", i),
			Stream: &plotly.Stream{Token: tokens[i], MaxPoints: maxPoints},
		})
	}
	if err := plotly.Show(fig); err != nil {
		return err
	}
	var wg sync.WaitGroup
	errs := make([]error, traces)
	for t, tok := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[t] = streamTrace(ctx, tok, float64(t), n, interval)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func streamTrace(ctx context.Context, tok string, offset float64, n int, interval time.Duration) error {
	s, err := stream.Open(tok)
	if err != nil {
		return err
	}
	defer s.Close()
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for i := 0; i < n; i++ {
		y := math.Cos(5*float64(i)/50)*math.Cos(float64(i)/50) + rand.NormFloat64() + 3*offset
		if err := s.Write(stream.Point{X: time.Now(), Y: y}); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil // interrupted: Close (deferred) delivers what was written
		case <-tick.C:
		}
	}
	return s.Close()
}
