package jupytext

import (
	"strings"
	"testing"
)

// A cell holding a NUL character converts to Markdown and back, as in
// jupytext, which writes the character as it is (issue 9: the reader used
// to refuse the Markdown it had written).
func TestNULCellRoundTrip(t *testing.T) {
	in := `{"cells": [{"cell_type": "code", "execution_count": null, "id": "00000000", "metadata": {}, "outputs": [], "source": ["x\u0000y"]},
 {"cell_type": "markdown", "id": "00000001", "metadata": {}, "source": ["a\u0000b"]}],
 "metadata": {"a": "x\u0000y", "kernelspec": {"display_name": "P", "language": "python", "name": "p\u0000"}}, "nbformat": 4, "nbformat_minor": 5}`
	nb, err := ReadIPYNB([]byte(in), "nul.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	md := WriteMarkdown(nb, MarkdownOptions{NoVersionStamp: true})
	if !strings.Contains(string(md), "```python\nx\x00y\n```\n") {
		t.Errorf("the code cell is not written as jupytext writes it:\n%q", md)
	}
	back, err := ReadMarkdown(md, "nul.md")
	if err != nil {
		t.Fatalf("the Markdown written does not read back: %v\n%q", err, md)
	}
	if len(back.Cells) != 2 || back.Cells[0].Source != "x\x00y" || back.Cells[1].Source != "a\x00b" {
		t.Errorf("cells after the round trip: %+v", back.Cells)
	}
	if got := back.Metadata.Sub("kernelspec").String("name"); got != "p\x00" {
		t.Errorf("kernelspec name after the round trip: %q", got)
	}
}
