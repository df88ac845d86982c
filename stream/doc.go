// Package stream is the stream link: it feeds the writes of a Go program to a trace of a shown
// plotly figure, live, as Plotly's streaming API did for Python users.
//
// A trace is fed through its stream token: show a figure whose trace has
// [plotly.Stream]{Token: tok, MaxPoints: n}, then [Open](tok) and write to the [Link]:
//
//	s, err := stream.Open(tok)
//	...
//	defer s.Close()
//	s.Write(stream.Point{X: time.Now(), Y: y})
//
// # The write rule
//
// Each write names arrays of the trace by attribute path (x, y, z, text, marker.color), through
// the fields of a [Point] or of any struct, or the keys of a map[string]any. A number (or another
// value: string, bool, time.Time, nil) appends one value to its array; a slice overwrites the
// array. NaN, ±Inf and nil are gaps. A write that is wrong (a map or a channel as a value, slices
// of different lengths, an unknown attribute) returns an error and changes nothing.
//
// # Windows
//
// MaxPoints is a window per trace: the viewer keeps the newest MaxPoints values of every streamed
// array, and so does the link, in a ring per array with typed storage (a window of time and
// float64 points costs 16 bytes a point), so a program that streams for days uses bounded memory.
// MaxPoints 0 keeps every value. The window starts with the trace's data as shown; a viewer that
// comes late (or reloads) gets the whole window as a snapshot.
//
// # Batching and back-pressure
//
// Writes do not become messages one by one: a frame loop sends what was written at most 60
// times a second ([WithFrameRate]), or at once when more than 10000 values wait
// ([WithBufferBound]). [Link.Write] only updates the window under a lock; it never waits for a
// viewer. While a send is slow, writes gather in the window, and the next frame carries what is
// new in it: the values that the window dropped meanwhile are never sent ([Link.Stats] counts
// them as coalesced), and the values inside the window are never lost. [Link.Close] sends the
// last frame, shows the figure again with the final window (the output a saved notebook keeps)
// and closes the channel. In a notebook page that listens, the page then draws that final
// figure and the output gets its picture (image/png), for viewers that run no scripts.
//
// Close the links before the program ends (`defer link.Close()` in main, or in the cell). Go runs
// nothing when main returns, so a link left open sends nothing more: the page keeps the last
// frames it drew until it is reloaded, and the saved output keeps the figure as it was last
// displayed (where the page has the live channel, as it was first shown): no final window, no
// picture.
//
// # Tokens in GoNB
//
// GoNB runs the package-level variables of a notebook again in every cell, so
// `var tok = stream.NewToken()` gives each cell a new token, and a later cell cannot Open the
// figure's stream. Use a const token, [TokenFor]("temperature") (the same token for the same
// name), or [Tokens] (the stream_ids of Plotly's credentials file). Open of a token that no
// figure was shown with fails and says so, rather than leaving a plot that never moves.
//
// # The stop button
//
// In GoNB, interrupting a cell (the notebook's stop button) closes every open link, so what was
// written is delivered and the figure's output keeps its final window, and the cell ends cleanly,
// with no error (see [kernelext.AtInterrupt]).
//
// # Producers elsewhere
//
// A figure this program showed can follow what links of other programs write to its traces'
// tokens, on other machines: [Follower] is a frontend that applies the frames those links send
// to a link of this program, and [natsrelay.Follow] relays them to it from NATS
// (docs/remote.md).
//
// # Concurrency
//
// A [Link] is safe for concurrent use: any number of goroutines may Write, Extend, Relayout and
// read Stats at once. Open starts one goroutine per link, the frame loop that sends frames; a
// link opened [WithContext] starts a second that closes the link when the context ends; on a
// frontend without a live channel ([kernelext.Fallback]) a third updates the figure's output a
// few times a second. [Link.CloseContext] stops them all and returns once the last frame is sent,
// the final figure is shown and the channel is closed, or once its context ends (it then returns
// the context's error, and the goroutines end on their own). Writes never wait for a viewer. A
// [Follower] starts one goroutine for each channel it opens with a snapshot function, which asks
// that snapshot once.
//
// [plotly.Stream]: https://pkg.go.dev/github.com/liveplot/liveplot/plotly#Stream
// [natsrelay.Follow]: https://pkg.go.dev/github.com/liveplot/liveplot/kernelext/natsrelay#Follow
package stream
