package plotly

import "github.com/liveplot/liveplot/internal/figure"

// ValidationError is one problem of a figure, at the attribute path where it is:
//
//	type ValidationError struct {
//		Path    string // "data[0].marker.colour", "layout.xaxis2.range"
//		Message string // `unknown attribute (did you mean "color"?)`
//	}
//
// Its Error is Path + ": " + Message. (It is defined in the package that plotly and stream share.)
type ValidationError = figure.ValidationError

// ValidationErrors is every problem [Validate] found in a figure (or a stream link's Relayout in
// a layout update):
//
//	type ValidationErrors struct {
//		Errors  []*ValidationError // the first 20 problems
//		Omitted int                // how many more there were
//	}
//
// errors.As finds each *ValidationError in it.
type ValidationErrors = figure.ValidationErrors

// MIMEType is the MIME type of a figure as plotly's renderers take it (JupyterLab's and
// nteract's plotly renderers, VS Code's notebook renderers): a JSON object with data, layout and
// config. Every figure output carries it besides its HTML (kernelext.Output.Data).
const MIMEType = "application/vnd.plotly.v1+json"

// Validate checks fig against the schema of the plotly.js version liveplot embeds, and returns
// nil or a *ValidationErrors naming each problem by its path: an unknown trace type or
// attribute (with the closest known name), a value of the wrong kind or out of range (numbers,
// integers, booleans, strings, enumerated values, flag lists like "lines+markers", colors,
// colorscales, subplot ids like "x2", info arrays like ranges), data arrays of different
// lengths (x and y, labels and values, z and its x and y). Attributes that take one value or
// one per point accept arrays. layout.template and the trace attribute stream (liveplot's
// own) are accepted as they are. fig is anything Show takes.
func Validate(fig any) error {
	tree, err := toTree(fig)
	if err != nil {
		return err
	}
	return figure.Validate(tree)
}
