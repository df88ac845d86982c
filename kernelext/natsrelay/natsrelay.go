// Package natsrelay shows what liveplot producers publish through NATS on a frontend of this
// process, usually a [kernelext.LocalPage]: every output they display, as it was last displayed,
// and the frames of every channel they open. It is the viewer side of [kernelext.NATS], and what
// `liveplot serve` runs; a server of yours can run it too ([Connect]), with the page mounted
// where you want it.
//
// The relay moves HTML and frames, as kernelext does, and knows nothing of figures. A page that
// subscribes to a channel gets the channel's snapshot from its producer, by a NATS request
// answered with the producer's own snapshot, or, when no producer answers (it was killed), the
// snapshot it stored last; when the relay's connection comes back after an
// outage it asks every open channel's producer for a snapshot again and sends it on, so the
// page's window is exact again whatever was published meanwhile. A message that is not what a
// producer sends (no channel header, a subject that is not the channel's, a frame that is not
// JSON) is dropped, and the reason logged ([Options.Logf], lines that start with "natsrelay: ");
// it never stops the relay.
//
// [Follow] relays only named channels, and no outputs, until their producers close them: what a
// GoNB cell runs so that a figure it showed follows what producers elsewhere write to its
// traces' tokens (with [stream.Follower] as the frontend; docs/remote.md, "In a notebook").
//
// # Concurrency
//
// A [Relay] calls its frontend from several goroutines at once, so the frontend must be safe
// for concurrent use, as every [kernelext.Frontend] is. They are:
//
//   - the output watcher, one goroutine that [Connect] starts (Follow relays no outputs): it
//     displays each output stored on the server, and each new version, in turn;
//   - nats.go's callbacks, on nats.go's goroutines: the handler of the frame subscriptions (one
//     for all channels after Connect, one per channel Follow follows; each delivers one message
//     at a time, in the order published), which opens channels on the frontend and sends frames, and
//     the connection's reconnect, disconnect and error handlers;
//   - work the relay spawns, a goroutine each: after a reconnection or frames NATS dropped for a
//     slow frontend, asking the producers for snapshots again (one channel at a time); and the
//     close of a channel whose producer closed it, bounded by 10 seconds;
//   - the frontend's own goroutines, which call the snapshot function of each channel the relay
//     opened: a NATS request to the producer, bounded by 2 seconds, then a read of the stored
//     snapshot.
//
// [Relay.Close] stops spawning work, stops the watcher and waits for it, unsubscribes from the
// frames, waits for the work spawned (which ends soon once Close cancels it: a close a producer
// started is cut short when Close's ctx is done), closes the connection, and last closes the
// channels still open on the frontend, each waiting at most until ctx is done. URL may be
// called at any time.
//
// Follow runs a relay of its own until the producers closed every channel, ctx is done or, in
// GoNB, the stop button is pressed; it registers a function with [kernelext.AtInterrupt] that
// waits for the relay's Close, and closes the relay (with a 10-second bound) before it returns:
// nothing it started runs after it.
//
// [stream.Follower]: https://pkg.go.dev/github.com/liveplot/liveplot/stream#Follower
package natsrelay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/internal/natswire"
)

// Options change a relay.
type Options struct {
	// Logf reports what the relay drops or fails to do, and why. nil: the messages are dropped.
	Logf func(format string, args ...any)
	// MaxPending bounds the frames the relay holds for a frontend that does not take them fast
	// enough (65536 when 0; at most 256 MB of them in any case): past it NATS drops frames for
	// the relay, which then sends every channel its producer's snapshot.
	MaxPending int
	// NATS are nats.go options for the connection, applied after the relay's own, which reconnect
	// forever: nats.RootCAs for the authorities that verify a TLS server (tls:// URLs) instead of
	// the system's, nats.UserCredentials, nats.ClientCert, nats.Nkey ...
	NATS []nats.Option
}

// Relay copies outputs and frames from a NATS server to a frontend.
type Relay struct {
	to      kernelext.Frontend
	opts    Options
	url     string
	nc      *nats.Conn
	obj     jetstream.ObjectStore
	kv      jetstream.KeyValue
	watcher jetstream.ObjectWatcher // nil when only named channels are relayed
	frames  []*nats.Subscription
	only    map[string]bool // the channels relayed (Follow); nil: every channel, and the outputs
	ended   chan struct{}   // closed once each channel of only was closed by its producer
	ctx     context.Context
	cancel  context.CancelFunc
	// closes is the context of the channel closes that producers start (KindClose): Close
	// cancels it once its own ctx is done.
	closes       context.Context
	cancelCloses context.CancelFunc
	done         chan struct{} // closed when the output watcher ends (closed from the start when none runs)
	slow         atomic.Int64  // slow-consumer drops not yet covered by a resync

	mu        sync.Mutex
	closed    bool                // Close began: nothing more is started or opened
	work      sync.WaitGroup      // the goroutines of spawn, which Close waits for
	channels  map[string]*channel // by name
	scripts   map[string][]byte   // library sources by name
	dropped   map[string]drops    // by reason
	closedBy  map[string]bool     // channels of only that their producer closed (and none opened again)
	closeErrs []error             // of the closes of channels of only that their producers started
	endedSet  bool                // ended is closed
}

// drops counts the messages dropped for one reason since it was last logged.
type drops struct {
	n      int
	logged time.Time
}

var errRelayClosed = errors.New("natsrelay: the relay is closed")

type channel struct {
	ch       kernelext.Channel
	producer string
}

// Connect connects to the NATS server at url (as [kernelext.NewNATS] takes it) and starts
// relaying to to: the outputs stored there now and later, and the frames of every channel
// producers open from now on (producers that have channels open already announce them when
// asked). [Relay.Close] stops it.
func Connect(ctx context.Context, url string, to kernelext.Frontend, opts Options) (*Relay, error) {
	return connect(ctx, url, to, opts, nil)
}

// connect is Connect, relaying only the named channels (and no outputs) when only is not empty.
func connect(ctx context.Context, url string, to kernelext.Frontend, opts Options, only []string) (*Relay, error) {
	if opts.Logf == nil {
		opts.Logf = func(string, ...any) {}
	}
	if opts.MaxPending <= 0 {
		opts.MaxPending = 65536
	}
	r := &Relay{
		done:     make(chan struct{}),
		to:       to,
		opts:     opts,
		url:      natswire.Redact(url),
		channels: map[string]*channel{},
		scripts:  map[string][]byte{},
		dropped:  map[string]drops{},
		closedBy: map[string]bool{},
		ended:    make(chan struct{}),
	}
	if len(only) > 0 {
		r.only = map[string]bool{}
		for _, name := range only {
			r.only[name] = true
		}
	}
	close(r.done) // until a watcher runs
	r.ctx, r.cancel = context.WithCancel(context.Background())
	r.closes, r.cancelCloses = context.WithCancel(context.Background())
	all := []nats.Option{
		nats.Name("liveplot relay"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectHandler(func(*nats.Conn) { r.spawn(r.resync) }),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				r.opts.Logf("natsrelay: lost the connection to NATS at %s, reconnecting: %v", r.url, err)
			}
		}),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			if errors.Is(err, nats.ErrSlowConsumer) {
				// NATS dropped frames for the relay: the producers' snapshots repair the windows.
				// Resynced until no drop came during the last resync (whose snapshots may be
				// older than the frames dropped meanwhile).
				if r.slow.Add(1) == 1 {
					r.opts.Logf("natsrelay: NATS at %s: the frontend fell behind and frames were dropped (%v); resyncing", r.url, err)
					r.spawn(func() {
						for {
							seen := r.slow.Load()
							r.resync()
							if r.slow.CompareAndSwap(seen, 0) || r.ctx.Err() != nil {
								return
							}
						}
					})
				}
				return
			}
			r.opts.Logf("natsrelay: NATS at %s: %v", r.url, err)
		}),
	}
	var err error
	if r.nc, err = nats.Connect(url, append(all, opts.NATS...)...); err != nil {
		return nil, fmt.Errorf("natsrelay: %w", natswire.ConnectError(url, err))
	}
	if err := r.start(ctx); err != nil {
		r.Close(ctx) //nolint:errcheck // failing already; closes the channels opened on to
		return nil, err
	}
	return r, nil
}

func (r *Relay) start(ctx context.Context) error {
	var err error
	stores, err := natswire.OpenStores(ctx, r.nc)
	if err != nil {
		return fmt.Errorf("natsrelay: NATS at %s: %w", r.url, err)
	}
	r.obj, r.kv = stores.Outputs, stores.Snapshots
	subjects := []string{natswire.FramesWildcard}
	if r.only != nil {
		subjects = subjects[:0]
		for name := range r.only {
			subjects = append(subjects, natswire.FrameSubject(name))
		}
	}
	for _, subject := range subjects {
		sub, err := r.nc.Subscribe(subject, r.handle)
		if err != nil {
			return fmt.Errorf("natsrelay: NATS at %s: subscribing to frames: %w", r.url, err)
		}
		r.frames = append(r.frames, sub)
		// A slow page never makes the relay's memory grow without bound: past these, NATS drops
		// messages for this subscription, and the error handler resyncs every channel.
		if err := sub.SetPendingLimits(r.opts.MaxPending, 256<<20); err != nil {
			return fmt.Errorf("natsrelay: %w", err)
		}
	}
	if r.only == nil {
		if r.watcher, err = r.obj.Watch(r.ctx); err != nil {
			return fmt.Errorf("natsrelay: NATS at %s: watching the outputs: %w", r.url, err)
		}
		r.done = make(chan struct{})
		go r.watchOutputs()
	}
	// Producers with channels open already announce them.
	if err := r.nc.Publish(natswire.Discover, nil); err != nil {
		return fmt.Errorf("natsrelay: NATS at %s: %w", r.url, err)
	}
	if err := natswire.Flush(ctx, r.nc); err != nil {
		return err
	}
	// A followed channel is opened at once: the frontend asks its snapshot, the producer's or,
	// when no producer has it open, the one stored last (a producer that finished or died).
	// One that the frontend refuses (stream.Follower: no figure of this program has the token)
	// would never be relayed: Follow fails instead.
	for name := range r.only {
		if _, err := r.open(name, ""); err != nil {
			return fmt.Errorf("natsrelay: following channel %q: %w", name, err)
		}
	}
	return nil
}

// URL returns the server's URL, with any password or token masked ("xxxxx").
func (r *Relay) URL() string { return r.url }

// Close stops relaying, waits for the goroutines the relay started (the package's
// "Concurrency") and closes the connection. Channels opened on the frontend are then closed, each
// waiting at most until ctx is done.
func (r *Relay) Close(ctx context.Context) error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	if r.watcher != nil {
		r.watcher.Stop() //nolint:errcheck // closing anyway
	}
	<-r.done
	for _, sub := range r.frames {
		sub.Unsubscribe() //nolint:errcheck // closing anyway
	}
	stop := context.AfterFunc(ctx, r.cancelCloses)
	defer stop()
	r.work.Wait() // each ends soon: what it waits for ends with r.ctx, or r.closes
	r.cancelCloses()
	r.nc.Close()
	r.mu.Lock()
	chans := r.channels
	r.channels = map[string]*channel{}
	r.mu.Unlock()
	var errs []error
	for _, c := range chans {
		errs = append(errs, c.ch.Close(ctx))
	}
	return errors.Join(errs...)
}

// spawn runs f in a goroutine that Close waits for, unless Close began.
func (r *Relay) spawn(f func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spawnLocked(f)
}

// spawnLocked is spawn, called with r.mu held.
func (r *Relay) spawnLocked(f func()) {
	if r.closed {
		return
	}
	r.work.Add(1)
	go func() {
		defer r.work.Done()
		f()
	}()
}

// drop logs a dropped message and why: at once the first time for a reason, then at most once a
// second for that reason, with the count of those dropped meanwhile and the last one's subject
// (keyed by reason alone: garbage on many subjects is still one line a second).
func (r *Relay) drop(subject, reason, detail string) {
	r.mu.Lock()
	d := r.dropped[reason]
	d.n++
	if time.Since(d.logged) < time.Second {
		r.dropped[reason] = d
		r.mu.Unlock()
		return
	}
	if len(r.dropped) >= 64 { // the reasons are few; bounded anyway
		clear(r.dropped)
	}
	r.dropped[reason] = drops{logged: time.Now()}
	r.mu.Unlock()
	if detail != "" {
		detail += ", "
	}
	r.opts.Logf("natsrelay: ignored %d message(s): %s (the last: %son %s)", d.n, reason, detail, subject)
}

// handle relays one message from a frame subject. NATS calls it for one message at a time, in
// the order published.
func (r *Relay) handle(m *nats.Msg) {
	name := m.Header.Get(natswire.HeaderChannel)
	kind := m.Header.Get(natswire.HeaderKind)
	producer := m.Header.Get(natswire.HeaderProducer)
	switch {
	case name == "":
		r.drop(m.Subject, "no "+natswire.HeaderChannel+" header: not a liveplot producer's message", "")
		return
	case !natswire.IsFrameSubject(m.Subject, name):
		r.drop(m.Subject, "the subject is not the one of the channel named in its header", "")
		return
	}
	switch kind {
	case natswire.KindOpen:
		r.mu.Lock()
		c := r.channels[name]
		r.mu.Unlock()
		if c != nil && c.producer == producer {
			// Announced again: the producer's connection came back, and frames it published
			// while the relay was not subscribed may be lost. Its snapshot covers them.
			r.spawn(func() { r.resyncChannel(name, c) })
			return
		}
		r.open(name, producer)
	case natswire.KindFrame:
		if !json.Valid(m.Data) {
			r.drop(m.Subject, "a frame that is not JSON", fmt.Sprintf("%d bytes", len(m.Data)))
			return
		}
		c, err := r.open(name, producer)
		if err != nil {
			return
		}
		if err := c.ch.Send(m.Data); err != nil {
			r.opts.Logf("natsrelay: sending a frame to the frontend: %v", err)
		}
	case natswire.KindClose:
		r.mu.Lock()
		defer r.mu.Unlock()
		c := r.channels[name]
		// A channel Follow opened before any frame came ("" for its producer) is the closing
		// producer's too.
		if c == nil || c.producer != producer && c.producer != "" || r.closed {
			return // another producer's, or Close (which closes the channels left) began
		}
		delete(r.channels, name)
		// Closed by a goroutine that Close waits for, with a context of its own, not r.ctx: a
		// Close that comes meanwhile (Follow's, once every channel ended) waits for this close,
		// which for a follower shows the final figure, until Close's own ctx is done.
		r.spawnLocked(func() {
			ctx, cancel := context.WithTimeout(r.closes, 10*time.Second)
			defer cancel()
			if err := c.ch.Close(ctx); err != nil {
				r.opts.Logf("natsrelay: %v", err)
				if r.only != nil {
					r.mu.Lock()
					r.closeErrs = append(r.closeErrs, fmt.Errorf("natsrelay: closing channel %q: %w", name, err))
					r.mu.Unlock()
				}
			}
		})
		r.endedLocked(name)
	default:
		r.drop(m.Subject, "an unknown "+natswire.HeaderKind, strconv.Quote(kind))
	}
}

// open returns the frontend's channel of that name, opening it when the relay has none, or when
// another producer announces it (a new link to the same trace replaces the old one).
func (r *Relay) open(name, producer string) (*channel, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errRelayClosed
	}
	// Follow's opening of its channels (producer "") keeps one a producer announced meanwhile.
	if c := r.channels[name]; c != nil && (c.producer == producer || producer == "") {
		return c, nil
	}
	ch, err := r.to.OpenChannel(name, func() []byte { return r.snapshot(name) })
	if err != nil {
		r.opts.Logf("natsrelay: opening a channel on the frontend: %v", err)
		return nil, err
	}
	c := &channel{ch: ch, producer: producer}
	r.channels[name] = c
	delete(r.closedBy, name)
	return c, nil
}

// snapshotTimeout bounds the wait for a producer's snapshot, and for the one stored.
const snapshotTimeout = 2 * time.Second

// snapshot asks the channel's producer for its snapshot; when none answers, it returns the
// snapshot the producer stored last (nil when there is none).
func (r *Relay) snapshot(name string) []byte {
	ctx, cancel := context.WithTimeout(r.ctx, snapshotTimeout)
	m, err := r.nc.RequestWithContext(ctx, natswire.SnapshotSubject(name), nil)
	cancel()
	if r.ctx.Err() != nil {
		return nil // the relay is closing
	}
	if err != nil {
		if !errors.Is(err, nats.ErrNoResponders) {
			r.opts.Logf("natsrelay: asking a producer for a channel's snapshot: %v", err)
		}
		return r.storedSnapshot(name)
	}
	if len(m.Data) == 0 {
		return nil
	}
	if !json.Valid(m.Data) {
		r.drop(m.Subject, "a snapshot that is not JSON", "")
		return nil
	}
	return m.Data
}

// storedSnapshot returns the named channel's snapshot as its producer last stored it, or nil.
func (r *Relay) storedSnapshot(name string) []byte {
	ctx, cancel := context.WithTimeout(r.ctx, snapshotTimeout)
	defer cancel()
	e, err := r.kv.Get(ctx, natswire.SnapshotKey(name))
	if err != nil {
		if !errors.Is(err, jetstream.ErrKeyNotFound) && r.ctx.Err() == nil {
			r.opts.Logf("natsrelay: reading a channel's stored snapshot: %v", err)
		}
		return nil
	}
	if !json.Valid(e.Value()) {
		r.drop(natswire.SnapshotBucket, "a stored snapshot that is not JSON", "")
		return nil
	}
	return e.Value()
}

// resync sends every open channel its producer's snapshot, after the connection came back:
// frames published while the relay was away are covered by it.
func (r *Relay) resync() {
	r.mu.Lock()
	names := make(map[string]*channel, len(r.channels))
	for name, c := range r.channels {
		names[name] = c
	}
	r.mu.Unlock()
	r.nc.Publish(natswire.Discover, nil) //nolint:errcheck // a later reconnect asks again
	for name, c := range names {
		r.resyncChannel(name, c)
	}
}

// resyncChannel sends the channel its producer's snapshot, as a frame.
func (r *Relay) resyncChannel(name string, c *channel) {
	if snap := r.snapshot(name); snap != nil {
		c.ch.Send(snap) //nolint:errcheck // the channel was closed meanwhile
	}
}

// watchOutputs displays every output stored, and each new version, until the relay closes.
func (r *Relay) watchOutputs() {
	defer close(r.done)
	for {
		select {
		case <-r.ctx.Done():
			return
		case info, ok := <-r.watcher.Updates():
			if !ok {
				return
			}
			if info == nil || info.Deleted {
				continue // nil: the outputs stored before the relay started are all shown
			}
			id, ok := natswire.IsOutput(info.Name)
			if !ok {
				continue
			}
			if err := r.display(id, info.Name); err != nil && r.ctx.Err() == nil {
				r.opts.Logf("natsrelay: output %q: %v", id, err)
			}
		}
	}
}

// maxObject bounds what the relay reads of one stored output or library: plotly.js takes 4.6 MB,
// the output of a figure with a window of 100,000 points about 5 MB.
const maxObject = 64 << 20

// objectReads bounds the reads of one object: see getObject.
const objectReads = 3

// errTooLarge is an object past maxObject: reading it again does not help.
var errTooLarge = errors.New("more than a relay reads")

// getObject reads a stored object of at most maxObject bytes. A read that fails is tried again,
// up to objectReads times in all: producers that start together each store the same library, and
// a put that replaces an object removes the chunks a read of the version before is waiting for
// (seen as "read pipe: i/o timeout" with two producers of the e2e tests on a busy machine); the
// next read gets the version that replaced it.
func (r *Relay) getObject(ctx context.Context, name string) ([]byte, error) {
	for read := 1; ; read++ {
		body, err := r.getObjectOnce(ctx, name)
		if err == nil || read == objectReads || ctx.Err() != nil ||
			errors.Is(err, jetstream.ErrObjectNotFound) || errors.Is(err, errTooLarge) {
			return body, err
		}
	}
}

func (r *Relay) getObjectOnce(ctx context.Context, name string) ([]byte, error) {
	info, err := r.obj.GetInfo(ctx, name)
	if err != nil {
		return nil, err
	}
	if info.Size > maxObject {
		return nil, fmt.Errorf("ignored: %d bytes, %w (%d)", info.Size, errTooLarge, maxObject)
	}
	return r.obj.GetBytes(ctx, name)
}

func (r *Relay) display(id, object string) error {
	ctx, cancel := context.WithTimeout(r.ctx, 30*time.Second)
	defer cancel()
	body, err := r.getObject(ctx, object)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil // replaced or deleted meanwhile: the watcher brings the newer one
	}
	if err != nil {
		return fmt.Errorf("reading it from NATS: %w", err)
	}
	var stored natswire.Output
	if err := json.Unmarshal(body, &stored); err != nil {
		return fmt.Errorf("ignored: not a liveplot output (%w)", err)
	}
	if stored.ID != id {
		return fmt.Errorf("ignored: it names itself %q", stored.ID)
	}
	out := kernelext.Output{ID: stored.ID, HTML: stored.HTML, Interim: stored.Interim, Data: stored.Data}
	for _, name := range stored.Scripts {
		src, err := r.script(ctx, name)
		if err != nil {
			return err
		}
		out.Scripts = append(out.Scripts, kernelext.Script{Name: name, Source: src})
	}
	return r.to.Display(ctx, out)
}

// script returns a library's source, read from the server once.
func (r *Relay) script(ctx context.Context, name string) ([]byte, error) {
	r.mu.Lock()
	src, ok := r.scripts[name]
	r.mu.Unlock()
	if ok {
		return src, nil
	}
	src, err := r.getObject(ctx, natswire.ScriptName(name))
	if err != nil {
		return nil, fmt.Errorf("reading library %q from NATS: %w", strings.TrimSpace(name), err)
	}
	r.mu.Lock()
	r.scripts[name] = src
	r.mu.Unlock()
	return src, nil
}

// endedLocked records that the producer of the named channel closed it, and closes r.ended once
// each followed channel was. Called with r.mu held.
func (r *Relay) endedLocked(name string) {
	if r.only == nil || !r.only[name] {
		return
	}
	r.closedBy[name] = true
	if r.endedSet || len(r.closedBy) < len(r.only) {
		return
	}
	r.endedSet = true
	close(r.ended)
}

// followCloseTimeout bounds Follow's closing: the frontend's channels closed, each showing its
// final state.
const followCloseTimeout = 10 * time.Second

// Follow relays the named channels (stream tokens), and no outputs, from the NATS server at url
// to to, until the producers have closed every one of them, ctx is done, or, in a GoNB cell, the
// notebook's stop button is pressed ([kernelext.AtInterrupt]); then it closes the relay, which
// closes the channels it opened on to. It is how a notebook cell shows what producers elsewhere
// write to the traces of a figure the cell showed: to is then [stream.Follower], which feeds
// those traces. Each channel is opened on to at once, so that to gets its snapshot: the
// producer's, or, when no producer has the channel open (it finished, or was killed), the one it
// stored last; a channel that to refuses to open (stream.Follower: no figure of this program has
// the token) makes Follow fail at once. Follow returns nil when the producers closed the channels
// or the stop button was pressed, and ctx's error when ctx ended first, joined with the errors of
// closing channels on to (for a Follower: showing the final figure). The credentials, TLS and
// bounds are opts', as for [Connect]; what the relay drops or fails to do is written to standard
// error (a cell's output) when opts.Logf is nil.
//
// [stream.Follower]: https://pkg.go.dev/github.com/liveplot/liveplot/stream#Follower
func Follow(ctx context.Context, url string, to kernelext.Frontend, channels []string, opts Options) error {
	if len(channels) == 0 {
		return errors.New("natsrelay: Follow needs the names of the channels to follow: the stream tokens of the figure's traces")
	}
	for _, name := range channels {
		if name == "" {
			return errors.New("natsrelay: Follow: a channel needs a name (an empty stream token)")
		}
	}
	if opts.Logf == nil {
		opts.Logf = func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	}
	r, err := connect(ctx, url, to, opts, channels)
	if err != nil {
		return err
	}
	stopped := make(chan struct{})
	closed := make(chan struct{})
	var stopOnce sync.Once
	remove := kernelext.AtInterrupt(func(ictx context.Context) {
		stopOnce.Do(func() { close(stopped) })
		select { // the program exits once this returns: the channels' final state first
		case <-closed:
		case <-ictx.Done():
		}
	})
	defer remove()
	var why error
	select {
	case <-r.ended:
	case <-stopped:
	case <-ctx.Done():
		why = fmt.Errorf("natsrelay: following %d channel(s) on NATS at %s: %w", len(channels), r.url, ctx.Err())
	}
	closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), followCloseTimeout)
	defer cancel()
	err = r.Close(closeCtx)
	close(closed)
	r.mu.Lock()
	closeErrs := r.closeErrs
	r.mu.Unlock()
	return errors.Join(append([]error{why, err}, closeErrs...)...)
}
