package plotly

import "encoding/json"

// Figure is a plotly figure: traces, a layout and a config, as plotly.js takes them.
// Its JSON (MarshalJSON) is what plotly.js draws; Validate checks it against plotly.js's schema.
type Figure struct {
	// Data holds the traces, drawn in order.
	Data Data `json:"data"`
	// Layout is the figure's layout; nil leaves every layout attribute at plotly's default.
	Layout *Layout `json:"layout,omitempty"`
	// Config is plotly.js's config (e.g. {"responsive": true, "displayModeBar": false}).
	Config map[string]any `json:"config,omitempty"`
}

// MarshalJSON encodes the figure as plotly.js takes it: {"data": [...], "layout": {...}}, with
// traces carrying their "type", times as plotly date strings and NaN or ±Inf as null.
func (f Figure) MarshalJSON() ([]byte, error) {
	tree, err := toTree(f)
	if err != nil {
		return nil, err
	}
	return json.Marshal(tree)
}

// Data is the list of a figure's traces.
type Data []Trace

// Trace is one trace of a figure: *Scatter, *Scattergl, *Bar, *Histogram, *Heatmap, *Box, *Pie.
// Other implementations are encoded by their JSON (json.Marshaler or exported fields), with
// "type" set from TraceType.
type Trace interface {
	// TraceType returns the plotly.js trace type, e.g. "scatter".
	TraceType() string
}

// Stream names the stream token that feeds a trace and the window of points it keeps. It is a
// liveplot attribute of traces (plotly.js ignores it); stream.Open(token) feeds the trace.
type Stream struct {
	// Token is the stream token, e.g. from stream.NewToken.
	Token string `json:"token,omitempty"`
	// MaxPoints is the number of the newest points the trace shows; 0 keeps them all. Show
	// rejects a window that is not a whole number from 0 to math.MaxInt32.
	MaxPoints int `json:"maxpoints,omitempty"`
}

// MarshalJSON encodes the stream as {"token": ..., "maxpoints": ...}.
func (s Stream) MarshalJSON() ([]byte, error) { return marshalJSON(s) }

// Bool returns a pointer to b, for the optional boolean fields (ShowLegend: plotly.Bool(false)).
func Bool(b bool) *bool { return &b }

// Float returns a pointer to f, for the optional number fields (Opacity: plotly.Float(0.5)).
func Float(f float64) *float64 { return &f }
