package stream

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"
)

// op is what a write does to one array.
type op uint8

const (
	appendOne   op = iota // append one value (a number write)
	appendMany            // append values (Extend)
	replaceMany           // overwrite the array (a list write)
)

// field is a write's change to one array, checked before anything is applied, so that a bad
// write changes nothing.
type field struct {
	path string
	op   op
	one  scalar
	many values
}

// parseValue turns the value written to path into a field: a slice overwrites, anything else
// must be a value and appends.
func parseValue(path string, v any) (field, error) {
	vs, isSlice, err := toValues(v)
	if err != nil {
		return field{}, fmt.Errorf("stream: %s: %w", path, err)
	}
	if isSlice {
		return field{path: path, op: replaceMany, many: vs}, nil
	}
	s, err := toScalar(v)
	if err != nil {
		return field{}, fmt.Errorf("stream: %s: %w", path, err)
	}
	return field{path: path, op: appendOne, one: s}, nil
}

// parseWrite turns what Write is given into fields, appended to fields.
func parseWrite(v any, fields []field) ([]field, error) {
	switch v := v.(type) {
	case Point:
		return parsePoint(&v, fields)
	case *Point:
		if v == nil {
			return nil, errors.New("stream: cannot write a nil *Point")
		}
		return parsePoint(v, fields)
	case map[string]any:
		for path, x := range v {
			f, err := parseValue(path, x)
			if err != nil {
				return nil, err
			}
			fields = append(fields, f)
		}
		sortFields(fields)
		return fields, nil
	case nil:
		return nil, errors.New("stream: cannot write nil: write a stream.Point, a struct, or a map[string]any keyed by attribute path")
	case time.Time:
		return nil, errors.New("stream: cannot write a time.Time alone: it is a value of an array; write stream.Point{X: t, Y: y}")
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() && rv.Elem().Kind() == reflect.Struct {
		rv = rv.Elem()
	}
	switch {
	case rv.Kind() == reflect.Struct:
		for _, sf := range structFields(rv.Type()) {
			fv := rv.FieldByIndex(sf.index)
			if sf.omitEmpty && fv.IsZero() {
				continue
			}
			f, err := parseValue(sf.path, fv.Interface())
			if err != nil {
				return nil, err
			}
			fields = append(fields, f)
		}
		return fields, nil
	case rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String:
		for it := rv.MapRange(); it.Next(); {
			f, err := parseValue(it.Key().String(), it.Value().Interface())
			if err != nil {
				return nil, err
			}
			fields = append(fields, f)
		}
		sortFields(fields)
		return fields, nil
	}
	return nil, fmt.Errorf("stream: cannot write a %T: write a stream.Point, a struct, or a map[string]any keyed by attribute path", v)
}

func parsePoint(p *Point, fields []field) ([]field, error) {
	for _, pv := range [...]struct {
		path string
		v    any
	}{{"x", p.X}, {"y", p.Y}, {"z", p.Z}, {"text", p.Text}, {"marker.color", p.Color}} {
		if pv.v == nil {
			continue
		}
		f, err := parseValue(pv.path, pv.v)
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	return fields, nil
}

// structField is an exported field of a struct that Write is given, and the path it feeds.
type structField struct {
	index     []int
	path      string
	omitEmpty bool
}

var structFieldCache sync.Map // reflect.Type -> []structField

// structFields returns the fields of t by their JSON name (the json tag, else the lower-cased
// field name); fields tagged "-" are left out.
func structFields(t reflect.Type) []structField {
	if cached, ok := structFieldCache.Load(t); ok {
		return cached.([]structField)
	}
	var out []structField
	for _, sf := range reflect.VisibleFields(t) {
		if !sf.IsExported() || sf.Anonymous {
			continue
		}
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" && opts == "" {
			continue
		}
		if name == "" {
			name = strings.ToLower(sf.Name)
		}
		out = append(out, structField{index: sf.Index, path: name, omitEmpty: strings.Contains(","+opts+",", ",omitempty,")})
	}
	structFieldCache.Store(t, out)
	return out
}

// sortFields orders the fields of a map by path, so that a write's errors do not depend on
// map order.
func sortFields(fields []field) {
	slices.SortFunc(fields, func(a, b field) int { return strings.Compare(a.path, b.path) })
}

// checkLengths fails when the slices of one write differ in length.
func checkLengths(fields []field) error {
	first := -1
	for i, f := range fields {
		if f.op == appendOne {
			continue
		}
		if first < 0 {
			first = i
			continue
		}
		if f.many.n != fields[first].many.n {
			return fmt.Errorf("stream: mismatched lengths in one write: %s has %d values, %s has %d", fields[first].path, fields[first].many.n, f.path, f.many.n)
		}
	}
	return nil
}

// points returns how many points the fields write: the length of their slices, or 1.
func points(fields []field) int {
	n := 0
	for _, f := range fields {
		switch f.op {
		case appendOne:
			n = max(n, 1)
		default:
			n = max(n, f.many.n)
		}
	}
	return n
}
