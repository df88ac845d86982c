package stream

import (
	"math"
	"time"
)

// columnKind is how a column stores its values. A column takes the kind of its first value and
// falls back to generic storage when a value of another kind arrives.
type columnKind uint8

const (
	columnEmpty   columnKind = iota
	columnFloat              // float64; NaN is a gap
	columnTime               // int64 Unix nanoseconds in one location; noTime is a gap
	columnString             // string; a time is stored as its plotly date string
	columnGeneric            // any scalar
)

// noTime marks a gap in a time column.
const noTime = math.MinInt64

// column is the window of one streamed array: typed storage so that a window of (time, float64)
// points costs 16 bytes a point.
type column struct {
	kind    columnKind
	max     int
	floats  ring[float64]
	times   ring[int64]
	loc     *time.Location // of every time in times
	zone    zoneCache      // of loc, for encoding
	strings ring[string]
	generic ring[scalar]
}

func newColumn(maxPoints int) *column {
	c := &column{max: maxPoints}
	c.floats.max, c.times.max, c.strings.max, c.generic.max = maxPoints, maxPoints, maxPoints, maxPoints
	return c
}

func (c *column) len() int {
	switch c.kind {
	case columnFloat:
		return c.floats.len()
	case columnTime:
		return c.times.len()
	case columnString:
		return c.strings.len()
	case columnGeneric:
		return c.generic.len()
	}
	return 0
}

// reset empties the column; its next value chooses its kind again.
func (c *column) reset() {
	c.floats.reset()
	c.times.reset()
	c.strings.reset()
	c.generic.reset()
	c.kind, c.loc = columnEmpty, nil
}

// pushFloat appends f without building a scalar: the fast path of number writes.
func (c *column) pushFloat(f float64) {
	if c.kind == columnEmpty {
		c.kind = columnFloat
	}
	if c.kind == columnFloat {
		c.floats.push(f)
		return
	}
	c.push(floatScalar(f))
}

// pushTime appends t: the fast path of time writes.
func (c *column) pushTime(t time.Time) {
	if c.kind == columnEmpty {
		c.kind, c.loc = columnTime, t.Location()
	}
	if c.kind == columnTime {
		c.times.push(t.UnixNano())
		return
	}
	c.push(scalar{kind: kindTime, t: t})
}

// push appends v, changing the column to generic storage when v does not fit its kind.
func (c *column) push(v scalar) {
	if c.kind == columnEmpty {
		switch v.kind {
		case kindFloat, kindNull:
			c.kind = columnFloat
		case kindTime:
			c.kind, c.loc = columnTime, v.t.Location()
		case kindString:
			c.kind = columnString
		default:
			c.kind = columnGeneric
		}
	}
	switch {
	case c.kind == columnFloat && v.kind == kindFloat:
		c.floats.push(v.f)
	case c.kind == columnFloat && v.kind == kindNull:
		c.floats.push(math.NaN())
	case c.kind == columnTime && v.kind == kindTime:
		c.times.push(v.t.UnixNano())
	case c.kind == columnTime && v.kind == kindNull:
		c.times.push(noTime)
	case c.kind == columnString && v.kind == kindString:
		c.strings.push(v.s)
	case c.kind == columnString && v.kind == kindTime:
		c.strings.push(string(appendPlotlyDate(nil, v.t)))
	case c.kind == columnGeneric:
		c.generic.push(v)
	default:
		c.toGeneric()
		c.generic.push(v)
	}
}

// toGeneric moves the column's values to generic storage.
func (c *column) toGeneric() {
	n := c.len()
	for i := 0; i < n; i++ {
		c.generic.push(c.at(i))
	}
	c.floats.reset()
	c.times.reset()
	c.strings.reset()
	c.kind = columnGeneric
}

// at returns the i-th value, oldest first.
func (c *column) at(i int) scalar {
	switch c.kind {
	case columnFloat:
		return floatScalar(c.floats.at(i))
	case columnTime:
		if ns := c.times.at(i); ns != noTime {
			return scalar{kind: kindTime, t: time.Unix(0, ns).In(c.loc)}
		}
		return scalar{}
	case columnString:
		return scalar{kind: kindString, s: c.strings.at(i)}
	case columnGeneric:
		return c.generic.at(i)
	}
	return scalar{}
}

// appendJSON appends the values from the from-th to the newest as a JSON array.
func (c *column) appendJSON(b []byte, from int) []byte {
	b = append(b, '[')
	b = c.appendValues(b, from, c.len(), from)
	return append(b, ']')
}

// appendValues appends the values from the from-th to the one before the to-th, as JSON
// separated by commas: a comma before each but the first, the first-th, of the array.
func (c *column) appendValues(b []byte, from, to, first int) []byte {
	for i := from; i < to; i++ {
		if i > first {
			b = append(b, ',')
		}
		switch c.kind {
		case columnFloat:
			b = appendFloat(b, c.floats.at(i))
		case columnTime:
			if ns := c.times.at(i); ns != noTime {
				if c.zone.loc != c.loc {
					c.zone = zoneCache{loc: c.loc}
				}
				b = appendUnixNano(b, ns, &c.zone)
			} else {
				b = append(b, "null"...)
			}
		case columnString:
			b = appendString(b, c.strings.at(i))
		default:
			b = appendScalar(b, c.generic.at(i))
		}
	}
	return b
}
