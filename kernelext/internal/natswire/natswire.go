// Package natswire is what liveplot's producers and viewers agree on when they meet through
// NATS: the subjects, the headers, the bucket and the shape of a displayed output. The producer
// side is kernelext's NATS frontend, the viewer side internal/natsrelay; docs/remote.md draws
// the picture.
//
// Subjects are derived from stream tokens by a one-way hash, so that a token (a capability: who
// knows it can feed the trace) cannot be read off a subject in the server's monitoring,
// its logs or a subject-based permission; the token itself travels only in message headers and
// in the outputs' HTML, which only clients holding the NATS credentials can read.
package natswire

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

const (
	// Prefix starts every subject liveplot uses.
	Prefix = "liveplot"
	// FramesWildcard matches the frame subjects of every channel.
	FramesWildcard = Prefix + ".frames.*"
	// Discover is where a viewer asks producers to announce the channels they have open.
	Discover = Prefix + ".discover"
	// Bucket is the JetStream object store that keeps the outputs displayed (objects named
	// OutputPrefix + ID) and the libraries they need (ScriptPrefix + name), for viewers that come
	// later.
	Bucket = "liveplot"
	// OutputPrefix starts the name of an output's object.
	OutputPrefix = "output/"
	// ScriptPrefix starts the name of a library's object.
	ScriptPrefix = "script/"

	// HeaderChannel holds the channel's name (the stream token) on a frame subject.
	HeaderChannel = "Liveplot-Channel"
	// HeaderKind is KindOpen, KindFrame or KindClose.
	HeaderKind = "Liveplot-Kind"
	// HeaderProducer identifies the producing process (a random ID per frontend).
	HeaderProducer = "Liveplot-Producer"

	// KindOpen announces an open channel (on OpenChannel, and again when a viewer asks on
	// Discover or the producer reconnects); it carries no frame.
	KindOpen = "open"
	// KindFrame carries one frame, a JSON document, as the message's data.
	KindFrame = "frame"
	// KindClose says the channel closed after its last frame.
	KindClose = "close"
)

// hashOf is the subject token derived from a channel name.
func hashOf(name string) string {
	sum := sha256.Sum256([]byte("liveplot stream token\x00" + name))
	return hex.EncodeToString(sum[:16])
}

// FrameSubject is the subject of the named channel's frames.
func FrameSubject(name string) string { return Prefix + ".frames." + hashOf(name) }

// SnapshotSubject is where the producer of the named channel answers a request with the
// channel's snapshot: the frame that brings a late viewer up to date.
func SnapshotSubject(name string) string { return Prefix + ".snapshot." + hashOf(name) }

// IsFrameSubject reports whether subject is the frame subject of the named channel.
func IsFrameSubject(subject, name string) bool { return subject == FrameSubject(name) }

// Output is a displayed output as stored in the bucket: kernelext.Output without the library
// sources, which are stored once each under ScriptPrefix.
type Output struct {
	ID      string            `json:"id"`
	HTML    string            `json:"html"`
	Interim bool              `json:"interim,omitempty"`
	Scripts []string          `json:"scripts,omitempty"` // library names, in the order needed
	Data    map[string][]byte `json:"data,omitempty"`
}

// OutputName is the object name of the output with the given ID.
func OutputName(id string) string { return OutputPrefix + id }

// ScriptName is the object name of the named library.
func ScriptName(name string) string { return ScriptPrefix + name }

// IsOutput reports whether an object name is an output's, and returns its ID.
func IsOutput(object string) (string, bool) {
	return strings.CutPrefix(object, OutputPrefix)
}

// Stores are the JetStream stores liveplot keeps on a NATS server.
type Stores struct {
	// Outputs holds the outputs displayed and their libraries, for viewers that come later.
	Outputs jetstream.ObjectStore
	// Snapshots holds the last snapshot a producer stored of each channel, under SnapshotKey:
	// what a late viewer gets when no producer answers for the channel (it was killed).
	Snapshots jetstream.KeyValue
}

// SnapshotBucket is the key-value bucket of Stores.Snapshots.
const SnapshotBucket = "liveplot_snapshots"

// SnapshotTTL is how long a channel's stored snapshot is kept after it was last written.
const SnapshotTTL = 24 * time.Hour

// SnapshotKey is the key of the named channel's snapshot: the hash its subjects use.
func SnapshotKey(name string) string { return hashOf(name) }

// OpenStores returns the stores, creating them (file storage) when the server has none yet.
func OpenStores(ctx context.Context, nc *nats.Conn) (Stores, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return Stores{}, err
	}
	var st Stores
	st.Outputs, err = js.ObjectStore(ctx, Bucket)
	if errors.Is(err, jetstream.ErrBucketNotFound) {
		st.Outputs, err = js.CreateObjectStore(ctx, jetstream.ObjectStoreConfig{
			Bucket:      Bucket,
			Description: "liveplot: the outputs displayed, and their libraries",
			Storage:     jetstream.FileStorage,
		})
		if errors.Is(err, jetstream.ErrBucketExists) { // made by another client meanwhile
			st.Outputs, err = js.ObjectStore(ctx, Bucket)
		}
	}
	if err == nil {
		st.Snapshots, err = js.KeyValue(ctx, SnapshotBucket)
		if errors.Is(err, jetstream.ErrBucketNotFound) {
			st.Snapshots, err = js.CreateKeyValue(ctx, jetstream.KeyValueConfig{
				Bucket:      SnapshotBucket,
				Description: "liveplot: the last snapshot of each channel, by the hash of its name",
				History:     1,
				TTL:         SnapshotTTL,
				Storage:     jetstream.FileStorage,
			})
			if errors.Is(err, jetstream.ErrBucketExists) {
				st.Snapshots, err = js.KeyValue(ctx, SnapshotBucket)
			}
		}
	}
	if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) {
		return Stores{}, fmt.Errorf("the NATS server has no JetStream, where liveplot keeps the outputs for viewers "+
			"that come later: start it with JetStream on (nats-server -js; liveplot serve does): %w", err)
	}
	if err != nil {
		return Stores{}, fmt.Errorf("opening liveplot's JetStream stores (%q, %q): %w", Bucket, SnapshotBucket, err)
	}
	return st, nil
}

// ConnectError explains a failed connection to the NATS server at rawURL, and what to do.
func ConnectError(rawURL string, err error) error {
	where := Redact(rawURL)
	if errors.Is(err, nats.ErrAuthorization) || strings.Contains(strings.ToLower(err.Error()), "authorization") {
		return fmt.Errorf("the NATS server at %s refused the credentials: put the right ones in the URL "+
			"(nats://USER:PASSWORD@HOST:PORT or nats://TOKEN@HOST:PORT, as liveplot serve prints it) or pass "+
			"them as nats.go options: %w", where, err)
	}
	var unknownAuthority x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	if errors.As(err, &unknownAuthority) || errors.As(err, &invalid) || errors.As(err, &hostname) {
		return fmt.Errorf("the NATS server at %s has a TLS certificate this client does not accept: give the "+
			"authority that signed it (LIVEPLOT_NATS_CA=ca.pem, liveplot serve -nats-ca, or nats.RootCAs), "+
			"and connect by a name the certificate holds: %w", where, err)
	}
	var parse *url.Error
	if errors.As(err, &parse) {
		// url.Error quotes the URL, password included: say what is wrong without it.
		return fmt.Errorf("the NATS server URL %s does not parse: write it as nats://HOST:PORT, with "+
			"USER:PASSWORD@ or TOKEN@ before the host, and special characters in a password %%-escaped", where)
	}
	return fmt.Errorf("connecting to the NATS server at %s (is it running? liveplot serve starts one): %w", where, err)
}

// Redact returns rawURL with any password or token replaced by "xxxxx", for messages. A server
// URL without a scheme is read as nats.go reads it (nats://); one that does not parse at all is
// not shown, since it may hold a password.
func Redact(rawURL string) string {
	var out []string
	for one := range strings.SplitSeq(rawURL, ",") {
		one = strings.TrimSpace(one)
		if !strings.Contains(one, "://") {
			one = "nats://" + one
		}
		u, err := url.Parse(one)
		if err != nil {
			out = append(out, "<a URL that does not parse>")
			continue
		}
		if u.User == nil {
			out = append(out, one)
			continue
		}
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		} else {
			u.User = url.User("xxxxx") // a token
		}
		out = append(out, u.String())
	}
	return strings.Join(out, ",")
}

// Flush waits until the server has what nc published, or ctx is done; without a deadline on
// ctx, at most 30 seconds (nats.go needs one).
func Flush(ctx context.Context, nc *nats.Conn) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
	}
	return nc.FlushWithContext(ctx)
}
