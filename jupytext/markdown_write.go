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
			headerLinesToNext = linesToNextCell(cells[0].Metadata)
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
	texts := make([][]string, len(cells))
	for i, cell := range cells {
		exporters[i] = w.newExporter(cell, defaultLang)
		texts[i] = exporters[i].text()
	}
	// Each cell's text, then the blank lines that separate it from the
	// next one, as jupytext joins them.
	var lines []string
	for i, e := range exporters {
		lines = append(lines, texts[i]...)
		n := e.linesToNext
		if n < 0 {
			n = 1
		}
		for range n {
			lines = append(lines, "")
		}
		// Two plain Markdown cells in a row get one more blank line.
		if !e.isCode() && i+1 < len(exporters) && !exporters[i+1].isCode() &&
			!strings.HasPrefix(texts[i][0], "<!-- #") && !strings.HasPrefix(texts[i+1][0], "<!-- #") &&
			(!w.splitAtHeading || !strings.HasPrefix(texts[i+1][0], "#")) {
			lines = append(lines, "")
		}
	}
	if headerLinesToNext < 0 {
		headerLinesToNext = 1
		if len(header) == 0 && len(lines) > 0 {
			headerLinesToNext = 0
		}
	}
	for range headerLinesToNext {
		header = append(header, "")
	}
	out := strings.Join(append(header, lines...), "\n")
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return []byte(out)
}

// MaxLinesToNextCell bounds the blank lines written after a cell (its
// lines_to_next_cell metadata), so that a small .ipynb cannot ask for
// gigabytes of them.
const MaxLinesToNextCell = 1000

// linesToNextCell returns the blank lines that jupytext writes after a cell
// for its lines_to_next_cell metadata, or -1 for the default: an integer (a
// negative one writes none, true one and false none; at most
// MaxLinesToNextCell). jupytext raises on other values (a string, 1.5);
// they give the default here.
func linesToNextCell(m *Map) int {
	switch v, _ := m.Get("lines_to_next_cell"); v := v.(type) {
	case bool:
		return boolInt(v)
	case Number:
		if !v.IsInt() {
			return -1
		}
		if strings.HasPrefix(string(v), "-") {
			return 0
		}
		i, err := strconv.Atoi(string(v))
		if err != nil || i > MaxLinesToNextCell {
			return MaxLinesToNextCell
		}
		return i
	}
	return -1
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
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
	e.linesToNext = linesToNextCell(cell.Metadata)
	if e.cellType == "raw" && !e.metadata.Has("active") && !hasActiveTag(e.metadata) {
		e.metadata.Set("active", "")
	}
	return e
}

func (e *cellExporter) isCode() bool {
	return e.cellType == "code" || (e.cellType == "raw" && e.metadata.Has("active")) || hasActiveTag(e.metadata)
}

func (e *cellExporter) text() []string {
	if e.cellType != "markdown" {
		return e.codeText()
	}
	// A Markdown cell with metadata, or whose text would read back as a
	// shorter cell or a cell of another type, goes between region markers.
	protect := e.metadata.Len() > 0
	if !protect {
		r := &markdownReader{defaultLanguage: "python", splitAtHeading: e.w.splitAtHeading}
		cell, pos, _ := r.readCell(e.source)
		protect = pos < len(e.source) || cell.CellType != "markdown"
	}
	if protect {
		return e.protectMarkdown()
	}
	return e.source
}

// protectMarkdown writes a Markdown cell between region markers.
func (e *cellExporter) protectMarkdown() []string {
	region := "region"
	if name, ok := e.metadata.Get("region_name"); ok {
		// jupytext writes the value as Python's str() does.
		region = pyStr(name)
		e.metadata.Delete("region_name")
	}
	return e.htmlComment(region)
}

func (e *cellExporter) htmlComment(code string) []string {
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
	options := metadataToText(&e.language, e.metadata, false)
	body := commentForcedMagics(e.source, e.language)
	fence := fenceFor(e.source)
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
