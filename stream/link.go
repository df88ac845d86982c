package stream

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/liveplot/liveplot/internal/figure"
	"github.com/liveplot/liveplot/internal/randid"
	"github.com/liveplot/liveplot/internal/wake"
	"github.com/liveplot/liveplot/kernelext"
)

// ErrClosed is returned by a [Link] used after [Link.Close].
var ErrClosed = errors.New("stream: link is closed")

// Link feeds one trace of a shown figure: it keeps the trace's window and sends the writes to
// the trace's viewers as frames. It is safe for concurrent use.
type Link struct {
	id        string
	target    figure.Target
	maxPoints int
	cfg       config
	known     map[string]bool // paths that may be written; nil: any
	channel   kernelext.Channel

	wake   chan struct{} // a write is pending
	urgent chan struct{} // more than cfg.bufferBound values are pending
	stop   chan struct{} // closed by Close: send the last frame
	done   chan struct{} // closed when the frame loop has sent the last frame
	// previewDone is closed when the display updates of a kernelext.Fallback channel have
	// stopped (nil when the channel is not one).
	previewDone chan struct{}

	closeOnce     sync.Once
	closeErr      error
	stopInterrupt func() // unregisters the link from kernelext.AtInterrupt

	mu        sync.Mutex
	closed    bool
	seq       int64 // of the last frame cut
	changes   int64 // writes and layout updates so far: a display update shows a new state
	window    map[string]*array
	x, y      *array   // window["x"] and window["y"], once made: the typed appends' fast path
	paths     []string // of window, sorted: frames list arrays in this order
	relayout  relayoutState
	pending   pendingState
	outbox    [][]byte // frames cut but not sent yet
	frameSize int      // of the last frame: the next one likely needs as much
	sendErr   error
	stats     Stats
}

// array is one streamed array: its window, and what of it the next frame must send.
type array struct {
	col      *column
	replaced bool // since the last frame: the next frame overwrites the whole array
	appended int  // values appended since the last frame (or since the replace)
}

// pendingState is what the writes since the last frame left to send.
type pendingState struct {
	any       bool // something to send
	heartbeat bool // send a frame even if it is empty
	values    int  // values written since the last frame
	points    int  // points written since the last frame
	wakeSent  bool
	urgeSent  bool
}

// Stats counts a link's work ([Link.Stats]).
type Stats struct {
	Written   int64 // points written
	Sent      int64 // points sent in frames
	Coalesced int64 // points written but never sent: a later write or the window made them moot
	Frames    int64 // frames sent (snapshots not counted)
}

// Open links to the trace whose [plotly.Stream] has token, in a figure shown by this program
// ([plotly.Show]), and returns the link that feeds it. A trace has one link at a time: Open
// fails while another link of this program to the same token is open, and succeeds again once
// that link is closed (the new link starts from the final window the closed one showed). opts
// are [WithFrontend], [WithFrameRate], [WithBufferBound] and [WithContext].
//
// [plotly.Stream]: https://pkg.go.dev/github.com/liveplot/liveplot/plotly#Stream
// [plotly.Show]: https://pkg.go.dev/github.com/liveplot/liveplot/plotly#Show
func Open(token string, opts ...Option) (*Link, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	target, err := figure.Lookup(token)
	if err != nil {
		return nil, fmt.Errorf("stream: cannot open stream %q: %w. Show the figure whose trace has this "+
			"token (plotly.Show) before opening the stream. In GoNB, package-level variables are set again "+
			"in every cell, so a token from stream.NewToken in a package-level var changes every cell: "+
			"use a const, stream.TokenFor(\"name\") or stream.Tokens()", token, err)
	}
	frontend := cfg.frontend
	if frontend == nil {
		frontend = target.Frontend
	}
	if frontend == nil {
		return nil, fmt.Errorf("stream: stream %q: the figure was shown on no frontend: use WithFrontend", token)
	}
	id := randid.Hex(8)
	if err := claimToken(token, id); err != nil {
		return nil, err
	}
	l := &Link{
		id:        id,
		target:    target,
		maxPoints: max(target.MaxPoints, 0),
		cfg:       cfg,
		wake:      make(chan struct{}, 1),
		urgent:    make(chan struct{}, 1),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
		window:    map[string]*array{},
	}
	if err := l.seed(target); err != nil {
		releaseToken(token, id)
		return nil, err
	}
	if l.channel, err = frontend.OpenChannel(token, l.snapshot); err != nil {
		releaseToken(token, id)
		return nil, fmt.Errorf("stream: opening channel %q: %w", token, err)
	}
	l.cfg.paceTo(l.channel)
	// The notebook's stop button ends the cell: close the link first, so that what was written
	// is delivered and the figure's output keeps its final state.
	l.stopInterrupt = kernelext.AtInterrupt(func(ctx context.Context) { l.CloseContext(ctx) })
	go l.run()
	if fb, ok := l.channel.(kernelext.Fallback); ok {
		l.previewDone = make(chan struct{})
		go l.previewLoop(fb)
	}
	return l, nil
}

// openTokens holds the tokens of this process's open links: one link per trace. Two links
// feeding one trace would each keep their own window, and the last to close would replace the
// other's points in the final figure and in what a late viewer gets.
var openTokens = struct {
	sync.Mutex
	links map[string]string // token -> link ID
}{links: map[string]string{}}

// claimToken records that link id feeds token, or fails when another open link does.
func claimToken(token, id string) error {
	openTokens.Lock()
	defer openTokens.Unlock()
	if other, ok := openTokens.links[token]; ok {
		return fmt.Errorf("stream: stream %q is in use by link %s, opened earlier and not closed: "+
			"write to that link (it is safe for concurrent use), or Close it before opening the stream again", token, other)
	}
	openTokens.links[token] = id
	return nil
}

// releaseToken frees token when link id holds it.
func releaseToken(token, id string) {
	openTokens.Lock()
	defer openTokens.Unlock()
	if openTokens.links[token] == id {
		delete(openTokens.links, token)
	}
}

// seed fills the window with the trace's data as shown, and learns which paths may be written.
func (l *Link) seed(target figure.Target) error {
	paths, ok, err := figure.ArrayPaths(target.TraceType)
	if err != nil {
		return err
	}
	if ok {
		l.known = paths
	}
	for path, vals := range target.Data {
		col := newColumn(l.maxPoints)
		for _, v := range vals {
			s, err := toScalar(v)
			if err != nil {
				col = nil // not an array of values (a 2-D z): not streamed
				break
			}
			col.push(s)
		}
		if col != nil {
			l.addArray(path, col)
		}
	}
	return nil
}

func (l *Link) addArray(path string, col *column) *array {
	a := &array{col: col}
	l.window[path] = a
	switch path {
	case "x":
		l.x = a
	case "y":
		l.y = a
	}
	i := sort.SearchStrings(l.paths, path)
	l.paths = slices.Insert(l.paths, i, path)
	return a
}

// checkPath fails for a path that is not an array attribute of the trace's type. Paths in the
// window passed it already (or came with the trace).
func (l *Link) checkPath(path string) error {
	if l.known == nil || l.known[path] {
		return nil
	}
	return fmt.Errorf("stream: %q is not an array attribute of a %s trace (e.g. x, y, text, marker.color)", path, l.target.TraceType)
}

// Write writes one point or one update to the trace: a [Point], a struct (fields named by their
// json tag or lower-cased name), or a map[string]any keyed by attribute path ("x", "y",
// "marker.color"). A number, string, bool, [time.Time] or nil appends one value to its array; a
// slice overwrites the array. A write that fails changes nothing.
func (l *Link) Write(v any) error {
	var buf [5]field
	fields, err := parseWrite(v, buf[:0])
	if err != nil {
		return err
	}
	return l.apply(fields)
}

// Append appends one point (x, y); a nil argument leaves its array alone.
func (l *Link) Append(x, y any) error {
	var buf [2]field
	fields := buf[:0]
	for _, pv := range [...]struct {
		path string
		v    any
	}{{"x", x}, {"y", y}} {
		if pv.v == nil {
			continue
		}
		s, err := toScalar(pv.v)
		if err != nil {
			return fmt.Errorf("stream: Append %s: %w (Append takes one point; Extend takes slices)", pv.path, err)
		}
		fields = append(fields, field{path: pv.path, op: appendOne, one: s})
	}
	return l.apply(fields)
}

// AppendFloat appends one point whose x and y are numbers: the fastest way to stream a point
// (no allocation; NaN is a gap). [Link.Append] and [Link.Write] take any value and cost more.
func (l *Link) AppendFloat(x, y float64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ax, ay, err := l.xyLocked()
	if err != nil {
		return err
	}
	ax.col.pushFloat(x)
	ay.col.pushFloat(y)
	l.appendedPointLocked(ax, ay)
	return nil
}

// AppendTime appends one point whose x is a time and y a number, as [Link.AppendFloat] does: the
// fast path of a time series.
func (l *Link) AppendTime(x time.Time, y float64) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ax, ay, err := l.xyLocked()
	if err != nil {
		return err
	}
	ax.col.pushTime(x)
	ay.col.pushFloat(y)
	l.appendedPointLocked(ax, ay)
	return nil
}

// xyLocked returns the x and y arrays of the window, made if the trace had none yet, for a
// typed append. Called with l.mu held.
func (l *Link) xyLocked() (ax, ay *array, err error) {
	if l.closed {
		return nil, nil, ErrClosed
	}
	if l.x != nil && l.y != nil {
		return l.x, l.y, nil
	}
	for _, path := range [...]string{"x", "y"} {
		if l.window[path] == nil {
			if err := l.checkPath(path); err != nil {
				return nil, nil, err
			}
		}
	}
	for _, path := range [...]string{"x", "y"} {
		if l.window[path] == nil {
			l.addArray(path, newColumn(l.maxPoints))
		}
	}
	return l.x, l.y, nil
}

// appendedPointLocked records one point appended to ax and ay, as apply does for a write.
func (l *Link) appendedPointLocked(ax, ay *array) {
	ax.appended++
	ay.appended++
	l.pending.values += 2
	l.stats.Written++
	l.pending.points++
	l.markPendingLocked()
}

// Extend appends many points: xs and ys are slices of the same length ([]float64, []time.Time,
// []int and []string are read without reflection); a nil argument leaves its array alone.
func (l *Link) Extend(xs, ys any) error {
	return l.applySlices("Extend", appendMany, xs, ys)
}

// Replace overwrites the x and y arrays with xs and ys (slices of the same length); a nil
// argument leaves its array alone.
func (l *Link) Replace(xs, ys any) error {
	return l.applySlices("Replace", replaceMany, xs, ys)
}

func (l *Link) applySlices(name string, o op, xs, ys any) error {
	var buf [2]field
	fields := buf[:0]
	for _, pv := range [...]struct {
		path string
		v    any
	}{{"x", xs}, {"y", ys}} {
		if pv.v == nil {
			continue
		}
		vs, isSlice, err := toValues(pv.v)
		if err == nil && !isSlice {
			err = fmt.Errorf("a %T is not a slice", pv.v)
		}
		if err != nil {
			return fmt.Errorf("stream: %s %s: %w", name, pv.path, err)
		}
		fields = append(fields, field{path: pv.path, op: o, many: vs})
	}
	return l.apply(fields)
}

// apply checks fields and applies them all, or none.
func (l *Link) apply(fields []field) error {
	if err := checkLengths(fields); err != nil {
		return err
	}
	return l.applyFields(fields)
}

// applyFields applies fields whose lengths may differ (those of a frame: each array keeps what
// its window holds) all, or none.
func (l *Link) applyFields(fields []field) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	if len(fields) == 0 {
		return nil
	}
	var buf [5]*array
	arrays := buf[:0]
	for i := range fields {
		a := l.window[fields[i].path]
		if a == nil {
			if err := l.checkPath(fields[i].path); err != nil {
				return err
			}
		}
		arrays = append(arrays, a)
	}
	for i := range fields {
		f, a := &fields[i], arrays[i]
		if a == nil {
			a = l.window[f.path] // a path given twice in one write
			if a == nil {
				a = l.addArray(f.path, newColumn(l.maxPoints))
			}
		}
		switch f.op {
		case appendOne:
			a.col.push(f.one)
			a.appended++
			l.pending.values++
		case appendMany:
			a.col.pushValues(f.many)
			a.appended += f.many.n
			l.pending.values += f.many.n
		case replaceMany:
			a.col.reset()
			a.col.pushValues(f.many)
			a.replaced, a.appended = true, 0
			l.pending.values += f.many.n
		}
	}
	n := points(fields)
	l.stats.Written += int64(n)
	l.pending.points += n
	l.markPendingLocked()
	return nil
}

// markPendingLocked wakes the frame loop: once per frame, and once more when the pending values
// pass the buffer bound.
func (l *Link) markPendingLocked() {
	l.changes++
	l.pending.any = true
	if !l.pending.wakeSent {
		l.pending.wakeSent = true
		wake.Signal(l.wake)
	}
	if l.pending.values >= l.cfg.bufferBound && !l.pending.urgeSent {
		l.pending.urgeSent = true
		wake.Signal(l.urgent)
	}
}

// Heartbeat sends a frame even if nothing was written, to tell viewers the link is alive.
func (l *Link) Heartbeat() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	l.pending.heartbeat = true
	l.markPendingLocked()
	return l.sendErr
}

// Stats returns the link's counts so far.
func (l *Link) Stats() Stats {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stats
}

// ID returns the link's ID, the "link" of its frames.
func (l *Link) ID() string { return l.id }

// contextDone closes the link when the context of WithContext is done.
func (l *Link) contextDone() {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(l.cfg.ctx), closeTimeout)
	defer cancel()
	_ = l.CloseContext(ctx)
}
