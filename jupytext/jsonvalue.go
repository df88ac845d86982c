package jupytext

import "fmt"

// ParseJSON parses one JSON value into the values a Map holds (nil, bool,
// Number, string, []any and *Map), the way ReadIPYNB reads them. Use it to
// put JSON from elsewhere, such as the content of a kernel message, into a
// Notebook: object keys keep their order, numbers their Python text form.
func ParseJSON(data []byte) (any, error) {
	v, err := parseJSON(string(data))
	if err != nil {
		return nil, fmt.Errorf("jupytext: parsing JSON value: %w", err)
	}
	return v, nil
}
