package jupytext

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// maxJSONDepth bounds the nesting of arrays and objects, so that hostile
// input cannot exhaust the stack.
const maxJSONDepth = 1000

// jsonParser reads JSON into ordered values, as Python's json module does
// (it also accepts NaN, Infinity and -Infinity).
type jsonParser struct {
	data  string
	pos   int
	depth int
}

// jsonSyntaxError is an error at a byte offset of the input.
type jsonSyntaxError struct {
	offset int
	msg    string
}

func (e *jsonSyntaxError) Error() string { return e.msg }

// parseJSON parses one JSON value that must fill text, bar white space.
func parseJSON(text string) (any, error) {
	p := &jsonParser{data: text}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.data) {
		return nil, p.errorf("extra data after the JSON value")
	}
	return v, nil
}

func (p *jsonParser) errorf(format string, args ...any) error {
	return &jsonSyntaxError{offset: p.pos, msg: fmt.Sprintf(format, args...)}
}

func (p *jsonParser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *jsonParser) value() (any, error) {
	p.skipSpace()
	if p.pos >= len(p.data) {
		return nil, p.errorf("unexpected end of JSON")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.str()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	}
	for _, lit := range []struct {
		text  string
		value any
	}{{"true", true}, {"false", false}, {"null", nil}, {"NaN", Number("NaN")}, {"Infinity", Number("Infinity")}} {
		if strings.HasPrefix(p.data[p.pos:], lit.text) {
			p.pos += len(lit.text)
			return lit.value, nil
		}
	}
	return nil, p.errorf("unexpected character %q", p.data[p.pos])
}

func (p *jsonParser) enter() error {
	p.depth++
	if p.depth > maxJSONDepth {
		return p.errorf("JSON nested deeper than %d levels", maxJSONDepth)
	}
	return nil
}

func (p *jsonParser) object() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++ // {
	m := NewMap()
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return m, nil
	}
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return nil, p.errorf("expected a string key in a JSON object")
		}
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return nil, p.errorf("expected ':' after an object key")
		}
		p.pos++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		m.Set(key, v) // a repeated key keeps its first place and last value, as in Python
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unterminated JSON object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			return m, nil
		default:
			return nil, p.errorf("expected ',' or '}' in a JSON object")
		}
	}
}

func (p *jsonParser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.pos++ // [
	list := []any{}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return list, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		list = append(list, v)
		p.skipSpace()
		if p.pos >= len(p.data) {
			return nil, p.errorf("unterminated JSON array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			return list, nil
		default:
			return nil, p.errorf("expected ',' or ']' in a JSON array")
		}
	}
}

func (p *jsonParser) number() (any, error) {
	start := p.pos
	if strings.HasPrefix(p.data[p.pos:], "-Infinity") {
		p.pos += len("-Infinity")
		return Number("-Infinity"), nil
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return nil, p.errorf("invalid number")
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return nil, p.errorf("invalid number")
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return nil, p.errorf("invalid number")
		}
	}
	return numberFromJSON(p.data[start:p.pos]), nil
}

func (p *jsonParser) str() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes.
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			s := p.data[start:p.pos]
			p.pos++
			return s, nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("invalid control character in a JSON string")
		}
		p.pos++
	}
	var b strings.Builder
	b.WriteString(p.data[start:p.pos])
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			p.pos++
			return b.String(), nil
		case c < 0x20:
			return "", p.errorf("invalid control character in a JSON string")
		case c != '\\':
			b.WriteByte(c)
			p.pos++
			continue
		}
		p.pos++
		if p.pos >= len(p.data) {
			break
		}
		e := p.data[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errorf("invalid \\u escape in a JSON string")
			}
			if utf16.IsSurrogate(r) && strings.HasPrefix(p.data[p.pos:], "\\u") {
				save := p.pos
				p.pos += 2
				if r2, ok := p.hex4(); ok && utf16.DecodeRune(r, r2) != utf8.RuneError {
					r = utf16.DecodeRune(r, r2)
				} else {
					p.pos = save
				}
			}
			if utf16.IsSurrogate(r) {
				r = utf8.RuneError // a lone surrogate cannot be written as UTF-8
			}
			b.WriteRune(r)
		default:
			return "", p.errorf("invalid escape \\%c in a JSON string", e)
		}
	}
	return "", p.errorf("unterminated JSON string")
}

func (p *jsonParser) hex4() (rune, bool) {
	if p.pos+4 > len(p.data) {
		return 0, false
	}
	n, err := strconv.ParseUint(p.data[p.pos:p.pos+4], 16, 32)
	if err != nil {
		return 0, false
	}
	p.pos += 4
	return rune(n), true
}

// writeJSONString writes s as a JSON string the way Python's json module
// does: with asciiOnly (ensure_ascii=True) every non-ASCII character becomes
// a \uXXXX escape; otherwise only quotes, backslashes and control characters
// are escaped.
func writeJSONString(b *strings.Builder, s string, asciiOnly bool) {
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < 0x7f || c == 0x7f && !asciiOnly {
			i++
			continue
		}
		if c >= 0x80 && !asciiOnly {
			i++
			continue
		}
		b.WriteString(s[start:i])
		switch {
		case c == '"':
			b.WriteString(`\"`)
			i++
		case c == '\\':
			b.WriteString(`\\`)
			i++
		case c == '\n':
			b.WriteString(`\n`)
			i++
		case c == '\r':
			b.WriteString(`\r`)
			i++
		case c == '\t':
			b.WriteString(`\t`)
			i++
		case c == '\b':
			b.WriteString(`\b`)
			i++
		case c == '\f':
			b.WriteString(`\f`)
			i++
		case c < 0x20:
			fmt.Fprintf(b, `\u%04x`, c)
			i++
		default: // non-ASCII, asciiOnly
			r, size := utf8.DecodeRuneInString(s[i:])
			if r >= 0x10000 {
				r1, r2 := utf16.EncodeRune(r)
				fmt.Fprintf(b, `\u%04x\u%04x`, r1, r2)
			} else {
				fmt.Fprintf(b, `\u%04x`, r)
			}
			i += size
		}
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}

// writeCompactJSON writes v as Python's json.dumps(v) does by default:
// separators ", " and ": ", keys in insertion order, ASCII only.
func writeCompactJSON(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case Number:
		b.WriteString(string(v))
	case string:
		writeJSONString(b, v, true)
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeCompactJSON(b, e)
		}
		b.WriteByte(']')
	case *Map:
		b.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				b.WriteString(", ")
			}
			writeJSONString(b, k, true)
			b.WriteString(": ")
			writeCompactJSON(b, v.values[k])
		}
		b.WriteByte('}')
	}
}

// compactJSON returns writeCompactJSON's text for v.
func compactJSON(v any) string {
	var b strings.Builder
	writeCompactJSON(&b, v)
	return b.String()
}

// writeIndentedJSON writes v in nbformat's layout: indent 1, sorted keys,
// non-ASCII kept, separators "," and ": ".
func writeIndentedJSON(b *strings.Builder, v any, indent int) {
	switch v := v.(type) {
	case []any:
		if len(v) == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteByte(',')
			}
			newlineIndent(b, indent+1)
			writeIndentedJSON(b, e, indent+1)
		}
		newlineIndent(b, indent)
		b.WriteByte(']')
	case *Map:
		if v.Len() == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteByte('{')
		for i, k := range v.sortedKeys() {
			if i > 0 {
				b.WriteByte(',')
			}
			newlineIndent(b, indent+1)
			writeJSONString(b, k, false)
			b.WriteString(": ")
			writeIndentedJSON(b, v.values[k], indent+1)
		}
		newlineIndent(b, indent)
		b.WriteByte('}')
	case string:
		writeJSONString(b, v, false)
	default:
		writeCompactJSON(b, v)
	}
}

func newlineIndent(b *strings.Builder, n int) {
	b.WriteByte('\n')
	for range n {
		b.WriteByte(' ')
	}
}
