// Package kernelext is where liveplot's output goes and how it reaches a viewer: it displays HTML
// outputs and carries frames on named channels to the browsers that show them. Inside GoNB the
// outputs are notebook outputs and frames travel as Jupyter comm messages; in a plain Go program
// they go to a local page that liveplot serves itself (HTTP + WebSocket).
//
// kernelext moves HTML and frames; it knows nothing of figures. What a frame means is up to the
// script that subscribes to its channel in the page.
//
// # Frontends
//
// A [Frontend] displays [Output] values and opens [Channel] values. [Default] picks the one for
// this process: [GoNB] inside a GoNB cell; elsewhere [NATS] when LIVEPLOT_NATS holds a NATS
// server's URL (the outputs and frames go through that server to viewers elsewhere, which
// package [natsrelay] and `liveplot serve` show), and a [LocalPage] otherwise. A LocalPage is an
// [http.Handler]: [NewLocalPage] serves it on an address of its own, [NewLocalPageHandler] leaves
// the serving to a server of yours. [NewNATS] makes a NATS frontend with nats.go options of
// yours. Package [kerneltest] has fakes for tests.
//
// # Concurrency
//
// Every Frontend and Channel is safe for concurrent use. A Channel's Send never waits for a
// viewer: frames queue per viewer, and a viewer that falls behind gets the channel's snapshot
// instead of the frames it missed.
//
// A LocalPage runs its HTTP server's goroutines (when it listens) and, per open page, a
// goroutine that writes to that page's WebSocket and one that reads from it.
// [LocalPage.Shutdown] stops accepting connections, sends each page what was queued for it, tells
// it the program stopped and waits for each connection's handler to return, or for its context;
// [LocalPage.Close] drops the connections at once.
//
// In GoNB, the first Channel of a cell program that can reach a notebook page starts a goroutine
// that batches frames into comm messages (40 a second at most) and one that greets the pages
// until one answers. [AtInterrupt] starts one goroutine, on the first call, that waits for the
// notebook's stop button and runs the registered functions side by side, with a bound.
//
// [NewNATS] starts one goroutine that stores, once a second, the snapshot of each channel that
// sent frames since; nats.go runs the connection's goroutines and calls the NATS frontend's
// handlers on them: a viewer's request for a channel's snapshot (which calls the channel's
// snapshot function), a relay's request that open channels announce themselves, and the
// reconnection (which announces them all). [NATS.Close] stops the snapshot goroutine and waits
// for it to end, then until the server has what was published, then closes the connection;
// both waits end when its context is done.
//
// [natsrelay]: https://pkg.go.dev/github.com/liveplot/liveplot/kernelext/natsrelay
// [kerneltest]: https://pkg.go.dev/github.com/liveplot/liveplot/kernelext/kerneltest
package kernelext

import (
	"context"
	"errors"
	"time"
)

// Output is one output, as a notebook cell shows it: HTML, and other representations of the same
// thing for viewers that do not run the HTML's scripts.
type Output struct {
	// ID, when not empty, names the output: displaying another Output with the same ID replaces
	// it in place (Jupyter's display_id), in this process or a later one.
	ID string
	// HTML is a fragment: it may hold <script> elements, which run when the fragment is shown.
	HTML string
	// Interim marks an update of an output with an ID that is soon replaced again (a figure kept
	// moving by display updates): it carries none of its Scripts, which the page that shows the
	// output defined already.
	Interim bool
	// Scripts are libraries the fragment needs. Each is loaded once per page, before the
	// fragment's own scripts run, however many outputs name it.
	Scripts []Script
	// Data holds other representations of the output, by MIME type, as Jupyter's MIME bundle
	// does: where a viewer shows no HTML, or does not run its scripts (a notebook on GitHub, an
	// untrusted notebook, nbconvert to Markdown), it shows the richest of these it knows. A JSON
	// type ("application/json", "application/...+json") holds a JSON document, a text type
	// ("text/...") UTF-8 text, any other type (e.g. "image/png") raw bytes. The HTML above is the
	// bundle's "text/html": an entry of that type here is ignored. A frontend that shows HTML
	// only (the local page) ignores them all. The GoNB frontend also puts an "image/png" at the
	// start of the text/html, as an <img> that a script removes where scripts run:
	// viewers that sanitize HTML still choose text/html, and show that.
	Data map[string][]byte
}

// Script is a JavaScript library an Output needs.
type Script struct {
	// Name identifies the library and its version, e.g. "plotly-4.1.1". Two scripts with the same
	// name are the same script.
	Name string
	// Source is the JavaScript source.
	Source []byte
}

// A Frontend displays outputs and carries frames to the pages that show them.
type Frontend interface {
	// Display shows out, or replaces the output with the same ID.
	Display(ctx context.Context, out Output) error
	// OpenChannel opens the named channel for sending frames. snapshot, when not nil, returns the
	// frame that brings a viewer that subscribes late (or reloads its page) up to date; it is
	// called from the Frontend's goroutines and must be safe for concurrent use.
	OpenChannel(name string, snapshot func() []byte) (Channel, error)
}

// A Channel carries frames to every viewer subscribed to its name.
//
// Send never blocks for long: a viewer that cannot keep up is brought up to date with a fresh
// snapshot instead of the frames it missed.
//
// A snapshot is taken while frames are being sent, so a frame sent as it is taken may reach the
// viewer after the snapshot as well as in it. Frames should therefore say where they stand (a
// sequence number, as liveplot's figures do), so that the viewer drops those the snapshot
// covered. No frame sent after the snapshot is lost.
type Channel interface {
	// Send queues frame, a JSON document, for every subscribed viewer.
	Send(frame []byte) error
	// Close delivers what was sent to the viewers connected now (waiting at most until ctx is
	// done), keeps the last snapshot for viewers that come later, and closes the channel.
	Close(ctx context.Context) error
}

// A Paced channel carries frames in batches, one every FrameInterval: a sender gains nothing
// from sending frames more often, and should rather merge its writes into one frame per interval
// (which also sends less: what a window drops between two frames is never sent).
type Paced interface {
	FrameInterval() time.Duration
}

// A Fallback channel may reach front-ends that have no live channel (VS Code, a page whose
// live channel is off): there, the sender keeps the figure moving by displaying its output again,
// with the current state, a few times a second (an Interim Output with the figure's ID).
type Fallback interface {
	// DisplayUpdates reports whether such display updates are wanted now: no viewer has
	// acknowledged the channel, and a page may show the output.
	DisplayUpdates() bool
}

// A Picturer frontend can ask the viewer that shows an output for a picture of it, drawn by the
// output's own scripts where they show it: the GoNB frontend, whose notebook page answers on its
// live channel. The output's scripts draw the picture when they register a picturer with the
// page's transport (liveplotTransport.addPicturer, see notebook.js).
type Picturer interface {
	// Picture returns a PNG of the output with the given ID, as this program last displayed it,
	// at the size a page shows it; or nil, at once when no page listens (a batch run, comms
	// off), or when ctx is done before a page answers (no page shows the output, or its scripts
	// draw nothing). It is an extra, so it never fails.
	Picture(ctx context.Context, id string) []byte
}

// ErrClosed is returned by a Channel used after Close.
var ErrClosed = errors.New("kernelext: channel is closed")
