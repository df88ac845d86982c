package plotly

import (
	"encoding/json"
	"fmt"
)

// toTree turns any accepted figure into its JSON tree: {"data": [...], "layout": {...}}.
// PLACEHOLDER: the figure-model work replaces this with the real encoder (types, NaN, times).
func toTree(fig any) (map[string]any, error) {
	var raw []byte
	var err error
	switch f := fig.(type) {
	case Figure:
		raw, err = json.Marshal(struct {
			Data   []any          `json:"data"`
			Layout *Layout        `json:"layout,omitempty"`
			Config map[string]any `json:"config,omitempty"`
		}{traces(f.Data), f.Layout, f.Config})
	case *Figure:
		return toTree(*f)
	default:
		raw, err = json.Marshal(fig)
	}
	if err != nil {
		return nil, fmt.Errorf("plotly: encoding figure: %w", err)
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, fmt.Errorf("plotly: figure is not a JSON object with data and layout: %w", err)
	}
	return tree, nil
}

func traces(d Data) []any {
	out := make([]any, len(d))
	for i, t := range d {
		raw, _ := json.Marshal(t)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		m["type"] = t.TraceType()
		out[i] = m
	}
	return out
}
