package jupytext

import (
	"fmt"
	"unicode/utf8"
)

// Notebook is an nbformat 4 notebook.
type Notebook struct {
	NBFormat      int
	NBFormatMinor int
	// Metadata is the notebook metadata, kept whole (unknown keys included).
	Metadata *Map
	Cells    []*Cell
	// Other holds the top-level keys of an .ipynb file other than cells,
	// metadata, nbformat and nbformat_minor, so that they are written back.
	Other *Map
}

// Cell is one notebook cell.
type Cell struct {
	// CellType is "markdown", "code" or "raw".
	CellType string
	// ID is the cell id of nbformat 4.5 and later; "" when the cell has none.
	ID string
	// Source is the cell text, lines joined with "\n".
	Source   string
	Metadata *Map
	// Other holds every other field of the cell: execution_count and
	// outputs of code cells, attachments, and unknown keys.
	Other *Map
}

// NewNotebook returns an empty nbformat 4.5 notebook.
func NewNotebook() *Notebook {
	return &Notebook{NBFormat: 4, NBFormatMinor: 5, Metadata: NewMap(), Other: NewMap()}
}

// NewCell returns a cell of the given type ("markdown", "code" or "raw")
// with the given source and metadata (nil for none). A code cell gets a null
// execution count and no outputs.
func NewCell(cellType, source string, metadata *Map) *Cell {
	if metadata == nil {
		metadata = NewMap()
	}
	c := &Cell{CellType: cellType, Source: source, Metadata: metadata, Other: NewMap()}
	if cellType == "code" {
		c.Other.Set("execution_count", nil)
		c.Other.Set("outputs", []any{})
	}
	return c
}

// Clone returns a deep copy of nb.
func (nb *Notebook) Clone() *Notebook {
	c := &Notebook{NBFormat: nb.NBFormat, NBFormatMinor: nb.NBFormatMinor, Metadata: nb.Metadata.Clone(), Other: nb.Other.Clone()}
	for _, cell := range nb.Cells {
		cc := *cell
		cc.Metadata = cell.Metadata.Clone()
		cc.Other = cell.Other.Clone()
		c.Cells = append(c.Cells, &cc)
	}
	return c
}

// SetSequentialCellIDs gives the cells the ids 00000000, 00000001, ...
// (the cell's index as eight hex digits), in place of random ids, so that
// the output of a conversion is reproducible.
func (nb *Notebook) SetSequentialCellIDs() {
	for i, cell := range nb.Cells {
		cell.ID = fmt.Sprintf("%08x", i)
	}
}

// Error is an error in an input file, at a line when Line > 0.
type Error struct {
	File string
	Line int
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	file := e.File
	if file == "" {
		file = "<input>"
	}
	msg := e.Msg
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", file, e.Line, msg)
	}
	return fmt.Sprintf("%s: %s", file, msg)
}

func (e *Error) Unwrap() error { return e.Err }

// checkText rejects input that is too large or is not UTF-8 text (binary
// files), naming the line of the first bad byte. NUL is text here: jupytext
// writes a cell holding one as it is, and reads it back.
func checkText(data []byte, file string) error {
	if err := checkSize(data, file); err != nil {
		return err
	}
	if utf8.Valid(data) {
		return nil
	}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 {
			return &Error{File: file, Line: lineOfOffset(string(data), i), Msg: "invalid UTF-8: the file must be UTF-8 text"}
		}
		i += size
	}
	return nil
}
