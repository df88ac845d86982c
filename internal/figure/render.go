package figure

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/liveplot/liveplot/internal/plotlyjs"
	"github.com/liveplot/liveplot/kernelext"
)

// ClientJS draws figures in the page and applies stream frames to them.
//
//go:embed client.js
var ClientJS []byte

// scripts are the libraries every figure output needs, loaded once per page.
var scripts = []kernelext.Script{
	{Name: "plotly-" + plotlyjs.Version, Source: plotlyjs.Bundle},
	{Name: "liveplot-client", Source: ClientJS},
}

// Render makes the output that shows tree in the element with the given ID, with the figure's
// other representations (bundleData). It stops when ctx is done: a figure may hold millions of
// points.
func Render(ctx context.Context, id string, tree map[string]any) (kernelext.Output, error) {
	var b strings.Builder
	b.Grow(rawSize(tree) + 64<<10) // one buffer the size of the figure, not doubled as it grows
	if err := WriteFragment(ctx, &b, id, tree); err != nil {
		return kernelext.Output{}, err
	}
	data, err := bundleData(ctx, tree)
	if err != nil {
		return kernelext.Output{}, err
	}
	return kernelext.Output{ID: id, HTML: b.String(), Scripts: scripts, Data: data}, nil
}

// WriteFragment writes the div that holds the figure, the figure's JSON and the call that draws
// it. The JSON sits in a script element of type application/json, escaped so that no string in
// the figure (a title holding "</script>" or "<!--") can end that element: strings escape <, >
// and & as \u003c, \u003e, \u0026, as json.Marshal and the stream package's encoder do.
func WriteFragment(ctx context.Context, w io.Writer, id string, tree map[string]any) error {
	idAttr := template.HTMLEscapeString(id)
	idJS, _ := json.Marshal(id)
	if _, err := fmt.Fprintf(w, `<div id="%s" class="liveplot-figure"></div>
<script type="application/json" id="%s-figure">`, idAttr, idAttr); err != nil {
		return err
	}
	if err := writeTreeJSON(ctx, w, tree); err != nil {
		return fmt.Errorf("plotly: encoding figure: %w", err)
	}
	_, err := fmt.Fprintf(w, `</script>
<script>liveplot.plot(%s);</script>
`, idJS)
	return err
}
