package jupytext

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// ReadIPYNB reads an nbformat 4 notebook (.ipynb JSON). file names the
// input in error messages. Sources and multi-line outputs may be strings
// or lists of lines; everything else is kept as read.
func ReadIPYNB(data []byte, file string) (*Notebook, error) {
	if err := checkText(data, file); err != nil {
		return nil, err
	}
	text := string(data)
	v, err := parseJSON(text)
	if err != nil {
		var se *jsonSyntaxError
		if errors.As(err, &se) {
			return nil, &Error{File: file, Line: lineOfOffset(text, se.offset), Msg: "invalid JSON, not an .ipynb notebook", Err: err}
		}
		return nil, &Error{File: file, Msg: "invalid JSON", Err: err}
	}
	top, ok := v.(*Map)
	if !ok {
		return nil, &Error{File: file, Line: 1, Msg: "the JSON value is not an object: not an .ipynb notebook"}
	}
	nb := &Notebook{Metadata: NewMap(), Other: NewMap()}
	major, minor := top.intValue("nbformat"), top.intValue("nbformat_minor")
	if major != 4 {
		return nil, &Error{File: file, Msg: fmt.Sprintf("nbformat %v is not supported: convert the notebook to nbformat 4 first (jupyter nbconvert --to notebook)", valueOrMissing(top, "nbformat"))}
	}
	nb.NBFormat, nb.NBFormatMinor = major, minor
	for _, key := range top.keys {
		value := top.values[key]
		switch key {
		case "nbformat", "nbformat_minor":
		case "metadata":
			m, ok := value.(*Map)
			if !ok {
				return nil, &Error{File: file, Msg: "the notebook metadata is not a JSON object"}
			}
			nb.Metadata = m
		case "cells":
			list, ok := value.([]any)
			if !ok {
				return nil, &Error{File: file, Msg: "the notebook cells are not a JSON list"}
			}
			for i, item := range list {
				cell, err := cellFromJSON(item)
				if err != nil {
					return nil, &Error{File: file, Msg: fmt.Sprintf("cell %d", i), Err: err}
				}
				nb.Cells = append(nb.Cells, cell)
			}
		default:
			nb.Other.Set(key, value)
		}
	}
	return nb, nil
}

func valueOrMissing(m *Map, key string) string {
	v, ok := m.Get(key)
	if !ok {
		return "(missing)"
	}
	return compactJSON(v)
}

// intValue returns the value of key if it is an integer Number, else -1.
func (m *Map) intValue(key string) int {
	v, _ := m.Get(key)
	n, ok := v.(Number)
	if !ok || !n.IsInt() || len(n) > 9 {
		return -1
	}
	var i int
	fmt.Sscan(string(n), &i)
	return i
}

func cellFromJSON(v any) (*Cell, error) {
	m, ok := v.(*Map)
	if !ok {
		return nil, errors.New("not a JSON object")
	}
	cell := &Cell{Metadata: NewMap(), Other: NewMap()}
	for _, key := range m.keys {
		value := m.values[key]
		switch key {
		case "cell_type":
			s, ok := value.(string)
			if !ok {
				return nil, errors.New("cell_type is not a string")
			}
			cell.CellType = s
		case "id":
			s, ok := value.(string)
			if !ok {
				return nil, errors.New("id is not a string")
			}
			cell.ID = s
		case "source":
			s, ok := joinLines(value)
			if !ok {
				return nil, errors.New("source is neither a string nor a list of strings")
			}
			cell.Source = s
		case "metadata":
			md, ok := value.(*Map)
			if !ok {
				return nil, errors.New("metadata is not a JSON object")
			}
			cell.Metadata = md
		case "outputs":
			if list, ok := value.([]any); ok {
				for _, out := range list {
					if out, ok := out.(*Map); ok {
						rejoinOutput(out)
					}
				}
			}
			cell.Other.Set(key, value)
		case "attachments":
			if att, ok := value.(*Map); ok {
				for _, k := range att.keys {
					if bundle, ok := att.values[k].(*Map); ok {
						rejoinMimeBundle(bundle)
					}
				}
			}
			cell.Other.Set(key, value)
		default:
			cell.Other.Set(key, value)
		}
	}
	switch cell.CellType {
	case "markdown", "code", "raw":
	default:
		return nil, fmt.Errorf("cell_type %q is not markdown, code or raw", cell.CellType)
	}
	return cell, nil
}

// joinLines accepts a string or a list of strings, as nbformat does.
func joinLines(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []any:
		var b strings.Builder
		for _, line := range v {
			s, ok := line.(string)
			if !ok {
				return "", false
			}
			b.WriteString(s)
		}
		return b.String(), true
	}
	return "", false
}

func isJSONMime(mime string) bool {
	return mime == "application/json" || strings.HasPrefix(mime, "application/") && strings.HasSuffix(mime, "+json")
}

func rejoinOutput(out *Map) {
	switch out.String("output_type") {
	case "execute_result", "display_data":
		if data := out.Sub("data"); data != nil {
			rejoinMimeBundle(data)
		}
	case "stream":
		if text, ok := out.Get("text"); ok {
			if _, isList := text.([]any); isList {
				if s, ok := joinLines(text); ok {
					out.Set("text", s)
				}
			}
		}
	}
}

func rejoinMimeBundle(data *Map) {
	for _, mime := range data.keys {
		if isJSONMime(mime) {
			continue
		}
		if _, isList := data.values[mime].([]any); isList {
			if s, ok := joinLines(data.values[mime]); ok {
				data.values[mime] = s
			}
		}
	}
}

// splitText returns s as a list of lines that keep their line breaks, as
// nbformat writes multi-line strings.
func splitText(s string) []any {
	lines := splitLinesKeep(s, true)
	list := make([]any, len(lines))
	for i, l := range lines {
		list[i] = l
	}
	return list
}

func splitMimeBundle(data *Map) *Map {
	out := data.Clone()
	for _, mime := range out.keys {
		if s, ok := out.values[mime].(string); ok && (strings.HasPrefix(mime, "text/") || mime == "application/javascript" || mime == "image/svg+xml") {
			out.values[mime] = splitText(s)
		}
	}
	return out
}

func splitOutputs(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	result := make([]any, len(list))
	for i, item := range list {
		out, ok := item.(*Map)
		if !ok {
			result[i] = item
			continue
		}
		switch out.String("output_type") {
		case "execute_result", "display_data":
			if data := out.Sub("data"); data != nil {
				out = out.Clone()
				out.Set("data", splitMimeBundle(data))
			}
		case "stream":
			if s, ok := out.values["text"].(string); ok {
				out = out.Clone()
				out.Set("text", splitText(s))
			}
		}
		result[i] = out
	}
	return result
}

// IPYNBOptions say how to write an .ipynb file.
type IPYNBOptions struct {
	// SequentialCellIDs gives cells without an id the ids 00000000,
	// 00000001, ... (their index in hex, or the next number no other cell
	// uses) instead of random ones.
	SequentialCellIDs bool
}

// WriteIPYNB returns nb as nbformat writes it: JSON with indent 1, sorted
// keys, non-ASCII kept, sources as lists of lines, one trailing newline.
// In nbformat 4.5 and later, cells without an id get one. Like jupytext, it
// leaves out jupytext.text_representation, which describes a text file.
func WriteIPYNB(nb *Notebook, opts IPYNBOptions) []byte {
	top := NewMap()
	for _, k := range nb.Other.Keys() {
		top.Set(k, nb.Other.values[k])
	}
	cells := make([]any, len(nb.Cells))
	used := map[string]bool{}
	for _, cell := range nb.Cells {
		used[cell.ID] = true
	}
	for i, cell := range nb.Cells {
		m := NewMap()
		for _, k := range cell.Other.Keys() {
			v := cell.Other.values[k]
			switch k {
			case "outputs":
				v = splitOutputs(v)
			case "attachments":
				if att, ok := v.(*Map); ok {
					att = att.Clone()
					for _, name := range att.keys {
						if bundle, ok := att.values[name].(*Map); ok {
							att.values[name] = splitMimeBundle(bundle)
						}
					}
					v = att
				}
			}
			m.Set(k, v)
		}
		m.Set("cell_type", cell.CellType)
		id := cell.ID
		if id == "" && (nb.NBFormat > 4 || nb.NBFormat == 4 && nb.NBFormatMinor >= 5) {
			if opts.SequentialCellIDs {
				// The index in hex, or the next number that no cell uses.
				for n := i; id == "" || used[id]; n++ {
					id = fmt.Sprintf("%08x", n)
				}
				used[id] = true
			} else {
				id = randomCellID()
			}
		}
		if id != "" {
			m.Set("id", id)
		}
		metadata := cell.Metadata
		if metadata == nil {
			metadata = NewMap()
		}
		m.Set("metadata", metadata)
		m.Set("source", splitText(cell.Source))
		cells[i] = m
	}
	top.Set("cells", cells)
	metadata := nb.Metadata
	if metadata == nil {
		metadata = NewMap()
	}
	if jt := metadata.Sub("jupytext"); jt.Has("text_representation") {
		metadata = metadata.Clone()
		jt = metadata.Sub("jupytext")
		jt.Delete("text_representation")
		if jt.Len() == 0 {
			metadata.Delete("jupytext")
		}
	}
	top.Set("metadata", metadata)
	top.Set("nbformat", Number(fmt.Sprint(nb.NBFormat)))
	top.Set("nbformat_minor", Number(fmt.Sprint(nb.NBFormatMinor)))
	var b strings.Builder
	writeIndentedJSON(&b, top, 0)
	b.WriteByte('\n')
	return []byte(b.String())
}

// randomCellID returns 8 random hex digits, as nbformat draws new ids.
func randomCellID() string {
	var buf [4]byte
	_, _ = rand.Read(buf[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(buf[:])
}
