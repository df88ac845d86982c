// Package notebookhtml renders an executed notebook as one static HTML page that shows every
// output in its final state with no network and no kernel: markdown cells as simple text
// (headings, paragraphs, code blocks), code cells with their source, and their outputs.
// text/html outputs go into the page as they are, since they carry liveplot's figure scripts;
// plotly.js is embedded once: in the head, before any of them, unless an output carries it.
package notebookhtml

import (
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/liveplot/liveplot/internal/plotlyjs"
	"github.com/liveplot/liveplot/jupytext"
)

// Options configure Write.
type Options struct {
	// Title is the page's title; "" means "notebook".
	Title string
}

// cellView is one cell as the page template sees it.
type cellView struct {
	Kind     string // "markdown", "code" or "raw"
	Markdown template.HTML
	Source   string
	Prompt   string
	Outputs  []template.HTML
}

var page = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<style>
body { font-family: sans-serif; max-width: 1100px; margin: 1em auto; padding: 0 1em; }
.cell { margin: 0.8em 0; }
.input { display: flex; }
.prompt { color: #307fc1; font-family: monospace; min-width: 6em; }
pre { margin: 0.2em 0; white-space: pre-wrap; word-wrap: break-word; }
.input pre { background: #f7f7f7; border: 1px solid #e0e0e0; padding: 0.4em; flex: 1; }
.output { margin-left: 6em; overflow-x: auto; }
.stderr { background: #fdd; }
.error { background: #fdd; color: #a00; }
</style>
{{if .Plotly}}<script>{{.Plotly}}</script>
{{end}}</head>
<body>
{{range .Cells}}<div class="cell {{.Kind}}">
{{if eq .Kind "markdown"}}{{.Markdown}}{{else if eq .Kind "raw"}}<pre>{{.Source}}</pre>{{else}}<div class="input"><div class="prompt">In [{{.Prompt}}]:</div><pre>{{.Source}}</pre></div>
{{range .Outputs}}<div class="output">{{.}}</div>
{{end}}{{end}}</div>
{{end}}</body>
</html>
`))

// plotlyBanner starts the licence comment of every plotly.js bundle: an output that holds it
// carries plotly.js itself (liveplot's first figure output in a GoNB notebook does).
const plotlyBanner = "* plotly.js v"

// Write writes nb to w as a standalone page. The page holds plotly.js (about 5 MB) once: in its
// head, unless an output carries it already.
func Write(w io.Writer, nb *jupytext.Notebook, opts Options) error {
	title := opts.Title
	if title == "" {
		title = "notebook"
	}
	data := struct {
		Title  string
		Plotly template.JS
		Cells  []cellView
	}{Title: title, Plotly: plotlyjs.InlineScript()}
	for _, cell := range nb.Cells {
		v := cellView{Kind: cell.CellType, Source: cell.Source}
		switch cell.CellType {
		case "markdown":
			v.Markdown = Markdown(cell.Source)
		case "code":
			v.Prompt = " "
			if n, ok := cell.Other.Get("execution_count"); ok && n != nil {
				v.Prompt = fmt.Sprint(n)
			}
			outs, _ := cell.Other.Get("outputs")
			list, _ := outs.([]any)
			for _, o := range list {
				if m, ok := o.(*jupytext.Map); ok {
					v.Outputs = append(v.Outputs, Output(m))
				}
			}
		}
		data.Cells = append(data.Cells, v)
	}
	for _, c := range data.Cells {
		for _, out := range c.Outputs {
			if strings.Contains(string(out), plotlyBanner) {
				data.Plotly = ""
			}
		}
	}
	if err := page.Execute(w, data); err != nil {
		return fmt.Errorf("notebookhtml: writing the page: %w", err)
	}
	return nil
}

// Output renders one nbformat output: text/html as it is, SVG inline, PNG, JPEG and GIF images
// as data URIs, text (streams, text/plain, markdown, errors) escaped in a <pre>.
func Output(o *jupytext.Map) template.HTML {
	esc := template.HTMLEscapeString
	switch o.String("output_type") {
	case "stream":
		class := "stream"
		if o.String("name") == "stderr" {
			class += " stderr"
		}
		return template.HTML(`<pre class="` + class + `">` + esc(o.Text("text")) + `</pre>`) //nolint:gosec // escaped
	case "error":
		tb, _ := o.Get("traceback")
		var lines []string
		if list, ok := tb.([]any); ok {
			for _, l := range list {
				if s, ok := l.(string); ok {
					lines = append(lines, s)
				}
			}
		}
		msg := strings.Join(lines, "\n")
		if msg == "" {
			msg = o.String("ename") + ": " + o.String("evalue")
		}
		return template.HTML(`<pre class="error">` + esc(stripANSI(msg)) + `</pre>`) //nolint:gosec // escaped
	case "display_data", "execute_result":
		data := o.Sub("data")
		if s := data.Text("text/html"); s != "" {
			return template.HTML(s) //nolint:gosec // a notebook output is shown as the notebook shows it
		}
		if s := data.Text("image/svg+xml"); s != "" {
			return template.HTML(s) //nolint:gosec // as Jupyter shows it
		}
		for _, mime := range []string{"image/png", "image/jpeg", "image/gif"} {
			if s := data.Text(mime); s != "" {
				b64 := strings.Join(strings.Fields(s), "")
				return template.HTML(`<img src="data:` + mime + `;base64,` + esc(b64) + `">`) //nolint:gosec // escaped
			}
		}
		for _, mime := range []string{"text/markdown", "text/plain"} {
			if s := data.Text(mime); s != "" {
				return template.HTML(`<pre>` + esc(stripANSI(s)) + `</pre>`) //nolint:gosec // escaped
			}
		}
	}
	return ""
}

var ansi = regexp.MustCompile("\x1b\\[[0-9;?]*[ -/]*[@-~]")

// stripANSI removes terminal colour codes, which kernels put in tracebacks.
func stripANSI(s string) string { return ansi.ReplaceAllString(s, "") }

var heading = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*#*\s*$`)

// Markdown renders a small subset of Markdown, everything escaped: ATX headings, fenced code
// blocks and paragraphs (lines joined, blank lines between). Anything else shows as its text.
func Markdown(src string) template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	var para []string
	flush := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + esc(strings.Join(para, "\n")) + "</p>\n")
			para = nil
		}
	}
	lines := strings.Split(src, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			flush()
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			flush()
			fence := trimmed[:3]
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), fence); i++ {
				code = append(code, lines[i])
			}
			b.WriteString("<pre><code>" + esc(strings.Join(code, "\n")) + "</code></pre>\n")
		case heading.MatchString(trimmed):
			flush()
			m := heading.FindStringSubmatch(trimmed)
			n := len(m[1])
			fmt.Fprintf(&b, "<h%d>%s</h%d>\n", n, esc(m[2]), n)
		default:
			para = append(para, line)
		}
	}
	flush()
	return template.HTML(b.String()) //nolint:gosec // every text escaped above
}
