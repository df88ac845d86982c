// Package jupytext reads and writes Jupyter notebooks as jupytext Markdown
// and as nbformat 4 JSON (.ipynb), byte for byte as jupytext and nbformat
// write them, with no Python.
//
// ReadMarkdown accepts the Markdown format versions 1.0 to 1.3 and
// WriteMarkdown writes version 1.3; ReadIPYNB and WriteIPYNB keep unknown
// metadata, null execution counts and outputs. The output reproduces
// jupytext JupytextVersion, checked against jupytext's golden vectors in
// testdata. Where jupytext's own output does not read back the same (an
// empty Markdown cell, bare cell flags, a Markdown cell that starts with
// "<!-- #", a code cell leaving a string open) this package writes text that
// does, so that write(read(x)) is stable.
package jupytext
