package notebookhtml_test

import (
	"fmt"
	"strings"

	"github.com/liveplot/liveplot/internal/notebookhtml"
	"github.com/liveplot/liveplot/jupytext"
)

func ExampleMarkdown() {
	fmt.Print(notebookhtml.Markdown("# A <title>\n\nSome *text*\nover two lines.\n\n```go\nx := 1 < 2\n```"))
	// Output:
	// <h1>A &lt;title&gt;</h1>
	// <p>Some *text*
	// over two lines.</p>
	// <pre><code>x := 1 &lt; 2</code></pre>
}

func ExampleWrite() {
	nb := jupytext.NewNotebook()
	cell := jupytext.NewCell("code", `fmt.Println("<hi>")`, nil)
	out := jupytext.NewMap()
	out.Set("output_type", "stream")
	out.Set("name", "stdout")
	out.Set("text", "<hi>\n")
	cell.Other.Set("outputs", []any{out})
	nb.Cells = append(nb.Cells, cell)
	var b strings.Builder
	if err := notebookhtml.Write(&b, nb, notebookhtml.Options{Title: "demo"}); err != nil {
		fmt.Println(err)
		return
	}
	page := b.String()
	fmt.Println(strings.Contains(page, `<pre class="stream">&lt;hi&gt;`), strings.Count(page, "<script>"))
	// Output:
	// true 1
}
