package plotly

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/liveplot/liveplot/kernelext/kerneltest"
)

func TestRenderCarriesThePlotlyJSONAndASummary(t *testing.T) {
	fig := Figure{
		Data: Data{
			&Scatter{X: []float64{1, 2, 3}, Y: []float64{4, 5, 6}, Name: "a", Stream: &Stream{Token: "tok", MaxPoints: 3}},
			&Bar{X: []string{"p", "q"}, Y: []float64{1, 2}},
		},
		Layout: &Layout{Title: Title{Text: "Two"}, Width: 500, Height: 300},
	}
	tree, err := validTree(fig)
	if err != nil {
		t.Fatal(err)
	}
	rec := &kerneltest.Recorder{}
	if err := Show(fig, WithFrontend(rec)); err != nil {
		t.Fatal(err)
	}
	outs := rec.Outputs()
	if len(outs) != 1 {
		t.Fatalf("%d outputs, want 1", len(outs))
	}
	out := outs[0]
	var got map[string]any
	if err := json.Unmarshal(out.Data[MIMEType], &got); err != nil {
		t.Fatalf("%s: %v", MIMEType, err)
	}
	want := map[string]any{"data": tree["data"], "layout": tree["layout"]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %v, want the figure's data and layout %v", MIMEType, got, want)
	}
	if got, want := string(out.Data["text/plain"]), `Figure "Two": 2 traces (scatter, bar), 5 points`; got != want {
		t.Errorf("text/plain = %q, want %q", got, want)
	}
	if _, ok := out.Data["image/png"]; ok {
		t.Error("the program made an image/png: it has no browser to draw one")
	}
}
