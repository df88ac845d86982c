package jupyter

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// TestClientDropsForgedIOPub runs the client against a minimal in-process kernel that publishes,
// for one execution, an unsigned message, a tampered one and a genuine one: only the genuine
// message reaches the handler, and the other two are counted as rejected.
func TestClientDropsForgedIOPub(t *testing.T) {
	ci, err := newLoopbackConnection("fake")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	zctx, stop := context.WithCancel(ctx)
	defer stop()
	shell, pub, hb := zmq4.NewRouter(zctx), zmq4.NewPub(zctx), zmq4.NewRep(zctx)
	control, stdin := zmq4.NewRouter(zctx), zmq4.NewRouter(zctx)
	for sock, port := range map[zmq4.Socket]int{shell: ci.ShellPort, pub: ci.IOPubPort, hb: ci.HBPort,
		control: ci.ControlPort, stdin: ci.StdinPort} {
		if err := sock.Listen(ci.endpoint(port)); err != nil {
			t.Fatal(err)
		}
		defer sock.Close()
	}
	go func() {
		for {
			m, err := hb.Recv()
			if err != nil || hb.Send(m) != nil {
				return
			}
		}
	}()
	s := signer{key: []byte(ci.Key)}
	reply := func(sock zmq4.Socket, req *Message, msgType string, content any, ids [][]byte) [][]byte {
		m, err := newMessage("kernel", "kernel", msgType, content)
		if err != nil {
			t.Error(err)
		}
		m.ParentHeader = req.Header
		m.Identities = ids
		frames, err := s.encode(m)
		if err != nil {
			t.Error(err)
		}
		return frames
	}
	go func() {
		for {
			zm, err := shell.Recv()
			if err != nil {
				return
			}
			req, err := s.decode(Shell, zm.Frames)
			if err != nil {
				t.Errorf("fake kernel got a bad message: %v", err)
				return
			}
			ids := req.Identities
			if req.Type() == "execute_request" {
				forged := reply(pub, req, "stream", map[string]any{"name": "stdout", "text": "forged\n"}, nil)
				forged[1] = nil // unsigned
				tampered := reply(pub, req, "stream", map[string]any{"name": "stdout", "text": "genuine\n"}, nil)
				tampered[5] = []byte(`{"name":"stdout","text":"tampered\n"}`)
				for _, f := range [][][]byte{forged, tampered,
					reply(pub, req, "stream", map[string]any{"name": "stdout", "text": "genuine\n"}, nil)} {
					pub.SendMulti(zmq4.NewMsgFrom(f...))
				}
			}
			pub.SendMulti(zmq4.NewMsgFrom(reply(pub, req, "status", map[string]any{"execution_state": "idle"}, nil)...))
			replyType := map[string]string{"kernel_info_request": "kernel_info_reply", "execute_request": "execute_reply"}[req.Type()]
			shell.SendMulti(zmq4.NewMsgFrom(reply(shell, req, replyType, map[string]any{"status": "ok"}, ids)...))
		}
	}()

	file := filepath.Join(t.TempDir(), "kernel-0000-fake.json")
	if err := ci.WriteFile(file); err != nil {
		t.Fatal(err)
	}
	c, err := Connect(ctx, file, ClientOptions{HeartbeatInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var texts []string
	r, err := c.Execute(ctx, "anything", func(m *Message) {
		if m.Type() == "stream" {
			var st struct{ Text string }
			json.Unmarshal(m.Content, &st)
			texts = append(texts, st.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "ok" || len(texts) != 1 || texts[0] != "genuine\n" {
		t.Errorf("status %q, delivered streams %q; want only the genuine one", r.Status, texts)
	}
	n, last := c.Rejected()
	if n != 2 || !errors.Is(last, ErrBadSignature) {
		t.Errorf("Rejected() = %d, %v; want 2 with ErrBadSignature", n, last)
	}
}
