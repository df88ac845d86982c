package plotly

import (
	"encoding/json"
	"math"
	"strings"
	"testing"

	grob "github.com/MetalBlueberry/go-plotly/generated/v2.34.0/graph_objects"
	"github.com/MetalBlueberry/go-plotly/pkg/types"
	"github.com/liveplot/liveplot/internal/figure"
)

func TestToTreeGoPlotlyFigure(t *testing.T) {
	fig := &grob.Fig{
		Data: []types.Trace{
			&grob.Bar{X: types.DataArray([]float64{1, 2, 3}), Y: types.DataArray([]float64{1, 3, 2})},
		},
		Layout: &grob.Layout{Title: &grob.LayoutTitle{Text: "A Figure Specified By Go Struct"}},
	}
	tree, err := toTree(fig)
	if err != nil {
		t.Fatal(err)
	}
	trace := tree["data"].([]any)[0].(map[string]any)
	if trace["type"] != "bar" || len(trace["x"].([]any)) != 3 || trace["y"].([]any)[1] != 3.0 {
		t.Errorf("trace: %v", trace)
	}
	if got := tree["layout"].(map[string]any)["title"].(map[string]any)["text"]; got != "A Figure Specified By Go Struct" {
		t.Errorf("title: %v", got)
	}
	if err := figure.Validate(tree); err != nil {
		t.Errorf("validate: %v", err)
	}
	if _, err := toTree(&grob.Fig{}); err != nil {
		t.Errorf("empty go-plotly figure: %v", err)
	}
}

func TestToTreeMapsWithNaN(t *testing.T) {
	fig := map[string]any{
		"data": []map[string]any{{
			"y":      []float64{1, math.NaN()},
			"marker": map[string]any{"size": math.Inf(-1), "color": []any{"red", math.NaN()}},
		}},
		"layout": map[string]any{"title": map[string]any{"text": "m"}},
	}
	tree, err := toTree(fig)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(tree)
	want := `{"data":[{"marker":{"color":["red",null],"size":null},"y":[1,null]}],"layout":{"title":{"text":"m"}}}`
	if string(raw) != want {
		t.Errorf("got %s\nwant %s", raw, want)
	}
	// The tree is a copy: the registry may change it without changing the user's map.
	tree["data"].([]any)[0].(map[string]any)["y"] = nil
	if fig["data"].([]map[string]any)[0]["y"] == nil {
		t.Error("toTree shares the user's map")
	}
	if tree, err := toTree(json.RawMessage(`{"data":[{"type":"pie","values":[1]}]}`)); err != nil || tree["data"].([]any)[0].(map[string]any)["type"] != "pie" {
		t.Errorf("raw JSON: %v, %v", tree, err)
	}
}

func TestToTreeRejectsNonFigures(t *testing.T) {
	var nilFig *Figure
	ch := make(chan int)
	tests := []struct {
		fig  any
		want string
	}{
		{nil, "figure is nil"},
		{nilFig, "nil *plotly.Figure"},
		{42, "encodes to the number 42, not to a JSON object"},
		{[]any{1}, "encodes to an array"},
		{map[string]any{"foo": 1}, `has no "data" array (it has "foo")`},
		{map[string]any{"data": "x"}, `"data" is the string "x", not an array of traces`},
		{map[string]any{"data": []any{1}}, "data[0] is the number 1, not a trace object"},
		{map[string]any{"data": []any{}, "layout": 3}, `"layout" is the number 3, not an object`},
		{&Figure{Data: Data{nil}}, "data[0] is null, not a trace object"},
		{&Figure{Data: Data{(*Scatter)(nil)}}, "data[0] is null, not a trace object"},
		{&Figure{Data: Data{&Scatter{Extra: map[string]any{"meta": ch}}}}, "data[0].meta: unsupported value of type chan int"},
		{&Figure{Layout: &Layout{Extra: map[string]any{"x": func() {}}}}, "layout.x: unsupported value of type func()"},
		{map[string]any{"data": []any{map[string]any{"x": []complex128{1}}}}, "data[0].x[0]: unsupported value of type complex128"},
		{&Figure{Data: Data{&Scatter{Extra: map[string]any{"a..b": 1}}}}, `extra attribute "a..b": empty name in path`},
	}
	for _, tt := range tests {
		_, err := toTree(tt.fig)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("toTree(%#v): %v, want an error containing %q", tt.fig, err, tt.want)
		}
		if err := Validate(tt.fig); err == nil {
			t.Errorf("Validate(%#v): nil, want an error", tt.fig)
		}
	}
}

func TestToTreeCyclicValueFails(t *testing.T) {
	type node struct{ Next *node }
	n := &node{}
	n.Next = n
	_, err := toTree(map[string]any{"data": []any{}, "layout": map[string]any{"meta": n}})
	if err == nil || !strings.Contains(err.Error(), "cyclic") {
		t.Errorf("got %v, want an error about nesting", err)
	}
}

func TestToTreeEmbeddedAndTextMarshaler(t *testing.T) {
	type common struct {
		Name string `json:"name"`
	}
	type myTrace struct {
		common
		Y []float64 `json:"y"`
	}
	tree, err := toTree(map[string]any{"data": []any{myTrace{common{"n"}, []float64{math.NaN()}}}})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(tree)
	if want := `{"data":[{"name":"n","y":[null]}]}`; string(raw) != want {
		t.Errorf("got %s, want %s", raw, want)
	}
}

// TestTraceValuesAndPointers: a trace is a Trace as a value and as a pointer, and both encode
// the same, type included.
func TestTraceValuesAndPointers(t *testing.T) {
	byValue, err := json.Marshal(Figure{Data: Data{Scatter{X: []float64{1}, Y: []float64{2}}}})
	if err != nil {
		t.Fatal(err)
	}
	byPointer, err := json.Marshal(Figure{Data: Data{&Scatter{X: []float64{1}, Y: []float64{2}}}})
	if err != nil {
		t.Fatal(err)
	}
	if string(byValue) != string(byPointer) || !strings.Contains(string(byValue), `"type":"scatter"`) {
		t.Errorf("by value %s, by pointer %s: want the same, with type scatter", byValue, byPointer)
	}
}
