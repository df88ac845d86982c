package stream

import (
	"fmt"
	"reflect"
	"time"
)

// source says which slice a values holds.
type source uint8

const (
	fromFloats source = iota + 1
	fromTimes
	fromInts
	fromStrings
	fromReflect // any other slice or array, []any included
)

// values is a slice that a write gives. The common slice types are read without reflection.
type values struct {
	src   source
	n     int
	slice any // the slice itself, of the type src names, or any slice for fromReflect
}

// toValues returns v as values when v is a slice or an array, checking that each element is a
// value. ok is false when v is not a slice.
func toValues(v any) (vs values, ok bool, err error) {
	switch v := v.(type) {
	case []float64:
		return values{src: fromFloats, n: len(v), slice: v}, true, nil
	case []time.Time:
		return values{src: fromTimes, n: len(v), slice: v}, true, nil
	case []int:
		return values{src: fromInts, n: len(v), slice: v}, true, nil
	case []string:
		return values{src: fromStrings, n: len(v), slice: v}, true, nil
	case nil, float64, int, string, time.Time, bool:
		return values{}, false, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return values{}, false, nil
	}
	for i := range rv.Len() {
		if _, err := reflectScalar(rv.Index(i)); err != nil {
			return values{}, true, fmt.Errorf("element %d: %w", i, err)
		}
	}
	return values{src: fromReflect, n: rv.Len(), slice: v}, true, nil
}

// pushValues appends vs to c. When vs is longer than the window only its newest values are
// read: the window would drop the others.
func (c *column) pushValues(vs values) {
	from := 0
	if c.max > 0 && vs.n > c.max {
		from = vs.n - c.max
	}
	switch vs.src {
	case fromFloats:
		for _, f := range vs.slice.([]float64)[from:] {
			c.pushFloat(f)
		}
	case fromTimes:
		for _, t := range vs.slice.([]time.Time)[from:] {
			c.pushTime(t)
		}
	case fromInts:
		for _, n := range vs.slice.([]int)[from:] {
			c.pushFloat(float64(n))
		}
	case fromStrings:
		for _, s := range vs.slice.([]string)[from:] {
			c.push(scalar{kind: kindString, s: s})
		}
	case fromReflect:
		rv := reflect.ValueOf(vs.slice)
		for i := from; i < vs.n; i++ {
			v, _ := reflectScalar(rv.Index(i)) // checked by toValues
			c.push(v)
		}
	}
}
