package plotly

// Layout is a figure's layout. Zero fields leave their attribute at plotly's default. Extra
// sets any other layout attribute by path: more axes ("xaxis2": &plotly.Axis{...}),
// annotations, shapes, "hovermode" ...; its entries override typed fields at the same path.
type Layout struct {
	Title        Title          `json:"title,omitzero"`
	XAxis        *Axis          `json:"xaxis,omitempty"`
	YAxis        *Axis          `json:"yaxis,omitempty"`
	Legend       *Legend        `json:"legend,omitempty"`
	ShowLegend   *bool          `json:"showlegend,omitempty"`
	Margin       *Margin        `json:"margin,omitempty"`
	Width        float64        `json:"width,omitempty"`  // px; 0 fits the container
	Height       float64        `json:"height,omitempty"` // px; 0 fits the container
	Font         *Font          `json:"font,omitempty"`
	Template     any            `json:"template,omitempty"` // a template object (any JSON)
	BarMode      string         `json:"barmode,omitempty"`  // "group", "stack", "overlay", "relative"
	HoverMode    any            `json:"hovermode,omitempty"`
	PaperBGColor string         `json:"paper_bgcolor,omitempty"`
	PlotBGColor  string         `json:"plot_bgcolor,omitempty"`
	Extra        map[string]any `json:"-" plotly:"extra"`
}

// MarshalJSON encodes the layout.
func (l Layout) MarshalJSON() ([]byte, error) { return marshalJSON(l) }

// Title is a title: of the figure, an axis or the legend. plotly.js 4 takes titles as objects,
// {"text": ...}; a zero Title is left out.
type Title struct {
	Text string `json:"text,omitempty"`
	Font *Font  `json:"font,omitempty"`
}

// MarshalJSON encodes the title as {"text": ...}.
func (t Title) MarshalJSON() ([]byte, error) { return marshalJSON(t) }

// Axis is an x or y axis (layout xaxis, yaxis, xaxis2 ...).
type Axis struct {
	Title      Title          `json:"title,omitzero"`
	Type       string         `json:"type,omitempty"`      // "linear", "log", "date", "category", "multicategory"
	Range      []any          `json:"range,omitempty"`     // [min, max]: numbers, or dates (time.Time) on a date axis
	AutoRange  any            `json:"autorange,omitempty"` // true, false, "reversed" ...
	FixedRange *bool          `json:"fixedrange,omitempty"`
	ShowGrid   *bool          `json:"showgrid,omitempty"`
	ZeroLine   *bool          `json:"zeroline,omitempty"`
	TickFormat string         `json:"tickformat,omitempty"`
	Domain     []float64      `json:"domain,omitempty"`
	Anchor     string         `json:"anchor,omitempty"`     // "x", "y2", "free" ...
	Overlaying string         `json:"overlaying,omitempty"` // "y": draw this axis over y's plot
	Side       string         `json:"side,omitempty"`       // "left", "right", "top", "bottom"
	Extra      map[string]any `json:"-" plotly:"extra"`
}

// MarshalJSON encodes the axis.
func (a Axis) MarshalJSON() ([]byte, error) { return marshalJSON(a) }

// Legend places and styles the legend.
type Legend struct {
	Title       Title          `json:"title,omitzero"`
	Orientation string         `json:"orientation,omitempty"` // "v" or "h"
	X           *float64       `json:"x,omitempty"`
	Y           *float64       `json:"y,omitempty"`
	XAnchor     string         `json:"xanchor,omitempty"`
	YAnchor     string         `json:"yanchor,omitempty"`
	BGColor     string         `json:"bgcolor,omitempty"`
	Extra       map[string]any `json:"-" plotly:"extra"`
}

// MarshalJSON encodes the legend.
func (l Legend) MarshalJSON() ([]byte, error) { return marshalJSON(l) }

// Margin is the space around the plot area, in px. All four sides are sent, so a zero side is
// a zero margin (plotly's defaults are l 80, r 80, t 100, b 80).
type Margin struct {
	L          float64 `json:"l"`
	R          float64 `json:"r"`
	T          float64 `json:"t"`
	B          float64 `json:"b"`
	Pad        float64 `json:"pad,omitempty"`
	AutoExpand *bool   `json:"autoexpand,omitempty"`
}

// MarshalJSON encodes the margin.
func (m Margin) MarshalJSON() ([]byte, error) { return marshalJSON(m) }

// Font is a text font.
type Font struct {
	Family string  `json:"family,omitempty"`
	Size   float64 `json:"size,omitempty"`
	Color  string  `json:"color,omitempty"`
}

// MarshalJSON encodes the font.
func (f Font) MarshalJSON() ([]byte, error) { return marshalJSON(f) }
