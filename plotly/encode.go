package plotly

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/liveplot/liveplot/internal/figure"
)

// plotlyDateLayout is how time.Time values appear in figures: plotly's date string, in the
// time's own location, with the fraction's trailing zeros (and a bare dot) dropped.
const plotlyDateLayout = "2006-01-02 15:04:05.999999"

// maxEncodeDepth bounds how deeply values nest, so that a cyclic value fails instead of
// exhausting the stack.
const maxEncodeDepth = 200

// encodeError is a failure to encode a value, at a path inside it.
type encodeError struct {
	path string
	err  error
}

func (e *encodeError) Error() string {
	if e.path == "" {
		return e.err.Error()
	}
	return e.path + ": " + e.err.Error()
}

func (e *encodeError) Unwrap() error { return e.err }

// atPath prefixes err's path with the segment seg ("marker", "[3]").
func atPath(seg string, err error) error {
	var ee *encodeError
	if errors.As(err, &ee) {
		switch {
		case ee.path == "":
			return &encodeError{path: seg, err: ee.err}
		case strings.HasPrefix(ee.path, "["):
			return &encodeError{path: seg + ee.path, err: ee.err}
		default:
			return &encodeError{path: seg + "." + ee.path, err: ee.err}
		}
	}
	return &encodeError{path: seg, err: err}
}

// toJSONValue turns v into a generic JSON value: map[string]any, []any, float64, string, bool
// or nil. Unlike encoding/json it never fails on numbers: NaN and ±Inf become nil (a gap in a
// plot). time.Time becomes a plotly date string. Non-nil empty slices stay empty arrays; nil
// pointers, slices, maps and interfaces become nil. Types of this package are walked by their
// fields (with Extra merged in and "type" added to traces); other types that implement
// json.Marshaler or encoding.TextMarshaler are encoded by that method.
func toJSONValue(v any) (any, error) {
	return encodeAny(v, 0)
}

// encodeAny handles the common data types without reflection, the rest with it.
func encodeAny(v any, depth int) (any, error) {
	switch v := v.(type) {
	case nil:
		return nil, nil
	case float64:
		return finite(v), nil
	case string, bool:
		return v, nil
	case int:
		return float64(v), nil
	case time.Time:
		return v.Format(plotlyDateLayout), nil
	case []float64:
		if v == nil {
			return nil, nil
		}
		out := make([]any, len(v))
		for i, f := range v {
			out[i] = finite(f)
		}
		return out, nil
	case []int:
		if v == nil {
			return nil, nil
		}
		out := make([]any, len(v))
		for i, n := range v {
			out[i] = float64(n)
		}
		return out, nil
	case []string:
		if v == nil {
			return nil, nil
		}
		out := make([]any, len(v))
		for i, s := range v {
			out[i] = s
		}
		return out, nil
	case []time.Time:
		if v == nil {
			return nil, nil
		}
		out := make([]any, len(v))
		for i, t := range v {
			out[i] = t.Format(plotlyDateLayout)
		}
		return out, nil
	case [][]float64:
		if v == nil {
			return nil, nil
		}
		out := make([]any, len(v))
		for i, row := range v {
			r, _ := encodeAny(row, depth+1) // []float64 never fails
			out[i] = r
		}
		return out, nil
	}
	return encodeReflect(reflect.ValueOf(v), depth)
}

// finite returns f, or nil when f is NaN or infinite.
func finite(f float64) any {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return f
}

var (
	jsonMarshalerType = reflect.TypeFor[json.Marshaler]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
	traceInterface    = reflect.TypeFor[Trace]()
	timeType          = reflect.TypeFor[time.Time]()
	packagePath       = reflect.TypeFor[Figure]().PkgPath()
)

func encodeReflect(v reflect.Value, depth int) (any, error) {
	if !v.IsValid() {
		return nil, nil
	}
	if depth > maxEncodeDepth {
		return nil, fmt.Errorf("value nests more than %d levels deep (is it cyclic?)", maxEncodeDepth)
	}
	t := v.Type()
	canInterface := v.CanInterface() // false for values reached through unexported embedded fields
	if t == timeType && canInterface {
		return v.Interface().(time.Time).Format(plotlyDateLayout), nil
	}
	if (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface || t.Kind() == reflect.Map || t.Kind() == reflect.Slice) && v.IsNil() {
		return nil, nil
	}
	if canInterface && t.PkgPath() != packagePath && !(t.Kind() == reflect.Pointer && t.Elem().PkgPath() == packagePath) {
		if t.Implements(jsonMarshalerType) {
			return encodeMarshaler(v.Interface().(json.Marshaler))
		}
		if t.Kind() != reflect.Pointer && v.CanAddr() && reflect.PointerTo(t).Implements(jsonMarshalerType) {
			return encodeMarshaler(v.Addr().Interface().(json.Marshaler))
		}
		if t.Implements(textMarshalerType) {
			text, err := v.Interface().(encoding.TextMarshaler).MarshalText()
			if err != nil {
				return nil, fmt.Errorf("%s.MarshalText: %w", t, err)
			}
			return string(text), nil
		}
	}
	switch t.Kind() {
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return float64(v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return finite(v.Float()), nil
	case reflect.String:
		return v.String(), nil
	case reflect.Interface:
		if e := v.Elem(); e.CanInterface() {
			return encodeAny(e.Interface(), depth+1)
		}
		return encodeReflect(v.Elem(), depth+1)
	case reflect.Pointer:
		out, err := encodeReflect(v.Elem(), depth+1)
		if err == nil && canInterface && t.Implements(traceInterface) {
			out = withTraceType(out, v.Interface().(Trace))
		}
		return out, err
	case reflect.Slice, reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			e, err := encodeReflect(v.Index(i), depth+1)
			if err != nil {
				return nil, atPath("["+strconv.Itoa(i)+"]", err)
			}
			out[i] = e
		}
		return out, nil
	case reflect.Map:
		return encodeMap(v, depth)
	case reflect.Struct:
		out, err := encodeStruct(v, depth)
		if err == nil && canInterface && t.Implements(traceInterface) {
			out = withTraceType(out, v.Interface().(Trace))
		}
		return out, err
	}
	return nil, fmt.Errorf("unsupported value of type %s", t)
}

// withTraceType sets the "type" of an encoded trace from its TraceType.
func withTraceType(encoded any, tr Trace) any {
	if m, ok := encoded.(map[string]any); ok {
		if typ := tr.TraceType(); typ != "" {
			m["type"] = typ
		}
	}
	return encoded
}

// encodeMarshaler encodes a value by its own MarshalJSON, decoded back into a generic value.
func encodeMarshaler(m json.Marshaler) (any, error) {
	raw, err := m.MarshalJSON()
	if err != nil {
		return nil, fmt.Errorf("%T.MarshalJSON: %w", m, err)
	}
	var out any
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("%T.MarshalJSON returned invalid JSON: %w", m, err)
	}
	return out, nil
}

func encodeMap(v reflect.Value, depth int) (any, error) {
	out := make(map[string]any, v.Len())
	iter := v.MapRange()
	for iter.Next() {
		k, err := mapKey(iter.Key())
		if err != nil {
			return nil, err
		}
		e, err := encodeReflect(iter.Value(), depth+1)
		if err != nil {
			return nil, atPath(k, err)
		}
		out[k] = e
	}
	return out, nil
}

// mapKey turns a map key into a JSON object key, as encoding/json does.
func mapKey(k reflect.Value) (string, error) {
	if k.Kind() == reflect.String {
		return k.String(), nil
	}
	if k.Type().Implements(textMarshalerType) {
		text, err := k.Interface().(encoding.TextMarshaler).MarshalText()
		return string(text), err
	}
	switch k.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return strconv.FormatUint(k.Uint(), 10), nil
	}
	return "", fmt.Errorf("unsupported map key type %s", k.Type())
}

// structField is how one field of a struct is encoded.
type structField struct {
	index     []int
	name      string
	omitEmpty bool
	extra     bool // the field holds extra attributes by path (tag plotly:"extra")
}

var structFieldsCache sync.Map // reflect.Type -> []structField

// fieldsOf lists the encoded fields of struct type t, by encoding/json's tag rules (name,
// "-", omitempty, omitzero), with untagged embedded structs inlined.
func fieldsOf(t reflect.Type) []structField {
	if f, ok := structFieldsCache.Load(t); ok {
		return f.([]structField)
	}
	var fields []structField
	seen := map[string]bool{}
	var collect func(t reflect.Type, index []int)
	collect = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			sf := t.Field(i)
			idx := append(append([]int(nil), index...), i)
			if sf.Tag.Get("plotly") == "extra" {
				fields = append(fields, structField{index: idx, extra: true})
				continue
			}
			tag := sf.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if sf.Anonymous && name == "" {
				et := sf.Type
				if et.Kind() == reflect.Pointer {
					et = et.Elem()
				}
				if et.Kind() == reflect.Struct {
					collect(et, idx)
					continue
				}
			}
			if !sf.IsExported() {
				continue
			}
			if name == "" {
				name = sf.Name
			}
			if seen[name] {
				continue
			}
			seen[name] = true
			omit := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
			fields = append(fields, structField{index: idx, name: name, omitEmpty: omit})
		}
	}
	collect(t, nil)
	structFieldsCache.Store(t, fields)
	return fields
}

func encodeStruct(v reflect.Value, depth int) (any, error) {
	out := map[string]any{}
	var extra reflect.Value
	for _, f := range fieldsOf(v.Type()) {
		fv, ok := fieldByIndex(v, f.index)
		if !ok {
			continue
		}
		if f.extra {
			extra = fv
			continue
		}
		if f.omitEmpty && isEmptyValue(fv) {
			continue
		}
		e, err := encodeReflect(fv, depth+1)
		if err != nil {
			return nil, atPath(f.name, err)
		}
		if f.omitEmpty && isEmptyEncoding(e) {
			continue
		}
		out[f.name] = e
	}
	if extra.IsValid() && extra.Kind() == reflect.Map && extra.Len() > 0 {
		if err := mergeExtra(out, extra, depth); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fieldByIndex is v.FieldByIndex that reports false instead of panicking on a nil embedded
// pointer.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// isEmptyValue reports whether an omitempty field leaves its attribute unset: a nil pointer,
// interface, slice or map, a zero number, an empty string, false. Unlike encoding/json, a
// non-nil empty slice is not empty: it encodes as [] (a trace that starts with no points).
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		if v.IsNil() {
			return true
		}
		if v.Kind() == reflect.Interface {
			e := v.Elem()
			switch e.Kind() {
			case reflect.Pointer, reflect.Slice, reflect.Map:
				return e.IsNil()
			}
		}
		return false
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return v.IsZero()
	}
	return false
}

// isEmptyEncoding reports whether an omitempty struct field encoded to nothing: an object
// without keys (e.g. a zero Title).
func isEmptyEncoding(e any) bool {
	m, ok := e.(map[string]any)
	return ok && len(m) == 0
}

// mergeExtra sets out's attributes from extra, a map from attribute path ("marker.line.width")
// to value. Paths are applied shortest first, so "marker" then "marker.size" compose; an
// extra entry replaces a typed field's value at the same path.
func mergeExtra(out map[string]any, extra reflect.Value, depth int) error {
	if extra.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("extra attributes: keys must be strings, not %s", extra.Type().Key())
	}
	paths := make([]string, 0, extra.Len())
	for _, k := range extra.MapKeys() {
		paths = append(paths, k.String())
	}
	sort.Strings(paths)
	for _, path := range paths {
		val, err := encodeReflect(extra.MapIndex(reflect.ValueOf(path).Convert(extra.Type().Key())), depth+1)
		if err != nil {
			return atPath(path, err)
		}
		if err := figure.SetAttrPath(out, path, val, false); err != nil {
			return fmt.Errorf("extra %w", err)
		}
	}
	return nil
}

// marshalJSON is the MarshalJSON of this package's types: their generic JSON value, encoded.
func marshalJSON(v any) ([]byte, error) {
	tree, err := toJSONValue(v)
	if err != nil {
		return nil, fmt.Errorf("plotly: encoding %T: %w", v, err)
	}
	return json.Marshal(tree)
}
