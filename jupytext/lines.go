package jupytext

import (
	"strings"
	"unicode/utf8"
)

// lineBreakLen returns the length of the line break that starts s[i:] as
// Python's str.splitlines() sees it (\n, \r\n, \r, \v, \f, \x1c-\x1e,
// U+0085, U+2028, U+2029), or 0.
func lineBreakLen(s string, i int) int {
	switch c := s[i]; c {
	case '\n', '\v', '\f', 0x1c, 0x1d, 0x1e:
		return 1
	case '\r':
		if i+1 < len(s) && s[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xc2:
		if i+1 < len(s) && s[i+1] == 0x85 {
			return 2
		}
	case 0xe2:
		if i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xa8 || s[i+2] == 0xa9) {
			return 3
		}
	}
	return 0
}

// splitLines splits s as Python's s.splitlines() does: no trailing empty
// line, line breaks removed.
func splitLines(s string) []string {
	return splitLinesKeep(s, false)
}

// splitLinesKeep splits s into lines; with keepEnds each line keeps its
// line break, as Python's s.splitlines(True).
func splitLinesKeep(s string, keepEnds bool) []string {
	lines := make([]string, 0, strings.Count(s, "\n")+1)
	start := 0
	for i := 0; i < len(s); {
		n := lineBreakLen(s, i)
		if n == 0 {
			i++
			continue
		}
		if keepEnds {
			lines = append(lines, s[start:i+n])
		} else {
			lines = append(lines, s[start:i])
		}
		i += n
		start = i
	}
	if start < len(s) {
		lines = append(lines, s[start:])
	}
	return lines
}

// isBlank tells whether line holds only white space (Python's ^\s*$).
func isBlank(line string) bool {
	for _, r := range line {
		if !isPySpace(r) {
			return false
		}
	}
	return true
}

// isPySpace tells whether r is white space for Python's re \s on str.
func isPySpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x1c, 0x1d, 0x1e, 0x1f, 0x85, 0xa0, 0x1680,
		0x2028, 0x2029, 0x202f, 0x205f, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200a
}

// startsWithSpace tells whether line starts with white space (Python's ^\s).
func startsWithSpace(line string) bool {
	r, _ := utf8.DecodeRuneInString(line)
	return line != "" && isPySpace(r)
}

// pyStrip removes leading and trailing white space, as Python's str.strip().
func pyStrip(s string) string {
	return strings.TrimFunc(s, isPySpace)
}

// lineOfOffset returns the 1-based line number of byte offset in text.
func lineOfOffset(text string, offset int) int {
	if offset > len(text) {
		offset = len(text)
	}
	return strings.Count(text[:offset], "\n") + 1
}
