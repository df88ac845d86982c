package jupyter

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/liveplot/liveplot/internal/randid"
)

// ProtocolVersion is the version of the Jupyter messaging protocol this client speaks.
const ProtocolVersion = "5.4"

// Channel names one of the kernel's sockets.
type Channel string

// The five channels of a Jupyter kernel.
const (
	Shell     Channel = "shell"
	Control   Channel = "control"
	Stdin     Channel = "stdin"
	IOPub     Channel = "iopub"
	Heartbeat Channel = "hb"
)

var (
	// ErrBadSignature marks a message whose HMAC-SHA256 signature is missing or does not match
	// the connection key. Such a message is never delivered.
	ErrBadSignature = errors.New("jupyter: message signature is missing or wrong")
	// ErrMalformedMessage marks a message that does not follow the wire protocol.
	ErrMalformedMessage = errors.New("jupyter: malformed message")
)

// delimiter separates the ZeroMQ routing identities from the message frames.
var delimiter = []byte("<IDS|MSG>")

// Header is a message header (also used as the parent header of a reply).
type Header struct {
	MsgID    string `json:"msg_id,omitempty"`
	MsgType  string `json:"msg_type,omitempty"`
	Session  string `json:"session,omitempty"`
	Username string `json:"username,omitempty"`
	Date     string `json:"date,omitempty"`
	Version  string `json:"version,omitempty"`
}

// Message is one Jupyter message. Content stays raw JSON: use [Message.DecodeContent] to read it
// into the type of its msg_type.
type Message struct {
	// Channel is the socket the message arrived on, or is sent on.
	Channel Channel
	// Identities are the ZeroMQ routing prefix; empty for messages this client sends.
	Identities   [][]byte
	Header       Header
	ParentHeader Header
	Metadata     map[string]any
	Content      json.RawMessage
	Buffers      [][]byte
}

// Type returns the message's msg_type.
func (m *Message) Type() string { return m.Header.MsgType }

// ParentID returns the msg_id of the request this message answers, or "".
func (m *Message) ParentID() string { return m.ParentHeader.MsgID }

// DecodeContent unmarshals the message content into v.
func (m *Message) DecodeContent(v any) error {
	if err := json.Unmarshal(m.Content, v); err != nil {
		return fmt.Errorf("jupyter: decoding the content of a %q message: %w", m.Type(), err)
	}
	return nil
}

// newMessage builds a request of type msgType with a fresh msg_id for the given session.
func newMessage(session, username, msgType string, content any) (*Message, error) {
	raw, err := json.Marshal(content)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encoding the content of a %q message: %w", msgType, err)
	}
	return &Message{
		Header: Header{
			MsgID:    newUUID(),
			MsgType:  msgType,
			Session:  session,
			Username: username,
			Date:     time.Now().UTC().Format(time.RFC3339Nano),
			Version:  ProtocolVersion,
		},
		Metadata: map[string]any{},
		Content:  raw,
	}, nil
}

// signer signs and verifies messages with the connection key (HMAC-SHA256).
type signer struct{ key []byte }

// signature returns the hex HMAC-SHA256 of the four signed frames.
func (s signer) signature(header, parent, metadata, content []byte) []byte {
	mac := hmac.New(sha256.New, s.key)
	mac.Write(header)
	mac.Write(parent)
	mac.Write(metadata)
	mac.Write(content)
	sum := mac.Sum(nil)
	out := make([]byte, hex.EncodedLen(len(sum)))
	hex.Encode(out, sum)
	return out
}

// encode turns m into signed wire frames: identities, delimiter, signature, header,
// parent_header, metadata, content, buffers.
func (s signer) encode(m *Message) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encoding a message header: %w", err)
	}
	parent, err := json.Marshal(m.ParentHeader)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encoding a parent header: %w", err)
	}
	md := m.Metadata
	if md == nil {
		md = map[string]any{}
	}
	metadata, err := json.Marshal(md)
	if err != nil {
		return nil, fmt.Errorf("jupyter: encoding message metadata: %w", err)
	}
	content := []byte(m.Content)
	if len(content) == 0 {
		content = []byte("{}")
	}
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, delimiter, s.signature(header, parent, metadata, content),
		header, parent, metadata, content)
	frames = append(frames, m.Buffers...)
	return frames, nil
}

// decode parses wire frames into a message after checking the signature. A message with a
// missing or wrong signature returns an error wrapping ErrBadSignature and no message.
func (s signer) decode(ch Channel, frames [][]byte) (*Message, error) {
	i := 0
	for i < len(frames) && !bytes.Equal(frames[i], delimiter) {
		i++
	}
	if i == len(frames) {
		return nil, fmt.Errorf("%w: no %s delimiter in %d frames", ErrMalformedMessage, delimiter, len(frames))
	}
	rest := frames[i+1:]
	if len(rest) < 5 {
		return nil, fmt.Errorf("%w: %d frames after the delimiter, want at least 5", ErrMalformedMessage, len(rest))
	}
	sig, header, parent, metadata, content := rest[0], rest[1], rest[2], rest[3], rest[4]
	if len(sig) == 0 {
		return nil, fmt.Errorf("%w: unsigned %s message", ErrBadSignature, ch)
	}
	want := s.signature(header, parent, metadata, content)
	if !hmac.Equal(bytes.ToLower(sig), want) {
		return nil, fmt.Errorf("%w: %s message signed with another key or altered", ErrBadSignature, ch)
	}
	m := &Message{Channel: ch, Identities: frames[:i], Content: json.RawMessage(content)}
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformedMessage, err)
	}
	if err := json.Unmarshal(parent, &m.ParentHeader); err != nil {
		return nil, fmt.Errorf("%w: parent_header: %v", ErrMalformedMessage, err)
	}
	if err := json.Unmarshal(metadata, &m.Metadata); err != nil {
		return nil, fmt.Errorf("%w: metadata: %v", ErrMalformedMessage, err)
	}
	if !json.Valid(content) {
		return nil, fmt.Errorf("%w: content is not JSON", ErrMalformedMessage)
	}
	if m.Header.MsgType == "" {
		return nil, fmt.Errorf("%w: header has no msg_type", ErrMalformedMessage)
	}
	if len(rest) > 5 {
		m.Buffers = rest[5:]
	}
	return m, nil
}

// newUUID returns a random (version 4) UUID string.
func newUUID() string {
	b := randid.Bytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
