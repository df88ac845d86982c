package jupyter

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/liveplot/liveplot/internal/wake"
)

var (
	// ErrKernelDead means the kernel stopped: its process exited or it stopped answering
	// heartbeats. Every pending and later call fails with an error wrapping it.
	ErrKernelDead = errors.New("jupyter: kernel is dead")
	// ErrClosed means the client was closed (Close or Shutdown) before or during the call.
	ErrClosed = errors.New("jupyter: client is closed")
)

// ClientOptions configures a [Client]. The zero value is usable.
type ClientOptions struct {
	// OnComm, if set, sees every comm_open, comm_msg and comm_close the kernel publishes on
	// IOPub, whichever request they belong to. It runs on the client's IOPub goroutine, so it
	// must return quickly; it may call the Client's Comm methods.
	OnComm func(*Message)

	// AnswerGoNBComms makes the client do what GoNB's browser script does: when the kernel
	// publishes the script that installs its comm channel, the client opens the "gonb_comm"
	// comm and answers the kernel's comm pings. Without it (or a browser) every gonbui/comms
	// use waits 3 s for a front end and fails.
	AnswerGoNBComms bool

	// GoNBAnswerDelay, with AnswerGoNBComms, makes the client a slow page: it waits
	// GoNBAnswerDelay(n) before it answers the n-th installer script GoNB publishes (n from 1).
	// GoNB's kernel waits 3 s for the answer; a later one misses the message that asked for it.
	GoNBAnswerDelay func(n int) time.Duration

	// KernelID is the kernel id GoNB expects in comm_open. Connect takes it from a connection
	// file named kernel-<id>.json; StartKernel makes one.
	KernelID string

	// InterruptMode is "message" (interrupt_request on control) or "signal" (SIGINT, only for
	// a kernel started by StartKernel). StartKernel takes it from the kernelspec; Connect
	// defaults to "message".
	InterruptMode string

	// HeartbeatInterval is the time between heartbeat pings; 0 means 1 s, negative disables
	// the heartbeat monitor.
	HeartbeatInterval time.Duration
	// HeartbeatTimeout is how long the kernel may go without answering a heartbeat before it is
	// declared dead; 0 means 10 s.
	HeartbeatTimeout time.Duration

	// Username goes into message headers; "" means "liveplot".
	Username string
}

// Client talks to one kernel. Its methods are safe for concurrent use, except that one
// Execute at a time is what a kernel expects.
type Client struct {
	opts    ClientOptions
	info    ConnectionInfo
	sign    signer
	session string

	sockets map[Channel]zmq4.Socket
	sendMu  map[Channel]*sync.Mutex
	stopZMQ context.CancelFunc

	mu           sync.Mutex
	replies      map[string]*replyWaiter // by request msg_id
	iopub        map[string]*mailbox     // by request msg_id
	gonbComm     string                  // comm id of the GoNB comm channel this client opened
	gonbInstalls int                     // installer scripts GoNB published (GoNBAnswerDelay)
	hbWait       map[string]chan struct{}
	lastBeat     time.Time

	done     chan struct{}
	doneOnce sync.Once
	doneErr  error

	rejected   atomic.Int64
	lastReject atomic.Pointer[error]

	proc     *process // nil unless started by StartKernel
	connFile string
}

// replyWaiter receives the reply of one request.
type replyWaiter struct {
	msgType string // the reply type expected, e.g. "execute_reply"
	ch      chan *Message
}

// Connect connects to a running kernel described by a connection file and waits until it
// answers kernel_info. ctx bounds the connection, not the client's life: call Close when done.
func Connect(ctx context.Context, connectionFile string, opts ClientOptions) (*Client, error) {
	info, err := ReadConnectionFile(connectionFile)
	if err != nil {
		return nil, err
	}
	if opts.KernelID == "" {
		opts.KernelID = KernelIDFromConnectionFile(connectionFile)
	}
	c, err := dial(ctx, info, opts, nil)
	if err != nil {
		return nil, err
	}
	c.connFile = connectionFile
	if err := c.waitReady(ctx); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// dial creates the client's sockets and connects them to the kernel's ports.
func dial(ctx context.Context, info ConnectionInfo, opts ClientOptions, proc *process) (*Client, error) {
	if err := info.validate(); err != nil {
		return nil, err
	}
	if opts.InterruptMode == "" {
		opts.InterruptMode = "message"
	}
	if opts.HeartbeatInterval == 0 {
		opts.HeartbeatInterval = time.Second
	}
	if opts.HeartbeatTimeout == 0 {
		opts.HeartbeatTimeout = 10 * time.Second
	}
	if opts.Username == "" {
		opts.Username = "liveplot"
	}
	zctx, stop := context.WithCancel(context.Background())
	c := &Client{
		opts:     opts,
		info:     info,
		sign:     signer{key: []byte(info.Key)},
		session:  newUUID(),
		sockets:  map[Channel]zmq4.Socket{},
		sendMu:   map[Channel]*sync.Mutex{},
		stopZMQ:  stop,
		replies:  map[string]*replyWaiter{},
		iopub:    map[string]*mailbox{},
		hbWait:   map[string]chan struct{}{},
		lastBeat: time.Now(),
		done:     make(chan struct{}),
		proc:     proc,
	}
	// Shell, control and stdin share one identity: the kernel routes stdin requests (and GoNB
	// routes control replies) by the shell socket's identity.
	id := zmq4.SocketIdentity(c.session)
	quiet := zmq4.WithLogger(log.New(io.Discard, "", 0))
	common := []zmq4.Option{quiet, zmq4.WithDialerRetry(50 * time.Millisecond), zmq4.WithDialerMaxRetries(-1)}
	c.sockets[Shell] = zmq4.NewDealer(zctx, append(common, zmq4.WithID(id))...)
	c.sockets[Control] = zmq4.NewDealer(zctx, append(common, zmq4.WithID(id))...)
	c.sockets[Stdin] = zmq4.NewDealer(zctx, append(common, zmq4.WithID(id))...)
	c.sockets[IOPub] = zmq4.NewSub(zctx, common...)
	c.sockets[Heartbeat] = zmq4.NewDealer(zctx, common...)
	if err := c.sockets[IOPub].SetOption(zmq4.OptionSubscribe, ""); err != nil {
		c.closeSockets()
		return nil, fmt.Errorf("jupyter: subscribing to IOPub: %w", err)
	}
	ports := map[Channel]int{Shell: info.ShellPort, Control: info.ControlPort, Stdin: info.StdinPort,
		IOPub: info.IOPubPort, Heartbeat: info.HBPort}

	// Dialing retries until the kernel listens; it stops when ctx ends, the process exits or
	// the sockets close.
	errs := make(chan error, len(ports))
	for ch, port := range ports {
		c.sendMu[ch] = &sync.Mutex{}
		go func() {
			if err := c.sockets[ch].Dial(info.endpoint(port)); err != nil {
				errs <- fmt.Errorf("jupyter: connecting the %s channel to %s: %w", ch, info.endpoint(port), err)
				return
			}
			errs <- nil
		}()
	}
	var procDone <-chan struct{}
	if proc != nil {
		procDone = proc.exited
	}
	for range ports {
		select {
		case err := <-errs:
			if err != nil {
				c.closeSockets()
				return nil, err
			}
		case <-ctx.Done():
			c.closeSockets()
			return nil, fmt.Errorf("jupyter: connecting to the kernel: %w", ctx.Err())
		case <-procDone:
			c.closeSockets()
			return nil, fmt.Errorf("%w: %s", ErrKernelDead, proc.exitReport())
		}
	}
	for _, ch := range []Channel{Shell, Control, Stdin, IOPub} {
		go c.readLoop(ch)
	}
	go c.heartbeatReader()
	if opts.HeartbeatInterval > 0 {
		go c.heartbeatMonitor()
	}
	if proc != nil {
		go func() {
			<-proc.exited
			c.die(fmt.Errorf("%w: %s", ErrKernelDead, proc.exitReport()))
		}()
	}
	return c, nil
}

// Pid returns the kernel's process id, or 0 for a kernel this client did not start.
func (c *Client) Pid() int {
	if c.proc == nil {
		return 0
	}
	return c.proc.cmd.Process.Pid
}

// ConnectionFile returns the path of the kernel's connection file (another client can Connect
// with it).
func (c *Client) ConnectionFile() string { return c.connFile }

// KernelID returns the kernel id (from the connection file name), or "".
func (c *Client) KernelID() string { return c.opts.KernelID }

// Done returns a channel closed when the client stops working: closed, or the kernel died.
// Err then says why.
func (c *Client) Done() <-chan struct{} { return c.done }

// Err returns why the client stopped (wrapping ErrKernelDead or ErrClosed), or nil while it
// works.
func (c *Client) Err() error {
	select {
	case <-c.done:
		return c.doneErr
	default:
		return nil
	}
}

// Rejected returns how many received messages were dropped because their signature was
// missing or wrong or they were malformed, and the error of the last one.
func (c *Client) Rejected() (int64, error) {
	var last error
	if p := c.lastReject.Load(); p != nil {
		last = *p
	}
	return c.rejected.Load(), last
}

// Close stops the client without asking the kernel to shut down; a kernel started by
// StartKernel is killed (with its process group) and its connection file removed. Use
// Shutdown for a clean stop. Close is safe to call more than once.
func (c *Client) Close() error {
	c.die(ErrClosed)
	if c.proc != nil {
		return c.proc.kill()
	}
	return nil
}

// die stops the client for the given reason; the first reason wins.
func (c *Client) die(reason error) {
	c.doneOnce.Do(func() {
		c.doneErr = reason
		close(c.done)
		c.closeSockets()
	})
}

func (c *Client) closeSockets() {
	c.stopZMQ()
	for _, s := range c.sockets {
		s.Close()
	}
}

// stopped returns the error for a call that found the client stopped.
func (c *Client) stopped(doing string) error {
	return fmt.Errorf("jupyter: %s: %w", doing, c.doneErr)
}

// readLoop receives, verifies and routes messages from one channel until the client stops.
func (c *Client) readLoop(ch Channel) {
	sock := c.sockets[ch]
	for {
		zm, err := sock.Recv()
		if err != nil {
			c.lostConnection(ch, err)
			return
		}
		m, err := c.sign.decode(ch, zm.Frames)
		if err != nil {
			c.rejected.Add(1)
			c.lastReject.Store(&err)
			continue
		}
		if ch == IOPub {
			c.routeIOPub(m)
		} else if ch == Stdin && m.Type() == "input_request" {
			go c.answerInput(m)
		} else {
			c.routeReply(m)
		}
	}
}

// lostConnection stops the client after a receive error: the kernel closed its end. For a
// kernel this client started, the process's exit status says more, so wait a moment for it.
func (c *Client) lostConnection(ch Channel, err error) {
	select {
	case <-c.done:
		return
	default:
	}
	if c.proc != nil {
		select {
		case <-c.proc.exited:
			c.die(fmt.Errorf("%w: %s", ErrKernelDead, c.proc.exitReport()))
			return
		case <-time.After(time.Second):
		}
	}
	c.die(fmt.Errorf("%w: the %s channel lost its connection (%v)", ErrKernelDead, ch, err))
}

// routeReply hands a shell or control reply to the request waiting for it. Replies nobody
// waits for (late, or of another type such as GoNB's comm_close on shutdown) are dropped.
func (c *Client) routeReply(m *Message) {
	c.mu.Lock()
	w := c.replies[m.ParentID()]
	c.mu.Unlock()
	if w == nil || (w.msgType != "" && w.msgType != m.Type()) {
		return
	}
	select {
	case w.ch <- m:
	default:
	}
}

// routeIOPub queues an IOPub message for the request it belongs to, and handles comms.
func (c *Client) routeIOPub(m *Message) {
	c.mu.Lock()
	box := c.iopub[m.ParentID()]
	c.mu.Unlock()
	if box != nil {
		box.put(m)
	}
	switch m.Type() {
	case "comm_open", "comm_msg", "comm_close":
		if c.opts.AnswerGoNBComms {
			c.answerGoNBComm(m)
		}
		if c.opts.OnComm != nil {
			c.opts.OnComm(m)
		}
	case "display_data", "update_display_data":
		if c.opts.AnswerGoNBComms {
			c.answerGoNBInstall(m)
		}
	}
}

// answerInput answers an input_request with an empty line: this client has no user to ask, and
// a kernel waiting for input would hang the cell.
func (c *Client) answerInput(req *Message) {
	reply, err := newMessage(c.session, c.opts.Username, "input_reply", map[string]any{"value": ""})
	if err != nil {
		return
	}
	reply.ParentHeader = req.Header
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = c.send(ctx, Stdin, reply)
}

// send signs and sends m on channel ch.
func (c *Client) send(ctx context.Context, ch Channel, m *Message) error {
	frames, err := c.sign.encode(m)
	if err != nil {
		return err
	}
	select {
	case <-c.done:
		return c.stopped("sending " + m.Type())
	default:
	}
	errc := make(chan error, 1)
	go func() {
		mu := c.sendMu[ch]
		mu.Lock()
		defer mu.Unlock()
		errc <- c.sockets[ch].SendMulti(zmq4.NewMsgFrom(frames...))
	}()
	select {
	case err := <-errc:
		if err != nil {
			return fmt.Errorf("jupyter: sending %s on %s: %w", m.Type(), ch, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("jupyter: sending %s on %s: %w", m.Type(), ch, ctx.Err())
	case <-c.done:
		return c.stopped("sending " + m.Type())
	}
}

// request sends a request of type msgType on ch and waits for its reply.
func (c *Client) request(ctx context.Context, ch Channel, msgType string, content any) (*Message, error) {
	m, err := newMessage(c.session, c.opts.Username, msgType, content)
	if err != nil {
		return nil, err
	}
	w := c.expectReply(m)
	defer c.forget(m)
	if err := c.send(ctx, ch, m); err != nil {
		return nil, err
	}
	return c.awaitReply(ctx, w, m)
}

// expectReply registers a waiter for the reply to m (msg type *_request -> *_reply).
func (c *Client) expectReply(m *Message) *replyWaiter {
	w := &replyWaiter{msgType: strings.TrimSuffix(m.Type(), "_request") + "_reply", ch: make(chan *Message, 1)}
	c.mu.Lock()
	c.replies[m.Header.MsgID] = w
	c.mu.Unlock()
	return w
}

// forget drops the reply waiter and IOPub mailbox of request m.
func (c *Client) forget(m *Message) {
	c.mu.Lock()
	delete(c.replies, m.Header.MsgID)
	delete(c.iopub, m.Header.MsgID)
	c.mu.Unlock()
}

func (c *Client) awaitReply(ctx context.Context, w *replyWaiter, m *Message) (*Message, error) {
	select {
	case r := <-w.ch:
		return r, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("jupyter: waiting for %s: %w", w.msgType, ctx.Err())
	case <-c.done:
		return nil, c.stopped("waiting for " + w.msgType)
	}
}

// subscribe registers a mailbox for the IOPub messages of request m.
func (c *Client) subscribe(m *Message) *mailbox {
	box := newMailbox()
	c.mu.Lock()
	c.iopub[m.Header.MsgID] = box
	c.mu.Unlock()
	return box
}

// mailbox is an unbounded FIFO of messages: the IOPub reader never waits for a slow handler.
type mailbox struct {
	mu     sync.Mutex
	queue  []*Message
	notify chan struct{}
}

func newMailbox() *mailbox { return &mailbox{notify: make(chan struct{}, 1)} }

func (b *mailbox) put(m *Message) {
	b.mu.Lock()
	b.queue = append(b.queue, m)
	b.mu.Unlock()
	wake.Signal(b.notify)
}

func (b *mailbox) take() []*Message {
	b.mu.Lock()
	q := b.queue
	b.queue = nil
	b.mu.Unlock()
	return q
}
