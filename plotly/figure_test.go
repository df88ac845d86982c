package plotly

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
)

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("json.Marshal(%T): %v", v, err)
	}
	return string(raw)
}

func TestFigureJSONTimesAndNaN(t *testing.T) {
	loc := time.FixedZone("UTC+2", 2*3600)
	fig := Figure{
		Data: Data{&Scatter{
			X: []time.Time{
				time.Date(2024, 3, 1, 12, 0, 0, 0, loc),
				time.Date(2024, 3, 1, 12, 0, 1, 500_000_000, loc),
				time.Date(2024, 3, 1, 12, 0, 2, 123_456_789, loc),
			},
			Y:      []float64{1, math.NaN(), math.Inf(1)},
			Mode:   "lines+markers",
			Stream: &Stream{Token: "tok", MaxPoints: 80},
		}},
		Layout: &Layout{Title: Title{Text: "Time Series"}},
	}
	want := `{"data":[{"mode":"lines+markers","stream":{"maxpoints":80,"token":"tok"},"type":"scatter",` +
		`"x":["2024-03-01 12:00:00","2024-03-01 12:00:01.5","2024-03-01 12:00:02.123456"],"y":[1,null,null]}],` +
		`"layout":{"title":{"text":"Time Series"}}}`
	if got := mustJSON(t, fig); got != want {
		t.Errorf("Figure JSON:\n got %s\nwant %s", got, want)
	}
	if got := mustJSON(t, &fig); got != want {
		t.Errorf("*Figure JSON:\n got %s\nwant %s", got, want)
	}
}

func TestFigureJSONEmptySlicesAndNilFields(t *testing.T) {
	fig := Figure{Data: Data{&Scatter{X: []time.Time{}, Y: []float64{}, Text: []string(nil)}}}
	want := `{"data":[{"type":"scatter","x":[],"y":[]}]}`
	if got := mustJSON(t, fig); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if got, want := mustJSON(t, Figure{}), `{"data":[]}`; got != want {
		t.Errorf("empty figure: got %s, want %s", got, want)
	}
}

func TestTraceJSONCarriesType(t *testing.T) {
	for _, tr := range []Trace{&Scatter{}, &Scattergl{}, &Bar{}, &Histogram{}, &Heatmap{}, &Box{}, &Pie{}} {
		want := `{"type":"` + tr.TraceType() + `"}`
		if got := mustJSON(t, tr); got != want {
			t.Errorf("%T: got %s, want %s", tr, got, want)
		}
	}
	// A trace value (not a pointer) marshals the same.
	if got, want := mustJSON(t, Bar{Name: "b"}), `{"name":"b","type":"bar"}`; got != want {
		t.Errorf("Bar value: got %s, want %s", got, want)
	}
}

func TestExtraMerge(t *testing.T) {
	tr := &Scatter{
		Y:      []int{1, 2},
		Marker: &Marker{Color: "red"},
		Extra: map[string]any{
			"marker.line.width": 2,
			"marker.size":       []float64{3, math.NaN()},
			"error_y":           map[string]any{"type": "data", "array": []float64{0.1, 0.2}},
		},
	}
	want := `{"error_y":{"array":[0.1,0.2],"type":"data"},"marker":{"color":"red","line":{"width":2},"size":[3,null]},"type":"scatter","y":[1,2]}`
	if got := mustJSON(t, tr); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	l := &Layout{
		XAxis: &Axis{Title: Title{Text: "t"}, Type: "date"},
		Extra: map[string]any{"xaxis.range": []any{0, 1}, "yaxis2": &Axis{Overlaying: "y", Side: "right"}},
	}
	want = `{"xaxis":{"range":[0,1],"title":{"text":"t"},"type":"date"},"yaxis2":{"overlaying":"y","side":"right"}}`
	if got := mustJSON(t, l); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
}

func TestExtraPathThroughNonObject(t *testing.T) {
	tr := &Scatter{X: []int{1}, Extra: map[string]any{"x.foo": 1}}
	_, err := json.Marshal(tr)
	if err == nil || !strings.Contains(err.Error(), `"x.foo": x is not an object`) {
		t.Errorf("got %v, want an error about x not being an object", err)
	}
}

func TestLayoutJSON(t *testing.T) {
	l := Layout{
		Title:      Title{Text: "T"},
		XAxis:      &Axis{Type: "date", Range: []any{time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC), "2024-01-03"}},
		YAxis:      &Axis{AutoRange: "reversed", ShowGrid: Bool(false)},
		Legend:     &Legend{Orientation: "h", Y: Float(0)},
		Margin:     &Margin{L: 40, R: 10, T: 0, B: 30},
		ShowLegend: Bool(true),
		Width:      600,
		Template:   map[string]any{"layout": map[string]any{"font": map[string]any{"size": 14}}},
	}
	want := `{"legend":{"orientation":"h","y":0},"margin":{"b":30,"l":40,"r":10,"t":0},"showlegend":true,` +
		`"template":{"layout":{"font":{"size":14}}},"title":{"text":"T"},"width":600,` +
		`"xaxis":{"range":["2024-01-02 00:00:00","2024-01-03"],"type":"date"},"yaxis":{"autorange":"reversed","showgrid":false}}`
	if got := mustJSON(t, l); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	if got, want := mustJSON(t, Stream{Token: "a", MaxPoints: 3}), `{"maxpoints":3,"token":"a"}`; got != want {
		t.Errorf("Stream: got %s, want %s", got, want)
	}
}

func TestPartsMarshalOnTheirOwn(t *testing.T) {
	tests := []struct {
		v    any
		want string
	}{
		{Axis{Title: Title{Text: "x"}, Range: []any{0, math.NaN()}}, `{"range":[0,null],"title":{"text":"x"}}`},
		{Legend{X: Float(0.5), Extra: map[string]any{"font.size": 9}}, `{"font":{"size":9},"x":0.5}`},
		{Margin{L: 1}, `{"b":0,"l":1,"r":0,"t":0}`},
		{Font{Size: 12}, `{"size":12}`},
		{Marker{Size: []int{1, 2}, Line: &Line{Width: 1}}, `{"line":{"width":1},"size":[1,2]}`},
		{Line{Dash: "dot"}, `{"dash":"dot"}`},
		{Title{}, `{}`},
	}
	for _, tt := range tests {
		if got := mustJSON(t, tt.v); got != tt.want {
			t.Errorf("%T: got %s, want %s", tt.v, got, tt.want)
		}
	}
}
