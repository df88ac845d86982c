package jupytext

import (
	"encoding/json"
	"testing"
)

func TestMapMarshalJSON(t *testing.T) {
	v, err := ParseJSON([]byte(`{"b": [1, 2.5, null, true, "é<"], "a": {"x": 1e300}}`))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(raw), `{"b":[1,2.5,null,true,"\u00e9\u003c"],"a":{"x":1e+300}}`; got != want {
		t.Errorf("json.Marshal = %s, want %s", got, want)
	}
	nan, _ := ParseJSON([]byte(`{"x": NaN}`))
	if _, err := json.Marshal(nan); err == nil {
		t.Error("a NaN encoded to JSON without an error")
	}
}
