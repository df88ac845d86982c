package notebookrun

import (
	"strings"
	"testing"

	"github.com/liveplot/liveplot/internal/jupyter"
	"github.com/liveplot/liveplot/jupytext"
)

// TestOutputLayout checks that each recorded output type is stored with the keys nbformat 4
// requires, and nothing else (no transient display id), by writing it in a notebook.
func TestOutputLayout(t *testing.T) {
	n := 7
	outs := []jupyter.Output{
		{OutputType: "stream", Name: "stdout", Text: "a\nb\n"},
		{OutputType: "display_data", Data: map[string]any{"text/html": "<b>x</b>", "application/json": map[string]any{"n": 1.5}}, Metadata: map[string]any{}, DisplayID: "fig"},
		{OutputType: "display_data"},
		{OutputType: "execute_result", Data: map[string]any{"text/plain": "42"}, ExecutionCount: &n},
		{OutputType: "error", EName: "ERROR", EValue: "exit status 2"},
	}
	nb := jupytext.NewNotebook()
	cell := jupytext.NewCell("code", "x", nil)
	cell.ID = "c"
	list := []any{}
	for _, o := range outs {
		list = append(list, outputMap(o))
	}
	cell.Other.Set("outputs", list)
	nb.Cells = append(nb.Cells, cell)
	got := string(jupytext.WriteIPYNB(nb, jupytext.IPYNBOptions{}))
	for _, want := range []string{
		`"name": "stdout",
     "output_type": "stream",
     "text": [
      "a\n",
      "b\n"
     ]`,
		`"application/json": {
       "n": 1.5
      },
      "text/html": [
       "<b>x</b>"
      ]
     },
     "metadata": {},
     "output_type": "display_data"`,
		`"data": {},
     "metadata": {},
     "output_type": "display_data"`,
		`"execution_count": 7,
     "metadata": {},
     "output_type": "execute_result"`,
		`"ename": "ERROR",
     "evalue": "exit status 2",
     "output_type": "error",
     "traceback": []`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("notebook lacks\n%s\nin\n%s", want, got)
		}
	}
	if strings.Contains(got, "fig") || strings.Contains(got, "transient") {
		t.Errorf("the transient display id was saved:\n%s", got)
	}
}
