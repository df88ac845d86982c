package figure

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/liveplot/liveplot/internal/plotlyjs"
)

// maxValidationErrors is how many problems a ValidationErrors keeps; the rest are counted.
const maxValidationErrors = 20

// ValidationError is one problem of a figure, at the attribute path where it is.
type ValidationError struct {
	// Path is the attribute's path in the figure: "data[0].marker.colour", "layout.xaxis2.range".
	Path string
	// Message says what is wrong: `unknown attribute (did you mean "color"?)`.
	Message string
}

func (e *ValidationError) Error() string { return e.Path + ": " + e.Message }

// ValidationErrors is every problem [Validate] found in a figure: the first 20 of them, and the
// count of the others.
type ValidationErrors struct {
	Errors  []*ValidationError
	Omitted int    // problems found beyond Errors
	subject string // what was checked: "figure" (the default), "layout update"
}

func (e *ValidationErrors) Error() string {
	subject := e.subject
	if subject == "" {
		subject = "figure"
	}
	if len(e.Errors) == 1 && e.Omitted == 0 {
		return "plotly: invalid " + subject + ": " + e.Errors[0].Error()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "plotly: invalid %s, %d problems:", subject, len(e.Errors)+e.Omitted)
	for _, v := range e.Errors {
		b.WriteString("\n\t")
		b.WriteString(v.Error())
	}
	if e.Omitted > 0 {
		fmt.Fprintf(&b, "\n\t... and %d more", e.Omitted)
	}
	return b.String()
}

// Unwrap returns the problems, for errors.As.
func (e *ValidationErrors) Unwrap() []error {
	out := make([]error, len(e.Errors))
	for i, v := range e.Errors {
		out[i] = v
	}
	return out
}

// Validate checks a figure's JSON tree against the schema of the plotly.js version liveplot
// embeds (see plotly.Validate): nil or a *ValidationErrors.
func Validate(tree map[string]any) error {
	s, err := loadSchema()
	if err != nil {
		return err
	}
	v := &validator{schema: s}
	v.figure(tree)
	if len(v.errs.Errors) == 0 {
		return nil
	}
	return &v.errs
}

// ValidateRelayout checks layout updates as a stream link's Relayout takes them: attribute
// paths of the layout ("title.text", "xaxis.range") to JSON values (map[string]any, []any,
// float64, string, bool, nil). Each path must be names joined by dots, naming an attribute of
// the layout in plotly.js's schema, and its value must suit the attribute, as Validate checks a
// figure: nil or a *ValidationErrors whose paths start with "layout.".
func ValidateRelayout(update map[string]any) error {
	s, err := loadSchema()
	if err != nil {
		return err
	}
	v := &validator{schema: s, errs: ValidationErrors{subject: "layout update"}}
	for _, path := range sortedKeys(update) {
		names := strings.Split(path, ".")
		if slices.Contains(names, "") {
			v.add("layout."+path, `an attribute path is names joined by dots, like "xaxis.range": this one has an empty name`)
			continue
		}
		val := update[path]
		for i := len(names) - 1; i > 0; i-- {
			val = map[string]any{names[i]: val}
		}
		v.object("layout", s.layout, map[string]any{names[0]: val})
	}
	if len(v.errs.Errors) == 0 {
		return nil
	}
	return &v.errs
}

type validator struct {
	schema *plotSchema
	errs   ValidationErrors
}

func (v *validator) add(path, format string, args ...any) {
	if len(v.errs.Errors) >= maxValidationErrors {
		v.errs.Omitted++
		return
	}
	v.errs.Errors = append(v.errs.Errors, &ValidationError{Path: path, Message: fmt.Sprintf(format, args...)})
}

// full reports whether no more problems are wanted: enough are kept and counting more would
// mean walking the rest of a large, broken figure.
func (v *validator) full() bool { return v.errs.Omitted >= 1000 }

var figureKeyNames = []string{"animation", "config", "data", "frames", "layout"}

func (v *validator) figure(tree map[string]any) {
	for _, k := range sortedKeys(tree) {
		val := tree[k]
		switch k {
		case "data":
			traces, ok := val.([]any)
			if !ok {
				v.add("data", "want an array of traces, got %s", JSONKind(val))
				continue
			}
			for i, t := range traces {
				v.trace("data["+strconv.Itoa(i)+"]", t)
			}
		case "layout":
			v.objectValue("layout", v.schema.layout, val)
		case "config":
			v.objectValue("config", v.schema.config, val)
		case "frames", "animation":
			// Animation frames are not drawn by liveplot; plotly.js checks them itself.
		default:
			v.add(k, "unknown figure key%s: a figure has data, layout and config", didYouMean(k, figureKeyNames))
		}
	}
}

func (v *validator) trace(path string, t any) {
	m, ok := t.(map[string]any)
	if !ok {
		v.add(path, "want a trace object, got %s", JSONKind(t))
		return
	}
	typ := "scatter" // plotly.js's default
	if raw, ok := m["type"]; ok {
		s, isString := raw.(string)
		if !isString {
			v.add(path+".type", "want a trace type string, got %s", JSONKind(raw))
			return
		}
		typ = s
	}
	node, ok := v.schema.traces[typ]
	if !ok {
		v.add(path+".type", "unknown trace type %q in plotly.js %s%s", typ, plotlyjs.Version, didYouMean(typ, v.schema.traceTypes))
		return
	}
	v.object(path, node, m)
	v.lengths(path, typ, m)
}

// objectValue checks that val is an object of node's attributes.
func (v *validator) objectValue(path string, node *schemaNode, val any) {
	m, ok := val.(map[string]any)
	if !ok {
		v.add(path, "want an object, got %s", JSONKind(val))
		return
	}
	v.object(path, node, m)
}

func (v *validator) object(path string, node *schemaNode, m map[string]any) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if v.full() {
			return
		}
		p := path + "." + k
		child := node.lookup(k)
		if child == nil {
			v.add(p, "unknown attribute%s", didYouMean(k, node.names))
			continue
		}
		val := m[k]
		if val == nil && (child.spec == nil || !child.spec.notNull) {
			continue // null leaves the attribute at its default
		}
		switch {
		case child.spec != nil:
			v.value(p, child.spec, val)
		case child.item != nil:
			items, ok := val.([]any)
			if !ok {
				v.add(p, "want an array of objects, got %s", JSONKind(val))
				continue
			}
			for i, it := range items {
				if it != nil {
					v.objectValue(p+"["+strconv.Itoa(i)+"]", child.item, it)
				}
			}
		default:
			v.objectValue(p, child, val)
		}
	}
}
