package jupytext_test

import (
	"fmt"

	"github.com/liveplot/liveplot/jupytext"
)

func ExampleReadMarkdown() {
	md := "---\njupyter:\n  kernelspec:\n    display_name: Go (gonb)\n    language: go\n    name: gonb\n---\n\n" +
		"# Hello\n\n```go\n%%\nfmt.Println(\"hi\")\n```\n"
	nb, err := jupytext.ReadMarkdown([]byte(md), "hello.md")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, cell := range nb.Cells {
		fmt.Printf("%s: %q\n", cell.CellType, cell.Source)
	}
	// Output:
	// markdown: "# Hello"
	// code: "%%\nfmt.Println(\"hi\")"
}

func ExampleWriteMarkdown() {
	nb := jupytext.NewNotebook()
	kernel := jupytext.NewMap()
	kernel.Set("display_name", "Go (gonb)")
	kernel.Set("language", "go")
	kernel.Set("name", "gonb")
	nb.Metadata.Set("kernelspec", kernel)
	nb.Cells = append(nb.Cells,
		jupytext.NewCell("markdown", "# Hello", nil),
		jupytext.NewCell("code", "%%bash\necho hi", nil))
	fmt.Print(string(jupytext.WriteMarkdown(nb, jupytext.MarkdownOptions{NoVersionStamp: true})))
	// Output:
	// ---
	// jupyter:
	//   kernelspec:
	//     display_name: Go (gonb)
	//     language: go
	//     name: gonb
	// ---
	//
	// # Hello
	//
	// ```bash
	// echo hi
	// ```
}

func ExampleWriteIPYNB() {
	nb, err := jupytext.ReadMarkdown([]byte("Some text\n\n```python\n1 + 1\n```\n"), "small.md")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(string(jupytext.WriteIPYNB(nb, jupytext.IPYNBOptions{SequentialCellIDs: true})))
	// Output:
	// {
	//  "cells": [
	//   {
	//    "cell_type": "markdown",
	//    "id": "00000000",
	//    "metadata": {},
	//    "source": [
	//     "Some text"
	//    ]
	//   },
	//   {
	//    "cell_type": "code",
	//    "execution_count": null,
	//    "id": "00000001",
	//    "metadata": {},
	//    "outputs": [],
	//    "source": [
	//     "1 + 1"
	//    ]
	//   }
	//  ],
	//  "metadata": {
	//   "jupytext": {
	//    "cell_metadata_filter": "-all",
	//    "main_language": "python",
	//    "notebook_metadata_filter": "-all"
	//   }
	//  },
	//  "nbformat": 4,
	//  "nbformat_minor": 5
	// }
}

func ExampleReadIPYNB() {
	_, err := jupytext.ReadIPYNB([]byte("{\n \"nbformat\": 4,\n \"cells\": [}\n"), "broken.ipynb")
	fmt.Println(err)
	// Output:
	// broken.ipynb:3: invalid JSON, not an .ipynb notebook: unexpected character '}'
}
