package jupyter

import (
	"context"
	"fmt"
	"time"

	"github.com/go-zeromq/zmq4"
)

// Heartbeat pings the kernel's heartbeat channel and waits for the echo: nil means the kernel
// process is alive and its sockets answer (it may still be busy running code).
func (c *Client) Heartbeat(ctx context.Context) error {
	payload := newUUID()
	got := make(chan struct{})
	c.mu.Lock()
	c.hbWait[payload] = got
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.hbWait, payload)
		c.mu.Unlock()
	}()
	errc := make(chan error, 1)
	go func() {
		mu := c.sendMu[Heartbeat]
		mu.Lock()
		defer mu.Unlock()
		// A DEALER talking to the kernel's REP socket sends the empty envelope frame itself.
		errc <- c.sockets[Heartbeat].SendMulti(zmq4.NewMsgFrom([]byte{}, []byte(payload)))
	}()
	for {
		select {
		case err := <-errc:
			if err != nil {
				return fmt.Errorf("jupyter: sending a heartbeat: %w", err)
			}
			errc = nil
		case <-got:
			return nil
		case <-ctx.Done():
			return fmt.Errorf("jupyter: no heartbeat from the kernel: %w", ctx.Err())
		case <-c.done:
			return c.stopped("heartbeat")
		}
	}
}

// heartbeatReader receives heartbeat echoes and wakes whoever sent them.
func (c *Client) heartbeatReader() {
	for {
		zm, err := c.sockets[Heartbeat].Recv()
		if err != nil {
			c.lostConnection(Heartbeat, err)
			return
		}
		if len(zm.Frames) == 0 {
			continue
		}
		payload := string(zm.Frames[len(zm.Frames)-1])
		c.mu.Lock()
		c.lastBeat = time.Now()
		got := c.hbWait[payload]
		delete(c.hbWait, payload)
		c.mu.Unlock()
		if got != nil {
			close(got)
		}
	}
}

// heartbeatMonitor pings every HeartbeatInterval and declares the kernel dead when nothing has
// answered for HeartbeatTimeout.
func (c *Client) heartbeatMonitor() {
	tick := time.NewTicker(c.opts.HeartbeatInterval)
	defer tick.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-tick.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.opts.HeartbeatInterval)
		_ = c.Heartbeat(ctx)
		cancel()
		c.mu.Lock()
		silent := time.Since(c.lastBeat)
		c.mu.Unlock()
		if silent > c.opts.HeartbeatTimeout {
			c.die(fmt.Errorf("%w: no heartbeat for %v (the kernel is hung or unreachable; restart it)",
				ErrKernelDead, silent.Round(time.Millisecond)))
			return
		}
	}
}
