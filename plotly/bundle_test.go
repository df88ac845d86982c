package plotly

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
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
	out, err := render(context.Background(), "liveplot-x", tree)
	if err != nil {
		t.Fatal(err)
	}
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

func TestSummary(t *testing.T) {
	for _, c := range []struct {
		tree map[string]any
		want string
	}{
		{map[string]any{"data": []any{}}, "Figure: 0 traces, 0 points"},
		{map[string]any{"data": []any{map[string]any{"y": []any{}}}, "layout": map[string]any{"title": "T"}}, `Figure "T": 1 trace (scatter), 0 points`},
		{map[string]any{"data": []any{map[string]any{"type": "heatmap", "z": []any{[]any{1.0, 2.0}, []any{3.0, 4.0}}}}}, "Figure: 1 trace (heatmap), 4 points"},
		{map[string]any{"data": []any{map[string]any{"type": "pie", "values": []any{1.0}, "labels": []any{"a"}}}}, "Figure: 1 trace (pie), 1 point"},
	} {
		if got := Summary(c.tree); got != c.want {
			t.Errorf("Summary(%v) = %q, want %q", c.tree, got, c.want)
		}
	}
}
