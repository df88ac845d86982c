// Package jupytext reads and writes Jupyter notebooks as jupytext Markdown
// and as nbformat 4 JSON (.ipynb), byte for byte as jupytext and nbformat
// write them, with no Python.
//
// [ReadMarkdown] accepts the Markdown format versions 1.0 to 1.3 and
// [WriteMarkdown] writes version 1.3; [ReadIPYNB] and [WriteIPYNB] keep unknown
// metadata, null execution counts and outputs. The output reproduces
// jupytext [JupytextVersion] byte for byte, also where jupytext's own
// Markdown does not read back the same; it is checked against jupytext's
// golden vectors and against what jupytext writes for awkward inputs
// (testdata/differential).
//
// It is a Go jupytext library in its own right: it imports nothing of liveplot, and liveplot's
// commands (liveplot jupytext, liveplot run) use only this API.
//
// # Concurrency
//
// The package keeps no state and starts no goroutines: its functions may be called from any
// number of goroutines at once. A [Notebook] (with its cells and [Map] metadata) is a plain
// value: guard one that several goroutines change.
package jupytext
