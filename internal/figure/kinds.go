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
// the way. A path with an empty name, or through an attribute that is not an object, is an error.
func SetAttrPath(m map[string]any, path string, v any) error {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if p == "" {
			return fmt.Errorf("attribute %q: empty name in path", path)
		}
		if i == len(parts)-1 {
			m[p] = v
			return nil
		}
		switch next := m[p].(type) {
		case map[string]any:
			m = next
		case nil:
			n := map[string]any{}
			m[p] = n
			m = n
		default:
			return fmt.Errorf("attribute %q: %s is not an object", path, strings.Join(parts[:i+1], "."))
		}
	}
	return nil
}
