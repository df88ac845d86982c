package figure

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/liveplot/liveplot/internal/plotlyjs"
)

// schemaNode is one attribute of plotly.js's schema, compiled for validation: a value
// (spec), an object of attributes (fields), or an array of objects (item, e.g. annotations).
type schemaNode struct {
	spec    *valSpec
	fields  map[string]*schemaNode
	names   []string // the keys of fields, sorted, for suggestions
	item    *schemaNode
	subplot bool // _isSubplotObj: "xaxis" also names xaxis2, xaxis3 ...
}

// valSpec is a value attribute: its valType and the options that constrain it.
type valSpec struct {
	valType      string
	arrayOk      bool
	min, max     *float64
	values       []any            // enumerated, string: the allowed values
	patterns     []*regexp.Regexp // enumerated: values written as /regex/; subplotid: its regex
	flags        []string         // flaglist
	extras       []any            // flaglist, integer: values allowed besides the flags or numbers
	items        []*valSpec       // info_array: one spec per position
	itemsAll     *valSpec         // info_array: one spec for every position
	freeLength   bool
	dimensions   string // info_array: "2" or "1-2"
	noBlank      bool
	strict       bool
	coerceNumber bool
	notNull      bool // null is an error, not "the default"
}

// plotSchema is plotly.js's schema, compiled.
type plotSchema struct {
	traces     map[string]*schemaNode // by trace type
	traceTypes []string               // sorted
	layout     *schemaNode            // with every trace type's layout attributes (barmode ...)
	config     *schemaNode
}

// metaKeys are the schema's keys that describe an object rather than name an attribute.
var metaKeys = map[string]bool{
	"role": true, "editType": true, "impliedEdits": true, "description": true,
	"_isSubplotObj": true, "_isLinkedToArray": true, "_arrayAttrRegexps": true,
	"_deprecated": true, "_noTemplating": true,
}

// loadSchema parses and compiles the embedded schema, once.
var loadSchema = sync.OnceValues(func() (*plotSchema, error) {
	return compileSchema(plotlyjs.Schema)
})

func compileSchema(raw []byte) (*plotSchema, error) {
	var doc struct {
		Traces map[string]struct {
			Attributes       map[string]any `json:"attributes"`
			LayoutAttributes map[string]any `json:"layoutAttributes"`
		} `json:"traces"`
		Layout struct {
			LayoutAttributes map[string]any `json:"layoutAttributes"`
		} `json:"layout"`
		Config map[string]any `json:"config"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("plotly: parsing plotly.js %s schema: %w", plotlyjs.Version, err)
	}
	c := schemaCompiler{regexps: map[string]*regexp.Regexp{}}
	s := &plotSchema{traces: map[string]*schemaNode{}}
	layoutAttrs := map[string]any{}
	for k, v := range doc.Layout.LayoutAttributes {
		layoutAttrs[k] = v
	}
	for typ, t := range doc.Traces {
		node := c.object(t.Attributes)
		node.fields["type"] = &schemaNode{spec: &valSpec{valType: "any"}} // checked on its own
		node.fields["stream"] = streamNode()
		node.names = sortedKeys(node.fields)
		s.traces[typ] = node
		s.traceTypes = append(s.traceTypes, typ)
		for k, v := range t.LayoutAttributes {
			if _, dup := layoutAttrs[k]; !dup {
				layoutAttrs[k] = v
			}
		}
	}
	sort.Strings(s.traceTypes)
	s.layout = c.object(layoutAttrs)
	s.config = c.object(doc.Config)
	if c.err != nil {
		return nil, fmt.Errorf("plotly: compiling plotly.js %s schema: %w", plotlyjs.Version, c.err)
	}
	return s, nil
}

// streamNode is liveplot's own trace attribute, stream: {token, maxpoints}.
func streamNode() *schemaNode {
	n := &schemaNode{fields: map[string]*schemaNode{
		"token":     {spec: &valSpec{valType: "string", strict: true}},
		"maxpoints": {spec: &valSpec{valType: "maxpoints", notNull: true}},
	}}
	n.names = sortedKeys(n.fields)
	return n
}

type schemaCompiler struct {
	regexps map[string]*regexp.Regexp // compiled once per distinct source
	err     error
}

// node compiles one schema entry.
func (c *schemaCompiler) node(m map[string]any) *schemaNode {
	if _, ok := m["valType"]; ok {
		return &schemaNode{spec: c.spec(m)}
	}
	if items, ok := m["items"].(map[string]any); ok && len(items) == 1 {
		for _, it := range items { // the one item type, e.g. "annotation"
			if im, ok := it.(map[string]any); ok {
				return &schemaNode{item: c.object(im)}
			}
		}
	}
	return c.object(m)
}

// object compiles an object's attributes.
func (c *schemaCompiler) object(m map[string]any) *schemaNode {
	n := &schemaNode{fields: map[string]*schemaNode{}}
	n.subplot, _ = m["_isSubplotObj"].(bool)
	for k, v := range m {
		sub, ok := v.(map[string]any)
		if !ok || metaKeys[k] {
			continue
		}
		n.fields[k] = c.node(sub)
	}
	n.names = sortedKeys(n.fields)
	return n
}

func (c *schemaCompiler) spec(m map[string]any) *valSpec {
	s := &valSpec{}
	s.valType, _ = m["valType"].(string)
	s.arrayOk, _ = m["arrayOk"].(bool)
	s.freeLength, _ = m["freeLength"].(bool)
	s.noBlank, _ = m["noBlank"].(bool)
	s.strict, _ = m["strict"].(bool)
	s.coerceNumber, _ = m["coerceNumber"].(bool)
	if f, ok := m["min"].(float64); ok {
		s.min = &f
	}
	if f, ok := m["max"].(float64); ok {
		s.max = &f
	}
	switch d := m["dimensions"].(type) {
	case float64:
		s.dimensions = fmt.Sprint(d)
	case string:
		s.dimensions = d
	}
	s.extras, _ = m["extras"].([]any)
	for _, f := range asSlice(m["flags"]) {
		if fs, ok := f.(string); ok {
			s.flags = append(s.flags, fs)
		}
	}
	for _, v := range asSlice(m["values"]) {
		if str, ok := v.(string); ok && s.valType == "enumerated" && len(str) > 2 && str[0] == '/' && str[len(str)-1] == '/' {
			if re := c.regexp(str[1 : len(str)-1]); re != nil {
				s.patterns = append(s.patterns, re)
				continue
			}
		}
		s.values = append(s.values, v)
	}
	if s.valType == "subplotid" {
		src, _ := m["regex"].(string)
		if src == "" {
			dflt, _ := m["dflt"].(string)
			s.values = []any{dflt} // the first id, for messages
			src = "^" + regexp.QuoteMeta(dflt) + "([2-9]|[1-9][0-9]+)?$"
		} else {
			src = strings.TrimSuffix(strings.TrimPrefix(src, "/"), "/")
		}
		if re := c.regexp(src); re != nil {
			s.patterns = append(s.patterns, re)
		}
	}
	switch items := m["items"].(type) {
	case map[string]any:
		s.itemsAll = c.spec(items)
	case []any:
		for _, it := range items {
			im, _ := it.(map[string]any)
			s.items = append(s.items, c.spec(im))
		}
	}
	return s
}

func (c *schemaCompiler) regexp(src string) *regexp.Regexp {
	if re, ok := c.regexps[src]; ok {
		return re
	}
	re, err := regexp.Compile(src)
	if err != nil && c.err == nil {
		c.err = fmt.Errorf("regex %q: %w", src, err)
	}
	c.regexps[src] = re
	return re
}

func asSlice(v any) []any {
	s, _ := v.([]any)
	return s
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// lookup finds the schema of attribute key in object n: itself, or the subplot object it
// numbers (xaxis2 → xaxis, scene3 → scene).
func (n *schemaNode) lookup(key string) *schemaNode {
	if f, ok := n.fields[key]; ok {
		return f
	}
	base := strings.TrimRight(key, "0123456789")
	num := key[len(base):]
	if base == "" || num == "" || num == "1" || num[0] == '0' {
		return nil
	}
	if f, ok := n.fields[base]; ok && f.subplot {
		return f
	}
	return nil
}

// ArrayPaths returns the attribute paths of a trace type that hold one value per point: data
// arrays, and attributes that accept an array such as marker.color and text. ok is false when
// the schema does not know the type. The schema is the one Validate uses, parsed once.
func ArrayPaths(traceType string) (paths map[string]bool, ok bool, err error) {
	s, err := loadSchema()
	if err != nil {
		return nil, false, err
	}
	node, ok := s.traces[traceType]
	if !ok {
		return nil, false, nil
	}
	paths = map[string]bool{}
	node.collectArrayPaths("", paths)
	return paths, true, nil
}

// collectArrayPaths adds to into the paths under n (prefixed) whose values may be arrays, one
// value per point. Arrays of objects (annotations, dimensions) are not followed.
func (n *schemaNode) collectArrayPaths(prefix string, into map[string]bool) {
	for name, child := range n.fields {
		switch {
		case child.spec != nil:
			if child.spec.valType == "data_array" || child.spec.arrayOk {
				into[prefix+name] = true
			}
		case child.fields != nil:
			child.collectArrayPaths(prefix+name+".", into)
		}
	}
}
