// Command driver is a liveplot program that the end-to-end tests drive line by line on its
// standard input. It uses only liveplot's public API, as a user's program would: it shows two
// figures, each with its own stream, and answers every command with "ok <command>".
//
//	a N       write N points to figure A (y = 0, 1, 2, ... across calls; x = time; maxpoints 80)
//	b N       write N points to figure B (y = -1, -2, ...; x = 1, 2, ...; every point kept)
//	c N       write N points to figure C (x = i, y = i%10 but 1000 at i = N/2; every point kept)
//	list      overwrite figure A's trace with a list write: x = [1 2 3], y = [1000 1001 1002]
//	title T   relayout figure A's title to T
//	close     close both streams
//	exit      close and exit
package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "driver:", err)
		os.Exit(1)
	}
}

func run() error {
	tokA, tokB := stream.NewToken(), stream.NewToken()
	figA := plotly.Figure{
		Data: plotly.Data{&plotly.Scatter{
			X: []time.Time{}, Y: []float64{}, Mode: "lines+markers",
			Stream: &plotly.Stream{Token: tokA, MaxPoints: 80},
		}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: "A"}},
	}
	figB := plotly.Figure{
		Data: plotly.Data{&plotly.Scatter{
			X: []float64{}, Y: []float64{},
			Stream: &plotly.Stream{Token: tokB},
		}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: "B"}},
	}
	tokC := stream.NewToken()
	figC := plotly.Figure{
		Data:   plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines", Stream: &plotly.Stream{Token: tokC}}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: "C"}},
	}
	for _, fig := range []plotly.Figure{figA, figB, figC} {
		if err := plotly.Show(fig); err != nil {
			return err
		}
	}
	a, err := stream.Open(tokA)
	if err != nil {
		return err
	}
	b, err := stream.Open(tokB)
	if err != nil {
		return err
	}
	c, err := stream.Open(tokC)
	if err != nil {
		return err
	}
	nextA, nextB := 0, 1
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		line := in.Text()
		cmd, arg, _ := strings.Cut(line, " ")
		switch cmd {
		case "a", "b":
			n, err := strconv.Atoi(arg)
			if err != nil {
				return fmt.Errorf("%q: %w", line, err)
			}
			for i := 0; i < n; i++ {
				if cmd == "a" {
					err = a.Write(stream.Point{X: time.Now(), Y: float64(nextA)})
					nextA++
				} else {
					err = b.Write(stream.Point{X: nextB, Y: -float64(nextB)})
					nextB++
				}
				if err != nil {
					return err
				}
			}
		case "c":
			n, err := strconv.Atoi(arg)
			if err != nil {
				return fmt.Errorf("%q: %w", line, err)
			}
			xs, ys := make([]float64, n), make([]float64, n)
			for i := range n {
				xs[i], ys[i] = float64(i), float64(i%10)
			}
			ys[n/2] = 1000
			if err := c.Extend(xs, ys); err != nil {
				return err
			}
		case "list":
			err = a.Write(map[string]any{"x": []float64{1, 2, 3}, "y": []float64{1000, 1001, 1002}})
		case "title":
			err = a.Relayout(map[string]any{"title.text": arg})
		case "close", "exit":
			err = errors.Join(a.Close(), b.Close(), c.Close())
		default:
			err = fmt.Errorf("unknown command %q", line)
		}
		if err != nil {
			return err
		}
		fmt.Println("ok", line)
		if cmd == "exit" {
			return nil
		}
	}
	return in.Err()
}
