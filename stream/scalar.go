package stream

import (
	"fmt"
	"math"
	"reflect"
	"time"
)

// kind is the kind of a scalar: what one value of a streamed array is.
type kind uint8

const (
	kindNull   kind = iota // a gap: nil, NaN, ±Inf
	kindFloat              // every Go number
	kindTime               // a time.Time, sent as a plotly date string
	kindString             // a string
	kindBool               // a bool
)

// scalar is one value of a streamed array, in a form that needs no interface.
type scalar struct {
	kind kind
	b    bool
	f    float64
	s    string
	t    time.Time
}

func floatScalar(f float64) scalar {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return scalar{kind: kindNull}
	}
	return scalar{kind: kindFloat, f: f}
}

// toScalar converts a value that a write appends. It fails for values that are not scalars: a
// slice is an overwrite, and maps, structs, channels, funcs and pointers are not values.
func toScalar(v any) (scalar, error) {
	switch v := v.(type) {
	case nil:
		return scalar{}, nil
	case float64:
		return floatScalar(v), nil
	case float32:
		return floatScalar(float64(v)), nil
	case int:
		return scalar{kind: kindFloat, f: float64(v)}, nil
	case int64:
		return scalar{kind: kindFloat, f: float64(v)}, nil
	case int32:
		return scalar{kind: kindFloat, f: float64(v)}, nil
	case uint:
		return scalar{kind: kindFloat, f: float64(v)}, nil
	case uint64:
		return scalar{kind: kindFloat, f: float64(v)}, nil
	case time.Time:
		return scalar{kind: kindTime, t: v}, nil
	case string:
		return scalar{kind: kindString, s: v}, nil
	case bool:
		return scalar{kind: kindBool, b: v}, nil
	}
	return reflectScalar(reflect.ValueOf(v))
}

// reflectScalar converts values of named scalar types (type Celsius float64) and small ints.
func reflectScalar(rv reflect.Value) (scalar, error) {
	switch rv.Kind() {
	case reflect.Invalid:
		return scalar{}, nil
	case reflect.Float32, reflect.Float64:
		return floatScalar(rv.Float()), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return scalar{kind: kindFloat, f: float64(rv.Int())}, nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return scalar{kind: kindFloat, f: float64(rv.Uint())}, nil
	case reflect.String:
		return scalar{kind: kindString, s: rv.String()}, nil
	case reflect.Bool:
		return scalar{kind: kindBool, b: rv.Bool()}, nil
	case reflect.Interface:
		if rv.IsNil() {
			return scalar{}, nil
		}
		return toScalar(rv.Elem().Interface())
	case reflect.Struct:
		if t, ok := rv.Interface().(time.Time); ok {
			return scalar{kind: kindTime, t: t}, nil
		}
	}
	return scalar{}, fmt.Errorf("a %s is not a value: write a number, string, bool, time.Time or nil to append one value, or a slice to overwrite the array", rv.Type())
}
