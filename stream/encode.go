package stream

import (
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// The JSON of frames is written by hand: frames are on the hot path, and encoding/json would
// cost an interface and a reflection walk per value.

// appendFloat appends f as a JSON number, or null for NaN and ±Inf (a gap in the plot).
func appendFloat(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, f, format, -1, 64)
}

// appendTime appends t as a plotly date string "2006-01-02 15:04:05.999999" in t's location,
// with trailing zeros of the fraction trimmed.
func appendTime(b []byte, t time.Time) []byte {
	b = append(b, '"')
	b = appendPlotlyDate(b, t)
	return append(b, '"')
}

// appendPlotlyDate appends t as plotly's date format, without quotes.
func appendPlotlyDate(b []byte, t time.Time) []byte {
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, "2006-01-02 15:04:05.999999")
	}
	hour, minute, sec := t.Clock()
	return appendDate(b, year, int(month), day, hour, minute, sec, t.Nanosecond())
}

// appendString appends s as a JSON string. <, > and & are escaped so that a frame can sit in an
// HTML page; invalid UTF-8 becomes U+FFFD.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendScalar appends one value as JSON.
func appendScalar(b []byte, v scalar) []byte {
	switch v.kind {
	case kindFloat:
		return appendFloat(b, v.f)
	case kindTime:
		return appendTime(b, v.t)
	case kindString:
		return appendString(b, v.s)
	case kindBool:
		return strconv.AppendBool(b, v.b)
	}
	return append(b, "null"...)
}
