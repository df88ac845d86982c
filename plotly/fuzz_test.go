package plotly

import (
	"encoding/json"
	"testing"
)

// FuzzValidateJSON checks that no JSON figure, however malformed, makes Validate panic.
func FuzzValidateJSON(f *testing.F) {
	for _, seed := range []string{
		`{"data":[{"type":"scatter","x":[1,2],"y":[1],"mode":"lines+markers"}]}`,
		`{"data":[{"type":"heatmap","z":[[1],[2,3]],"x":[1],"colorscale":[[0,"red"],[1]]}],"layout":{"xaxis2":{"range":[[1]]}}}`,
		`{"data":[{"type":"pie","labels":[],"values":null}],"layout":{"grid":{"subplots":[["xy",1]]},"annotations":[null,1]}}`,
		`{"data":[null],"config":{"edits":3}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		_ = Validate(v)
	})
}
