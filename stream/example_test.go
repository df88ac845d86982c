package stream_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

// printFrames prints the frames sent on the channel tok, with the link's ID as "L".
func printFrames(rec *kerneltest.Recorder, tok string, s *stream.Link) {
	for _, f := range rec.Channel(tok).Frames() {
		fmt.Println(strings.ReplaceAll(string(f), s.ID(), "L"))
	}
}

func ExampleNewToken() {
	tok := stream.NewToken() // random: a new one every call (and every GoNB cell)
	fmt.Println(len(tok))
	// Output: 16
}

func ExampleTokenFor() {
	// The same name gives the same token in every cell and every process.
	fmt.Println(stream.TokenFor("temperature") == stream.TokenFor("temperature"))
	fmt.Println(stream.TokenFor("temperature"))
	// Output:
	// true
	// tqd4uw32wfauohv3
}

func ExampleOpen() {
	rec := &kerneltest.Recorder{} // in a notebook, plotly.Show(fig) shows the figure in the cell
	tok := stream.TokenFor("example-open")
	fig := plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: []time.Time{}, Y: []float64{}, Mode: "lines+markers",
		Stream: &plotly.Stream{Token: tok, MaxPoints: 80}}}}
	if err := plotly.Show(fig, plotly.WithFrontend(rec)); err != nil {
		fmt.Println(err)
		return
	}
	// One frame a second, so that this example's writes arrive in one frame.
	s, err := stream.Open(tok, stream.WithFrameRate(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	t0 := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		if err := s.Write(stream.Point{X: t0.Add(time.Duration(i) * 500 * time.Millisecond), Y: float64(i * i)}); err != nil {
			fmt.Println(err)
		}
	}
	if err := s.Close(); err != nil {
		fmt.Println(err)
	}
	printFrames(rec, tok, s)
	fmt.Println(s.Stats())
	// Output:
	// {"link":"L","seq":1,"extend":{"x":["2024-03-01 12:00:00","2024-03-01 12:00:00.5","2024-03-01 12:00:01"],"y":[0,1,4]},"maxpoints":80,"closed":true}
	// {3 3 0 1}
}

func ExampleLink_Extend() {
	rec := &kerneltest.Recorder{}
	tok := stream.TokenFor("example-extend")
	fig := plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{},
		Stream: &plotly.Stream{Token: tok, MaxPoints: 4}}}}
	if err := plotly.Show(fig, plotly.WithFrontend(rec)); err != nil {
		fmt.Println(err)
		return
	}
	s, err := stream.Open(tok, stream.WithFrameRate(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Six points into a window of four: only the newest four are sent.
	if err := s.Extend([]int{1, 2, 3, 4, 5, 6}, []float64{0.5, 1, 1.5, 2, 2.5, 3}); err != nil {
		fmt.Println(err)
	}
	if err := s.Close(); err != nil {
		fmt.Println(err)
	}
	printFrames(rec, tok, s)
	fmt.Printf("%+v\n", s.Stats())
	// Output:
	// {"link":"L","seq":1,"extend":{"x":[3,4,5,6],"y":[1.5,2,2.5,3]},"maxpoints":4,"closed":true}
	// {Written:6 Sent:4 Coalesced:2 Frames:1}
}

func ExampleLink_Relayout() {
	rec := &kerneltest.Recorder{}
	tok := stream.TokenFor("example-relayout")
	fig := plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{},
		Stream: &plotly.Stream{Token: tok}}}}
	if err := plotly.Show(fig, plotly.WithFrontend(rec)); err != nil {
		fmt.Println(err)
		return
	}
	s, err := stream.Open(tok, stream.WithFrameRate(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	if err := s.Relayout(map[string]any{"title.text": "Temperature", "xaxis.range": []float64{0, 10}}); err != nil {
		fmt.Println(err)
	}
	if err := s.Close(); err != nil {
		fmt.Println(err)
	}
	printFrames(rec, tok, s)
	// Output:
	// {"link":"L","seq":1,"relayout":{"title.text":"Temperature","xaxis.range":[0,10]},"closed":true}
}
