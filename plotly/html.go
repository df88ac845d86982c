package plotly

import (
	"context"
	_ "embed"
	"fmt"
	"html/template"
	"io"

	"github.com/liveplot/liveplot/internal/figure"
	"github.com/liveplot/liveplot/internal/htmlscript"
	"github.com/liveplot/liveplot/internal/plotlyjs"
	"github.com/liveplot/liveplot/internal/randid"
)

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
	out, err := figure.Render(context.Background(), "liveplot-"+randid.Hex(8), tree)
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
		Client: template.JS(htmlscript.Escape(string(figure.ClientJS))), //nolint:gosec // our own embedded script, escaped
		Figure: template.HTML(fragment),                                 //nolint:gosec // rendered above, JSON escaped
	}
	if cfg.cdn == "" {
		data.Plotly = plotlyjs.InlineScript()
	}
	if err := pageTemplate.Execute(w, data); err != nil {
		return fmt.Errorf("plotly: writing HTML page: %w", err)
	}
	return nil
}
