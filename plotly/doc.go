// Package plotly builds plotly figures, checks them against plotly.js's schema and shows them:
// as live cell outputs in GoNB notebooks, or on a local page from plain programs.
//
// # The model
//
// A [Figure] is what plotly.js draws: [Data], a list of traces, a [Layout] and a Config. The
// trace types [Scatter], [Scattergl], [Bar], [Histogram], [Heatmap], [Box] and [Pie] type their
// common attributes; Layout types the title, axes ([Axis]: XAxis, YAxis), [Legend], [Margin],
// size and template. Data arrays (X, Y, Z, Text, Labels, Values ...) are any, so a []float64,
// []int, []string, []time.Time or [][]float64 goes in as it is:
//
//	fig := &plotly.Figure{
//		Data: plotly.Data{&plotly.Scatter{
//			X: []time.Time{}, Y: []float64{}, Mode: "lines+markers",
//			Stream: &plotly.Stream{Token: tok, MaxPoints: 80},
//		}},
//		Layout: &plotly.Layout{Title: plotly.Title{Text: "Time Series"}},
//	}
//
// Every other plotly attribute is set through Extra, a map from attribute path
// ("marker.line.width", "xaxis2", "annotations") to value, on traces, [Layout], [Axis] and
// [Legend].
//
// Every type marshals ([encoding/json.Marshaler]) to the JSON plotly.js 4 takes: traces carry
// "type", titles are objects, [time.Time] values are plotly date strings
// ("2006-01-02 15:04:05.999999", in the time's own location), NaN and ±Inf are null (a gap in
// the plot), nil fields are left out and non-nil empty slices are empty arrays.
//
// A trace's [Stream] names the token that feeds it live (see package [stream]) and how many of
// the newest points it keeps.
//
// [Show], [HTML] and [WriteHTML] also take go-plotly figures
// (github.com/MetalBlueberry/go-plotly) and any value that marshals to a JSON object with "data"
// (and "layout", "config"), such as a map[string]any.
//
// # Validation
//
// [Validate] checks a figure against the schema of the plotly.js version liveplot embeds, and
// [Show] does before showing it: unknown trace types and attributes (with the closest known
// name), values of the wrong kind or out of range, data arrays whose lengths differ. Each
// problem names its path ([ValidationError]), e.g.
//
//	data[0].marker.colour: unknown attribute (did you mean "color"?)
//
// # Showing
//
// [Show] draws a figure in the notebook (inside GoNB) or on the local page this program serves
// ([WithFrontend] picks another [kernelext.Frontend]); [HTML] and [WriteHTML] render it as a
// standalone page.
//
// # Concurrency
//
// Figures are plain values: build one in one goroutine, or guard it. Show, Validate, HTML and
// WriteHTML may be called from any number of goroutines at once; the figures shown are kept in
// one registry under a lock, so that package stream finds the trace a token feeds. The package
// starts no goroutines of its own; the frontend that Show uses may (see package [kernelext]).
//
// [stream]: https://pkg.go.dev/github.com/liveplot/liveplot/stream
package plotly
