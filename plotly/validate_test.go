package plotly

import (
	"math"
	"testing"
	"time"
)

// richFigure uses many attributes of every typed trace and of the layout: it must validate.
func richFigure() *Figure {
	t0 := time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC)
	times := []time.Time{t0, t0.Add(time.Second), t0.Add(2 * time.Second)}
	return &Figure{
		Data: Data{
			&Scatter{
				X: times, Y: []float64{1, math.NaN(), 3}, Text: []string{"a", "b", "c"},
				Name: "s", Mode: "lines+markers+text", Fill: "tozeroy", FillColor: "rgba(0,0,255,0.2)",
				Marker:  &Marker{Color: []float64{1, 2, 3}, ColorScale: "Viridis", Size: 8, Symbol: "circle-open", Line: &Line{Color: "#333", Width: 1}},
				Line:    &Line{Color: "steelblue", Width: 2, Dash: "dot", Shape: "spline"},
				Opacity: Float(0.8), ShowLegend: Bool(true), Visible: "legendonly",
				HoverInfo: "x+y", HoverTemplate: "%{x}: %{y}<extra></extra>", ConnectGaps: Bool(false),
				TextPosition: "top center", XAxis: "x", YAxis: "y2", Orientation: "v",
				Stream: &Stream{Token: "tok", MaxPoints: 100},
				Extra:  map[string]any{"marker.line.width": 2, "error_y": map[string]any{"type": "data", "array": []float64{0.1, 0.2, 0.3}}},
			},
			&Scattergl{X: []int{1, 2}, Y: []int{3, 4}, Mode: "markers", Marker: &Marker{Color: []string{"red", "blue"}}},
			&Bar{X: []string{"a", "b"}, Y: []float64{1, 2}, Orientation: "v", Width: 0.5, Marker: &Marker{Color: "#ff000080", Opacity: 0.5}, TextPosition: "auto"},
			&Bar{X: []float64{1, 2}, Y: []string{"a", "b"}, Orientation: "h", Base: []float64{0, 1}},
			&Histogram{X: []float64{1, 2, 2, 3}, NBinsX: 10, HistFunc: "count", HistNorm: "probability", Marker: &Marker{Color: "green"}},
			&Heatmap{Z: [][]float64{{1, 2, 3}, {4, 5, math.Inf(1)}}, X: []string{"a", "b", "c"}, Y: []int{0, 1, 2}, ColorScale: [][]any{{0, "white"}, {0.5, "rgb(255, 128, 0)"}, {1, "red"}}, ZMin: Float(0), ZMax: Float(6), ZSmooth: false, ShowScale: Bool(false)},
			&Box{Y: []float64{1, 2, 3, 10}, BoxPoints: "outliers", BoxMean: "sd", Marker: &Marker{Color: "orange"}, Line: &Line{Color: "black", Width: 1}},
			&Pie{Labels: []string{"a", "b"}, Values: []int{3, 4}, Hole: 0.4, TextInfo: "label+percent", Sort: Bool(false), Direction: "clockwise", Marker: &Marker{Colors: []string{"red", "hsl(120, 50%, 50%)"}}},
		},
		Layout: &Layout{
			Title:  Title{Text: "Everything", Font: &Font{Size: 20, Family: "Arial", Color: "black"}},
			XAxis:  &Axis{Title: Title{Text: "time"}, Type: "date", Range: []any{times[0], times[2]}, AutoRange: false, TickFormat: "%H:%M:%S"},
			YAxis:  &Axis{Type: "log", AutoRange: "reversed", Domain: []float64{0, 0.5}, Anchor: "x"},
			Legend: &Legend{Orientation: "h", X: Float(0), Y: Float(1.1), XAnchor: "left"},
			Margin: &Margin{L: 40, R: 10, T: 40, B: 30, AutoExpand: Bool(true)},
			Width:  800, Height: 400, ShowLegend: Bool(true), BarMode: "stack", HoverMode: "x unified",
			PaperBGColor: "white", PlotBGColor: "#eee",
			Template: map[string]any{"whatever": []any{1, "x"}},
			Extra: map[string]any{
				"yaxis2":      &Axis{Overlaying: "y", Side: "right", Anchor: "x"},
				"xaxis3":      map[string]any{"anchor": "y3 domain", "rangeslider": map[string]any{"visible": true, "yaxis2": map[string]any{"rangemode": "auto"}}},
				"annotations": []any{map[string]any{"text": "hi", "x": 1, "y": 2, "showarrow": false}},
				"shapes":      []any{map[string]any{"type": "line", "x0": 0, "x1": 1, "y0": 0, "y1": 1, "line": map[string]any{"color": "red"}}},
				"grid":        map[string]any{"rows": 2, "columns": 1, "subplots": [][]string{{"xy"}, {"xy2"}}},
				"coloraxis":   map[string]any{"colorscale": "RdBu"},
			},
		},
		Config: map[string]any{"responsive": true, "displayModeBar": "hover", "scrollZoom": true},
	}
}

func TestValidateAcceptsRichFigure(t *testing.T) {
	if err := Validate(richFigure()); err != nil {
		t.Fatal(err)
	}
}
