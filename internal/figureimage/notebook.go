package figureimage

import (
	"context"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/liveplot/liveplot/internal/randid"
	"github.com/liveplot/liveplot/jupytext"
	"github.com/liveplot/liveplot/plotly"
)

//go:embed fallback.js
var fallbackJS string

// figureTimeout bounds the drawing of one figure: 100,000 points take about 6 s on a busy
// machine.
const figureTimeout = 2 * time.Minute

// imageClass marks the picture that AddImages puts before a figure output's HTML.
const imageClass = "liveplot-image"

// AddImages draws every figure output of nb (a display_data or execute_result that holds
// plotly.MIMEType) with r, and adds the picture to the output in two places:
//   - as image/png, which image-only viewers and converters (nbconvert to PDF) show;
//   - as an <img> at the start of the output's text/html, removed by a script where scripts
//     run. Viewers that sanitize HTML (an untrusted notebook in Jupyter, nbconvert with
//     sanitize_html, nbconvert to Markdown) still choose text/html over image/png: there the
//     picture is what remains.
//
// An output drawn before is drawn again, in place of its old picture. AddImages returns how many
// figures it drew; it stops at the first figure it cannot draw.
func AddImages(ctx context.Context, nb *jupytext.Notebook, r *Renderer) (int, error) {
	drawn := 0
	for _, f := range figureOutputs(nb) {
		raw, err := json.Marshal(f.figure)
		if err != nil {
			return drawn, fmt.Errorf("figureimage: %s: the figure is not JSON: %w", f.where, err)
		}
		fctx, cancel := context.WithTimeout(ctx, figureTimeout)
		img, err := r.Render(fctx, raw)
		cancel()
		if err != nil {
			return drawn, fmt.Errorf("%s: %w", f.where, err)
		}
		b64 := base64.StdEncoding.EncodeToString(img.PNG)
		f.data.Set("image/png", b64)
		if html := f.data.Text("text/html"); html != "" {
			f.data.Set("text/html", withImage(withoutImage(html), b64, img, f.data.Text("text/plain")))
		}
		drawn++
	}
	return drawn, nil
}

// CountFigures returns how many figure outputs nb has: how many AddImages would draw.
func CountFigures(nb *jupytext.Notebook) int { return len(figureOutputs(nb)) }

// figureOutput is an output that holds a plotly figure.
type figureOutput struct {
	where  string        // "cell 3, output 0"
	data   *jupytext.Map // the output's MIME bundle
	figure any           // its plotly.MIMEType value
}

// figureOutputs returns the display_data and execute_result outputs of nb that hold a plotly
// figure, in order.
func figureOutputs(nb *jupytext.Notebook) []figureOutput {
	var found []figureOutput
	for i, cell := range nb.Cells {
		outputs, _ := cell.Other.Get("outputs")
		list, _ := outputs.([]any)
		for j, o := range list {
			out, ok := o.(*jupytext.Map)
			if !ok {
				continue
			}
			if t := out.String("output_type"); t != "display_data" && t != "execute_result" {
				continue
			}
			data := out.Sub("data")
			if figure, ok := data.Get(plotly.MIMEType); ok {
				found = append(found, figureOutput{fmt.Sprintf("cell %d, output %d", i, j), data, figure})
			}
		}
	}
	return found
}

// withImage puts the picture before html, with the script that removes it where scripts run.
func withImage(html, b64 string, img Image, alt string) string {
	elem := imageClass + "-" + randid.Hex(8)
	idJSON, _ := json.Marshal(elem)
	return fmt.Sprintf(`<img class="%s" id="%s" width="%d" height="%d" alt="%s" src="data:image/png;base64,%s">`+
		"<script>%s(%s);</script>\n%s",
		imageClass, elem, img.Width, img.Height, template.HTMLEscapeString(alt), b64, fallbackJS, idJSON, html)
}

// withoutImage removes the picture that withImage put before html, if any.
func withoutImage(html string) string {
	if !strings.HasPrefix(html, `<img class="`+imageClass+`"`) {
		return html
	}
	_, rest, ok := strings.Cut(html, "</script>\n")
	if !ok {
		return html
	}
	return rest
}
