package plotly_test

import (
	"encoding/json"
	"fmt"
	"math"
	"time"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"

	"github.com/liveplot/liveplot/plotly"
)

func ExampleFigure() {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	fig := plotly.Figure{
		Data: plotly.Data{&plotly.Scatter{
			X:      []time.Time{t0, t0.Add(1500 * time.Millisecond)},
			Y:      []float64{1.5, math.NaN()},
			Mode:   "lines+markers",
			Stream: &plotly.Stream{Token: "temperature", MaxPoints: 80},
			Extra:  map[string]any{"marker.line.width": 1},
		}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: "Time Series"}, XAxis: &plotly.Axis{Type: "date"}},
	}
	raw, err := json.Marshal(fig)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(string(raw))
	// Output:
	// {"data":[{"marker":{"line":{"width":1}},"mode":"lines+markers","stream":{"maxpoints":80,"token":"temperature"},"type":"scatter","x":["2024-05-01 09:30:00","2024-05-01 09:30:01.5"],"y":[1.5,null]}],"layout":{"title":{"text":"Time Series"},"xaxis":{"type":"date"}}}
}

func ExampleValidate() {
	fig := &plotly.Figure{
		Data: plotly.Data{
			&plotly.Scatter{X: []int{1, 2, 3}, Y: []int{4, 5}, Mode: "lines+marker"},
			&plotly.Bar{Orientation: "horizontal", Extra: map[string]any{"marker.colour": "red"}},
		},
		Layout: &plotly.Layout{Extra: map[string]any{"yaxis2": map[string]any{"overlaying": "y", "sied": "right"}}},
	}
	fmt.Println(plotly.Validate(fig))
	// Output:
	// plotly: invalid figure, 5 problems:
	//	data[0].mode: "lines+marker" has unknown flag "marker": want flags lines, markers, text joined by "+", or one of "none" (did you mean "markers"?)
	//	data[0].y: has 2 values but x has 3: give each point one value in each of them
	//	data[1].marker.colour: unknown attribute (did you mean "color"?)
	//	data[1].orientation: the string "horizontal" is not one of "v", "h"
	//	layout.yaxis2.sied: unknown attribute (did you mean "side"?)
}

func ExampleValidate_goPlotly() {
	fig := &grob.Fig{
		Data: []types.Trace{
			&grob.Bar{X: types.DataArray([]float64{1, 2, 3}), Y: types.DataArray([]float64{1, 3, 2})},
		},
		Layout: &grob.Layout{Title: &grob.LayoutTitle{Text: "From go-plotly"}},
	}
	fmt.Println(plotly.Validate(fig))
	// Output:
	// <nil>
}
