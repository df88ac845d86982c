package kernelext

import (
	_ "embed"
	"strings"
)

// The browser sides of the frontends. Each is core.js (what they share) followed by the
// frontend's own file, wrapped in one function so that their names stay private.
var (
	//go:embed core.js
	coreJS string
	//go:embed localpage.js
	localPageJS string
	//go:embed notebook.js
	notebookJS string

	// pageJS keeps the local page's outputs up to date and delivers frames to the scripts that
	// subscribe to channels.
	pageJS = []byte(bundleJS(localPageJS))
	// notebookPageJS is the same for a notebook run by GoNB; every output carries it.
	notebookPageJS = bundleJS(notebookJS)
)

func bundleJS(own string) string {
	return "(function () {\n\"use strict\";\n" + coreJS + "\n" + own + "})();\n"
}

// scriptText makes JavaScript source safe to put between <script> and </script> in HTML: the
// sequences that would end or confuse the element (</script, <!--) are written with a backslash
// that JavaScript ignores in the strings, regular expressions and comments where they can occur.
func scriptText(src string) string {
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
