package jupytext

import (
	"errors"
	"math/big"
	"regexp"
	"strings"
	"unicode/utf8"
)

// jupytextCellMetadata are the cell metadata keys that only record the text
// layout; they are never written as cell options.
var jupytextCellMetadata = []string{"skipline", "noskipline", "cell_marker", "lines_to_next_cell", "lines_to_end_of_cell_marker"}

// ignoredCellMetadata are dropped when a cell is written as text.
var ignoredCellMetadata = append([]string{"autoscroll", "collapsed", "scrolled", "trusted", "execution", "ExecuteTime"}, jupytextCellMetadata...)

func isJupytextCellMetadata(key string) bool {
	for _, k := range jupytextCellMetadata {
		if k == key {
			return true
		}
	}
	return false
}

var (
	activeSeparatorRE  = regexp.MustCompile(`[.,]`)
	identifierRE       = regexp.MustCompile(`^[a-zA-Z_.]+[a-zA-Z0-9_.]*$`)
	validMetadataKeyRE = regexp.MustCompile(`^[a-zA-Z0-9_.@/-]+$`)
)

func isValidMetadataKey(key string) bool { return validMetadataKeyRE.MatchString(key) }

// incorrectlyEncodedMetadata keeps option text that cannot be parsed.
func incorrectlyEncodedMetadata(text string) *Map {
	m := NewMap()
	m.Set("incorrectly_encoded_metadata", text)
	return m
}

// relaxJSONLoads parses JSON, else a Python literal. With catch, text that is
// neither is kept as incorrectly encoded metadata.
func relaxJSONLoads(text string, catch bool) (any, error) {
	text = pyStrip(text)
	if v, err := parseJSON(text); err == nil {
		return v, nil
	}
	v, err := parsePythonLiteral(text)
	if err == nil {
		return v, nil
	}
	if catch {
		return incorrectlyEncodedMetadata(text), nil
	}
	return nil, err
}

// isJSONMetadata tells whether options are a JSON object rather than
// key=value pairs: a { comes before any =.
func isJSONMetadata(text string) bool {
	curly := strings.Index(text, "{")
	if curly < 0 {
		return false
	}
	equal := strings.Index(text, "=")
	return equal < 0 || curly < equal
}

// parseKeyEqualValue parses "key1=value1 key2 key3=value3", from the right,
// as jupytext does (the resulting key order matters when writing back).
func parseKeyEqualValue(text string) *Map {
	text = pyStrip(text)
	if text == "" {
		return NewMap()
	}
	lastSpace := strings.LastIndex(text, " ")
	if !strings.HasPrefix(text, "--") && identifierRE.MatchString(text[lastSpace+1:]) {
		// The last key comes first, then the keys on its left (a key seen
		// again keeps its first place): "a b" reads as b, a, as in jupytext.
		result := NewMap()
		result.Set(text[lastSpace+1:], nil)
		if lastSpace > 0 {
			rest := parseKeyEqualValue(text[:lastSpace])
			for _, k := range rest.keys {
				result.Set(k, rest.values[k])
			}
		}
		return result
	}
	equal := len(text)
	for {
		equal = strings.LastIndex(text[:equal], "=")
		if equal < 0 {
			return incorrectlyEncodedMetadata(text)
		}
		prevWhitespace, ok := keyBefore(text, equal)
		if !ok {
			continue
		}
		key := pyStrip(text[prevWhitespace+1 : equal])
		value, err := relaxJSONLoads(text[equal+1:], false)
		if err != nil {
			continue
		}
		metadata := NewMap()
		if prevWhitespace > 0 {
			metadata = parseKeyEqualValue(text[:prevWhitespace])
		}
		metadata.Set(key, value)
		return metadata
	}
}

// keyBefore finds the key that ends at the "=" at text[equal], as jupytext does (the text after
// the last space before it, whitespace stripped), and returns the index of that space (-1 for
// none). ok is false when that text is not a valid metadata key. It looks only as far back as
// the key, so that trying every "=" of a long option text stays linear.
func keyBefore(text string, equal int) (prevWhitespace int, ok bool) {
	i := equal
	for i > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !isPySpace(r) {
			break
		}
		i -= size
	}
	end := i
	for i > 0 && isMetadataKeyByte(text[i-1]) {
		i--
	}
	if i == end {
		return 0, false // no key before the "="
	}
	// Up to the last space, only whitespace may come before the key.
	for i > 0 {
		if text[i-1] == ' ' {
			return i - 1, true
		}
		r, size := utf8.DecodeLastRuneInString(text[:i])
		if !isPySpace(r) {
			return 0, false
		}
		i -= size
	}
	return -1, true
}

// isMetadataKeyByte tells whether b may be part of a metadata key (see validMetadataKeyRE).
func isMetadataKeyByte(b byte) bool {
	return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("_.@/-", b) >= 0
}

// textToMetadata parses the options of a code fence or region: a language
// (or, with allowTitle, a title) followed by key=value pairs or JSON.
func textToMetadata(text string, allowTitle bool) (string, *Map) {
	text = pyStrip(text)
	curly := strings.Index(text, "{")
	equal := strings.Index(text, "=")
	if curly < 0 || (0 <= equal && equal < curly) {
		if !allowTitle {
			if isJupyterLanguage(text) {
				return text, NewMap()
			}
			if !strings.Contains(text, " ") {
				return "", parseKeyEqualValue(text)
			}
			language, options, _ := strings.Cut(text, " ")
			if isJupyterLanguage(language) {
				return language, parseKeyEqualValue(options)
			}
			return "", parseKeyEqualValue(text)
		}
		var words []string
		if equal >= 0 {
			words = strings.Split(text[:equal], " ")
			for len(words) > 0 && words[len(words)-1] == "" {
				words = words[:len(words)-1]
			}
			if len(words) > 0 {
				words = words[:len(words)-1]
			}
		} else {
			words = strings.Split(text, " ")
		}
		for len(words) > 0 && (pyStrip(words[len(words)-1]) == "" || strings.HasPrefix(words[len(words)-1], ".")) {
			words = words[:len(words)-1]
		}
		title := strings.Join(words, " ")
		return title, parseKeyEqualValue(text[len(title):])
	}
	v, _ := relaxJSONLoads(text[curly:], true)
	m, ok := v.(*Map)
	if !ok {
		m = incorrectlyEncodedMetadata(pyStrip(text[curly:]))
	}
	return pyStrip(text[:curly]), m
}

// metadataToText writes cell options: the language (or, when language is
// nil, the title) then key=value pairs, or the metadata as one JSON object
// with plainJSON.
func metadataToText(language *string, metadata *Map, plainJSON bool) string {
	filtered := NewMap()
	for _, k := range metadata.Keys() {
		if !isJupytextCellMetadata(k) {
			filtered.Set(k, metadata.values[k])
		}
	}
	var text []string
	if language != nil && *language != "" {
		text = append(text, *language)
	}
	if language == nil {
		if title, ok := filtered.Get("title"); ok {
			if t, isString := title.(string); isString && !strings.ContainsAny(t, "{=") {
				text = append(text, t)
				filtered.Delete("title")
			}
		}
	}
	if plainJSON {
		if filtered.Len() > 0 {
			text = append(text, compactJSON(filtered))
		}
	} else {
		for _, k := range filtered.keys {
			v := filtered.values[k]
			switch {
			case k == "incorrectly_encoded_metadata":
				s, isString := v.(string)
				if !isString {
					s = compactJSON(v)
				}
				text = append(text, s)
			case v == nil:
				text = append(text, k)
			default:
				text = append(text, k+"="+compactJSON(v))
			}
		}
	}
	return strings.Join(text, " ")
}

// isActive tells whether a cell is active in the given format ("ipynb" or
// "md"), from its run_control.frozen, active-* tags or active option.
func isActive(format string, metadata *Map, defaultValue bool) bool {
	if rc := metadata.Sub("run_control"); rc != nil {
		if frozen, _ := rc.Get("frozen"); frozen == true {
			return format == "ipynb"
		}
	}
	if tags, ok := metadata.Get("tags"); ok {
		if list, ok := tags.([]any); ok {
			for _, t := range list {
				if tag, ok := t.(string); ok && strings.HasPrefix(tag, "active-") {
					return containsString(strings.Split(tag, "-"), format)
				}
			}
		}
	}
	active, ok := metadata.Get("active")
	if !ok {
		return defaultValue
	}
	s, _ := active.(string)
	return containsString(activeSeparatorRE.Split(s, -1), format)
}

func hasActiveTag(metadata *Map) bool {
	if list, ok := metadata.value("tags").([]any); ok {
		for _, t := range list {
			if tag, ok := t.(string); ok && strings.HasPrefix(tag, "active-") {
				return true
			}
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// parsePythonLiteral reads the Python literals jupytext accepts in cell
// options where JSON fails: 'single-quoted' strings, True, False, None,
// lists, tuples and dicts of those.
func parsePythonLiteral(text string) (any, error) {
	p := &pyLiteralParser{s: text}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.i != len(p.s) {
		return nil, errors.New("not a Python literal")
	}
	return v, nil
}

type pyLiteralParser struct {
	s string
	i int
}

var errNotLiteral = errors.New("not a Python literal")

func (p *pyLiteralParser) space() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

var pyNumberRE = regexp.MustCompile(`^[-+]?(?:\d[\d_]*\.?[\d_]*(?:[eE][-+]?\d+)?|\.\d[\d_]*(?:[eE][-+]?\d+)?)`)

func (p *pyLiteralParser) value(depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, errNotLiteral
	}
	p.space()
	if p.i >= len(p.s) {
		return nil, errNotLiteral
	}
	rest := p.s[p.i:]
	for word, v := range map[string]any{"True": true, "False": false, "None": nil} {
		if strings.HasPrefix(rest, word) && (len(rest) == len(word) || !isIdentChar(rest[len(word)])) {
			p.i += len(word)
			return v, nil
		}
	}
	switch c := p.s[p.i]; c {
	case '\'', '"':
		return p.str()
	case '[', '(':
		closing := byte(']')
		if c == '(' {
			closing = ')'
		}
		p.i++
		list := []any{}
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == closing {
				p.i++
				return list, nil
			}
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
			p.space()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == closing {
				p.i++
				return list, nil
			}
			return nil, errNotLiteral
		}
	case '{':
		p.i++
		m := NewMap()
		for {
			p.space()
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return m, nil
			}
			k, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			p.space()
			if p.i >= len(p.s) || p.s[p.i] != ':' {
				return nil, errNotLiteral
			}
			p.i++
			v, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			m.Set(keyString(k), v)
			p.space()
			if p.i < len(p.s) && p.s[p.i] == ',' {
				p.i++
				continue
			}
			if p.i < len(p.s) && p.s[p.i] == '}' {
				p.i++
				return m, nil
			}
			return nil, errNotLiteral
		}
	}
	if m := pyNumberRE.FindString(rest); m != "" {
		p.i += len(m)
		lit := strings.ReplaceAll(strings.TrimPrefix(m, "+"), "_", "")
		if strings.ContainsAny(lit, ".eE") {
			return numberFromJSON(strings.Replace(strings.Replace(lit, ".e", ".0e", 1), ".E", ".0E", 1)), nil
		}
		n, ok := new(big.Int).SetString(lit, 10)
		if !ok {
			return nil, errNotLiteral
		}
		return Number(n.String()), nil
	}
	return nil, errNotLiteral
}

func isIdentChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *pyLiteralParser) str() (any, error) {
	quote := p.s[p.i]
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == quote:
			p.i++
			return b.String(), nil
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			switch e := p.s[p.i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '\\', '\'', '"':
				b.WriteByte(e)
			default:
				b.WriteByte('\\')
				b.WriteByte(e)
			}
			p.i++
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	return nil, errNotLiteral
}
