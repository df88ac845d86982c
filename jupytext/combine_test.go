package jupytext

import (
	"fmt"
	"testing"
)

// matchCells follows jupytext's rules: same content in order, then same
// content anywhere (up to black's reformatting), then the end of a cell,
// then the next cell of the same type.
func TestMatchCells(t *testing.T) {
	cells := func(spec ...string) []*Cell {
		var out []*Cell
		for i := 0; i+1 < len(spec); i += 2 {
			out = append(out, NewCell(spec[i], spec[i+1], nil))
		}
		return out
	}
	for _, tc := range []struct {
		in, out []*Cell
		want    string
	}{
		{cells("code", "a", "code", "b"), cells("code", "a", "code", "b"), "[0 1]"},
		{cells("code", "b", "code", "a"), cells("code", "a", "code", "b"), "[1 0]"},                     // rule 2
		{cells("code", "f(x, y)"), cells("code", "f( x,y )"), "[0]"},                                    // black
		{cells("code", "x = 1", "code", "y = 2"), cells("code", "x = 1\ny = 2"), "[-1 0]"},              // rule 3: the second cell is the end of the old one
		{cells("code", "new", "code", "a"), cells("code", "a", "code", "old"), "[-1 0]"},                // rule 4 needs the next index
		{cells("code", "a", "code", "edited"), cells("code", "a", "code", "old"), "[0 1]"},              // rule 4
		{cells("markdown", "a", "code", "edited"), cells("markdown", "a", "markdown", "old"), "[0 -1]"}, // types differ
		{cells("code", "a", "code", "  "), cells("code", "a", "code", "old"), "[0 -1]"},                 // blank input
	} {
		if got := fmt.Sprint(matchCells(tc.in, tc.out)); got != tc.want {
			t.Errorf("matchCells(%v, %v) = %s, want %s", sources(tc.in), sources(tc.out), got, tc.want)
		}
	}
}

func sources(cells []*Cell) []string {
	var s []string
	for _, c := range cells {
		s = append(s, c.Source)
	}
	return s
}
