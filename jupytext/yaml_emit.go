package jupytext

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// This file writes YAML the way PyYAML's yaml.safe_dump(data,
// default_flow_style=False) does, as far as jupytext's headers need it:
// block mappings with sorted keys and an indent of 2, sequences inside a
// mapping at the parent's indent, scalars plain when PyYAML would resolve
// them back to the same string, else single-quoted, else double-quoted with
// ASCII escapes; long scalars folded after column 80.

const yamlBestWidth = 80

// PyYAML's implicit resolvers (YAML 1.1): a string that one of these
// matches would not read back as a string if written plain.
var yamlImplicitNonString = []*regexp.Regexp{
	regexp.MustCompile(`^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$`),
	regexp.MustCompile(`^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$`),
	regexp.MustCompile(`^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$`),
	regexp.MustCompile(`^(?:<<)$`),
	regexp.MustCompile(`^(?:~|null|Null|NULL|)$`),
	regexp.MustCompile(`^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$`),
	regexp.MustCompile(`^(?:=)$`),
}

func yamlResolvesToString(s string) bool {
	for _, re := range yamlImplicitNonString {
		if re.MatchString(s) {
			return false
		}
	}
	return true
}

// yamlEmitter holds the state PyYAML's emitter uses to place line breaks.
type yamlEmitter struct {
	b          strings.Builder
	column     int
	whitespace bool
	indention  bool
}

// dumpYAML returns the YAML text of m, one mapping in block style.
func dumpYAML(m *Map) string {
	e := &yamlEmitter{whitespace: true, indention: true}
	e.mapping(m, 0)
	return e.b.String()
}

func (e *yamlEmitter) write(s string) {
	e.b.WriteString(s)
	e.column += utf8.RuneCountInString(s)
}

func (e *yamlEmitter) lineBreak() {
	e.b.WriteByte('\n')
	e.whitespace, e.indention = true, true
	e.column = 0
}

func (e *yamlEmitter) writeIndent(indent int) {
	if !e.indention || e.column > indent || (e.column == indent && !e.whitespace) {
		e.lineBreak()
	}
	if e.column < indent {
		e.whitespace = true
		e.b.WriteString(strings.Repeat(" ", indent-e.column))
		e.column = indent
	}
}

func (e *yamlEmitter) indicator(s string, needWhitespace, whitespace, indention bool) {
	if !e.whitespace && needWhitespace {
		s = " " + s
	}
	e.whitespace = whitespace
	e.indention = e.indention && indention
	e.write(s)
}

// mapping writes the keys of m at indent, sorted; the first key goes where
// the cursor is when that is at indent (after "- ").
func (e *yamlEmitter) mapping(m *Map, indent int) {
	for _, key := range m.sortedKeys() {
		e.writeIndent(indent)
		e.scalar(key, indent+2, true)
		e.indicator(":", false, false, false)
		e.node(m.values[key], indent, true)
	}
}

func (e *yamlEmitter) sequence(list []any, indent int) {
	for _, item := range list {
		e.writeIndent(indent)
		e.indicator("-", true, false, true)
		e.node(item, indent, false)
	}
}

// node writes a value after a key (inMapping) or a "-" of a collection
// whose items are at indent.
func (e *yamlEmitter) node(v any, indent int, inMapping bool) {
	switch v := v.(type) {
	case *Map:
		if v.Len() == 0 {
			e.indicator("{}", true, false, false)
			return
		}
		e.mapping(v, indent+2)
	case []any:
		if len(v) == 0 {
			e.indicator("[]", true, false, false)
			return
		}
		if inMapping {
			e.sequence(v, indent) // PyYAML writes a sequence in a mapping at the mapping's indent
		} else {
			e.sequence(v, indent+2)
		}
	default:
		e.scalarValue(v, indent+2)
	}
}

// scalarValue writes a non-collection value.
func (e *yamlEmitter) scalarValue(v any, indent int) {
	switch v := v.(type) {
	case nil:
		e.plain("null", indent, true)
	case bool:
		if v {
			e.plain("true", indent, true)
		} else {
			e.plain("false", indent, true)
		}
	case Number:
		e.plain(yamlNumber(v), indent, true)
	case string:
		e.scalar(v, indent, false)
	default:
		e.plain(fmt.Sprint(v), indent, true)
	}
}

// yamlNumber writes a number as PyYAML represents Python ints and floats.
func yamlNumber(n Number) string {
	switch n {
	case "NaN":
		return ".nan"
	case "Infinity":
		return ".inf"
	case "-Infinity":
		return "-.inf"
	}
	s := strings.ToLower(string(n))
	if !n.IsInt() && !strings.Contains(s, ".") && strings.Contains(s, "e") {
		s = strings.Replace(s, "e", ".0e", 1)
	}
	return s
}

// yamlAnalysis is PyYAML's ScalarAnalysis, reduced to what block style
// needs.
type yamlAnalysis struct {
	empty, multiline              bool
	allowPlain, allowSingleQuoted bool
}

func isYAMLBreak(r rune) bool { return r == '\n' || r == 0x85 || r == 0x2028 || r == 0x2029 }

func isYAMLSpaceOrEnd(r rune) bool {
	return r == 0 || r == ' ' || r == '\t' || r == '\r' || isYAMLBreak(r)
}

func analyzeYAMLScalar(s string) yamlAnalysis {
	if s == "" {
		return yamlAnalysis{empty: true, allowPlain: true, allowSingleQuoted: true}
	}
	runes := []rune(s)
	var blockIndicators, lineBreaks, specialCharacters bool
	var leadingSpace, leadingBreak, trailingSpace, trailingBreak, breakSpace, spaceBreak bool
	if strings.HasPrefix(s, "---") || strings.HasPrefix(s, "...") {
		blockIndicators = true
	}
	precededByWhitespace := true
	followedByWhitespace := len(runes) == 1 || isYAMLSpaceOrEnd(runes[1])
	previousSpace, previousBreak := false, false
	for i, ch := range runes {
		if i == 0 {
			if strings.ContainsRune("#,[]{}&*!|>'\"%@`", ch) {
				blockIndicators = true
			}
			if (ch == '?' || ch == ':') && followedByWhitespace {
				blockIndicators = true
			}
			if ch == '-' && followedByWhitespace {
				blockIndicators = true
			}
		} else {
			if ch == ':' && followedByWhitespace {
				blockIndicators = true
			}
			if ch == '#' && precededByWhitespace {
				blockIndicators = true
			}
		}
		if isYAMLBreak(ch) {
			lineBreaks = true
		}
		if !(ch == '\n' || (ch >= 0x20 && ch <= 0x7e)) {
			specialCharacters = true // PyYAML's allow_unicode is off in safe_dump
		}
		switch {
		case ch == ' ':
			if i == 0 {
				leadingSpace = true
			}
			if i == len(runes)-1 {
				trailingSpace = true
			}
			if previousBreak {
				breakSpace = true
			}
			previousSpace, previousBreak = true, false
		case isYAMLBreak(ch):
			if i == 0 {
				leadingBreak = true
			}
			if i == len(runes)-1 {
				trailingBreak = true
			}
			if previousSpace {
				spaceBreak = true
			}
			previousSpace, previousBreak = false, true
		default:
			previousSpace, previousBreak = false, false
		}
		precededByWhitespace = isYAMLSpaceOrEnd(ch)
		followedByWhitespace = i+2 >= len(runes) || isYAMLSpaceOrEnd(runes[i+2])
	}
	a := yamlAnalysis{multiline: lineBreaks, allowPlain: true, allowSingleQuoted: true}
	if leadingSpace || leadingBreak || trailingSpace || trailingBreak || lineBreaks || blockIndicators {
		a.allowPlain = false
	}
	if breakSpace {
		a.allowPlain, a.allowSingleQuoted = false, false
	}
	if spaceBreak || specialCharacters {
		a.allowPlain, a.allowSingleQuoted = false, false
	}
	return a
}

// scalar writes a string as a key (simpleKey) or a value, choosing the style
// as PyYAML does; indent is where folded lines continue.
func (e *yamlEmitter) scalar(s string, indent int, simpleKey bool) {
	a := analyzeYAMLScalar(s)
	split := !simpleKey
	if yamlResolvesToString(s) && !(simpleKey && (a.empty || a.multiline)) && a.allowPlain {
		e.plain(s, indent, split)
		return
	}
	if a.allowSingleQuoted && !(simpleKey && a.multiline) {
		e.singleQuoted(s, indent, split)
		return
	}
	e.doubleQuoted(s, indent, split)
}

func (e *yamlEmitter) plain(text string, indent int, split bool) {
	if text == "" {
		return
	}
	if !e.whitespace {
		e.write(" ")
	}
	e.whitespace, e.indention = false, false
	runes := []rune(text)
	spaces := false
	start := 0
	for end := 0; end <= len(runes); end++ {
		var ch rune = -1
		if end < len(runes) {
			ch = runes[end]
		}
		if spaces {
			if ch != ' ' {
				if start+1 == end && e.column > yamlBestWidth && split {
					e.writeIndent(indent)
					e.whitespace, e.indention = false, false
				} else {
					e.write(string(runes[start:end]))
				}
				start = end
			}
		} else if ch == -1 || ch == ' ' {
			e.write(string(runes[start:end]))
			start = end
		}
		if ch != -1 {
			spaces = ch == ' '
		}
	}
}

func (e *yamlEmitter) singleQuoted(text string, indent int, split bool) {
	e.indicator("'", true, false, false)
	runes := []rune(text)
	spaces, breaks := false, false
	start := 0
	for end := 0; end <= len(runes); end++ {
		var ch rune = -1
		if end < len(runes) {
			ch = runes[end]
		}
		switch {
		case spaces:
			if ch != ' ' {
				if start+1 == end && e.column > yamlBestWidth && split && start != 0 && end != len(runes) {
					e.writeIndent(indent)
				} else {
					e.write(string(runes[start:end]))
				}
				start = end
			}
		case breaks:
			if ch == -1 || !isYAMLBreak(ch) {
				if runes[start] == '\n' {
					e.lineBreak()
				}
				for _, br := range runes[start:end] {
					if br == '\n' {
						e.lineBreak()
					} else {
						e.b.WriteRune(br)
						e.whitespace, e.indention = true, true
						e.column = 0
					}
				}
				e.writeIndent(indent)
				start = end
			}
		default:
			if ch == -1 || ch == ' ' || isYAMLBreak(ch) || ch == '\'' {
				if start < end {
					e.write(string(runes[start:end]))
					start = end
				}
			}
		}
		if ch == '\'' {
			e.write("''")
			start = end + 1
		}
		if ch != -1 {
			spaces = ch == ' '
			breaks = isYAMLBreak(ch)
		}
	}
	e.indicator("'", false, false, false)
}

var yamlEscapes = map[rune]string{
	0: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0a: "n", 0x0b: "v", 0x0c: "f", 0x0d: "r", 0x1b: "e",
	'"': "\"", '\\': "\\", 0x85: "N", 0xa0: "_", 0x2028: "L", 0x2029: "P",
}

func (e *yamlEmitter) doubleQuoted(text string, indent int, split bool) {
	e.indicator("\"", true, false, false)
	runes := []rune(text)
	start := 0
	for end := 0; end <= len(runes); end++ {
		var ch rune = -1
		if end < len(runes) {
			ch = runes[end]
		}
		if ch == -1 || ch == '"' || ch == '\\' || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || ch == 0xfeff || !(ch >= 0x20 && ch <= 0x7e) {
			if start < end {
				e.write(string(runes[start:end]))
				start = end
			}
			if ch != -1 {
				var data string
				if esc, ok := yamlEscapes[ch]; ok {
					data = "\\" + esc
				} else if ch <= 0xff {
					data = fmt.Sprintf("\\x%02X", ch)
				} else if ch <= 0xffff {
					data = fmt.Sprintf("\\u%04X", ch)
				} else {
					data = fmt.Sprintf("\\U%08X", ch)
				}
				e.write(data)
				start = end + 1
			}
		}
		if 0 < end && end < len(runes)-1 && (ch == ' ' || start >= end) && e.column+(end-start) > yamlBestWidth && split {
			data := string(runes[start:end]) + "\\"
			if start < end {
				start = end
			}
			e.write(data)
			e.writeIndent(indent)
			e.whitespace, e.indention = false, false
			if runes[start] == ' ' {
				e.write("\\")
			}
		}
	}
	e.indicator("\"", false, false, false)
}
