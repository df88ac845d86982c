package plotly

// The trace types. Data fields (X, Y, Z, Text, Labels, Values ...) are any: a []float64, []int,
// []string, []time.Time, [][]float64 (a heatmap's z) or any slice that encodes to a JSON array.
// A nil field leaves its attribute unset, a non-nil empty slice is an empty array (a trace that
// starts without points). Fields that may be a single value or one value per point (Text,
// Marker.Color, Marker.Size ...) are any too. Pointer fields (*bool, *float64) are optional
// because their zero is a real setting; set them with Bool and Float. Extra sets any other
// plotly attribute by its path relative to the trace ("marker.line.width",
// "error_y": map[string]any{...}); its entries override typed fields at the same path.

// Scatter is a scatter trace: markers, lines or both (plotly type "scatter").
type Scatter struct {
	X             any            `json:"x,omitempty"`
	Y             any            `json:"y,omitempty"`
	Text          any            `json:"text,omitempty"`
	HoverText     any            `json:"hovertext,omitempty"`
	CustomData    any            `json:"customdata,omitempty"`
	Name          string         `json:"name,omitempty"`
	Mode          string         `json:"mode,omitempty"` // flags lines, markers, text joined by "+", or "none"
	Marker        *Marker        `json:"marker,omitempty"`
	Line          *Line          `json:"line,omitempty"`
	Fill          string         `json:"fill,omitempty"` // "tozeroy", "tonexty", "toself" ...
	FillColor     string         `json:"fillcolor,omitempty"`
	Orientation   string         `json:"orientation,omitempty"` // "v" or "h" (stacking direction)
	Opacity       *float64       `json:"opacity,omitempty"`
	Visible       any            `json:"visible,omitempty"` // true, false or "legendonly"
	ShowLegend    *bool          `json:"showlegend,omitempty"`
	LegendGroup   string         `json:"legendgroup,omitempty"`
	HoverInfo     string         `json:"hoverinfo,omitempty"`
	HoverTemplate any            `json:"hovertemplate,omitempty"`
	TextPosition  any            `json:"textposition,omitempty"`
	ConnectGaps   *bool          `json:"connectgaps,omitempty"`
	XAxis         string         `json:"xaxis,omitempty"` // "x", "x2" ...
	YAxis         string         `json:"yaxis,omitempty"` // "y", "y2" ...
	Stream        *Stream        `json:"stream,omitempty"`
	Extra         map[string]any `json:"-" plotly:"extra"`
}

// TraceType returns "scatter".
func (Scatter) TraceType() string { return "scatter" }

// MarshalJSON encodes the trace, with "type": "scatter".
func (s Scatter) MarshalJSON() ([]byte, error) { return marshalJSON(&s) }

// Scattergl is a scatter trace drawn with WebGL, for many points (plotly type "scattergl").
// It has Scatter's fields; Orientation does not apply to it.
type Scattergl Scatter

// TraceType returns "scattergl".
func (Scattergl) TraceType() string { return "scattergl" }

// MarshalJSON encodes the trace, with "type": "scattergl".
func (s Scattergl) MarshalJSON() ([]byte, error) { return marshalJSON(&s) }

// Bar is a bar trace (plotly type "bar").
type Bar struct {
	X             any            `json:"x,omitempty"`
	Y             any            `json:"y,omitempty"`
	Text          any            `json:"text,omitempty"`
	HoverText     any            `json:"hovertext,omitempty"`
	CustomData    any            `json:"customdata,omitempty"`
	Name          string         `json:"name,omitempty"`
	Marker        *Marker        `json:"marker,omitempty"`
	Orientation   string         `json:"orientation,omitempty"` // "v" or "h"
	Width         any            `json:"width,omitempty"`       // bar width in axis units, one or per bar
	Base          any            `json:"base,omitempty"`
	Offset        any            `json:"offset,omitempty"`
	Opacity       *float64       `json:"opacity,omitempty"`
	Visible       any            `json:"visible,omitempty"`
	ShowLegend    *bool          `json:"showlegend,omitempty"`
	LegendGroup   string         `json:"legendgroup,omitempty"`
	HoverInfo     string         `json:"hoverinfo,omitempty"`
	HoverTemplate any            `json:"hovertemplate,omitempty"`
	TextPosition  any            `json:"textposition,omitempty"`
	XAxis         string         `json:"xaxis,omitempty"`
	YAxis         string         `json:"yaxis,omitempty"`
	Stream        *Stream        `json:"stream,omitempty"`
	Extra         map[string]any `json:"-" plotly:"extra"`
}

// TraceType returns "bar".
func (Bar) TraceType() string { return "bar" }

// MarshalJSON encodes the trace, with "type": "bar".
func (b Bar) MarshalJSON() ([]byte, error) { return marshalJSON(&b) }

// Histogram is a histogram of X (or Y, horizontally) (plotly type "histogram").
type Histogram struct {
	X             any            `json:"x,omitempty"`
	Y             any            `json:"y,omitempty"`
	Text          any            `json:"text,omitempty"`
	Name          string         `json:"name,omitempty"`
	HistFunc      string         `json:"histfunc,omitempty"` // "count", "sum", "avg", "min", "max"
	HistNorm      string         `json:"histnorm,omitempty"` // "", "percent", "probability", "density" ...
	NBinsX        int            `json:"nbinsx,omitempty"`   // 0: plotly picks
	NBinsY        int            `json:"nbinsy,omitempty"`
	Marker        *Marker        `json:"marker,omitempty"`
	Orientation   string         `json:"orientation,omitempty"`
	Opacity       *float64       `json:"opacity,omitempty"`
	Visible       any            `json:"visible,omitempty"`
	ShowLegend    *bool          `json:"showlegend,omitempty"`
	LegendGroup   string         `json:"legendgroup,omitempty"`
	HoverInfo     string         `json:"hoverinfo,omitempty"`
	HoverTemplate any            `json:"hovertemplate,omitempty"`
	XAxis         string         `json:"xaxis,omitempty"`
	YAxis         string         `json:"yaxis,omitempty"`
	Stream        *Stream        `json:"stream,omitempty"`
	Extra         map[string]any `json:"-" plotly:"extra"`
}

// TraceType returns "histogram".
func (Histogram) TraceType() string { return "histogram" }

// MarshalJSON encodes the trace, with "type": "histogram".
func (h Histogram) MarshalJSON() ([]byte, error) { return marshalJSON(&h) }

// Heatmap is a heatmap of Z, a [][]float64 of rows (plotly type "heatmap").
type Heatmap struct {
	X             any            `json:"x,omitempty"` // column coordinates (len(z[0]), or one more for edges)
	Y             any            `json:"y,omitempty"` // row coordinates (len(z), or one more)
	Z             any            `json:"z,omitempty"`
	Text          any            `json:"text,omitempty"`
	Name          string         `json:"name,omitempty"`
	ColorScale    any            `json:"colorscale,omitempty"` // a name ("Viridis") or [[0, color], ..., [1, color]]
	ReverseScale  bool           `json:"reversescale,omitempty"`
	ShowScale     *bool          `json:"showscale,omitempty"`
	ZMin          *float64       `json:"zmin,omitempty"`
	ZMax          *float64       `json:"zmax,omitempty"`
	ZSmooth       any            `json:"zsmooth,omitempty"` // "fast", "best" or false
	ConnectGaps   *bool          `json:"connectgaps,omitempty"`
	Opacity       *float64       `json:"opacity,omitempty"`
	Visible       any            `json:"visible,omitempty"`
	ShowLegend    *bool          `json:"showlegend,omitempty"`
	HoverInfo     string         `json:"hoverinfo,omitempty"`
	HoverTemplate any            `json:"hovertemplate,omitempty"`
	XAxis         string         `json:"xaxis,omitempty"`
	YAxis         string         `json:"yaxis,omitempty"`
	Stream        *Stream        `json:"stream,omitempty"`
	Extra         map[string]any `json:"-" plotly:"extra"`
}

// TraceType returns "heatmap".
func (Heatmap) TraceType() string { return "heatmap" }

// MarshalJSON encodes the trace, with "type": "heatmap".
func (h Heatmap) MarshalJSON() ([]byte, error) { return marshalJSON(&h) }

// Box is a box plot of Y (or X, horizontally) (plotly type "box").
type Box struct {
	X             any            `json:"x,omitempty"`
	Y             any            `json:"y,omitempty"`
	Text          any            `json:"text,omitempty"`
	Name          string         `json:"name,omitempty"`
	BoxPoints     any            `json:"boxpoints,omitempty"` // "all", "outliers", "suspectedoutliers" or false
	BoxMean       any            `json:"boxmean,omitempty"`   // true, "sd" or false
	Marker        *Marker        `json:"marker,omitempty"`
	Line          *Line          `json:"line,omitempty"`
	FillColor     string         `json:"fillcolor,omitempty"`
	Orientation   string         `json:"orientation,omitempty"`
	Width         float64        `json:"width,omitempty"`
	Opacity       *float64       `json:"opacity,omitempty"`
	Visible       any            `json:"visible,omitempty"`
	ShowLegend    *bool          `json:"showlegend,omitempty"`
	LegendGroup   string         `json:"legendgroup,omitempty"`
	HoverInfo     string         `json:"hoverinfo,omitempty"`
	HoverTemplate any            `json:"hovertemplate,omitempty"`
	XAxis         string         `json:"xaxis,omitempty"`
	YAxis         string         `json:"yaxis,omitempty"`
	Stream        *Stream        `json:"stream,omitempty"`
	Extra         map[string]any `json:"-" plotly:"extra"`
}

// TraceType returns "box".
func (Box) TraceType() string { return "box" }

// MarshalJSON encodes the trace, with "type": "box".
func (b Box) MarshalJSON() ([]byte, error) { return marshalJSON(&b) }

// Pie is a pie (or donut, with Hole) of Values by Labels (plotly type "pie").
type Pie struct {
	Labels        any            `json:"labels,omitempty"`
	Values        any            `json:"values,omitempty"`
	Text          any            `json:"text,omitempty"`
	HoverText     any            `json:"hovertext,omitempty"`
	Name          string         `json:"name,omitempty"`
	Marker        *Marker        `json:"marker,omitempty"` // Colors (one per slice) and Line apply
	Hole          float64        `json:"hole,omitempty"`   // 0 to 1: the fraction of the radius cut out
	TextInfo      string         `json:"textinfo,omitempty"`
	TextPosition  any            `json:"textposition,omitempty"`
	Sort          *bool          `json:"sort,omitempty"`
	Direction     string         `json:"direction,omitempty"` // "clockwise" or "counterclockwise"
	Opacity       *float64       `json:"opacity,omitempty"`
	Visible       any            `json:"visible,omitempty"`
	ShowLegend    *bool          `json:"showlegend,omitempty"`
	HoverInfo     string         `json:"hoverinfo,omitempty"`
	HoverTemplate any            `json:"hovertemplate,omitempty"`
	Stream        *Stream        `json:"stream,omitempty"`
	Extra         map[string]any `json:"-" plotly:"extra"`
}

// TraceType returns "pie".
func (Pie) TraceType() string { return "pie" }

// MarshalJSON encodes the trace, with "type": "pie".
func (p Pie) MarshalJSON() ([]byte, error) { return marshalJSON(&p) }

// Marker is how a trace's points (or bars, or slices) are drawn.
type Marker struct {
	Color      any   `json:"color,omitempty"`  // a color, or one per point (colors or numbers on ColorScale)
	Colors     any   `json:"colors,omitempty"` // pie: one color per slice
	Size       any   `json:"size,omitempty"`   // a size in px, or one per point
	Symbol     any   `json:"symbol,omitempty"` // "circle", "square", "x" ...
	Opacity    any   `json:"opacity,omitempty"`
	ColorScale any   `json:"colorscale,omitempty"`
	ShowScale  *bool `json:"showscale,omitempty"`
	Line       *Line `json:"line,omitempty"` // the markers' outline
}

// MarshalJSON encodes the marker.
func (m Marker) MarshalJSON() ([]byte, error) { return marshalJSON(m) }

// Line is how a line (or an outline) is drawn.
type Line struct {
	Color string  `json:"color,omitempty"`
	Width float64 `json:"width,omitempty"`
	Dash  string  `json:"dash,omitempty"`  // "solid", "dot", "dash", "longdash", "dashdot", "5px,10px" ...
	Shape string  `json:"shape,omitempty"` // "linear", "spline", "hv", "vh", "hvh", "vhv"
}

// MarshalJSON encodes the line.
func (l Line) MarshalJSON() ([]byte, error) { return marshalJSON(l) }
