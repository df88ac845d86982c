package notebookrun_test

import (
	"fmt"

	"github.com/liveplot/liveplot/internal/notebookrun"
	"github.com/liveplot/liveplot/jupytext"
)

// The kernel a notebook runs in: the one asked for, else the notebook's own, else GoNB.
func ExampleKernelName() {
	nb := jupytext.NewNotebook()
	fmt.Println(notebookrun.KernelName(nb, ""))
	nb.Metadata.SubOrNew("kernelspec").Set("name", "python3")
	fmt.Println(notebookrun.KernelName(nb, ""))
	fmt.Println(notebookrun.KernelName(nb, "gonb"))
	// Output:
	// gonb
	// python3
	// gonb
}

// A failed cell is named by its index and first line.
func ExampleCellError() {
	err := &notebookrun.CellError{Index: 4, FirstLine: `panic("boom")`, EName: "ERROR", EValue: "exit status 2"}
	fmt.Println(err)
	// Output:
	// cell 4 ("panic(\"boom\")") failed: ERROR: exit status 2
}

// GoNB's "%%" line says nothing about a cell: messages name the line after it.
func ExampleFirstLine() {
	fmt.Println(notebookrun.FirstLine("\n%%\n  panic(\"boom\")\n"))
	// Output:
	// panic("boom")
}
