// Package htmlpicture puts a picture of an output (a PNG) at the start of the output's HTML, for
// viewers that choose text/html but run no scripts (an untrusted notebook in JupyterLab, nbconvert
// with sanitize_html, nbconvert to Markdown): they strip the scripts and keep the <img>. Where
// scripts run, a script right after the picture removes it, and the output's own scripts show
// what they show. `liveplot images` (internal/figureimage) and the GoNB frontend (kernelext, for a
// picture the notebook page drew) both use it.
package htmlpicture

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"strings"

	"github.com/liveplot/liveplot/internal/htmlscript"
	"github.com/liveplot/liveplot/internal/randid"
)

//go:embed remove.js
var removeJS string

// Class marks the <img> that Prepend puts before an output's HTML.
const Class = "liveplot-image"

// Prepend puts the picture (a PNG, base64) of the given size before html, with the script that
// removes it where scripts run. alt describes the picture in words (the output's text/plain).
func Prepend(html, pngBase64 string, width, height int, alt string) string {
	elem := Class + "-" + randid.Hex(8)
	idJSON, _ := json.Marshal(elem)
	return fmt.Sprintf(`<img class="%s" id="%s" width="%d" height="%d" alt="%s" src="data:image/png;base64,%s">`+
		"<script>%s(%s);</script>\n%s",
		Class, elem, width, height, template.HTMLEscapeString(alt), pngBase64, htmlscript.Escape(removeJS), idJSON, html)
}

// Strip removes the picture that Prepend put before html, if any.
func Strip(html string) string {
	if !strings.HasPrefix(html, `<img class="`+Class+`"`) {
		return html
	}
	_, rest, ok := strings.Cut(html, "</script>\n")
	if !ok {
		return html
	}
	return rest
}
