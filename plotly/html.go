package plotly

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/liveplot/liveplot/internal/plotlyjs"
	"github.com/liveplot/liveplot/kernelext"
)

// clientJS draws figures in the page and applies stream frames to them.
//
//go:embed client.js
var clientJS []byte

// scripts are the libraries every figure output needs, loaded once per page.
var scripts = []kernelext.Script{
	{Name: "plotly-" + plotlyjs.Version, Source: plotlyjs.Bundle},
	{Name: "liveplot-client", Source: clientJS},
}

// render makes the output that shows tree in the element with the given ID.
func render(id string, tree map[string]any) (kernelext.Output, error) {
	var b strings.Builder
	if err := writeFragment(&b, id, tree); err != nil {
		return kernelext.Output{}, err
	}
	return kernelext.Output{ID: id, HTML: b.String(), Scripts: scripts}, nil
}

// writeFragment writes the div that holds the figure, the figure's JSON and the call that draws
// it. The JSON sits in a script element of type application/json, escaped so that no string in
// the figure (a title holding "</script>" or "<!--") can end that element.
func writeFragment(w io.Writer, id string, tree map[string]any) error {
	raw, err := json.Marshal(tree) // escapes <, > and & as \u003c, \u003e, \u0026
	if err != nil {
		return fmt.Errorf("plotly: encoding figure: %w", err)
	}
	idAttr := template.HTMLEscapeString(id)
	idJS, _ := json.Marshal(id)
	_, err = fmt.Fprintf(w, `<div id="%s" class="liveplot-figure"></div>
<script type="application/json" id="%s-figure">%s</script>
<script>liveplot.plot(%s);</script>
`, idAttr, idAttr, raw, idJS)
	return err
}
