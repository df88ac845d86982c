// Package jupytext reads and writes Jupyter notebooks as jupytext Markdown
// and as nbformat 4 JSON (.ipynb), byte for byte as jupytext and nbformat
// write them, with no Python.
//
// ReadMarkdown accepts the Markdown format versions 1.0 to 1.3 and
// WriteMarkdown writes version 1.3; ReadIPYNB and WriteIPYNB keep unknown
// metadata, null execution counts and outputs. The output reproduces
// jupytext JupytextVersion byte for byte, also where jupytext's own
// Markdown does not read back the same; it is checked against jupytext's
// golden vectors and against what jupytext writes for awkward inputs
// (testdata/differential).
package jupytext
