package figure

import (
	"fmt"
	"strings"
)

// JSONKind names the kind of a generic JSON value, for messages.
func JSONKind(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return fmt.Sprintf("the string %q", truncate(v, 40))
	case float64:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	}
	return fmt.Sprintf("a %T", v)
}

// truncate shortens s to at most n bytes (plus "...").
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

// SetAttrPath sets m's attribute at path "a.b.c" (m["a"]["b"]["c"]) to v, making the objects on
// the way. A path with an empty name is an error. So is a path through an attribute that is not
// an object, unless replace is set: then that value gives way to an object, as plotly.js's
// relayout and restyle do (a template "plotly_dark" relayout to template.layout.font.size).
func SetAttrPath(m map[string]any, path string, v any, replace bool) error {
	if err := checkAttrPath(path); err != nil {
		return err
	}
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if i == len(parts)-1 {
			m[p] = v
			return nil
		}
		switch next := m[p].(type) {
		case map[string]any:
			m = next
		default:
			if next != nil && !replace {
				return fmt.Errorf("attribute %q: %s is not an object", path, strings.Join(parts[:i+1], "."))
			}
			n := map[string]any{}
			m[p] = n
			m = n
		}
	}
	return nil
}

// checkAttrPath fails for a path with an empty name ("a..b", ".a", "").
func checkAttrPath(path string) error {
	for p := range strings.SplitSeq(path, ".") {
		if p == "" {
			return fmt.Errorf("attribute %q: empty name in path", path)
		}
	}
	return nil
}
