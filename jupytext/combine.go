package jupytext

import "strings"

// CombineInputsWithOutputs returns the notebook that jupytext's --update
// and paired notebooks make from a notebook read from text (text: the cells'
// types and sources, the metadata the text shows) and the .ipynb it updates
// (withOutputs): each text cell matched to a cell of withOutputs keeps that
// cell's id, outputs, execution count, attachments and the metadata the
// text does not show; unmatched text cells come as they are. The notebook
// metadata is withOutputs' with the part the text shows taken from text.
// Cells are matched as jupytext 1.19 matches them (its combine_inputs_with_outputs). Neither
// notebook is modified.
func CombineInputsWithOutputs(text, withOutputs *Notebook) *Notebook {
	jt := text.Metadata.Sub("jupytext")
	textRepr := jt.Sub("text_representation")
	var metadata *Map
	if filter := jt.value("notebook_metadata_filter"); filter == "-all" {
		metadata = withOutputs.Metadata.Clone()
	} else {
		metadata = restoreFilteredMetadata(text.Metadata, withOutputs.Metadata, filter, defaultNotebookFilter)
	}
	if metadata == nil {
		metadata = NewMap()
	}
	if out := metadata.Sub("jupytext"); out != nil {
		out.Delete("text_representation")
		if out.Len() == 0 {
			metadata.Delete("jupytext")
		}
	}
	var cellFilter any = metadata.Sub("jupytext").value("cell_metadata_filter")
	if textRepr.value("format_version") == "1.0" {
		cellFilter = "-all"
	}

	nb := &Notebook{NBFormat: withOutputs.NBFormat, NBFormatMinor: withOutputs.NBFormatMinor, Metadata: metadata, Other: NewMap()}
	for i, j := range matchCells(text.Cells, withOutputs.Cells) {
		src := text.Cells[i]
		if j < 0 {
			c := *src
			c.Metadata = src.Metadata.Clone()
			c.Other = src.Other.Clone()
			nb.Cells = append(nb.Cells, &c)
			continue
		}
		out := withOutputs.Cells[j]
		c := *out
		c.Other = out.Other.Clone()
		c.Source = src.Source
		c.Metadata = restoreFilteredMetadata(src.Metadata, out.Metadata, cellFilter, defaultCellFilter)
		nb.Cells = append(nb.Cells, &c)
	}
	return nb
}

// restoreFilteredMetadata returns filtered (metadata read from text) with
// the keys of unfiltered (the .ipynb's) that the filters keep out of the
// text, as jupytext's restore_filtered_metadata.
func restoreFilteredMetadata(filtered, unfiltered *Map, user any, defaultFilter *metadataFilter) *Map {
	shown := filterMetadata(unfiltered, user, defaultFilter)
	m := filtered.Clone()
	if m == nil {
		m = NewMap()
	}
	for _, k := range unfiltered.Keys() {
		if !shown.Has(k) && !isJupytextCellMetadata(k) {
			m.Set(k, cloneValue(unfiltered.values[k]))
		}
	}
	return m
}

// blackInvariant drops the characters that the black formatter may change,
// as jupytext does before comparing cells.
func blackInvariant(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\n,'\"()\\", r) {
			return -1
		}
		return r
	}, s)
}

// matchCells maps each input cell to the index of the cell with outputs
// whose outputs it gets, or -1, by jupytext's four rules in turn: the same
// type and content (up to black's reformatting) in increasing order per
// cell type; then the same type and content among the cells left; then an
// input cell that is the end of a cell left; then the next cell left, when
// of the same type and the input is not blank.
func matchCells(inputs, outputs []*Cell) []int {
	m := make([]int, len(inputs))
	used := make([]bool, len(outputs))
	inv := func(cells []*Cell) []string {
		s := make([]string, len(cells))
		for i, c := range cells {
			s[i] = blackInvariant(c.Source)
		}
		return s
	}
	in, out := inv(inputs), inv(outputs)
	firstUnmatched := map[string]int{}
	for i, c := range inputs {
		m[i] = -1
		for j := firstUnmatched[c.CellType]; j < len(outputs); j++ {
			if c.CellType == outputs[j].CellType && in[i] == out[j] {
				m[i] = j
				used[j] = true
				firstUnmatched[c.CellType] = j + 1
				break
			}
		}
	}
	unused := func() bool {
		for _, u := range used {
			if !u {
				return true
			}
		}
		return false
	}
	for _, endsWith := range []bool{false, true} {
		if !unused() {
			return m
		}
		for i, c := range inputs {
			if m[i] >= 0 {
				continue
			}
			for j := range outputs {
				if used[j] || c.CellType != outputs[j].CellType {
					continue
				}
				same := out[j] == in[i]
				if endsWith && in[i] != "" {
					same = strings.HasSuffix(out[j], in[i])
				}
				if same {
					m[i] = j
					used[j] = true
					break
				}
			}
		}
	}
	if !unused() {
		return m
	}
	prev := -1
	for i, c := range inputs {
		if m[i] >= 0 {
			prev = m[i]
			continue
		}
		j := prev + 1
		if j >= len(outputs) || used[j] {
			continue
		}
		if c.CellType == outputs[j].CellType && pyStrip(c.Source) != "" {
			m[i] = j
			used[j] = true
			prev = j
		}
	}
	return m
}
