package plotly

import (
	"errors"
	"fmt"

	"github.com/liveplot/liveplot/internal/figure"
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
		return nil, fmt.Errorf("plotly: figure %T encodes to %s, not to a JSON object like {\"data\": [...], \"layout\": {...}}", fig, figure.JSONKind(v))
	}
	data := tree["data"]
	switch d := data.(type) {
	case []any:
		for i, t := range d {
			if _, ok := t.(map[string]any); !ok {
				return nil, fmt.Errorf("plotly: figure's data[%d] is %s, not a trace object", i, figure.JSONKind(t))
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
		return nil, fmt.Errorf("plotly: figure's \"data\" is %s, not an array of traces", figure.JSONKind(data))
	}
	for _, k := range []string{"layout", "config"} {
		switch tree[k].(type) {
		case nil:
			delete(tree, k)
		case map[string]any:
		default:
			return nil, fmt.Errorf("plotly: figure's %q is %s, not an object", k, figure.JSONKind(tree[k]))
		}
	}
	return tree, nil
}
