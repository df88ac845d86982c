package jupytext

import (
	"math"
	"sort"
	"strconv"
	"strings"
)

// Map is a JSON object that remembers the order in which its keys were
// added. Reading keeps the order of the file; writing an .ipynb file sorts
// the keys, as nbformat does, while cell metadata in Markdown keeps the
// insertion order, as jupytext does.
//
// Values held in a Map (and in slices within it) are nil (null), bool,
// Number, string, []any and *Map.
type Map struct {
	keys   []string
	values map[string]any
}

// NewMap returns an empty Map.
func NewMap() *Map { return &Map{values: map[string]any{}} }

// Len returns the number of keys; a nil Map has none.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	return len(m.keys)
}

// Keys returns the keys in insertion order.
func (m *Map) Keys() []string {
	if m == nil {
		return nil
	}
	return append([]string(nil), m.keys...)
}

// Get returns the value for key and whether it is present.
func (m *Map) Get(key string) (any, bool) {
	if m == nil {
		return nil, false
	}
	v, ok := m.values[key]
	return v, ok
}

// value returns the value of key, nil when absent.
func (m *Map) value(key string) any {
	v, _ := m.Get(key)
	return v
}

// Has tells whether key is present.
func (m *Map) Has(key string) bool {
	_, ok := m.Get(key)
	return ok
}

// Set sets key to value; a new key goes last.
func (m *Map) Set(key string, value any) {
	if m.values == nil {
		m.values = map[string]any{}
	}
	if _, ok := m.values[key]; !ok {
		m.keys = append(m.keys, key)
	}
	m.values[key] = value
}

// Delete removes key, if present.
func (m *Map) Delete(key string) {
	if m == nil {
		return
	}
	if _, ok := m.values[key]; !ok {
		return
	}
	delete(m.values, key)
	for i, k := range m.keys {
		if k == key {
			m.keys = append(m.keys[:i:i], m.keys[i+1:]...)
			break
		}
	}
}

// String returns the value of key if it is a string, else "".
func (m *Map) String(key string) string {
	v, _ := m.Get(key)
	s, _ := v.(string)
	return s
}

// Sub returns the value of key if it is a *Map, else nil.
func (m *Map) Sub(key string) *Map {
	v, _ := m.Get(key)
	sub, _ := v.(*Map)
	return sub
}

// SubOrNew returns the *Map under key, creating it (or replacing a
// non-object value) when needed.
func (m *Map) SubOrNew(key string) *Map {
	if sub := m.Sub(key); sub != nil {
		return sub
	}
	sub := NewMap()
	m.Set(key, sub)
	return sub
}

// sortedKeys returns the keys in code point order, the order of Python's
// sorted() on str.
func (m *Map) sortedKeys() []string {
	keys := m.Keys()
	sort.Strings(keys)
	return keys
}

// Clone returns a deep copy of m.
func (m *Map) Clone() *Map {
	if m == nil {
		return nil
	}
	c := &Map{keys: append([]string(nil), m.keys...), values: make(map[string]any, len(m.values))}
	for k, v := range m.values {
		c.values[k] = cloneValue(v)
	}
	return c
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case *Map:
		return v.Clone()
	case []any:
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = cloneValue(e)
		}
		return c
	default:
		return v
	}
}

// Number is a JSON number, kept as its Python text form: an integer as its
// digits, a float as Python's repr writes it (1.0, 1e-05, 1e+16), and NaN,
// Infinity, -Infinity as Python's json module writes them.
type Number string

// IsInt tells whether n is an integer rather than a float.
func (n Number) IsInt() bool {
	s := string(n)
	return s != "" && !strings.ContainsAny(s, ".eEnNI")
}

// numberFromJSON normalises a JSON number literal as Python's json module
// would read and write it back.
func numberFromJSON(lit string) Number {
	switch lit {
	case "NaN", "Infinity", "-Infinity":
		return Number(lit)
	}
	if !strings.ContainsAny(lit, ".eE") {
		if lit == "-0" {
			return "0"
		}
		return Number(lit)
	}
	f, err := strconv.ParseFloat(lit, 64)
	if err != nil { // out of range: Python gives inf
		if strings.HasPrefix(lit, "-") {
			return "-Infinity"
		}
		return "Infinity"
	}
	return floatNumber(f)
}

// floatNumber returns the Number for a float64.
func floatNumber(f float64) Number {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return Number(pythonFloatRepr(f))
}

// pythonFloatRepr formats a finite float the way Python's repr() does:
// shortest round-trip digits, positional notation for exponents from -4 to
// 15, scientific notation with at least two exponent digits otherwise.
func pythonFloatRepr(f float64) string {
	s := strconv.FormatFloat(f, 'e', -1, 64) // d.ddde±XX
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	mantissa, expText, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expText)
	digits := strings.Replace(mantissa, ".", "", 1)
	if -4 <= exp && exp < 16 {
		var b strings.Builder
		b.WriteString(sign)
		if exp < 0 {
			b.WriteString("0.")
			b.WriteString(strings.Repeat("0", -exp-1))
			b.WriteString(digits)
			return b.String()
		}
		if len(digits) <= exp+1 {
			b.WriteString(digits)
			b.WriteString(strings.Repeat("0", exp+1-len(digits)))
			b.WriteString(".0")
			return b.String()
		}
		b.WriteString(digits[:exp+1])
		b.WriteByte('.')
		b.WriteString(digits[exp+1:])
		return b.String()
	}
	m := digits[:1]
	if len(digits) > 1 {
		m += "." + digits[1:]
	}
	expSign := "+"
	if exp < 0 {
		expSign, exp = "-", -exp
	}
	e := strconv.Itoa(exp)
	if len(e) < 2 {
		e = "0" + e
	}
	return sign + m + "e" + expSign + e
}
