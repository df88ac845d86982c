package jupytext

import "strings"

// stringParser tells whether a line of code starts inside a string, so that
// a fence line within a multi-line string does not end a code cell.
type stringParser struct {
	python      bool // triple quotes and line-bounded single quotes
	comment     string
	single      byte // the open single quote, or 0
	triple      byte // the open triple quote, or 0
	tripleStart int
}

func newStringParser(language string) *stringParser {
	return &stringParser{python: language != "R", comment: scriptLanguageComments[language]}
}

func (p *stringParser) isQuoted() bool { return p.single != 0 || p.triple != 0 }

func (p *stringParser) readLine(line string) {
	if !p.isQuoted() && p.comment != "" && strings.HasPrefix(strings.TrimLeftFunc(line, isPySpace), p.comment) {
		return
	}
	p.tripleStart = -1
	for i := 0; i < len(line); i++ {
		char := line[i]
		if p.single == 0 && p.triple == 0 && p.comment != "" && p.comment[0] == char && strings.HasPrefix(line[i:], p.comment) {
			break
		}
		if char != '"' && char != '\'' {
			continue
		}
		if i > 0 && line[i-1] == '\\' {
			continue
		}
		if p.single == char {
			p.single = 0
			continue
		}
		if p.single != 0 {
			continue
		}
		if !p.python {
			continue
		}
		if i >= 2 && line[i-2] == char && line[i-1] == char && i >= p.tripleStart+3 {
			if p.triple == char {
				p.triple = 0
				p.tripleStart = i
				continue
			}
			if p.triple != 0 {
				continue
			}
			p.triple = char
			p.tripleStart = i
			continue
		}
		if p.triple != 0 {
			continue
		}
		p.single = char
	}
	if p.python {
		p.single = 0
	}
}
