package figure

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
)

// TestWriteTreeJSONIsJSONMarshal: the encoder that renders and saves figures writes what
// json.Marshal writes (HTML escaping included), and copies raw arrays as they are.
func TestWriteTreeJSONIsJSONMarshal(t *testing.T) {
	var tree map[string]any
	if err := json.Unmarshal([]byte(`{"data": [{"type": "scatter", "x": ["2024-01-02 03:04:05", 1.5, null],
		"y": [1, -2.5e-7, 1e300], "marker": {"color": ["red", "#00ff00"], "size": 4}, "name": "s"}],
		"layout": {"xaxis": {"range": [0, 1], "type": "date"}, "width": 500}}`), &tree); err != nil {
		t.Fatal(err)
	}
	tree["layout"].(map[string]any)["title"] = map[string]any{"text": "</script><!-- & \u2028 é"}
	want, err := json.Marshal(tree)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := writeTreeJSON(context.Background(), &got, tree); err != nil {
		t.Fatal(err)
	}
	if got.String() != string(want) {
		t.Fatalf("writeTreeJSON:\n%s\njson.Marshal:\n%s", got.String(), want)
	}

	raw := json.RawMessage(`[1,2,"\u003c"]`)
	got.Reset()
	if err := writeTreeJSON(context.Background(), &got, map[string]any{"y": raw}); err != nil || got.String() != `{"y":[1,2,"\u003c"]}` {
		t.Errorf("raw array: %s, %v", got.String(), err)
	}
}

// TestWriteTreeJSONStopsWithItsContext: a figure of a million values stops encoding when the
// context is done, with the context's error.
func TestWriteTreeJSONStopsWithItsContext(t *testing.T) {
	values := make([]any, 1_000_000)
	for i := range values {
		values[i] = float64(i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	err := writeTreeJSON(ctx, &out, map[string]any{"data": []any{map[string]any{"y": values}}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("writeTreeJSON with a canceled context: %v, want context.Canceled", err)
	}
	if out.Len() > 2*treeFlushSize {
		t.Errorf("wrote %d bytes after its context was done", out.Len())
	}
}
