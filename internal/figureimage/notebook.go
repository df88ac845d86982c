package figureimage

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/liveplot/liveplot/jupytext"
	"github.com/liveplot/liveplot/plotly"
)

//go:embed fallback.js
var fallbackJS string

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
	for i, cell := range nb.Cells {
		outputs, _ := cell.Other.Get("outputs")
		list, _ := outputs.([]any)
		for j, o := range list {
			out, ok := o.(*jupytext.Map)
			if !ok {
				continue
			}
			switch out.String("output_type") {
			case "display_data", "execute_result":
			default:
				continue
			}
			data := out.Sub("data")
			figure, ok := data.Get(plotly.MIMEType)
			if !ok {
				continue
			}
			raw, err := json.Marshal(figure)
			if err != nil {
				return drawn, fmt.Errorf("figureimage: cell %d, output %d: the figure is not JSON: %w", i, j, err)
			}
			img, err := r.Render(ctx, raw)
			if err != nil {
				return drawn, fmt.Errorf("cell %d, output %d: %w", i, j, err)
			}
			b64 := base64.StdEncoding.EncodeToString(img.PNG)
			data.Set("image/png", b64)
			if html := data.Text("text/html"); html != "" {
				alt := data.Text("text/plain")
				data.Set("text/html", withImage(withoutImage(html), b64, img, alt))
			}
			drawn++
		}
	}
	return drawn, nil
}

// withImage puts the picture before html, with the script that removes it where scripts run.
func withImage(html, b64 string, img Image, alt string) string {
	var id [8]byte
	_, _ = rand.Read(id[:]) // crypto/rand.Read never fails
	elem := imageClass + "-" + hex.EncodeToString(id[:])
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
