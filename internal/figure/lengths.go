package figure

import (
	"bytes"
	"encoding/json"
)

// parallelArrays are the per-point arrays of a trace that must have one value per point.
var parallelArrays = []string{"x", "y", "z", "text"}

// gridTraces are the trace types whose z may be a grid (rows of columns), with x the columns'
// and y the rows' coordinates: one per column or row, or one more (the cells' edges).
var gridTraces = map[string]bool{"heatmap": true, "contour": true}

// lengths checks that a trace's data arrays agree on how many points it has.
func (v *validator) lengths(path, typ string, trace map[string]any) {
	if rows, cols, ok := grid(trace["z"]); ok {
		if gridTraces[typ] {
			v.gridAxis(path, "x", trace["x"], cols, "columns")
			v.gridAxis(path, "y", trace["y"], rows, "rows")
		}
		return
	}
	if typ == "pie" {
		v.sameLength(path, trace, []string{"labels", "values"})
		return
	}
	v.sameLength(path, trace, parallelArrays)
}

// sameLength reports the attributes among keys whose flat arrays differ in length from the
// first such array.
func (v *validator) sameLength(path string, trace map[string]any, keys []string) {
	first, firstLen := "", 0
	for _, k := range keys {
		n, ok := flatLength(trace[k])
		if !ok {
			continue
		}
		if first == "" {
			first, firstLen = k, n
			continue
		}
		if n != firstLen {
			v.add(path+"."+k, "has %d values but %s has %d: give each point one value in each of them", n, first, firstLen)
		}
	}
}

// gridAxis checks x (or y) against a grid's column (or row) count.
func (v *validator) gridAxis(path, key string, val any, want int, what string) {
	n, ok := flatLength(val)
	if ok && n != want && n != want+1 {
		v.add(path+"."+key, "has %d values but z has %d %s: want one per %s (or %d edges)", n, want, what, what[:len(what)-1], want+1)
	}
}

// flatLength returns the length of a data array of single values; false for anything else
// (a single value, a grid, a multicategory array of arrays, a typed array).
func flatLength(val any) (int, bool) {
	if raw, ok := val.(json.RawMessage); ok { // a window a link encoded (UpdateTrace)
		return rawFlatLength(raw)
	}
	arr, ok := val.([]any)
	if !ok {
		return 0, false
	}
	if len(arr) > 0 {
		if _, nested := arr[0].([]any); nested {
			return 0, false
		}
	}
	return len(arr), true
}

// grid returns the shape of z when it is a grid: an array of rows that are arrays.
func grid(z any) (rows, cols int, ok bool) {
	arr, isArray := z.([]any)
	if !isArray || len(arr) == 0 {
		return 0, 0, false
	}
	for _, r := range arr {
		row, isRow := r.([]any)
		if !isRow {
			return 0, 0, false
		}
		cols = max(cols, len(row))
	}
	return len(arr), cols, true
}

// rawFlatLength counts the values of a flat JSON array held as text, without decoding them: the
// commas outside strings. An array that holds arrays or objects is not flat.
func rawFlatLength(raw json.RawMessage) (int, bool) {
	s := bytes.TrimSpace(raw)
	if len(s) < 2 || s[0] != '[' || s[len(s)-1] != ']' {
		return 0, false
	}
	commas, empty := 0, true
	inString, escaped := false, false
	for _, c := range s[1 : len(s)-1] {
		switch {
		case inString:
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
		case c == '"':
			inString, empty = true, false
		case c == '[' || c == '{':
			return 0, false
		case c == ',':
			commas++
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
		default:
			empty = false
		}
	}
	if empty {
		return 0, true
	}
	return commas + 1, true
}
