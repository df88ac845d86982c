package plotly

import (
	"errors"
	"strings"
	"testing"

	"github.com/liveplot/liveplot/internal/figure"
)

// fig builds a map figure of one trace and a layout.
func fig(trace, layout map[string]any) map[string]any {
	f := map[string]any{"data": []any{}}
	if trace != nil {
		f["data"] = []any{trace}
	}
	if layout != nil {
		f["layout"] = layout
	}
	return f
}

func TestValidateErrors(t *testing.T) {
	tests := []struct {
		name string
		fig  any
		want string // the problem, as ValidationError.Error() gives it
	}{
		{"unknown trace type", fig(map[string]any{"type": "scater"}, nil),
			`data[0].type: unknown trace type "scater" in plotly.js 4.1.1 (did you mean "scatter"?)`},
		{"unknown nested attribute", &Figure{Data: Data{&Scatter{Extra: map[string]any{"marker.colour": "red"}}}},
			`data[0].marker.colour: unknown attribute (did you mean "color"?)`},
		{"unknown attribute, no suggestion", fig(map[string]any{"zzzzzzzz": 1}, nil),
			`data[0].zzzzzzzz: unknown attribute`},
		{"number below min", &Figure{Data: Data{&Scatter{Opacity: Float(1.5)}}},
			`data[0].opacity: 1.5 is more than the maximum, 1`},
		{"number of wrong kind", fig(map[string]any{"opacity": "half"}, nil),
			`data[0].opacity: want a number, got the string "half"`},
		{"integer", &Figure{Data: Data{&Histogram{X: []int{1}, Extra: map[string]any{"nbinsx": 2.5}}}},
			`data[0].nbinsx: want an integer, got the number 2.5`},
		{"integer min", &Figure{Data: Data{&Histogram{X: []int{1}, NBinsX: -3}}},
			`data[0].nbinsx: -3 is less than the minimum, 0`},
		{"boolean", fig(map[string]any{"showlegend": "yes"}, nil),
			`data[0].showlegend: want true or false, got the string "yes"`},
		{"enumerated", &Figure{Data: Data{&Bar{Orientation: "horizontal"}}},
			`data[0].orientation: the string "horizontal" is not one of "v", "h"`},
		{"enumerated suggestion", &Figure{Data: Data{&Scatter{Fill: "tozeroY"}}},
			`(did you mean "tozeroy"?)`},
		{"enumerated regex", fig(nil, map[string]any{"xaxis": map[string]any{"anchor": "z2"}}),
			`layout.xaxis.anchor: the string "z2" is not one of "free", /^x([2-9]|[1-9][0-9]+)?( domain)?$/, /^y([2-9]|[1-9][0-9]+)?( domain)?$/`},
		{"flaglist", &Figure{Data: Data{&Scatter{Mode: "lines+marker"}}},
			`data[0].mode: "lines+marker" has unknown flag "marker": want flags lines, markers, text joined by "+", or one of "none" (did you mean "markers"?)`},
		{"flaglist extra combined", &Figure{Data: Data{&Scatter{Mode: "none+lines"}}},
			`data[0].mode: "none+lines" combines "none" with other flags: it stands alone`},
		{"color", &Figure{Data: Data{&Scatter{Line: &Line{Color: "bleu"}}}},
			`data[0].line.color: want a color (a name like "red", "#rrggbb", "rgb(r, g, b)"...), got the string "bleu" (did you mean "blue"?)`},
		{"colorscale name", &Figure{Data: Data{&Heatmap{Z: [][]float64{{1}}, ColorScale: "viridis"}}},
			`data[0].colorscale: unknown colorscale "viridis" (did you mean "Viridis"?)`},
		{"colorscale array", &Figure{Data: Data{&Heatmap{Z: [][]float64{{1}}, ColorScale: [][]any{{0, "red"}, {0.5, "blue"}}}}},
			`data[0].colorscale: a colorscale ends at fraction 1`},
		{"data_array", fig(map[string]any{"x": 3}, nil),
			`data[0].x: want an array of data, got the number 3`},
		{"info_array too long", &Figure{Layout: &Layout{XAxis: &Axis{Range: []any{0, 1, 2}}}},
			`layout.xaxis.range: want at most 2 values, got 3`},
		{"info_array item", &Figure{Layout: &Layout{YAxis: &Axis{Domain: []float64{0, 2}}}},
			`layout.yaxis.domain[1]: 2 is more than the maximum, 1`},
		{"subplotid", &Figure{Data: Data{&Scatter{XAxis: "x1"}}},
			`data[0].xaxis: want a subplot id like "x", "x2", "x3" ..., got the string "x1"`},
		{"angle", fig(map[string]any{"type": "pie", "rotation": "left"}, nil),
			`data[0].rotation: want an angle in degrees (a number), got the string "left"`},
		{"string strict", fig(map[string]any{"stream": map[string]any{"token": 5}}, nil),
			`data[0].stream.token: want a string, got the number 5`},
		{"stream maxpoints", &Figure{Data: Data{&Scatter{Stream: &Stream{Token: "t", MaxPoints: -1}}}},
			`data[0].stream.maxpoints: want a whole number of points from 0 (keep them all) to 2147483647, got -1`},
		{"layout subplot axis", fig(nil, map[string]any{"yaxis3": map[string]any{"tpye": "log"}}),
			`layout.yaxis3.tpye: unknown attribute (did you mean "type"?)`},
		{"layout axis number 1", fig(nil, map[string]any{"xaxis1": map[string]any{}}),
			`layout.xaxis1: unknown attribute (did you mean "xaxis"?)`},
		{"layout array of objects", fig(nil, map[string]any{"annotations": []any{map[string]any{"txt": "a"}}}),
			`layout.annotations[0].txt: unknown attribute (did you mean "text"?)`},
		{"layout array of objects, not array", fig(nil, map[string]any{"annotations": map[string]any{}}),
			`layout.annotations: want an array of objects, got an object`},
		{"object of wrong kind", &Figure{Layout: &Layout{Extra: map[string]any{"legend": "top"}}},
			`layout.legend: want an object, got the string "top"`},
		{"layout string title", fig(nil, map[string]any{"title": "T"}),
			`layout.title: want an object, got the string "T"`},
		{"config", &Figure{Config: map[string]any{"scrolZoom": true}},
			`config.scrolZoom: unknown attribute (did you mean "scrollZoom"?)`},
		{"figure key", map[string]any{"data": []any{}, "layot": map[string]any{}},
			`layot: unknown figure key (did you mean "layout"?): a figure has data, layout and config`},
		{"x and y lengths", &Figure{Data: Data{&Scatter{X: []int{1, 2, 3}, Y: []int{1, 2}}}},
			`data[0].y: has 2 values but x has 3: give each point one value in each of them`},
		{"text length", &Figure{Data: Data{&Bar{X: []int{1, 2}, Y: []int{1, 2}, Text: []string{"a"}}}},
			`data[0].text: has 1 values but x has 2`},
		{"pie lengths", &Figure{Data: Data{&Pie{Labels: []string{"a", "b"}, Values: []int{1}}}},
			`data[0].values: has 1 values but labels has 2`},
		{"heatmap x vs columns", &Figure{Data: Data{&Heatmap{Z: [][]float64{{1, 2}, {3, 4}}, X: []int{1, 2, 3, 4}}}},
			`data[0].x: has 4 values but z has 2 columns: want one per column (or 3 edges)`},
		{"trace not an object", map[string]any{"data": []any{map[string]any{}, map[string]any{"type": 3}}},
			`data[1].type: want a trace type string, got the number 3`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.fig)
			if err == nil {
				t.Fatalf("Validate: nil, want %q", tt.want)
			}
			var verrs *ValidationErrors
			if !errors.As(err, &verrs) {
				t.Fatalf("Validate: %v, want a *ValidationErrors", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate:\n got %v\nwant it to contain %q", err, tt.want)
			}
			if len(verrs.Errors) != 1 {
				t.Errorf("want exactly one problem, got %d:\n%v", len(verrs.Errors), err)
			}
		})
	}
}

// maxErrors is how many problems a ValidationErrors keeps.
const maxErrors = 20

func TestValidateReportsAllProblemsCapped(t *testing.T) {
	trace := map[string]any{}
	for _, k := range []string{"a1", "b2", "c3"} {
		trace[k] = 1
	}
	err := Validate(fig(trace, map[string]any{"widht": 3}))
	var verrs *ValidationErrors
	if !errors.As(err, &verrs) || len(verrs.Errors) != 4 {
		t.Fatalf("want 4 problems, got %v", err)
	}
	if !strings.HasPrefix(err.Error(), "plotly: invalid figure, 4 problems:\n\tdata[0].a1: unknown attribute") {
		t.Errorf("message:\n%v", err)
	}
	var one *ValidationError
	if !errors.As(err, &one) || one.Path != "data[0].a1" {
		t.Errorf("errors.As(*ValidationError): %v", one)
	}

	many := map[string]any{}
	for i := range 50 {
		many["bad"+strings.Repeat("x", i)] = 1
	}
	err = Validate(fig(many, nil))
	if !errors.As(err, &verrs) || len(verrs.Errors) != maxErrors || verrs.Omitted != 50-maxErrors {
		t.Fatalf("want %d kept and %d omitted, got %v", maxErrors, 50-maxErrors, err)
	}
	if !strings.HasSuffix(err.Error(), "... and 30 more") {
		t.Errorf("message does not end with the count of the rest:\n%v", err)
	}
}

func TestValidateAcceptsArraysWhereArrayOk(t *testing.T) {
	f := fig(map[string]any{
		"type": "scatter", "x": []any{1, 2}, "y": []any{1, 2},
		"marker":        map[string]any{"color": []any{"red", 2}, "size": []any{1, 2}, "symbol": []any{"circle", "x"}},
		"text":          []any{"a", "b"},
		"hovertemplate": []any{"%{x}", "%{y}"},
		"customdata":    map[string]any{"dtype": "f8", "bdata": "AAAAAAAA8D8="},
	}, nil)
	if err := Validate(f); err != nil {
		t.Fatal(err)
	}
}

func TestValidateTreeOfShow(t *testing.T) {
	tree, err := toTree(richFigure())
	if err != nil {
		t.Fatal(err)
	}
	if err := figure.Validate(tree); err != nil {
		t.Fatal(err)
	}
}

func BenchmarkValidate10Traces(b *testing.B) {
	f := &Figure{Layout: &Layout{Title: Title{Text: "bench"}, XAxis: &Axis{Type: "date"}}}
	for i := range 10 {
		x := make([]float64, 1000)
		y := make([]float64, 1000)
		for j := range x {
			x[j], y[j] = float64(j), float64(i*j)
		}
		f.Data = append(f.Data, &Scatter{X: x, Y: y, Mode: "lines+markers", Name: "t", Marker: &Marker{Color: "red", Size: 4}, Line: &Line{Width: 2}})
	}
	if err := Validate(f); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := Validate(f); err != nil {
			b.Fatal(err)
		}
	}
}
