package figure

import (
	"regexp"
	"strings"
)

// cssColorNames are the named colors plotly.js (tinycolor) takes, besides "transparent".
var cssColorNames = func() map[string]bool {
	m := map[string]bool{"transparent": true}
	for _, n := range strings.Fields(`
	aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet
	brown burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan
	darkblue darkcyan darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta
	darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen darkslateblue
	darkslategray darkslategrey darkturquoise darkviolet deeppink deepskyblue dimgray dimgrey
	dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray
	green greenyellow grey honeydew hotpink indianred indigo ivory khaki lavender lavenderblush
	lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow lightgray lightgreen
	lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray lightslategrey
	lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue
	mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise
	mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace olive
	olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred
	papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue
	saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray
	slategrey snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white
	whitesmoke yellow yellowgreen
`) {
		m[n] = true
	}
	return m
}()

// hexColor is #rgb, #rgba, #rrggbb or #rrggbbaa; tinycolor also takes them without the #.
var hexColor = regexp.MustCompile(`^#?([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$`)

// colorFunction is rgb(), rgba(), hsl(), hsla(), hsv() or hsva() with 3 or 4 numbers or
// percentages, separated by commas or spaces, the parentheses optional (as tinycolor parses).
var colorFunction = regexp.MustCompile(`^(rgb|hsl|hsv)a?[\s(]*[-+]?[0-9.]+%?([\s,]+[-+]?[0-9.]+%?){2,3}[\s)]*$`)

// isColor reports whether plotly.js takes v as a color.
func isColor(v any) bool {
	s, ok := v.(string)
	if !ok {
		return false
	}
	s = strings.ToLower(strings.TrimSpace(s))
	return cssColorNames[s] || hexColor.MatchString(s) || colorFunction.MatchString(s)
}

// cssColorNameList is cssColorNames sorted, for suggestions.
var cssColorNameList = sortedKeys(cssColorNames)
