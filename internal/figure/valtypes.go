package figure

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// colorscaleNames are plotly.js's named colorscales (case-sensitive).
var colorscaleNames = []string{
	"Blackbody", "Bluered", "Blues", "Cividis", "Earth", "Electric", "Greens", "Greys", "Hot",
	"Jet", "Picnic", "Portland", "Rainbow", "RdBu", "Reds", "Viridis", "YlGnBu", "YlOrRd",
}

// value checks one attribute value against its spec, as plotly.js's coerce would take it.
func (v *validator) value(path string, s *valSpec, val any) {
	if arr, isArray := val.([]any); isArray && s.arrayOk {
		_ = arr // one value per point: plotly.js takes the array as it is
		return
	}
	if s.arrayOk && isTypedArray(val) {
		return
	}
	switch s.valType {
	case "any":
	case "data_array":
		if _, ok := val.([]any); !ok && !isTypedArray(val) {
			v.add(path, "want an array of data, got %s", JSONKind(val))
		}
	case "number", "integer":
		v.number(path, s, val)
	case "maxpoints":
		if _, err := parseMaxPoints(val); err != nil {
			v.add(path, "%v", err)
		}
	case "angle":
		if val == "auto" {
			return
		}
		if _, ok := numeric(val); !ok {
			v.add(path, "want an angle in degrees (a number), got %s", JSONKind(val))
		}
	case "boolean":
		if _, ok := val.(bool); !ok {
			v.add(path, "want true or false, got %s", JSONKind(val))
		}
	case "string":
		v.string(path, s, val)
	case "enumerated":
		v.enumerated(path, s, val)
	case "flaglist":
		v.flaglist(path, s, val)
	case "color":
		if !isColor(val) {
			v.add(path, "want a color (a name like \"red\", \"#rrggbb\", \"rgb(r, g, b)\"...), got %s%s", JSONKind(val), colorSuggestion(val))
		}
	case "colorlist":
		list, ok := val.([]any)
		if !ok {
			v.add(path, "want an array of colors, got %s", JSONKind(val))
			return
		}
		for i, c := range list {
			if !isColor(c) {
				v.add(path+"["+strconv.Itoa(i)+"]", "want a color, got %s%s", JSONKind(c), colorSuggestion(c))
			}
		}
	case "colorscale":
		v.colorscale(path, val)
	case "subplotid":
		str, ok := val.(string)
		if !ok || !matchesAny(s.patterns, str) {
			v.add(path, "want a subplot id like %s, got %s", subplotExample(s), JSONKind(val))
		}
	case "info_array":
		v.infoArray(path, s, val)
	}
}

// isTypedArray reports whether val is plotly's encoding of a typed array, {"dtype", "bdata"}.
func isTypedArray(val any) bool {
	m, ok := val.(map[string]any)
	if !ok {
		return false
	}
	_, hasData := m["bdata"]
	_, hasType := m["dtype"]
	return hasData && hasType
}

// numeric returns val as a number as plotly.js's isNumeric takes it: a number, or a string
// holding one.
func numeric(val any) (float64, bool) {
	switch x := val.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, false
		}
		return f, true
	}
	return 0, false
}

func (v *validator) number(path string, s *valSpec, val any) {
	if s.valType == "integer" && containsValue(s.extras, val) {
		return
	}
	f, ok := numeric(val)
	want := "a number"
	if s.valType == "integer" {
		want = "an integer"
		ok = ok && f == math.Trunc(f)
	}
	if !ok {
		if len(s.extras) > 0 {
			want += " or one of " + listValues(s.extras)
		}
		v.add(path, "want %s, got %s", want, JSONKind(val))
		return
	}
	switch {
	case s.min != nil && f < *s.min:
		v.add(path, "%v is less than the minimum, %v", f, *s.min)
	case s.max != nil && f > *s.max:
		v.add(path, "%v is more than the maximum, %v", f, *s.max)
	}
}

func (v *validator) string(path string, s *valSpec, val any) {
	str, ok := val.(string)
	if !ok {
		if _, isNum := val.(float64); isNum && !s.strict {
			return // plotly.js turns numbers into strings here
		}
		v.add(path, "want a string, got %s", JSONKind(val))
		return
	}
	if s.noBlank && str == "" {
		v.add(path, "want a non-empty string")
		return
	}
	if len(s.values) > 0 && !containsValue(s.values, str) {
		v.add(path, "%q is not one of %s%s", str, listValues(s.values), didYouMean(str, stringValues(s.values)))
	}
}

func (v *validator) enumerated(path string, s *valSpec, val any) {
	if s.coerceNumber {
		if f, ok := numeric(val); ok {
			val = f
		}
	}
	if containsValue(s.values, val) {
		return
	}
	if str, ok := val.(string); ok && matchesAny(s.patterns, str) {
		return
	}
	allowed := listValues(s.values)
	for _, re := range s.patterns {
		allowed += ", /" + re.String() + "/"
	}
	hint := ""
	if str, ok := val.(string); ok {
		hint = didYouMean(str, stringValues(s.values))
	}
	v.add(path, "%s is not one of %s%s", JSONKind(val), allowed, hint)
}

func (v *validator) flaglist(path string, s *valSpec, val any) {
	if containsValue(s.extras, val) {
		return
	}
	str, ok := val.(string)
	if !ok {
		v.add(path, "want flags joined by \"+\" (%s), got %s", strings.Join(s.flags, ", "), JSONKind(val))
		return
	}
	for _, flag := range strings.Split(str, "+") {
		if containsString(s.flags, flag) {
			continue
		}
		msg := fmt.Sprintf("%q has unknown flag %q: want flags %s joined by \"+\"", str, flag, strings.Join(s.flags, ", "))
		if len(s.extras) > 0 {
			msg += ", or one of " + listValues(s.extras)
		}
		if containsValue(s.extras, flag) {
			msg = fmt.Sprintf("%q combines %q with other flags: it stands alone", str, flag)
		}
		v.add(path, "%s%s", msg, didYouMean(flag, s.flags))
		return
	}
}

func (v *validator) colorscale(path string, val any) {
	switch x := val.(type) {
	case string:
		if containsString(colorscaleNames, x) {
			return
		}
		v.add(path, "unknown colorscale %q%s: want one of %s, or [[0, color], ..., [1, color]]", x, didYouMean(x, colorscaleNames), strings.Join(colorscaleNames, ", "))
	case []any:
		if msg := colorscaleArrayProblem(x); msg != "" {
			v.add(path, "%s", msg)
		}
	default:
		v.add(path, "want a colorscale name or [[0, color], ..., [1, color]], got %s", JSONKind(val))
	}
}

// colorscaleArrayProblem says what is wrong with a colorscale array, as plotly.js's
// isValidScaleArray checks it, or returns "".
func colorscaleArrayProblem(scale []any) string {
	if len(scale) < 2 {
		return "a colorscale array needs at least 2 [fraction, color] pairs"
	}
	last := -1.0
	for i, entry := range scale {
		pair, ok := entry.([]any)
		if !ok || len(pair) != 2 {
			return fmt.Sprintf("colorscale entry %d is %s, not a [fraction, color] pair", i, JSONKind(entry))
		}
		f, ok := numeric(pair[0])
		switch {
		case !ok:
			return fmt.Sprintf("colorscale entry %d: the fraction is %s, not a number", i, JSONKind(pair[0]))
		case i == 0 && f != 0:
			return "a colorscale starts at fraction 0"
		case i == len(scale)-1 && f != 1:
			return "a colorscale ends at fraction 1"
		case f < last:
			return fmt.Sprintf("colorscale entry %d: fractions must not decrease (%v after %v)", i, f, last)
		case !isColor(pair[1]):
			return fmt.Sprintf("colorscale entry %d: %s is not a color", i, JSONKind(pair[1]))
		}
		last = f
	}
	return ""
}

func (v *validator) infoArray(path string, s *valSpec, val any) {
	arr, ok := val.([]any)
	if !ok {
		v.add(path, "want an array, got %s", JSONKind(val))
		return
	}
	twoD := s.dimensions == "2"
	if s.dimensions == "1-2" && len(arr) > 0 {
		_, twoD = arr[0].([]any)
	}
	if twoD {
		for i, row := range arr {
			sub := *s
			sub.dimensions = ""
			v.infoArray(path+"["+strconv.Itoa(i)+"]", &sub, row)
		}
		return
	}
	if s.itemsAll == nil && !s.freeLength && len(arr) > len(s.items) {
		v.add(path, "want at most %d values, got %d", len(s.items), len(arr))
		return
	}
	for i, item := range arr {
		spec := s.itemsAll
		if spec == nil && len(s.items) > 0 {
			spec = s.items[min(i, len(s.items)-1)]
		}
		if spec != nil && item != nil {
			v.value(path+"["+strconv.Itoa(i)+"]", spec, item)
		}
	}
}

// containsValue reports whether vals holds val (JSON values: strings, float64, bools).
func containsValue(vals []any, val any) bool {
	for _, x := range vals {
		if x == val {
			return true
		}
	}
	return false
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func stringValues(vals []any) []string {
	var out []string
	for _, x := range vals {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// listValues writes allowed values for a message: "v", "h", true.
func listValues(vals []any) string {
	parts := make([]string, len(vals))
	for i, x := range vals {
		if s, ok := x.(string); ok {
			parts[i] = strconv.Quote(s)
		} else {
			parts[i] = fmt.Sprint(x)
		}
	}
	return strings.Join(parts, ", ")
}

func matchesAny(patterns []*regexp.Regexp, s string) bool {
	for _, re := range patterns {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// subplotExample shows a subplot id a spec takes, e.g. "x2", for messages.
func subplotExample(s *valSpec) string {
	if len(s.values) == 1 {
		if base, ok := s.values[0].(string); ok {
			return fmt.Sprintf("%q, %q, %q ...", base, base+"2", base+"3")
		}
	}
	if len(s.patterns) == 0 {
		return "an id"
	}
	return "/" + s.patterns[0].String() + "/"
}

// colorSuggestion is ` (did you mean "red"?)` for a misspelled color name, or "".
func colorSuggestion(val any) string {
	s, ok := val.(string)
	if !ok {
		return ""
	}
	return didYouMean(strings.ToLower(strings.TrimSpace(s)), cssColorNameList)
}

// maxPointsLimit is the largest window a stream may ask for: more points than a process can
// hold, and small enough to be an int everywhere.
const maxPointsLimit = math.MaxInt32

// parseMaxPoints reads a stream's maxpoints as the figure's JSON holds it: a non-negative
// integer no greater than maxPointsLimit. Anything else (a string, a fraction, a number out of
// range, null, which is what NaN becomes) is an error rather than a window the link would not
// keep: read as 0 it would keep every point against the user's setting.
func parseMaxPoints(val any) (int, error) {
	f, ok := val.(float64)
	switch {
	case !ok:
		return 0, fmt.Errorf("want a whole number of points (0 keeps them all), got %s (NaN and ±Inf become null)", JSONKind(val))
	case f < 0 || f > maxPointsLimit || f != math.Trunc(f):
		return 0, fmt.Errorf("want a whole number of points from 0 (keep them all) to %d, got %v", maxPointsLimit, f)
	}
	return int(f), nil
}
