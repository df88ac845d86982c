package plotly

// Figure is a plotly figure: traces, a layout and a config, as plotly.js takes them.
type Figure struct {
	Data   Data           `json:"data"`
	Layout *Layout        `json:"layout,omitempty"`
	Config map[string]any `json:"config,omitempty"`
}

// Data is the list of a figure's traces.
type Data []Trace

// Trace is one trace of a figure: *Scatter, *Bar and the other trace types.
type Trace interface {
	// TraceType returns the plotly.js trace type, e.g. "scatter".
	TraceType() string
}

// Stream names the stream token that feeds a trace and the window of points it keeps.
type Stream struct {
	// Token is the stream token, e.g. from stream.NewToken.
	Token string `json:"token,omitempty"`
	// MaxPoints is the number of the newest points the trace shows; 0 keeps them all.
	MaxPoints int `json:"maxpoints,omitempty"`
}

// Scatter is a scatter (or line) trace.
type Scatter struct {
	X      any     `json:"x,omitempty"`
	Y      any     `json:"y,omitempty"`
	Mode   string  `json:"mode,omitempty"`
	Name   string  `json:"name,omitempty"`
	Stream *Stream `json:"stream,omitempty"`
}

// TraceType returns "scatter".
func (*Scatter) TraceType() string { return "scatter" }

// Layout is a figure's layout.
type Layout struct {
	Title Title `json:"title,omitzero"`
}

// Title is a title object.
type Title struct {
	Text string `json:"text,omitempty"`
}
