package plotly

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/liveplot/liveplot/internal/htmlscript"
	"github.com/liveplot/liveplot/internal/plotlyjs"
	"github.com/liveplot/liveplot/internal/randid"
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

// render makes the output that shows tree in the element with the given ID, with the figure's
// other representations (bundleData). It stops when ctx is done: a figure may hold millions of
// points.
func render(ctx context.Context, id string, tree map[string]any) (kernelext.Output, error) {
	var b strings.Builder
	b.Grow(rawSize(tree) + 64<<10) // one buffer the size of the figure, not doubled as it grows
	if err := writeFragment(ctx, &b, id, tree); err != nil {
		return kernelext.Output{}, err
	}
	data, err := bundleData(ctx, tree)
	if err != nil {
		return kernelext.Output{}, err
	}
	return kernelext.Output{ID: id, HTML: b.String(), Scripts: scripts, Data: data}, nil
}

// writeFragment writes the div that holds the figure, the figure's JSON and the call that draws
// it. The JSON sits in a script element of type application/json, escaped so that no string in
// the figure (a title holding "</script>" or "<!--") can end that element: strings escape <, >
// and & as \u003c, \u003e, \u0026, as json.Marshal and the stream package's encoder do.
func writeFragment(ctx context.Context, w io.Writer, id string, tree map[string]any) error {
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

// HTMLOption changes the page that WriteHTML writes.
type HTMLOption func(*htmlConfig)

type htmlConfig struct {
	cdn   string
	title string
}

// FromCDN loads plotly.js from url instead of embedding it in the page: a smaller file that
// needs the network to render. The default embeds plotly.js, so the page works offline.
func FromCDN(url string) HTMLOption {
	return func(c *htmlConfig) { c.cdn = url }
}

// PageTitle sets the page's <title> (default "liveplot").
func PageTitle(title string) HTMLOption {
	return func(c *htmlConfig) { c.title = title }
}

// HTML returns fig as an HTML fragment: a div and the scripts that draw the figure into it.
// The page it goes into must have loaded plotly.js and liveplot's client (Show and WriteHTML
// take care of that).
func HTML(fig any) (string, error) {
	tree, err := validTree(fig)
	if err != nil {
		return "", err
	}
	out, err := render(context.Background(), "liveplot-"+randid.Hex(8), tree)
	return out.HTML, err
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
{{if .CDN}}<script src="{{.CDN}}"></script>
{{else}}<script>{{.Plotly}}</script>
{{end}}<script>{{.Client}}</script>
</head>
<body>
{{.Figure}}</body>
</html>
`))

// WriteHTML writes fig to w as a standalone HTML page that renders it with plotly.js, embedded
// in the page unless FromCDN says otherwise.
func WriteHTML(w io.Writer, fig any, opts ...HTMLOption) error {
	cfg := htmlConfig{title: "liveplot"}
	for _, o := range opts {
		o(&cfg)
	}
	fragment, err := HTML(fig)
	if err != nil {
		return err
	}
	data := struct {
		Title, CDN     string
		Plotly, Client template.JS
		Figure         template.HTML
	}{
		Title: cfg.title, CDN: cfg.cdn,
		Client: template.JS(htmlscript.Escape(string(clientJS))), //nolint:gosec // our own embedded script, escaped
		Figure: template.HTML(fragment),                          //nolint:gosec // rendered above, JSON escaped
	}
	if cfg.cdn == "" {
		data.Plotly = template.JS(htmlscript.Escape(string(plotlyjs.Bundle))) //nolint:gosec // the pinned plotly.js bundle, escaped
	}
	if err := pageTemplate.Execute(w, data); err != nil {
		return fmt.Errorf("plotly: writing HTML page: %w", err)
	}
	return nil
}
