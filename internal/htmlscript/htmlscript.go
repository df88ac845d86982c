// Package htmlscript puts JavaScript source inside an HTML <script> element. It is the one way
// liveplot embeds a script, in notebook outputs and in standalone pages alike.
package htmlscript

import "strings"

// Escape makes JavaScript source safe to put between <script> and </script> in HTML: the
// sequences that would end or confuse the element (</script, <!--) are written with a backslash
// that JavaScript ignores in the strings, regular expressions and comments where they can occur.
func Escape(src string) string {
	var b strings.Builder
	b.Grow(len(src))
	for i := 0; i < len(src); i++ {
		if src[i] == '<' {
			rest := src[i+1:]
			if len(rest) >= 7 && rest[0] == '/' && strings.EqualFold(rest[1:7], "script") {
				b.WriteString(`<\/`)
				i++ // the '/'
				continue
			}
			if strings.HasPrefix(rest, "!--") {
				b.WriteString(`<\!`)
				i++ // the '!'
				continue
			}
		}
		b.WriteByte(src[i])
	}
	return b.String()
}
