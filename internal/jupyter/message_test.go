package jupyter

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

func testMessage(t *testing.T) *Message {
	t.Helper()
	m, err := newMessage("session-1", "tester", "execute_request", map[string]any{"code": "1+1"})
	if err != nil {
		t.Fatal(err)
	}
	m.ParentHeader = Header{MsgID: "parent-1", MsgType: "kernel_info_request"}
	m.Identities = [][]byte{[]byte("peer")}
	m.Buffers = [][]byte{[]byte("buffer")}
	return m
}

func TestSignedRoundTrip(t *testing.T) {
	s := signer{key: []byte("secret")}
	m := testMessage(t)
	frames, err := s.encode(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.decode(Shell, frames)
	if err != nil {
		t.Fatal(err)
	}
	if got.Header != m.Header || got.ParentHeader != m.ParentHeader || got.Channel != Shell {
		t.Errorf("headers: got %+v / %+v, want %+v / %+v", got.Header, got.ParentHeader, m.Header, m.ParentHeader)
	}
	if !bytes.Equal(got.Content, m.Content) || len(got.Identities) != 1 || string(got.Buffers[0]) != "buffer" {
		t.Errorf("got %+v, want %+v", got, m)
	}
	var content struct{ Code string }
	if err := got.DecodeContent(&content); err != nil || content.Code != "1+1" {
		t.Errorf("content %+v, %v", content, err)
	}
}

// TestKnownSignature checks the signature against one computed independently (Python:
// hmac.new(b"secret", b"{}{}{}{}", hashlib.sha256).hexdigest()).
func TestKnownSignature(t *testing.T) {
	got := string(signer{key: []byte("secret")}.signature([]byte("{}"), []byte("{}"), []byte("{}"), []byte("{}")))
	const want = "34982f0bfec60e7b933ffde06c1ecab0fba073717a95ab943d1dd06f82c2d5e4"
	if got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
}

func TestRejectsBadMessages(t *testing.T) {
	s := signer{key: []byte("secret")}
	encode := func() [][]byte {
		frames, err := s.encode(testMessage(t))
		if err != nil {
			t.Fatal(err)
		}
		return frames
	}
	// frames: [peer, <IDS|MSG>, signature, header, parent, metadata, content, buffer]
	cases := []struct {
		name   string
		mutate func([][]byte) [][]byte
		want   error
	}{
		{"tampered content", func(f [][]byte) [][]byte { f[6] = []byte(`{"code":"rm -rf /"}`); return f }, ErrBadSignature},
		{"tampered header", func(f [][]byte) [][]byte {
			f[3] = bytes.Replace(f[3], []byte("execute"), []byte("shutdown"), 1)
			return f
		}, ErrBadSignature},
		{"tampered parent", func(f [][]byte) [][]byte { f[4] = []byte(`{"msg_id":"other"}`); return f }, ErrBadSignature},
		{"tampered metadata", func(f [][]byte) [][]byte { f[5] = []byte(`{"x":1}`); return f }, ErrBadSignature},
		{"unsigned", func(f [][]byte) [][]byte { f[2] = nil; return f }, ErrBadSignature},
		{"signature not hex", func(f [][]byte) [][]byte { f[2] = []byte("zz"); return f }, ErrBadSignature},
		{"signed with another key", func(f [][]byte) [][]byte {
			other, _ := signer{key: []byte("other")}.encode(testMessage(t))
			return other
		}, ErrBadSignature},
		{"no delimiter", func(f [][]byte) [][]byte { return append(f[:1:1], f[2:]...) }, ErrMalformedMessage},
		{"too few frames", func(f [][]byte) [][]byte { return f[:5] }, ErrMalformedMessage},
		{"empty", func(f [][]byte) [][]byte { return nil }, ErrMalformedMessage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := s.decode(IOPub, tc.mutate(encode()))
			if !errors.Is(err, tc.want) {
				t.Errorf("decode error = %v, want %v", err, tc.want)
			}
			if m != nil {
				t.Errorf("decode delivered %+v despite the error", m)
			}
		})
	}
}

func TestRejectsSignedGarbage(t *testing.T) {
	// Correctly signed but not a Jupyter message: still an error, never a half-filled message.
	s := signer{key: []byte("secret")}
	for _, parts := range [][4]string{
		{`not json`, `{}`, `{}`, `{}`},
		{`{"msg_id":"x"}`, `{}`, `{}`, `{}`}, // no msg_type
		{`{"msg_type":"status"}`, `{}`, `{}`, `{oops`},
	} {
		f := [][]byte{delimiter, nil, []byte(parts[0]), []byte(parts[1]), []byte(parts[2]), []byte(parts[3])}
		f[1] = s.signature(f[2], f[3], f[4], f[5])
		if m, err := s.decode(IOPub, f); !errors.Is(err, ErrMalformedMessage) || m != nil {
			t.Errorf("%q: got %v, %v; want ErrMalformedMessage", parts, m, err)
		}
	}
}

func TestConnectionInfoValidate(t *testing.T) {
	ci, err := newLoopbackConnection("gonb")
	if err != nil {
		t.Fatal(err)
	}
	if err := ci.validate(); err != nil {
		t.Errorf("a fresh loopback connection is invalid: %v", err)
	}
	noKey := ci
	noKey.Key = ""
	if noKey.validate() == nil {
		t.Error("a connection without a key was accepted: its messages could not be authenticated")
	}
	md5 := ci
	md5.SignatureScheme = "hmac-md5"
	if md5.validate() == nil {
		t.Error("an unsupported signature scheme was accepted")
	}
	raw, _ := json.Marshal(ci)
	var back ConnectionInfo
	if err := json.Unmarshal(raw, &back); err != nil || back != ci {
		t.Errorf("connection info does not survive JSON: %+v, %v", back, err)
	}
	if got := KernelIDFromConnectionFile("/run/jupyter/kernel-3f2a-9b.json"); got != "3f2a-9b" {
		t.Errorf("kernel id = %q", got)
	}
	if got := KernelIDFromConnectionFile("/tmp/conn.json"); got != "" {
		t.Errorf("kernel id from a plain name = %q, want empty", got)
	}
}
