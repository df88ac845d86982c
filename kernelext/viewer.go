package kernelext

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/liveplot/liveplot/internal/wake"
)

const (
	// viewerQueueFrames bounds the frames waiting for one viewer: about four seconds of frames at
	// 60 a second. Past it the viewer is behind; its frames are dropped and it is sent a fresh
	// snapshot of each such channel as soon as it catches up.
	viewerQueueFrames = 256
	// viewerReadLimit bounds a message from the page (they are subscriptions, a few bytes).
	viewerReadLimit = 64 << 10
	// subscribedBytesLimit bounds the channel names one viewer is subscribed to, all together
	// (with the bound on their number, what a socket can make the server hold).
	subscribedBytesLimit = 1 << 20
	// viewerUnacked bounds the messages written to a viewer that its page has not acknowledged
	// handling: past it the viewer is behind, as with a full queue. The socket alone cannot tell:
	// a browser whose main thread is busy keeps accepting messages and lets them wait inside it.
	viewerUnacked = 256
)

// viewer is one open page, connected by a WebSocket. Messages for it wait in a queue that one
// goroutine writes out, so that a slow page never blocks the program that sends frames.
type viewer struct {
	conn         *websocket.Conn
	writeTimeout time.Duration // how long one write may take before the viewer is disconnected

	mu      sync.Mutex
	queue   [][]byte                 // messages to write, in order
	frames  int                      // how many of them are frames
	lagging map[string]func() []byte // channels to resync with a snapshot, by name
	waiters []chan struct{}          // closed when the queue is next found empty
	wake    chan struct{}
	done    chan struct{}
	stopped bool

	// Messages written, and how many of them the page said it handled; acking is set by the
	// page's first acknowledgement (a client that never sends one is paced by its socket alone).
	written, acked int
	acking         bool

	subscribed      map[string]bool // channel names; guarded by the page's mutex
	subscribedBytes int             // the length of those names, all together; guarded likewise
}

func newViewer(conn *websocket.Conn, writeTimeout time.Duration) *viewer {
	return &viewer{
		conn:         conn,
		writeTimeout: writeTimeout,
		lagging:      map[string]func() []byte{},
		wake:         make(chan struct{}, 1),
		done:         make(chan struct{}),
		subscribed:   map[string]bool{},
	}
}

func (v *viewer) signal() { wake.Signal(v.wake) }

// sendControl queues a message that must arrive (an output), however long the queue.
func (v *viewer) sendControl(msg []byte) {
	v.mu.Lock()
	if !v.stopped {
		v.queue = append(v.queue, msg)
	}
	v.mu.Unlock()
	v.signal()
}

// sendFrame queues a frame of the named channel, unless the viewer is behind on that channel:
// then the frame is dropped and the viewer will get the channel's snapshot instead.
func (v *viewer) sendFrame(name string, msg []byte, snapshot func() []byte) {
	v.mu.Lock()
	switch {
	case v.stopped:
	case v.lagging[name] != nil:
	case v.frames+v.unackedLocked() >= viewerQueueFrames && snapshot != nil:
		v.lagging[name] = snapshot
	default:
		v.queue = append(v.queue, msg)
		v.frames++
	}
	v.mu.Unlock()
	v.signal()
}

// resync asks for the named channel's snapshot to be sent to the viewer; frames of that channel
// are dropped until it is.
func (v *viewer) resync(name string, snapshot func() []byte) {
	v.mu.Lock()
	if !v.stopped {
		v.lagging[name] = snapshot
	}
	v.mu.Unlock()
	v.signal()
}

// flush returns once every message queued before it has been written to the viewer, the viewer
// has gone, or ctx is done.
func (v *viewer) flush(ctx context.Context) error {
	idle := make(chan struct{})
	v.mu.Lock()
	if v.stopped {
		v.mu.Unlock()
		return nil
	}
	v.waiters = append(v.waiters, idle)
	v.mu.Unlock()
	v.signal()
	select {
	case <-idle:
		return nil
	case <-v.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// unackedLocked is how many messages written the page has not acknowledged. Called with v.mu held.
func (v *viewer) unackedLocked() int {
	if !v.acking {
		return 0
	}
	return v.written - v.acked
}

// ack records that the page has handled the first n messages written to it.
func (v *viewer) ack(n int) {
	v.mu.Lock()
	v.acking = true
	if n > v.acked && n <= v.written {
		v.acked = n
	}
	v.mu.Unlock()
	v.signal()
}

// stop ends the viewer's writer and releases whoever waits on it.
func (v *viewer) stop() {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.stopped {
		v.stopped = true
		close(v.done)
	}
}

// writeLoop writes queued messages, then snapshots of lagging channels, until the viewer stops.
// While the page has more than viewerUnacked messages to acknowledge it waits: frames sent
// meanwhile make their channels lag, and the page gets their snapshots once it has caught up.
func (v *viewer) writeLoop() {
	defer v.conn.Close()
	for {
		select {
		case <-v.wake:
		case <-v.done:
			return
		}
		for {
			v.mu.Lock()
			if v.unackedLocked() >= viewerUnacked {
				v.mu.Unlock()
				break // an acknowledgement wakes the loop
			}
			batch, lagging := v.queue, v.lagging
			if len(batch) == 0 && len(lagging) == 0 {
				for _, w := range v.waiters {
					close(w)
				}
				v.waiters = nil
				v.mu.Unlock()
				break
			}
			v.queue, v.frames, v.lagging = nil, 0, map[string]func() []byte{}
			v.mu.Unlock()
			for _, msg := range batch {
				if v.write(msg) != nil {
					return
				}
			}
			for name, snapshot := range lagging {
				frame := snapshot()
				if frame == nil {
					continue
				}
				msg, err := json.Marshal(pageMessage{Type: "frame", Channel: name, Frame: frame})
				if err != nil {
					continue // a snapshot that is not JSON cannot be sent; frames will follow
				}
				if v.write(msg) != nil {
					return
				}
			}
		}
	}
}

func (v *viewer) write(msg []byte) error {
	v.conn.SetWriteDeadline(time.Now().Add(v.writeTimeout)) //nolint:errcheck // a failed write reports it
	if err := v.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
		return err
	}
	v.mu.Lock()
	v.written++
	v.mu.Unlock()
	return nil
}

// readLoop handles the page's subscriptions until the connection ends.
func (v *viewer) readLoop(p *LocalPage) {
	v.conn.SetReadLimit(viewerReadLimit)
	for {
		_, raw, err := v.conn.ReadMessage()
		if err != nil {
			return
		}
		var msg pageMessage
		if err := json.Unmarshal(raw, &msg); err != nil || msg.Channel == "" && msg.Type != "ack" {
			continue // not a message of ours: ignore it rather than trust it
		}
		switch msg.Type {
		case "ack":
			v.ack(msg.Count)
		case "sub":
			if err := p.subscribe(v, msg.Channel); err != nil {
				// Past the bounds the page is refused with the reason, and gone: nothing it sends
				// from now on can make the server hold more.
				reason := websocket.FormatCloseMessage(websocket.ClosePolicyViolation, err.Error())
				v.conn.WriteControl(websocket.CloseMessage, reason, time.Now().Add(time.Second)) //nolint:errcheck // closing anyway
				return
			}
		case "unsub":
			p.unsubscribe(v, msg.Channel)
		}
	}
}
