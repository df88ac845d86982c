package figureimage

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"

	"github.com/liveplot/liveplot/internal/htmlpicture"
	"github.com/liveplot/liveplot/jupytext"
	"github.com/liveplot/liveplot/plotly"
)

// figureTimeout bounds the drawing of one figure: 100,000 points take about 6 s on a busy
// machine.
const figureTimeout = 2 * time.Minute

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
			f.data.Set("text/html", htmlpicture.Prepend(htmlpicture.Strip(html), b64, img.Width, img.Height, f.data.Text("text/plain")))
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
