package jupytext

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

var (
	startRegionRE = regexp.MustCompile(`^<!--\s*#(region|markdown|md|raw)(.*)-->\s*$`)
	headerRE      = regexp.MustCompile(`^---\s*$`)
	jupyterKeyRE  = regexp.MustCompile(`^jupyter\s*:\s*$`)
)

// ReadMarkdown reads a jupytext Markdown notebook (format versions 1.0 to
// 1.3) into an nbformat 4.5 notebook. file names the input in error
// messages. Cells get no ids; WriteIPYNB gives them some.
func ReadMarkdown(data []byte, file string) (*Notebook, error) {
	if err := checkText(data, file); err != nil {
		return nil, err
	}
	lines := splitLines(string(data))
	nb := NewNotebook()

	h, err := readHeader(lines, file)
	if err != nil {
		return nil, err
	}
	metadata := h.metadata
	var cells []*Cell
	if h.cell != nil {
		cells = append(cells, h.cell)
	}

	r := &markdownReader{defaultLanguage: defaultLanguage(metadata, false)}
	if r.defaultLanguage == "" {
		r.defaultLanguage = "python"
	}
	jt := metadata.Sub("jupytext")
	if split, _ := jt.Get("split_at_heading"); split == true {
		r.splitAtHeading = true
	}
	if tr := jt.Sub("text_representation"); tr != nil && tr.String("extension") == ".md" && tr.String("format_name") == "markdown" {
		if v, ok := tr.Get("format_version"); ok {
			r.formatVersion, _ = v.(string)
		}
	}

	pos := h.next
	cellMetadataJSON := false
	for pos < len(lines) {
		cell, n, usedJSON := r.readCell(lines[pos:])
		if n <= 0 {
			return nil, &Error{File: file, Line: pos + 1, Msg: "the reader could not advance (please report this input)"}
		}
		cells = append(cells, cell)
		cellMetadataJSON = cellMetadataJSON || usedJSON
		pos += n
	}

	setMainAndCellLanguage(metadata, cells)
	cellKeys := map[string]bool{}
	for _, c := range cells {
		for _, k := range c.Metadata.keys {
			cellKeys[k] = true
		}
	}
	updateMetadataFilters(metadata, h.hasJupyter, cellKeys)
	if cellMetadataJSON {
		jt := metadata.SubOrNew("jupytext")
		if !jt.Has("cell_metadata_json") {
			jt.Set("cell_metadata_json", true)
		}
	}
	nb.Metadata = metadata
	nb.Cells = cells
	return nb, nil
}

type headerResult struct {
	metadata   *Map
	hasJupyter bool
	cell       *Cell // the other YAML keys of the header, as a raw cell
	next       int   // index of the first line after the header
}

// readHeader reads the YAML header: its jupyter: entry is the notebook
// metadata, other keys stay as a raw cell.
func readHeader(lines []string, file string) (headerResult, error) {
	var header, jupyter []string
	inJupyter, inHTMLComment, started, ended := false, false, false, false
	jupyterStart := 0
	i := -1
	for i = 0; i < len(lines); i++ {
		line := lines[i]
		if strings.HasPrefix(pyStrip(line), "<!--") {
			inHTMLComment = true
			continue
		}
		if inHTMLComment {
			if ended && strings.Contains(line, "-->") {
				break
			}
			if !started && pyStrip(line) == "" {
				continue
			}
		}
		if headerRE.MatchString(line) {
			if !started {
				started = true
				continue
			}
			ended = true
			if inHTMLComment {
				continue
			}
			break
		}
		if !started && pyStrip(line) != "" {
			break
		}
		if jupyterKeyRE.MatchString(line) {
			inJupyter = true
			jupyterStart = i
		} else if line != "" && !startsWithSpace(line) {
			inJupyter = false
		}
		if inJupyter {
			jupyter = append(jupyter, line)
		} else {
			header = append(header, line)
		}
	}
	if i >= len(lines) {
		i = len(lines) - 1
	}
	if !ended {
		return headerResult{metadata: NewMap()}, nil
	}
	metadata := NewMap()
	if len(jupyter) > 0 {
		v, line, err := parseYAML(strings.Join(jupyter, "\n"))
		if err != nil {
			msg := "malformed YAML in the jupyter: header; fix the YAML between the --- lines"
			var ye *yamlError
			if errors.As(err, &ye) {
				msg = "in the jupyter: header"
			}
			return headerResult{}, &Error{File: file, Line: jupyterStart + max(line, 1), Msg: msg, Err: err}
		}
		top, _ := v.(*Map)
		switch m := top.value("jupyter").(type) {
		case *Map:
			metadata = m
		case nil:
		default:
			return headerResult{}, &Error{File: file, Line: jupyterStart + 1, Msg: "the jupyter: entry of the header must be a mapping of notebook metadata"}
		}
	}
	linesToNextCell := 1
	if len(lines) > i+1 {
		if !isBlank(lines[i+1]) {
			linesToNextCell = 0
		} else {
			i++
		}
	} else {
		linesToNextCell = 0
	}
	var cell *Cell
	if len(header) > 0 {
		md := NewMap()
		if linesToNextCell != 1 {
			md.Set("lines_to_next_cell", Number(fmt.Sprint(linesToNextCell)))
		}
		cell = NewCell("raw", strings.Join(append(append([]string{"---"}, header...), "---"), "\n"), md)
	}
	return headerResult{metadata: metadata, hasJupyter: len(jupyter) > 0, cell: cell, next: i + 1}, nil
}

// markdownReader holds what the reading of every cell needs.
type markdownReader struct {
	defaultLanguage string
	formatVersion   string
	splitAtHeading  bool
}

func (r *markdownReader) oldVersion() bool {
	return r.formatVersion == "1.0" || r.formatVersion == "1.1"
}

// cellReader reads one cell.
type cellReader struct {
	*markdownReader
	metadata     *Map // nil while no explicit cell start was seen
	language     string
	cellType     string
	inRegion     bool
	regionName   string // region, markdown, md or raw
	endCodeExact bool   // the fence ends with a line of exactly ``` (and spaces)
	endCode      string // else the fence ends with a line that starts with this
	usedJSON     bool
}

func (c *cellReader) endCodeMatch(line string) bool {
	if c.endCodeExact {
		return strings.HasPrefix(line, "```") && isBlank(line[3:])
	}
	return strings.HasPrefix(line, c.endCode)
}

// matchCodeStart matches a code fence that opens a cell, returning its
// option text (language and metadata).
func (c *cellReader) matchCodeStart(line string) (options string, ok bool) {
	if !strings.HasPrefix(line, "```") {
		return "", false
	}
	if c.oldVersion() {
		c.endCodeExact = true
		return line[3:], true
	}
	s := line[3:]
	extra := s[:len(s)-len(strings.TrimLeft(s, "`"))]
	s = s[len(extra):]
	rest := strings.TrimLeftFunc(s, isPySpace)
	space := s[:len(s)-len(rest)]
	lang := ""
	for _, wl := range []string{"wolfram language", "WOLFRAM LANGUAGE"} {
		if strings.HasPrefix(rest, wl) && (len(rest) == len(wl) || startsWithSpace(rest[len(wl):])) {
			lang = wl
		}
	}
	if lang == "" {
		end := strings.IndexFunc(rest, isPySpace)
		if end < 0 {
			end = len(rest)
		}
		lang = rest[:end]
		if !isFenceLanguage(lang) {
			return "", false
		}
	}
	c.endCodeExact = false
	c.endCode = "```" + extra
	// jupytext joins the parts of the fence line with spaces, so the
	// space after the language doubles on every trip when the options are
	// not metadata.
	return space + " " + lang + " " + rest[len(lang):], true
}

func (c *cellReader) isNonJupyterFence(line string) bool {
	if c.oldVersion() {
		return strings.HasPrefix(line, "```{")
	}
	return strings.HasPrefix(line, "```")
}

func (c *cellReader) optionsToMetadata(options string) (string, *Map) {
	c.usedJSON = c.usedJSON || isJSONMetadata(options)
	return textToMetadata(options, false)
}

func hasNoEval(m *Map) bool {
	v, ok := m.Get(".noeval")
	return ok && v == nil
}

// readCell reads the cell at the start of lines and returns it with the
// number of lines it used and whether its options were JSON.
func (r *markdownReader) readCell(lines []string) (*Cell, int, bool) {
	c := &cellReader{markdownReader: r, endCodeExact: true}
	if m := startRegionRE.FindStringSubmatch(lines[0]); m != nil {
		c.inRegion = true
		c.regionName = m[1]
		c.usedJSON = isJSONMetadata(m[2])
		title, md := textToMetadata(m[2], true)
		c.metadata = md
		c.cellType = "markdown"
		if m[1] == "raw" {
			c.cellType = "raw"
		}
		if title != "" {
			c.metadata.Set("title", title)
		}
		if m[1] == "markdown" || m[1] == "md" {
			c.metadata.Set("region_name", m[1])
		}
	} else if options, ok := c.matchCodeStart(lines[0]); ok {
		c.language, c.metadata = c.optionsToMetadata(options)
		if hasNoEval(c.metadata) {
			c.cellType = "markdown"
			c.metadata = NewMap()
			c.language = ""
		}
	}
	if lang, ok := c.metadata.Get("language"); ok {
		c.language, _ = lang.(string)
		c.metadata.Delete("language")
	}

	end, next, explicitEnd := c.findCellEnd(lines)
	cellStart := 1
	if c.metadata == nil {
		cellStart = 0
		c.metadata = NewMap()
	}
	content := lines[cellStart:end]
	if c.cellType == "code" {
		if !isActive("ipynb", c.metadata, true) {
			if v, _ := c.metadata.Get("active"); v == "" {
				c.metadata.Delete("active")
			}
			c.cellType = "raw"
		} else if c.language == "" {
			if !r.oldVersion() {
				c.cellType = "markdown"
				explicitEnd = false
				end++
				content = lines[:end]
			} else {
				c.cellType = "raw"
			}
		}
	}
	if next+1 < len(lines) && isBlank(lines[next]) && !isBlank(lines[next+1]) {
		next++
	} else if explicitEnd && next+2 < len(lines) && isBlank(lines[next]) && isBlank(lines[next+1]) && !isBlank(lines[next+2]) {
		next += 2
	}
	linesToNext := 1
	if end < len(lines) {
		linesToNext = next - end
		if explicitEnd {
			linesToNext--
		}
		if next >= len(lines) {
			linesToNext++
		}
	}
	if linesToNext != 1 {
		c.metadata.Set("lines_to_next_cell", Number(fmt.Sprint(linesToNext)))
	}
	if c.language != "" {
		c.metadata.Set("language", c.language)
	}
	return NewCell(c.cellType, strings.Join(content, "\n"), c.metadata), next, c.usedJSON
}

// findCellEnd returns the index of the cell's end marker, of the first line
// after the cell, and whether the cell had an explicit end marker.
func (c *cellReader) findCellEnd(lines []string) (int, int, bool) {
	switch {
	case c.inRegion:
		for i, line := range lines {
			if isRegionEnd(line, c.regionName) {
				return i, i + 1, true
			}
		}
		// As in jupytext, a region that is never closed runs to the end
		// of the file.
		return len(lines), len(lines), false
	case c.metadata == nil:
		return c.scanMarkdown(lines)
	}
	c.cellType = "code"
	language := c.language
	if language == "" {
		language = c.defaultLanguage
	}
	parser := newStringParser(language)
	for i := 1; i < len(lines); i++ {
		line := lines[i]
		if parser.isQuoted() {
			parser.readLine(line)
			continue
		}
		parser.readLine(line)
		if c.endCodeMatch(line) {
			return i, i + 1, true
		}
	}
	// As in jupytext, a fence that is never closed (or whose closing line
	// is inside a string the code leaves open) runs to the end of the file.
	return len(lines), len(lines), false
}

// scanMarkdown finds the end of a Markdown cell: two blank lines, a region
// or a code cell, except inside other fences or indented code.
func (c *cellReader) scanMarkdown(lines []string) (int, int, bool) {
	c.cellType = "markdown"
	prevBlank := 0
	inFence, inIndented := false, false
	for i, line := range lines {
		if inFence && c.endCodeMatch(line) {
			inFence = false
			continue
		}
		if prevBlank > 0 && strings.HasPrefix(line, "    ") && !isBlank(line) {
			inIndented = true
			prevBlank = 0
			continue
		}
		if inIndented && !isBlank(line) && !strings.HasPrefix(line, "    ") {
			inIndented = false
		}
		if inIndented || inFence {
			continue
		}
		if startRegionRE.MatchString(line) {
			if i > 1 && prevBlank > 0 {
				return i - 1, i, false
			}
			return i, i, false
		}
		if options, ok := c.matchCodeStart(line); ok {
			language, md := c.optionsToMetadata(options)
			if !isFenceLanguage(language) || hasNoEval(md) {
				inFence = true
				prevBlank = 0
				continue
			}
			if i > 1 && prevBlank > 0 {
				return i - 1, i, false
			}
			return i, i, false
		} else if strings.HasPrefix(line, "```{") {
			inFence = true
			prevBlank = 0
			continue
		}
		if c.isNonJupyterFence(line) {
			if prevBlank >= 2 {
				return i - 2, i, true
			}
			inFence = true
			prevBlank = 0
			continue
		}
		if c.splitAtHeading && strings.HasPrefix(line, "#") && prevBlank >= 1 {
			return i - 1, i, false
		}
		switch {
		case isBlank(line):
			prevBlank++
		case prevBlank >= 2:
			return i - 2, i, true
		default:
			prevBlank = 0
		}
	}
	return len(lines), len(lines), false
}

// setMainAndCellLanguage records the notebook's main language and turns
// cells in other languages into cell magics (%%bash).
func setMainAndCellLanguage(metadata *Map, cells []*Cell) {
	main := defaultLanguage(metadata, false)
	if main == "" {
		votes := map[string]float64{"python": 0.5}
		order := []string{"python"}
		for _, cell := range cells {
			if l, ok := cell.Metadata.values["language"].(string); ok {
				name := usualLanguageName(l)
				if _, seen := votes[name]; !seen {
					order = append(order, name)
				}
				votes[name]++
			}
		}
		main = order[0]
		for _, l := range order {
			if votes[l] > votes[main] {
				main = l
			}
		}
	}
	if !metadata.Sub("kernelspec").Has("language") && len(cells) > 0 {
		metadata.SubOrNew("jupytext").Set("main_language", main)
	}
	for _, cell := range cells {
		l, ok := cell.Metadata.values["language"].(string)
		if !ok {
			continue
		}
		if l == main {
			cell.Metadata.Delete("language")
			continue
		}
		if usualLanguageName(l) == main {
			continue
		}
		if jupyterLanguages[l] {
			cell.Metadata.Delete("language")
			magic := "%%"
			if main == "csharp" {
				magic = "#!"
			}
			if args, ok := cell.Metadata.Get("magic_args"); ok {
				cell.Metadata.Delete("magic_args")
				s, isString := args.(string)
				if !isString {
					s = compactJSON(args)
				}
				cell.Source = magic + l + " " + s + "\n" + cell.Source
			} else {
				cell.Source = magic + l + "\n" + cell.Source
			}
		}
	}
}

var defaultNotebookMetadata = []string{"jupytext", "kernelspec", "kernel_info", "orphan", "tocdepth"}

// updateMetadataFilters records which metadata the text file showed, so
// that writing it back shows the same: a file without a jupyter: header
// gets notebook_metadata_filter -all and a cell filter naming the cell keys
// seen (sorted, where jupytext's order is that of a Python set).
func updateMetadataFilters(metadata *Map, hasJupyter bool, cellKeys map[string]bool) {
	keys := make([]string, 0, len(cellKeys))
	for k := range cellKeys {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	jt := metadata.Sub("jupytext")
	switch {
	case !hasJupyter:
		jt = metadata.SubOrNew("jupytext")
		jt.Set("notebook_metadata_filter", "-all")
		if !jt.Has("cell_metadata_filter") {
			jt.Set("cell_metadata_filter", (&metadataFilter{additional: keys, excludedAll: true}).String())
		}
	case jt.Has("cell_metadata_filter"):
		f := parseMetadataFilter(jt.values["cell_metadata_filter"])
		if !f.excludedAll {
			var kept []string
			for _, k := range f.excluded {
				if !cellKeys[k] {
					kept = append(kept, k)
				}
			}
			f.excluded = kept
		}
		if !f.additionalAll {
			for _, k := range keys {
				if !containsString(f.additional, k) {
					f.additional = append(f.additional, k)
				}
			}
		}
		jt.Set("cell_metadata_filter", f.String())
	default:
		var filter []string
		if v, _ := jt.Get("notebook_metadata_filter"); v != nil {
			s, _ := v.(string)
			for _, k := range strings.Split(s, ",") {
				if k != "" {
					filter = append(filter, k)
				}
			}
		}
		if containsString(filter, "all") || containsString(filter, "-all") {
			return
		}
		for _, k := range metadata.keys {
			if containsString(defaultNotebookMetadata, k) || containsString(filter, k) || containsString(filter, "-"+k) {
				continue
			}
			filter = append(filter, k)
		}
		if len(filter) > 0 {
			metadata.SubOrNew("jupytext").Set("notebook_metadata_filter", strings.Join(filter, ","))
		}
	}
}

// isRegionEnd matches the line that closes a region: <!-- #end<name> -->.
func isRegionEnd(line, name string) bool {
	rest, ok := strings.CutPrefix(line, "<!--")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(strings.TrimLeft(rest, " \t\n\f\r"), "#end"+name)
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(strings.TrimLeft(rest, " \t\n\f\r"), "-->")
	return ok && strings.TrimLeft(rest, " \t\n\f\r") == ""
}
