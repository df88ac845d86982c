package figure

import (
	"encoding/json"
	"strings"
	"testing"
)

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

// TestSummaryCountsEncodedWindows: a stream's final window reaches the figure as JSON text
// (UpdateTrace); the summary counts its points all the same.
func TestSummaryCountsEncodedWindows(t *testing.T) {
	for _, tc := range []struct {
		y    string
		want string
	}{
		{`[]`, "0 points"},
		{` [ ] `, "0 points"},
		{`[1]`, "1 point"},
		{`[1,null,3.5e-7]`, "3 points"},
		{`["a,b", "c\",d", "e\\"]`, "3 points"},
	} {
		tree := map[string]any{"data": []any{map[string]any{"type": "scatter", "y": json.RawMessage(tc.y)}}}
		if got := Summary(tree); !strings.HasSuffix(got, ", "+tc.want) {
			t.Errorf("y = %s: summary %q, want it to end in %q", tc.y, got, tc.want)
		}
	}
}
