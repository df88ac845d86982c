package kernelext

import (
	"encoding/gob"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// A JSON value of a MIME bundle travels to GoNB's kernel decoded, as the maps and slices of
// encoding/json, inside the gob stream of GoNB's pipe: gob must know these types (the kernel
// registers them too), and the kernel then encodes them into the Jupyter message as a JSON object
// (or array), as Jupyter requires for JSON types. Registering a type twice under its own name is
// harmless, so other code of the program may register them as well.
func init() {
	gob.Register(map[string]any{})
	gob.Register([]any{})
}

// gonbBundle returns the MIME bundle of an output for GoNB: html as text/html, and each entry of
// data by its kind (see Output.Data): JSON types decoded, text types as strings, other types as
// bytes, which the kernel (encoding/json) writes as base64, as Jupyter stores images.
func gonbBundle(html string, data map[string][]byte) (map[protocol.MIMEType]any, error) {
	bundle := make(map[protocol.MIMEType]any, len(data)+1)
	for mime, value := range data {
		switch {
		case mime == string(protocol.MIMETextHTML):
			continue
		case isJSONMIME(mime):
			var v any
			if err := json.Unmarshal(value, &v); err != nil {
				return nil, fmt.Errorf("kernelext: the output's %s is not JSON: %w", mime, err)
			}
			bundle[protocol.MIMEType(mime)] = v
		case strings.HasPrefix(mime, "text/"):
			bundle[protocol.MIMEType(mime)] = string(value)
		default:
			bundle[protocol.MIMEType(mime)] = value
		}
	}
	bundle[protocol.MIMETextHTML] = html
	return bundle, nil
}

// isJSONMIME reports whether a MIME type holds JSON: application/json, or a +json type such as
// application/vnd.plotly.v1+json.
func isJSONMIME(mime string) bool {
	base, _, _ := strings.Cut(mime, ";")
	return base == "application/json" || strings.HasSuffix(base, "+json")
}

// displayGoNB sends a bundle to the kernel: as a new output, or, with an ID, in place of the
// output of that ID (GoNB sends update_display_data once the kernel has seen the ID).
func displayGoNB(id string, bundle map[protocol.MIMEType]any) {
	if !gonbui.IsNotebook {
		return
	}
	data := &protocol.DisplayData{Data: bundle}
	if id != "" {
		data.DisplayID = "liveplot-" + id
	}
	gonbui.SendData(data)
}
