package plotly

import (
	"errors"
	"fmt"
)

// figureKeys are the keys a figure object may have besides data. A go-plotly figure without
// traces has only these (its data is left out when empty).
var figureKeys = map[string]bool{"layout": true, "config": true, "frames": true, "animation": true}

// toTree turns any accepted figure into its JSON tree: {"data": [...], "layout": {...}} of
// map[string]any, []any, float64, string, bool and nil, with each trace an object. fig is a
// Figure, a *Figure, or any value that encodes to a JSON object with "data" (a go-plotly
// figure, a map[string]any, a json.RawMessage); NaN and ±Inf anywhere become null. The tree is
// a fresh copy: changing it does not change fig.
func toTree(fig any) (map[string]any, error) {
	switch f := fig.(type) {
	case nil:
		return nil, errors.New("plotly: figure is nil: want a plotly.Figure or a value that encodes to {\"data\": [...], \"layout\": {...}}")
	case *Figure:
		if f == nil {
			return nil, errors.New("plotly: figure is a nil *plotly.Figure")
		}
	}
	v, err := toJSONValue(fig)
	if err != nil {
		return nil, fmt.Errorf("plotly: encoding figure %T: %w", fig, err)
	}
	tree, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("plotly: figure %T encodes to %s, not to a JSON object like {\"data\": [...], \"layout\": {...}}", fig, jsonKind(v))
	}
	data := tree["data"]
	switch d := data.(type) {
	case []any:
		for i, t := range d {
			if _, ok := t.(map[string]any); !ok {
				return nil, fmt.Errorf("plotly: figure's data[%d] is %s, not a trace object", i, jsonKind(t))
			}
		}
	case nil:
		for k := range tree {
			if k != "data" && !figureKeys[k] {
				return nil, fmt.Errorf("plotly: figure %T has no \"data\" array (it has %q): want a JSON object like {\"data\": [...], \"layout\": {...}}", fig, k)
			}
		}
		tree["data"] = []any{} // no traces: a Figure with nil Data, or a go-plotly figure without traces
	default:
		return nil, fmt.Errorf("plotly: figure's \"data\" is %s, not an array of traces", jsonKind(data))
	}
	for _, k := range []string{"layout", "config"} {
		switch tree[k].(type) {
		case nil:
			delete(tree, k)
		case map[string]any:
		default:
			return nil, fmt.Errorf("plotly: figure's %q is %s, not an object", k, jsonKind(tree[k]))
		}
	}
	return tree, nil
}

// jsonKind names the kind of a generic JSON value, for messages.
func jsonKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", truncate(v, 40))
	case float64:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	}
	return fmt.Sprintf("a %T", v)
}

// truncate shortens s to at most n bytes (plus "...").
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
