package jupytext

import (
	"strconv"
	"strings"
)

// JupytextVersion is the jupytext release whose Markdown output this
// package reproduces (the golden vectors come from its source tree). It is
// written as jupytext_version in the text_representation block of the
// header, unless MarkdownOptions.NoVersionStamp is set.
const JupytextVersion = "1.19.5.dev0"

// MarkdownFormatVersion is the version of the Markdown format written.
const MarkdownFormatVersion = "1.3"

// MarkdownOptions say how to write a Markdown notebook.
type MarkdownOptions struct {
	// NoVersionStamp leaves out the jupytext: text_representation: block
	// (format name and version, jupytext version) that jupytext puts in
	// the header, as jupytext's own tests do.
	NoVersionStamp bool
}

var (
	defaultNotebookFilter = &metadataFilter{additional: defaultNotebookMetadata}
	defaultCellFilter     = &metadataFilter{excluded: ignoredCellMetadata}
)

// WriteMarkdown returns nb as a jupytext Markdown notebook (format 1.3), as
// jupytext writes it. Outputs are dropped, and so are cell metadata that
// only matter to Jupyter (collapsed, scrolled, ExecuteTime, ...). nb is
// not modified.
func WriteMarkdown(nb *Notebook, opts MarkdownOptions) []byte {
	metadata := nb.Metadata.Clone()
	if metadata == nil {
		metadata = NewMap()
	}
	defaultLang := defaultLanguage(metadata, true)
	if defaultLang == "" {
		defaultLang = "python"
	}
	jt := metadata.Sub("jupytext")
	w := &markdownWriter{
		cellFilter:     jt.value("cell_metadata_filter"),
		splitAtHeading: jt.value("split_at_heading") == true,
		plainJSON:      jt.value("cell_metadata_json") == true,
	}
	hide := jt.value("hide_notebook_metadata") == true
	notebookFilter := jt.value("notebook_metadata_filter")

	cells := nb.Cells
	var header []string
	headerLinesToNext := -1
	if len(cells) > 0 && cells[0].CellType == "raw" {
		lines := splitLines(strings.Trim(cells[0].Source, "\n\t "))
		if len(lines) >= 2 && headerRE.MatchString(lines[0]) && headerRE.MatchString(lines[len(lines)-1]) {
			header = lines[1 : len(lines)-1]
			headerLinesToNext = intMetadata(cells[0].Metadata, "lines_to_next_cell")
			cells = cells[1:]
		}
	}
	if !opts.NoVersionStamp {
		stamp := NewMap()
		stamp.Set("extension", ".md")
		stamp.Set("format_name", "markdown")
		stamp.Set("format_version", MarkdownFormatVersion)
		stamp.Set("jupytext_version", JupytextVersion)
		metadata.SubOrNew("jupytext").Set("text_representation", stamp)
	}
	if jt := metadata.Sub("jupytext"); jt != nil && jt.Len() == 0 {
		metadata.Delete("jupytext")
	}
	shown := filterMetadata(metadata, notebookFilter, defaultNotebookFilter)
	if shown.Len() > 0 {
		root := NewMap()
		root.Set("jupyter", shown)
		header = append(header, splitLines(dumpYAML(root))...)
	}
	if len(header) > 0 {
		header = append(append([]string{"---"}, header...), "---")
		if hide {
			header = append(append([]string{"<!--", ""}, header...), "", "-->")
		}
	}

	exporters := make([]*cellExporter, len(cells))
	for i, cell := range cells {
		exporters[i] = w.newExporter(cell, defaultLang)
	}
	// Each cell's text with the blank lines that follow it; jupytext works
	// from the last cell back, joining as it goes. The separator after a
	// cell depends on the next cell's text, so the texts are made in the
	// same order.
	texts := make([][]string, len(exporters))
	blocks := make([][]string, len(exporters))
	restFence := 0 // the longest run of backticks that starts a line after the cell
	for i := len(exporters) - 1; i >= 0; i-- {
		e := exporters[i]
		e.restFence = restFence
		texts[i] = e.text()
		e.fenced = e.isCode() && readsAsCode(texts[i])
		blocks[i] = w.block(exporters, texts, i)
		if e.cellType == "markdown" && !e.region && !w.readsBack(e, blocks, i) {
			// The cell reads back whole on its own but not before the next
			// one (it ends inside a fence, say, that the reader closes
			// elsewhere): protect it as the writer does other such cells.
			texts[i] = e.protectMarkdown()
			blocks[i] = w.block(exporters, texts, i)
		}
		for _, line := range texts[i] {
			if strings.HasPrefix(line, "```") {
				restFence = max(restFence, len(line)-len(strings.TrimLeft(line, "`")))
			}
		}
	}
	var lines []string
	for _, block := range blocks {
		lines = append(lines, block...)
	}
	if headerLinesToNext < 0 {
		headerLinesToNext = 1
		if len(header) == 0 {
			headerLinesToNext = 0
		}
	}
	for range headerLinesToNext {
		header = append(header, "")
	}
	if len(header) == 0 && len(lines) == 0 {
		// jupytext writes "\n" here, which reads back as one empty cell.
		return []byte{}
	}
	out := strings.Join(append(header, lines...), "\n")
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return []byte(out)
}

// intMetadata returns a non-negative integer metadata value, or -1.
func intMetadata(m *Map, key string) int {
	v, _ := m.Get(key)
	n, ok := v.(Number)
	if !ok || !n.IsInt() {
		return -1
	}
	i, err := strconv.Atoi(string(n))
	if err != nil || i < 0 || i > 1000 {
		return -1
	}
	return i
}

type markdownWriter struct {
	cellFilter     any
	splitAtHeading bool
	plainJSON      bool
}

// cellExporter is one cell on its way to text.
type cellExporter struct {
	w           *markdownWriter
	cellType    string
	source      []string
	metadata    *Map
	language    string
	linesToNext int
	// region is set when the cell was written inside HTML comment markers.
	// (jupytext tests whether the text starts with "<!-- #", which a plain
	// Markdown cell may do too, and then does not read back.)
	region bool
	// fenced is set when the cell was written as a code fence that reads
	// back as code (a fence in a language the reader does not know reads
	// back as Markdown, and is then separated as Markdown).
	fenced bool
	// restFence is the longest run of backticks that starts a line of the
	// cells after this one.
	restFence int
}

// readsAsCode reports whether the text of a code cell reads back as a code
// or raw cell, not as Markdown.
func readsAsCode(text []string) bool {
	r := &markdownReader{defaultLanguage: "python"}
	cell, _, _, err := r.readCell(text, 0)
	return err == nil && cell.CellType != "markdown"
}

// cellSource splits a source into lines; a trailing newline gives a last
// empty line.
func cellSource(source string) []string {
	if source == "" {
		return []string{""}
	}
	lines := splitLines(source)
	if strings.HasSuffix(source, "\n") {
		lines = append(lines, "")
	}
	return lines
}

func (w *markdownWriter) newExporter(cell *Cell, defaultLang string) *cellExporter {
	e := &cellExporter{w: w, cellType: cell.CellType, source: cellSource(cell.Source)}
	e.metadata = filterMetadata(cell.Metadata, w.cellFilter, defaultCellFilter)
	lang, args, source := cellLanguage(e.source, defaultLang)
	e.source = source
	if args != "" {
		e.metadata.Set("magic_args", args)
	}
	if lang != "" {
		e.metadata.Set("language", lang)
	}
	e.language = lang
	if e.language == "" {
		if l, ok := cell.Metadata.value("language").(string); ok {
			e.language = l
		} else {
			e.language = defaultLang
		}
	}
	e.linesToNext = intMetadata(cell.Metadata, "lines_to_next_cell")
	if e.cellType == "raw" && !e.metadata.Has("active") && !hasActiveTag(e.metadata) {
		e.metadata.Set("active", "")
	}
	return e
}

func (e *cellExporter) isCode() bool {
	return e.cellType == "code" || (e.cellType == "raw" && e.metadata.Has("active")) || hasActiveTag(e.metadata)
}

func (e *cellExporter) text() []string {
	if e.cellType == "markdown" {
		protect := e.metadata.Len() > 0
		if !protect {
			r := &markdownReader{defaultLanguage: "python", splitAtHeading: e.w.splitAtHeading}
			cell, pos, _, err := r.readCell(e.source, 0)
			protect = err != nil || pos < len(e.source) || cell.CellType != "markdown" || isBlank(strings.Join(e.source, "")) ||
				isBlank(e.source[0]) // the blank lines before a cell are its separator

		}
		if protect {
			return e.protectMarkdown()
		}
		return e.source
	}
	return e.codeText()
}

// protectMarkdown writes a Markdown cell between region markers.
func (e *cellExporter) protectMarkdown() []string {
	region := "region"
	if name, ok := e.metadata.value("region_name").(string); ok {
		region = name
		e.metadata.Delete("region_name")
	}
	return e.htmlComment(region)
}

// block returns the text of cell i followed by the blank lines that
// separate it from the next cell.
func (w *markdownWriter) block(exporters []*cellExporter, texts [][]string, i int) []string {
	e := exporters[i]
	text := append([]string(nil), texts[i]...)
	n := e.linesToNext
	if n < 0 {
		n = 1
	}
	for range n {
		text = append(text, "")
	}
	if !e.fenced && i+1 < len(exporters) && !exporters[i+1].fenced &&
		!e.region && !exporters[i+1].region &&
		(!w.splitAtHeading || !strings.HasPrefix(texts[i+1][0], "#")) {
		text = append(text, "")
	}
	return text
}

// readsBack reports whether the Markdown cell whose block is blocks[i]
// reads back from the document as it was written: the same source, the
// same blank lines to the next cell, and the next cell starting right
// after the block. The reader looks at most a few lines past the cell, so
// a few lines of the next blocks stand for the rest of the document.
func (w *markdownWriter) readsBack(e *cellExporter, blocks [][]string, i int) bool {
	lines := append([]string(nil), blocks[i]...)
	last := true
	for j := i + 1; j < len(blocks); j++ {
		if len(lines) >= len(blocks[i])+4 {
			last = false
			break
		}
		lines = append(lines, blocks[j]...)
	}
	if last && len(lines) > 0 && lines[len(lines)-1] == "" {
		// The written file ends with a line break, not an empty line.
		lines = lines[:len(lines)-1]
	}
	r := &markdownReader{defaultLanguage: "python", splitAtHeading: w.splitAtHeading}
	cell, n, _, err := r.readCell(lines, 0)
	if err != nil || cell.CellType != "markdown" || cell.Source != strings.Join(e.source, "\n") {
		return false
	}
	if i+1 == len(blocks) {
		return n == len(lines)
	}
	want := e.linesToNext
	if want < 0 {
		want = 1
	}
	got := intMetadata(cell.Metadata, "lines_to_next_cell")
	if got < 0 {
		got = 1
	}
	return n == len(blocks[i]) && got == want && cell.Metadata.Len() == boolInt(cell.Metadata.Has("lines_to_next_cell"))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func (e *cellExporter) htmlComment(code string) []string {
	e.region = true
	start := "<!-- #" + code + " -->"
	if e.metadata.Len() > 0 {
		start = "<!-- #" + code + " " + metadataToText(nil, e.metadata, e.w.plainJSON) + " -->"
	}
	out := make([]string, 0, len(e.source)+2)
	out = append(out, start)
	out = append(out, e.source...)
	return append(out, "<!-- #end"+code+" -->")
}

func (e *cellExporter) codeText() []string {
	if v, ok := e.metadata.Get("active"); ok && v == "" {
		e.metadata.Delete("active")
	}
	if l, ok := e.metadata.Get("language"); ok {
		e.language, _ = l.(string)
		e.metadata.Delete("language")
	}
	if e.cellType == "raw" && !isActive("md", e.metadata, false) {
		return e.htmlComment("raw")
	}
	// A language of several words (read from options in JSON, whose language is all the text
	// before "{") keeps its options in JSON: as key=value they would read back as flags.
	options := metadataToText(&e.language, e.metadata, strings.ContainsFunc(e.language, isPySpace))
	body := commentForcedMagics(e.source, e.language)
	fence := fenceFor(e.source)
	parser := newStringParser(e.language)
	for _, line := range body {
		parser.readLine(line)
	}
	if parser.isQuoted() && len(fence) <= e.restFence {
		// The code leaves a string open, so the reader looks past the
		// closing fence for one outside the string, and takes the first
		// fence only when there is none: make sure no later line is one.
		fence = strings.Repeat("`", e.restFence+1)
	}
	out := make([]string, 0, len(e.source)+2)
	out = append(out, fence+options)
	out = append(out, body...)
	return append(out, fence)
}

// fenceFor returns a fence of enough backticks to enclose lines: three, or
// more when lines start with three or more.
func fenceFor(lines []string) string {
	fence := "```"
	for _, line := range lines {
		if !strings.HasPrefix(line, fence) {
			continue
		}
		for _, ch := range line[len(fence):] {
			if ch != '`' {
				break
			}
			fence += "`"
		}
		fence += "`"
	}
	return fence
}
