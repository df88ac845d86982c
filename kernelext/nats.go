package kernelext

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/liveplot/liveplot/internal/randid"
	"github.com/liveplot/liveplot/kernelext/internal/natswire"
)

// NATS is the Frontend of a producer whose viewers are elsewhere: it publishes through a NATS
// server, and whatever relays that server's liveplot subjects to a page shows the outputs and
// moves them (`liveplot serve`, or package natsrelay in a server of yours). [Default] picks it
// when LIVEPLOT_NATS holds the server's URL; [NewNATS] makes one with nats.go options of yours
// (TLS, credentials files, nkeys).
//
// Display stores the output in a JetStream object store on the server, so that a viewer that
// comes later gets every output as it was last displayed (the final figure, once a stream is
// closed). OpenChannel announces the channel and publishes its frames on a subject derived from
// its name by a one-way hash: the name (a stream token, a capability) cannot be read off the
// subject. A late viewer gets the channel's current snapshot by a request to the producer, which
// answers with the snapshot function it was given: exact, and never stale, but only while the
// producer lives. So that a producer that dies leaves its window too, each channel that sent
// frames also stores its snapshot in a JetStream key-value bucket once a second, and when it
// closes; docs/remote.md says why.
//
// Frames are published at once, without waiting for the server: while the connection is down
// (a server restart) nats.go buffers them, up to 8 MB by default, and sends them once it
// reconnects. A frame or an output larger than the server's max_payload is refused with an
// error (outputs are stored in chunks, so only frames and snapshots have that bound).
type NATS struct {
	nc       *nats.Conn
	obj      jetstream.ObjectStore
	kv       jetstream.KeyValue
	id       string
	keeping  context.Context    // the snapshot keeper's, cancelled by Close: it ends, a store it makes is cut short
	stop     context.CancelFunc // cancels keeping
	kept     chan struct{}      // closed when the keeper has ended
	url      string             // redacted, for messages
	discover *nats.Subscription

	mu       sync.Mutex
	channels map[*natsChannel]bool
	scripts  map[string]bool // libraries stored already
	closed   bool
}

// natsFrameInterval paces a NATS channel's frames: one message per frame and viewer-side
// batching in the relay's page, so as often as the local page.
const natsFrameInterval = 25 * time.Millisecond

// NewNATS connects to the NATS server at url (nats://HOST:PORT, tls://HOST:PORT; credentials
// as nats://USER:PASSWORD@HOST:PORT or nats://TOKEN@HOST:PORT; several URLs separated by
// commas) and returns a frontend that publishes through it. opts are nats.go's options, applied
// after liveplot's own (which reconnect forever): nats.RootCAs, nats.ClientCert,
// nats.UserCredentials, nats.UserInfo, nats.Token ... The server needs JetStream.
func NewNATS(ctx context.Context, url string, opts ...nats.Option) (*NATS, error) {
	n := &NATS{
		id:       randid.Hex(8),
		url:      natswire.Redact(url),
		channels: map[*natsChannel]bool{},
		scripts:  map[string]bool{},
		kept:     make(chan struct{}),
	}
	n.keeping, n.stop = context.WithCancel(context.Background())
	all := []nats.Option{
		nats.Name("liveplot producer"),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250 * time.Millisecond),
		nats.ReconnectHandler(func(*nats.Conn) { n.announceAll() }),
	}
	nc, err := nats.Connect(url, append(all, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("kernelext: %w", natswire.ConnectError(url, err))
	}
	n.nc = nc
	stores, err := natswire.OpenStores(ctx, nc)
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("kernelext: NATS at %s: %w", n.url, err)
	}
	n.obj, n.kv = stores.Outputs, stores.Snapshots
	if n.discover, err = nc.Subscribe(natswire.Discover, func(*nats.Msg) { n.announceAll() }); err != nil {
		nc.Close()
		return nil, fmt.Errorf("kernelext: NATS at %s: subscribing to %s: %w", n.url, natswire.Discover, err)
	}
	go n.keepSnapshots()
	return n, nil
}

// snapshotEvery is how often a channel that sent frames stores its snapshot on the server.
const snapshotEvery = time.Second

// keepSnapshots stores the snapshot of every channel that sent frames since it was last stored,
// once a snapshotEvery, until Close: what a late viewer gets if this process dies.
func (n *NATS) keepSnapshots() {
	defer close(n.kept)
	ctx := n.keeping
	tick := time.NewTicker(snapshotEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		for _, c := range n.channelList() {
			if c.dirty.Swap(false) {
				c.storeSnapshot(ctx, false)
			}
		}
	}
}

// URL returns the server's URL as given, with any password or token masked.
func (n *NATS) URL() string { return n.url }

// Display stores out (and, once each, the libraries it needs) in the server's object store,
// where every viewer finds it, now or later. An output without an ID is given one.
func (n *NATS) Display(ctx context.Context, out Output) error {
	n.mu.Lock()
	closed := n.closed
	n.mu.Unlock()
	if closed {
		return ErrFrontendClosed
	}
	if out.ID == "" {
		out.ID = "output-" + randid.Hex(8)
	}
	stored := natswire.Output{ID: out.ID, HTML: out.HTML, Interim: out.Interim, Data: out.Data}
	for _, s := range out.Scripts {
		stored.Scripts = append(stored.Scripts, s.Name)
		if err := n.storeScript(ctx, s); err != nil {
			return err
		}
	}
	body, err := json.Marshal(stored)
	if err != nil {
		return fmt.Errorf("kernelext: encoding output %q: %w", out.ID, err)
	}
	if _, err := n.obj.PutBytes(ctx, natswire.OutputName(out.ID), body); err != nil {
		return fmt.Errorf("kernelext: storing output %q on NATS at %s: %w", out.ID, n.url, err)
	}
	return nil
}

// storeScript stores a library once: it keeps its name, and the store keeps it across producers.
func (n *NATS) storeScript(ctx context.Context, s Script) error {
	n.mu.Lock()
	done := n.scripts[s.Name]
	n.mu.Unlock()
	if done {
		return nil
	}
	name := natswire.ScriptName(s.Name)
	if _, err := n.obj.GetInfo(ctx, name); errors.Is(err, jetstream.ErrObjectNotFound) {
		if _, err := n.obj.PutBytes(ctx, name, s.Source); err != nil {
			return fmt.Errorf("kernelext: storing library %q on NATS at %s: %w", s.Name, n.url, err)
		}
	} else if err != nil {
		return fmt.Errorf("kernelext: looking up library %q on NATS at %s: %w", s.Name, n.url, err)
	}
	n.mu.Lock()
	n.scripts[s.Name] = true
	n.mu.Unlock()
	return nil
}

// OpenChannel announces the named channel and answers snapshot requests for it with
// snapshot() while it is open.
func (n *NATS) OpenChannel(name string, snapshot func() []byte) (Channel, error) {
	if name == "" {
		return nil, errors.New("kernelext: a channel needs a name")
	}
	c := &natsChannel{n: n, name: name, subject: natswire.FrameSubject(name), snapshot: snapshot}
	var err error
	c.responder, err = n.nc.Subscribe(natswire.SnapshotSubject(name), func(m *nats.Msg) {
		frame := []byte{}
		if snapshot != nil {
			frame = snapshot()
		}
		if err := m.Respond(frame); err != nil {
			log.Printf("liveplot: answering a viewer's snapshot request for a channel: %v", err)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("kernelext: NATS at %s: answering snapshot requests: %w", n.url, err)
	}
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		c.responder.Unsubscribe() //nolint:errcheck // never used
		return nil, ErrFrontendClosed
	}
	n.channels[c] = true
	n.mu.Unlock()
	if err := c.publish(natswire.KindOpen, nil); err != nil {
		c.Close(context.Background()) //nolint:errcheck // the open failed already
		return nil, err
	}
	return c, nil
}

// announceAll announces every open channel again: a viewer asked, or the connection is back.
func (n *NATS) announceAll() {
	for _, c := range n.channelList() {
		c.publish(natswire.KindOpen, nil) //nolint:errcheck // a later announcement or frame follows
	}
}

// channelList returns the open channels.
func (n *NATS) channelList() []*natsChannel {
	n.mu.Lock()
	defer n.mu.Unlock()
	list := make([]*natsChannel, 0, len(n.channels))
	for c := range n.channels {
		list = append(list, c)
	}
	return list
}

// Close closes the connection, after sending what was published (waiting at most until ctx is
// done). Channels still open end without their close message.
func (n *NATS) Close(ctx context.Context) error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	n.mu.Unlock()
	n.stop()
	select {
	case <-n.kept:
	case <-ctx.Done(): // the keeper's store is cut short by stop, and ends soon
	}
	err := natswire.Flush(ctx, n.nc)
	n.nc.Close()
	if err != nil {
		return fmt.Errorf("kernelext: closing the connection to NATS at %s: %w", n.url, err)
	}
	return nil
}

// ErrFrontendClosed is returned by a frontend's Display and OpenChannel after its Close.
var ErrFrontendClosed = errors.New("kernelext: the frontend is closed")

// natsChannel is a channel published through NATS.
type natsChannel struct {
	n           *NATS
	name        string
	subject     string
	snapshot    func() []byte
	responder   *nats.Subscription
	dirty       atomic.Bool // frames were sent since the snapshot was last stored
	tooBig      atomic.Bool // a snapshot was too big to store: said once
	storeMu     sync.Mutex  // one store at a time
	finalStored bool        // Close stored the final snapshot; guarded by storeMu

	mu     sync.Mutex
	closed bool
}

func (c *natsChannel) publish(kind string, frame []byte) error {
	m := nats.NewMsg(c.subject)
	m.Header.Set(natswire.HeaderChannel, c.name)
	m.Header.Set(natswire.HeaderKind, kind)
	m.Header.Set(natswire.HeaderProducer, c.n.id)
	m.Data = frame
	if err := c.n.nc.PublishMsg(m); err != nil {
		if errors.Is(err, nats.ErrMaxPayload) {
			return fmt.Errorf("kernelext: a frame of %d bytes is more than the NATS server at %s takes (max_payload %d): "+
				"raise the server's max_payload, or write fewer points between frames: %w", len(frame), c.n.url, c.n.nc.MaxPayload(), err)
		}
		return fmt.Errorf("kernelext: publishing on NATS at %s: %w", c.n.url, err)
	}
	return nil
}

// Send publishes frame.
func (c *natsChannel) Send(frame []byte) error {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return ErrClosed
	}
	c.dirty.Store(true)
	return c.publish(natswire.KindFrame, frame)
}

// storeSnapshot stores the channel's snapshot in the server's key-value bucket, waiting at most 5
// s or until ctx is done. The final one (Close's) is the last: a periodic store that comes after it
// would put an older window back.
func (c *natsChannel) storeSnapshot(ctx context.Context, final bool) {
	if c.snapshot == nil {
		return
	}
	c.storeMu.Lock()
	defer c.storeMu.Unlock()
	if c.finalStored {
		return
	}
	c.finalStored = final
	frame := c.snapshot()
	if frame == nil {
		return
	}
	if int64(len(frame)) > c.n.nc.MaxPayload() {
		if !c.tooBig.Swap(true) {
			log.Printf("liveplot: a snapshot of %d bytes is more than the NATS server at %s takes (max_payload %d): "+
				"a viewer that comes after this program is killed will not get its window", len(frame), c.n.url, c.n.nc.MaxPayload())
		}
		return
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if _, err := c.n.kv.Put(ctx, natswire.SnapshotKey(c.name), frame); err != nil {
		c.dirty.Store(true) // try again on the next tick
	}
}

// FrameInterval paces the frames.
func (c *natsChannel) FrameInterval() time.Duration { return natsFrameInterval }

// Close publishes the channel's end, stops answering snapshot requests and waits until the
// server has what was published (or ctx is done).
func (c *natsChannel) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()
	c.n.mu.Lock()
	delete(c.n.channels, c)
	c.n.mu.Unlock()
	c.storeSnapshot(ctx, true) // the final window, for viewers that come later
	errs := []error{c.publish(natswire.KindClose, nil)}
	if err := c.responder.Unsubscribe(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		errs = append(errs, fmt.Errorf("kernelext: NATS at %s: %w", c.n.url, err))
	}
	if err := natswire.Flush(ctx, c.n.nc); err != nil {
		errs = append(errs, fmt.Errorf("kernelext: closing channel on NATS at %s before the server had its frames: %w", c.n.url, err))
	}
	return errors.Join(errs...)
}
