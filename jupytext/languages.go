package jupytext

import (
	"regexp"
	"strings"
)

// scriptLanguageComments maps the languages jupytext knows as scripts to
// their line comment.
var scriptLanguageComments = map[string]string{
	"python": "#", "coconut": "#", "R": "#", "julia": "#", "c++": "//", "scheme": ";;", "clojure": ";;",
	"bash": "#", "powershell": "#", "q": "/", "matlab": "%", "wolfram language": "(*", "idl": ";",
	"javascript": "//", "typescript": "//", "scala": "//", "rust": "//", "robotframework": "#",
	"csharp": "//", "fsharp": "//", "sos": "#", "java": "//", "groovy": "//", "sage": "#", "ocaml": "(*",
	"haskell": "--", "tcl": "#", "maxima": "/*", "gnuplot": "#", "stata": "//", "sas": "/*", "xonsh": "#",
	"logtalk": "%", "lua": "--", "go": "//",
}

// jupyterLanguages are the languages that can name a code cell: cell magics
// that are languages, the script languages, and C#/F# aliases.
var jupyterLanguages = func() map[string]bool {
	set := map[string]bool{}
	for _, l := range []string{"R", "bash", "sh", "python", "python2", "python3", "coconut", "javascript", "js",
		"perl", "html", "latex", "markdown", "pypy", "ruby", "script", "svg", "matlab", "octave", "idl",
		"robotframework", "sas", "spark", "sql", "cython", "haskell", "tcl", "gnuplot", "wolfram language",
		"c#", "f#", "cs", "fs"} {
		set[l] = true
	}
	for l := range scriptLanguageComments {
		set[l] = true
	}
	return set
}()

// fenceLanguages are the languages a fence may name: Jupyter languages in
// lower case or all upper case; jupyterLanguagesLower serves
// case-insensitive look-ups.
var fenceLanguages, jupyterLanguagesLower = func() (map[string]bool, map[string]bool) {
	fence, lower := map[string]bool{}, map[string]bool{}
	for l := range jupyterLanguages {
		fence[l], fence[strings.ToUpper(l)], lower[strings.ToLower(l)] = true, true, true
	}
	return fence, lower
}()

func isFenceLanguage(l string) bool { return fenceLanguages[l] }

func isJupyterLanguage(l string) bool { return jupyterLanguagesLower[strings.ToLower(l)] }

// defaultLanguage returns the notebook's language: jupytext.main_language,
// else kernelspec.language; "" when neither is set. With popMainLanguage,
// a main_language equal to the kernel's is removed from metadata.
func defaultLanguage(metadata *Map, popMainLanguage bool) string {
	jt := metadata.Sub("jupytext")
	main, hasMain := jt.Get("main_language")
	mainLanguage, _ := main.(string)
	kernelLanguage := metadata.Sub("kernelspec").String("language")
	language := kernelLanguage
	if hasMain && mainLanguage != "" {
		language = mainLanguage
	}
	if hasMain && main == any(kernelLanguage) && kernelLanguage != "" && popMainLanguage {
		jt.Delete("main_language")
	}
	switch {
	case language == "", language == "R", language == "sas":
		return language
	case strings.HasPrefix(language, "C++"):
		return "c++"
	}
	return strings.ReplaceAll(strings.ToLower(language), "#", "sharp")
}

// usualLanguageName maps language aliases to jupytext's canonical names.
func usualLanguageName(language string) string {
	l := strings.ToLower(language)
	switch {
	case l == "r":
		return "R"
	case strings.HasPrefix(l, "c++"):
		return "c++"
	case l == "octave":
		return "matlab"
	case l == "cs" || l == "c#":
		return "csharp"
	case l == "fs" || l == "f#":
		return "fsharp"
	case l == "sas":
		return "SAS"
	}
	return l
}

var goDoublePercentCommand = regexp.MustCompile(`^(%%\s*|%%\s+-.*)$`)

// cellLanguage finds a cell magic naming another language on the first line
// of source (%%bash, or #!lang in C# notebooks). When found, the line is
// removed from source and the language and the magic's arguments returned.
func cellLanguage(source []string, defaultLanguage string) (string, string, []string) {
	if len(source) == 0 {
		return "", "", source
	}
	line := source[0]
	if defaultLanguage == "go" && goDoublePercentCommand.MatchString(line) {
		return "", "", source // GoNB's %% and %% --flags are not languages
	}
	if defaultLanguage == "csharp" {
		if strings.HasPrefix(line, "#!") {
			if lang := pyStrip(line[2:]); jupyterLanguages[lang] {
				return lang, "", source[1:]
			}
		}
		return "", "", source
	}
	if strings.HasPrefix(line, "%%") {
		lang, args, _ := strings.Cut(line[2:], " ")
		if jupyterLanguages[lang] {
			return lang, args, source[1:]
		}
	}
	return "", "", source
}
