package jupytext

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// aliasBomb returns a Markdown notebook whose jupyter: header nests aliases
// levels deep, each level a list of nine aliases to the one before ("billion
// laughs"): 9^levels values from a few hundred bytes.
func aliasBomb(levels int) string {
	var b strings.Builder
	b.WriteString("---\njupyter:\n  a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n")
	for i := 1; i < levels; i++ {
		refs := strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), ", ")
		fmt.Fprintf(&b, "  a%d: &a%d [%s]\n", i, i, refs)
	}
	b.WriteString("---\n\ntext\n")
	return b.String()
}

// A header whose aliases expand past MaxYAMLAliasExpansion is refused with
// an error naming the file and the line of the alias that went too far
// (issue 9: nine levels ran out of memory, six wrote 98.5 MB).
func TestYAMLAliasBomb(t *testing.T) {
	for _, tc := range []struct {
		levels, line int
	}{
		{9, 8}, // a6 (line 8) is the first list past the bound: 9^6 values
		{6, 8},
	} {
		md := aliasBomb(tc.levels)
		t.Run(fmt.Sprintf("%d levels, %d bytes", tc.levels, len(md)), func(t *testing.T) {
			_, err := ReadMarkdown([]byte(md), "bomb.md")
			var e *Error
			if !errors.As(err, &e) || e.Line != tc.line || !strings.Contains(err.Error(), fmt.Sprintf("bomb.md:%d:", tc.line)) ||
				!strings.Contains(err.Error(), "aliases") {
				t.Fatalf("got %v, want an *Error at bomb.md:%d about aliases", err, tc.line)
			}
		})
	}
	// Five levels (9^5 = 59,049 values) stay within the bound and read.
	nb, err := ReadMarkdown([]byte(aliasBomb(5)), "five.md")
	if err != nil {
		t.Fatal(err)
	}
	if got := len(nb.Metadata.value("a4").([]any)); got != 9 {
		t.Errorf("a4 has %d items, want 9", got)
	}
}
