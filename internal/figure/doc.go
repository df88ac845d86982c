// Package figure is the plumbing between package plotly, which builds and shows figures, and
// package stream, which feeds their traces: a figure as plotly.js's JSON tree, checked against
// the schema of the embedded plotly.js (parsed once, for both), rendered as an output with its
// MIME bundle, and remembered once shown (in this process, and in the GoNB kernel session's
// state directory for later cells), so that a stream link finds the trace its token feeds and
// shows the figure again with the link's final window.
//
// It is internal so that plotly's public API stays the figure model and Show, and stream's the
// link: neither exports what only the other uses.
//
// # Concurrency
//
// Every function may be called from any goroutine: the registry of shown figures is guarded by
// one lock, held while a figure is updated, rendered and saved (so two links of one figure update
// it one after the other). The package starts no goroutines.
package figure
