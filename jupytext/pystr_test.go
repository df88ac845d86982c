package jupytext

import (
	"strings"
	"testing"
)

func TestPyRepr(t *testing.T) {
	m := NewMap()
	m.Set("a", []any{Number("1"), "it's", nil, true})
	for _, tc := range []struct {
		v    any
		want string
	}{
		{"x", "x"},
		{Number("1e+300"), "1e+300"},
		{Number("NaN"), "nan"},
		{false, "False"},
		{nil, "None"},
		{m, `{'a': [1, "it's", None, True]}`},
		{[]any{"a\nb\x00"}, `['a\nb\x00']`},
	} {
		if got := pyStr(tc.v); got != tc.want {
			t.Errorf("pyStr(%#v) = %s, want %s", tc.v, got, tc.want)
		}
	}
}

// lines_to_next_cell from an .ipynb is used as jupytext uses it ([""] * n in
// Python): a negative number writes no blank line, true one; a region_name
// that is not a string is written as Python's str() of it.
func TestLinesToNextCellAndRegionNameValues(t *testing.T) {
	in := `{"cells": [
  {"cell_type": "markdown", "metadata": {"lines_to_next_cell": -3}, "source": "a"},
  {"cell_type": "markdown", "metadata": {"lines_to_next_cell": true}, "source": "b"},
  {"cell_type": "markdown", "metadata": {"region_name": 7, "x": 1}, "source": "c"},
  {"cell_type": "markdown", "metadata": {"lines_to_next_cell": 100000}, "source": "d"}],
 "metadata": {"jupytext": {"notebook_metadata_filter": "-all"}}, "nbformat": 4, "nbformat_minor": 5}`
	nb, err := ReadIPYNB([]byte(in), "in.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	want := "a\n\nb\n\n<!-- #7 x=1 -->\nc\n<!-- #end7 -->\n\nd" + strings.Repeat("\n", MaxLinesToNextCell)
	if got := string(WriteMarkdown(nb, MarkdownOptions{NoVersionStamp: true})); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
