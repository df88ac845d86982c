package jupytext

import (
	"regexp"
	"strings"
)

// forcedMagicRE matches, per script language, a magic command that its
// author marked "<comment> escape": jupytext comments it out even in
// Markdown, where magics otherwise stay as they are.
var forcedMagicRE = func() map[string]*regexp.Regexp {
	res := map[string]*regexp.Regexp{}
	for lang, comment := range scriptLanguageComments {
		c := regexp.QuoteMeta(comment)
		suffix := "escape"
		if lang == "rust" || lang == "csharp" {
			suffix = "noescape" // as jupytext does for these two
		}
		prefix := `^\s*(` + c + ` |` + c + `)*(%|%%|%%%)[a-zA-Z]`
		switch lang {
		case "rust":
			prefix = `^(// |//)*:[a-zA-Z]`
		case "csharp":
			prefix = `^(// |//)*#![a-zA-Z]`
		}
		res[lang] = regexp.MustCompile(prefix + `(.*)` + c + `\s*` + suffix)
	}
	return res
}()

var lineContinuationRE = regexp.MustCompile(`.*\\\s*$`)

// commentForcedMagics returns source with the magics marked "escape"
// commented out, as jupytext writes code cells in Markdown.
func commentForcedMagics(source []string, language string) []string {
	usual := usualLanguageName(language)
	re, ok := forcedMagicRE[usual]
	if !ok || usual == "matlab" || usual == "logtalk" {
		return source
	}
	comment := scriptLanguageComments[language]
	if comment == "" {
		return source // jupytext would fail here; keep the line as it is
	}
	var out []string
	parser := newStringParser(language)
	nextIsMagic := false
	for i, line := range source {
		if !parser.isQuoted() && (nextIsMagic || re.MatchString(line)) {
			if out == nil {
				out = append([]string(nil), source...)
			}
			unindented, indent := line, ""
			if !nextIsMagic {
				unindented = strings.TrimLeftFunc(line, isPySpace)
				indent = line[:len(line)-len(unindented)]
			}
			out[i] = indent + comment + " " + unindented
			nextIsMagic = language == "python" && lineContinuationRE.MatchString(line)
		}
		parser.readLine(line)
	}
	if out == nil {
		return source
	}
	return out
}
