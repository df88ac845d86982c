package notebookrun

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/liveplot/liveplot/internal/jupyter"
	"github.com/liveplot/liveplot/jupytext"
)

// outputMap returns a recorded output in nbformat 4 layout, as a jupytext value: the keys each
// output type requires, and nothing nbformat does not know (the transient display id is not
// saved).
func outputMap(o jupyter.Output) *jupytext.Map {
	m := jupytext.NewMap()
	m.Set("output_type", o.OutputType)
	switch o.OutputType {
	case "stream":
		m.Set("name", o.Name)
		m.Set("text", o.Text)
	case "display_data", "execute_result":
		if o.OutputType == "execute_result" {
			count := any(nil)
			if o.ExecutionCount != nil {
				count = jupytext.Number(fmt.Sprint(*o.ExecutionCount))
			}
			m.Set("execution_count", count)
		}
		m.Set("data", jsonMap(o.Data))
		m.Set("metadata", jsonMap(o.Metadata))
	case "error":
		m.Set("ename", o.EName)
		m.Set("evalue", o.EValue)
		tb := make([]any, len(o.Traceback))
		for i, line := range o.Traceback {
			tb[i] = line
		}
		m.Set("traceback", tb)
	}
	return m
}

// jsonMap converts a decoded JSON object (a mime bundle or its metadata) into a jupytext Map,
// through JSON, so that numbers and nesting follow jupytext's model. A value that cannot be
// encoded (it came from JSON, so none should) leaves an empty object.
func jsonMap(v map[string]any) *jupytext.Map {
	if len(v) == 0 {
		return jupytext.NewMap()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return jupytext.NewMap()
	}
	parsed, err := jupytext.ParseJSON(b.Bytes())
	if m, ok := parsed.(*jupytext.Map); ok && err == nil {
		return m
	}
	return jupytext.NewMap()
}
