package jupyter

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// KernelInfo is the content of a kernel_info_reply.
type KernelInfo struct {
	Status                string `json:"status"`
	ProtocolVersion       string `json:"protocol_version"`
	Implementation        string `json:"implementation"`
	ImplementationVersion string `json:"implementation_version"`
	LanguageInfo          struct {
		Name          string `json:"name"`
		Version       string `json:"version"`
		MIMEType      string `json:"mimetype"`
		FileExtension string `json:"file_extension"`
	} `json:"language_info"`
	Banner string `json:"banner"`
}

// KernelInfo asks the kernel who it is.
func (c *Client) KernelInfo(ctx context.Context) (*KernelInfo, error) {
	r, err := c.request(ctx, Shell, "kernel_info_request", map[string]any{})
	if err != nil {
		return nil, err
	}
	var info KernelInfo
	if err := r.DecodeContent(&info); err != nil {
		return nil, err
	}
	return &info, nil
}

// waitReady sends kernel_info requests until one is answered and its IOPub status arrives too:
// only then is the IOPub subscription known to be live, so no execution output is missed.
func (c *Client) waitReady(ctx context.Context) error {
	for {
		m, err := newMessage(c.session, c.opts.Username, "kernel_info_request", map[string]any{})
		if err != nil {
			return err
		}
		w := c.expectReply(m)
		box := c.subscribe(m)
		err = c.send(ctx, Shell, m)
		if err == nil {
			_, err = c.awaitReply(ctx, w, m)
		}
		if err == nil {
			select {
			case <-box.notify:
			case <-time.After(500 * time.Millisecond):
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		c.forget(m)
		if err != nil {
			return fmt.Errorf("jupyter: waiting for the kernel to answer: %w", err)
		}
		if len(box.take()) > 0 {
			return nil
		}
	}
}

// ExecuteReply is the content of an execute_reply. Status is "ok", "error" or "aborted"; for
// "error" the E fields say what failed.
type ExecuteReply struct {
	Status         string   `json:"status"`
	ExecutionCount int      `json:"execution_count"`
	EName          string   `json:"ename,omitempty"`
	EValue         string   `json:"evalue,omitempty"`
	Traceback      []string `json:"traceback,omitempty"`
}

// Execute runs code in the kernel and calls handle, in order and on the calling goroutine, with
// every IOPub message of this execution (status, execute_input, stream, display_data,
// update_display_data, execute_result, error, clear_output, comm messages...). It returns when
// the kernel has replied and gone idle.
//
// A cell that fails is not an error of Execute: the reply's Status says "error". Execute
// returns an error when the kernel cannot be reached, dies, or ctx ends first; after a ctx
// timeout the cell may still run: call Interrupt.
func (c *Client) Execute(ctx context.Context, code string, handle func(*Message)) (*ExecuteReply, error) {
	m, err := newMessage(c.session, c.opts.Username, "execute_request", map[string]any{
		"code":             code,
		"silent":           false,
		"store_history":    true,
		"user_expressions": map[string]any{},
		"allow_stdin":      false,
		"stop_on_error":    true,
	})
	if err != nil {
		return nil, err
	}
	w := c.expectReply(m)
	box := c.subscribe(m)
	defer c.forget(m)
	if err := c.send(ctx, Shell, m); err != nil {
		return nil, err
	}
	var reply *Message
	idle := false
	for reply == nil || !idle {
		select {
		case reply = <-w.ch:
			w.ch = nil
		case <-box.notify:
			for _, im := range box.take() {
				if handle != nil {
					handle(im)
				}
				if im.Type() == "status" {
					var st struct {
						ExecutionState string `json:"execution_state"`
					}
					if json.Unmarshal(im.Content, &st) == nil && st.ExecutionState == "idle" {
						idle = true
					}
				}
			}
		case <-ctx.Done():
			return nil, fmt.Errorf("jupyter: executing a cell: %w (the kernel may still be running it: interrupt it)", ctx.Err())
		case <-c.done:
			return nil, c.stopped("executing a cell")
		}
	}
	var r ExecuteReply
	if err := reply.DecodeContent(&r); err != nil {
		return nil, err
	}
	return &r, nil
}

// Interrupt interrupts the code the kernel is running, the way the kernelspec asks: an
// interrupt_request on the control channel ("message" mode) or SIGINT ("signal" mode, for a
// kernel started by StartKernel). The running Execute then ends as the kernel reports.
func (c *Client) Interrupt(ctx context.Context) error {
	if c.opts.InterruptMode == "signal" {
		if c.proc == nil {
			return fmt.Errorf("jupyter: interrupt by signal needs a kernel started by StartKernel; this one was connected to")
		}
		if err := c.proc.interrupt(); err != nil {
			return fmt.Errorf("jupyter: interrupting the kernel: %w", err)
		}
		return nil
	}
	r, err := c.request(ctx, Control, "interrupt_request", map[string]any{})
	if err != nil {
		return fmt.Errorf("jupyter: interrupting the kernel: %w", err)
	}
	var st struct {
		Status string `json:"status"`
	}
	if err := r.DecodeContent(&st); err != nil {
		return err
	}
	if st.Status != "ok" {
		return fmt.Errorf("jupyter: the kernel refused the interrupt (status %q)", st.Status)
	}
	return nil
}

// Shutdown asks the kernel to shut down and stops the client. For a kernel started by
// StartKernel it waits for the process to exit, killing it (and its process group) if ctx ends
// first, and removes the connection file. It returns nil when the kernel is gone, also when it
// was already dead.
func (c *Client) Shutdown(ctx context.Context) error {
	alive := c.Err() == nil
	var reqErr error
	if alive {
		_, reqErr = c.request(ctx, Control, "shutdown_request", map[string]any{"restart": false})
	}
	c.die(ErrClosed)
	if c.proc == nil {
		if reqErr != nil {
			return fmt.Errorf("jupyter: shutting down the kernel: %w", reqErr)
		}
		return nil
	}
	if alive && reqErr == nil {
		// The kernel agreed to stop: give it until ctx ends to exit on its own.
		select {
		case <-c.proc.exited:
		case <-ctx.Done():
		}
	}
	return c.proc.kill()
}
