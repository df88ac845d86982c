package jupytext

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var yamlErrorLine = regexp.MustCompile(`line (\d+)`)

// parseYAML parses a YAML document into ordered values. Plain scalars are
// resolved with YAML 1.1 rules, as PyYAML (and so jupytext) reads them:
// yes/no/on/off are booleans, 1e5 is a string. On error it returns the
// 1-based line of the problem within text when known.
func parseYAML(text string) (v any, line int, err error) {
	defer func() {
		if r := recover(); r != nil { // guard against a panic in the YAML library
			v, line, err = nil, 0, fmt.Errorf("YAML parser failed: %v", r)
		}
	}()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		if m := yamlErrorLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return nil, line, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, 0, nil
	}
	d := &yamlDecoder{budget: countYAMLNodes(doc.Content[0]) + MaxYAMLAliasExpansion}
	v, err = d.value(doc.Content[0], 0)
	if err != nil {
		var ye *yamlError
		if errors.As(err, &ye) {
			line = ye.line
		}
		return nil, line, err
	}
	return v, 0, nil
}

// MaxYAMLAliasExpansion is how many more values than its text holds a YAML
// header may expand to through aliases (*name). Each alias is a copy of
// what it names, so a few nested aliases can stand for billions of values
// (a "billion laughs" header of 533 bytes); past this bound reading stops
// with an error. yaml.v3's own guard against this applies to decoding into
// Go values, not to the yaml.Node tree read here.
const MaxYAMLAliasExpansion = 100_000

// yamlError is an error at a line of the YAML text.
type yamlError struct {
	line int
	msg  string
}

func (e *yamlError) Error() string { return e.msg }

// countYAMLNodes counts the nodes of a YAML tree without following aliases.
func countYAMLNodes(n *yaml.Node) int {
	count := 1
	for _, c := range n.Content {
		count += countYAMLNodes(c)
	}
	return count
}

// yamlDecoder turns a YAML tree into values, with a budget of values that
// bounds what aliases expand to.
type yamlDecoder struct {
	budget int
}

func (d *yamlDecoder) value(n *yaml.Node, depth int) (any, error) {
	if depth > maxJSONDepth {
		return nil, &yamlError{n.Line, fmt.Sprintf("YAML nested deeper than %d levels", maxJSONDepth)}
	}
	d.budget--
	if d.budget < 0 {
		return nil, &yamlError{n.Line, fmt.Sprintf("the aliases of the YAML header expand to more than %d values beyond its text (a \"billion laughs\" header?); write the values out or use fewer nested aliases", MaxYAMLAliasExpansion)}
	}
	switch n.Kind {
	case yaml.AliasNode:
		v, err := d.value(n.Alias, depth+1)
		var ye *yamlError
		if errors.As(err, &ye) && d.budget < 0 {
			// Name the alias in the text that expanded too far.
			return nil, &yamlError{n.Line, ye.msg}
		}
		return v, err
	case yaml.MappingNode:
		m := NewMap()
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind == yaml.ScalarNode && k.Value == "<<" && k.Style == 0 {
				merged, err := d.value(v, depth+1)
				if err != nil {
					return nil, err
				}
				if mm, ok := merged.(*Map); ok {
					for _, key := range mm.keys {
						if !m.Has(key) {
							m.Set(key, mm.values[key])
						}
					}
				}
				continue
			}
			if k.Kind != yaml.ScalarNode {
				return nil, &yamlError{k.Line, "a mapping key must be a plain value"}
			}
			key, err := d.value(k, depth+1)
			if err != nil {
				return nil, err
			}
			value, err := d.value(v, depth+1)
			if err != nil {
				return nil, err
			}
			m.Set(keyString(key), value)
		}
		return m, nil
	case yaml.SequenceNode:
		list := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := d.value(c, depth+1)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case yaml.ScalarNode:
		if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
			return n.Value, nil
		}
		switch n.Tag {
		case "", "!", "!!str", "!!int", "!!float", "!!bool", "!!null", "!!timestamp":
			return resolvePlainYAML(n.Value), nil
		}
		return n.Value, nil
	}
	return nil, nil
}

// keyString turns a resolved key into the string JSON would use.
func keyString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case nil:
		return "null"
	case bool:
		if v {
			return "true"
		}
		return "false"
	case Number:
		return string(v)
	}
	return fmt.Sprint(v)
}

// resolvePlainYAML resolves a plain scalar with PyYAML's YAML 1.1 rules.
func resolvePlainYAML(s string) any {
	switch {
	case yamlImplicitNonString[4].MatchString(s): // null
		return nil
	case yamlImplicitNonString[0].MatchString(s): // bool
		switch strings.ToLower(s) {
		case "yes", "true", "on":
			return true
		}
		return false
	case yamlImplicitNonString[2].MatchString(s): // int
		if n, ok := yamlInt(s); ok {
			return n
		}
	case yamlImplicitNonString[1].MatchString(s): // float
		return yamlFloat(s)
	}
	return s
}

func yamlInt(s string) (Number, bool) {
	s = strings.ReplaceAll(s, "_", "")
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = "-"
		}
		s = s[1:]
	}
	n := new(big.Int)
	var ok bool
	switch {
	case s == "0":
		return "0", true
	case strings.HasPrefix(s, "0b"):
		_, ok = n.SetString(s[2:], 2)
	case strings.HasPrefix(s, "0x"):
		_, ok = n.SetString(s[2:], 16)
	case strings.HasPrefix(s, "0"):
		_, ok = n.SetString(s[1:], 8)
	case strings.Contains(s, ":"):
		ok = true
		for _, part := range strings.Split(s, ":") {
			d, err := strconv.Atoi(part)
			if err != nil {
				return "", false
			}
			n.Mul(n, big.NewInt(60)).Add(n, big.NewInt(int64(d)))
		}
	default:
		_, ok = n.SetString(s, 10)
	}
	if !ok {
		return "", false
	}
	if sign == "-" {
		n.Neg(n)
	}
	return Number(n.String()), true
}

func yamlFloat(s string) Number {
	s = strings.ToLower(strings.ReplaceAll(s, "_", ""))
	sign := 1.0
	if s != "" && (s[0] == '-' || s[0] == '+') {
		if s[0] == '-' {
			sign = -1
		}
		s = s[1:]
	}
	switch {
	case s == ".inf":
		return floatNumber(math.Inf(int(sign)))
	case s == ".nan":
		return "NaN"
	case strings.Contains(s, ":"):
		var f float64
		for _, part := range strings.Split(s, ":") {
			d, _ := strconv.ParseFloat(part, 64)
			f = f*60 + d
		}
		return floatNumber(sign * f)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return floatNumber(math.Inf(int(sign)))
	}
	return floatNumber(sign * f)
}
