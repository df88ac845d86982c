package jupytext

import "strings"

// MarshalJSON encodes m as compact JSON, keys in their order, as Python's json.dumps does (so a
// value read from a notebook can be handed on, e.g. a JSON output to a renderer). A Number that
// JSON cannot hold (NaN, Infinity) makes encoding/json report an error.
func (m *Map) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	writeCompactJSON(&b, m)
	return []byte(b.String()), nil
}

// Text returns the string at key, joining a list of lines as nbformat stores multi-line strings
// (a source, a stream's text, a text/html output); "" when there is none.
func (m *Map) Text(key string) string {
	switch v := m.value(key).(type) {
	case string:
		return v
	case []any:
		var b strings.Builder
		for _, l := range v {
			if s, ok := l.(string); ok {
				b.WriteString(s)
			}
		}
		return b.String()
	}
	return ""
}
