package plotly_test

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/plotly"
)

func ExampleShow() {
	// In a GoNB cell, Show displays the figure as the cell's output; in a plain program, on the
	// local page whose address it prints. Here a recorder stands in for either.
	rec := &kerneltest.Recorder{}
	fig := plotly.Figure{
		Data:   plotly.Data{&plotly.Bar{X: []string{"a", "b"}, Y: []float64{3, 5}}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: "Counts"}},
	}
	if err := plotly.Show(fig, plotly.WithFrontend(rec)); err != nil {
		fmt.Println(err)
		return
	}
	out := rec.Outputs()[0]
	fmt.Println(strings.HasPrefix(out.ID, "liveplot-"), strings.Contains(out.HTML, `"text":"Counts"`))
	for _, s := range out.Scripts {
		fmt.Println("needs", s.Name)
	}

	// A figure that plotly.js would not take is refused before anything is shown.
	err := plotly.Show(plotly.Figure{Data: plotly.Data{&plotly.Bar{X: []string{"a"}, Y: []float64{1, 2}}}}, plotly.WithFrontend(rec))
	fmt.Println(err)
	// Output:
	// true true
	// needs plotly-4.1.1
	// needs liveplot-client
	// plotly: invalid figure: data[0].y: has 2 values but x has 1: give each point one value in each of them
}

func ExampleWriteHTML() {
	fig := plotly.Figure{Data: plotly.Data{&plotly.Scatter{Y: []float64{1, 3, 2}}}}
	var page bytes.Buffer
	if err := plotly.WriteHTML(&page, fig, plotly.PageTitle("Offline")); err != nil {
		fmt.Println(err)
		return
	}
	// The page embeds plotly.js: it renders with no network.
	fmt.Println(strings.Contains(page.String(), "<title>Offline</title>"), page.Len() > 4_000_000)
	// Output: true true
}

func ExampleHTML() {
	// A fragment for a page that has loaded plotly.js and liveplot's client already.
	html, err := plotly.HTML(plotly.Figure{Data: plotly.Data{&plotly.Pie{Labels: []string{"x", "y"}, Values: []float64{1, 2}}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Count(html, "<script"), strings.Contains(html, `"type":"pie"`))
	// Output: 2 true
}
