package natsrelay_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/liveplot/liveplot/internal/testenv"
	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/internal/natswire"
	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/kernelext/natsrelay"
)

// poll waits until cond holds, or fails the test after a generous bound.
func poll(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("waited 30s for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// logs collects what a relay logs.
type logs struct {
	mu    sync.Mutex
	lines []string
}

func (l *logs) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logs) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func connect(t *testing.T, url string, rec *kerneltest.Recorder, l *logs) *natsrelay.Relay {
	t.Helper()
	relay, err := natsrelay.Connect(context.Background(), url, rec, natsrelay.Options{Logf: l.logf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relay.Close(context.Background()) })
	return relay
}

func producer(t *testing.T, url string) *kernelext.NATS {
	t.Helper()
	n, err := kernelext.NewNATS(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close(context.Background()) })
	return n
}

// TestRelayCarriesOutputsFramesAndSnapshots publishes through a real server with kernelext.NATS
// and checks what a relay hands its frontend: the output with its library, the frames in order,
// the producer's snapshot on request, and the close.
func TestRelayCarriesOutputsFramesAndSnapshots(t *testing.T) {
	ns := testenv.NATSServer(t, t.TempDir(), 0, "", "")
	n := producer(t, ns.ClientURL())
	ctx := context.Background()
	lib := kernelext.Script{Name: "lib-1", Source: bytes.Repeat([]byte("x"), 3<<20)} // over max_payload: stored in chunks
	if err := n.Display(ctx, kernelext.Output{ID: "fig", HTML: "<p>one</p>", Scripts: []kernelext.Script{lib}}); err != nil {
		t.Fatal(err)
	}
	// A relay that starts later still gets the output.
	rec, l := &kerneltest.Recorder{}, &logs{}
	connect(t, ns.ClientURL(), rec, l)
	poll(t, "the output", func() bool { return len(rec.Outputs()) == 1 })
	out := rec.Outputs()[0]
	if out.ID != "fig" || out.HTML != "<p>one</p>" || len(out.Scripts) != 1 || !bytes.Equal(out.Scripts[0].Source, lib.Source) {
		t.Fatalf("relayed output %q %q with %d scripts", out.ID, out.HTML, len(out.Scripts))
	}

	var seq int
	var mu sync.Mutex
	ch, err := n.OpenChannel("secret-token", func() []byte {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Appendf(nil, `{"snapshot":%d}`, seq)
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 100; i++ {
		mu.Lock()
		seq = i
		mu.Unlock()
		if err := ch.Send(fmt.Appendf(nil, `{"seq":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	poll(t, "100 frames", func() bool { c := rec.Channel("secret-token"); return c != nil && len(c.Frames()) == 100 })
	for i, f := range rec.Channel("secret-token").Frames() {
		if want := fmt.Sprintf(`{"seq":%d}`, i+1); string(f) != want {
			t.Fatalf("frame %d is %s, want %s", i, f, want)
		}
	}
	if got := string(rec.Channel("secret-token").Snapshot()); got != `{"snapshot":100}` {
		t.Fatalf("snapshot %q, want the producer's", got)
	}
	if err := ch.Close(ctx); err != nil {
		t.Fatal(err)
	}
	poll(t, "the channel closed", func() bool { return rec.Channel("secret-token").Closed() })
	// The subjects do not carry the token.
	if subs := fmt.Sprint(ns.NumSubscriptions()); strings.Contains(l.String(), "secret-token") {
		t.Fatalf("the relay logged the token (%s subscriptions): %s", subs, l)
	}
}

// TestRelayIgnoresGarbage publishes what no producer sends on the frame subjects: the relay
// drops it, logs why, and goes on relaying.
func TestRelayIgnoresGarbage(t *testing.T) {
	ns := testenv.NATSServer(t, t.TempDir(), 0, "", "")
	rec, l := &kerneltest.Recorder{}, &logs{}
	connect(t, ns.ClientURL(), rec, l)
	n := producer(t, ns.ClientURL())
	ch, err := n.OpenChannel("tok", nil)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// The frame subject of "tok", found as the producer uses it.
	poll(t, "the channel opened", func() bool { return rec.Channel("tok") != nil })
	var subject string
	sub, _ := nc.SubscribeSync("liveplot.frames.*")
	if err := nc.Flush(); err != nil {
		t.Fatal(err)
	}
	ch.Send([]byte(`{"seq":1}`))
	if m, err := sub.NextMsg(10 * time.Second); err != nil {
		t.Fatal(err)
	} else {
		subject = m.Subject
	}
	if strings.Contains(subject, "tok") {
		t.Fatalf("the subject %q shows the token", subject)
	}
	garbage := []*nats.Msg{
		{Subject: subject, Data: []byte("no headers")},
		{Subject: "liveplot.frames.0000", Header: nats.Header{"Liveplot-Channel": {"tok"}, "Liveplot-Kind": {"frame"}}, Data: []byte(`{"seq":99}`)},
		{Subject: subject, Header: nats.Header{"Liveplot-Channel": {"tok"}, "Liveplot-Kind": {"frame"}}, Data: []byte(`{"seq":`)},
		{Subject: subject, Header: nats.Header{"Liveplot-Channel": {"tok"}, "Liveplot-Kind": {"explode"}}},
	}
	for _, m := range garbage {
		if err := nc.PublishMsg(m); err != nil {
			t.Fatal(err)
		}
	}
	ch.Send([]byte(`{"seq":2}`))
	poll(t, "the frames after the garbage", func() bool { return len(rec.Channel("tok").Frames()) == 2 })
	if got := fmt.Sprintf("%s", rec.Channel("tok").Frames()); got != `[{"seq":1} {"seq":2}]` {
		t.Fatalf("frames %s", got)
	}
	// Each reason is logged at once the first time.
	poll(t, "the reasons logged", func() bool {
		s := l.String()
		return strings.Contains(s, "no Liveplot-Channel header") && strings.Contains(s, "not the one of the channel") &&
			strings.Contains(s, "not JSON") && strings.Contains(s, `an unknown Liveplot-Kind (the last: "explode"`)
	})
	t.Logf("relay log:\n%s", l)
}

// TestNATSRefusesWrongCredentials connects a producer with a wrong password: the error says
// what to do, and does not show the password.
func TestNATSRefusesWrongCredentials(t *testing.T) {
	ns := testenv.NATSServer(t, t.TempDir(), 0, "alice", "s3cret")
	u := strings.Replace(ns.ClientURL(), "nats://", "nats://alice:wrong@", 1)
	_, err := kernelext.NewNATS(context.Background(), u)
	if err == nil {
		t.Fatal("a wrong password was accepted")
	}
	if !strings.Contains(err.Error(), "refused the credentials") || strings.Contains(err.Error(), "wrong") {
		t.Fatalf("error %q", err)
	}
	good := strings.Replace(ns.ClientURL(), "nats://", "nats://alice:s3cret@", 1)
	producer(t, good)
}

// TestRelayAfterServerRestart restarts the NATS server while a producer sends frames: both
// reconnect, the relay resyncs the channel with the producer's snapshot, and frames go on. It
// reports how many frames the relay's frontend missed.
func TestRelayAfterServerRestart(t *testing.T) {
	dir := t.TempDir()
	ns := testenv.NATSServer(t, dir, 0, "", "")
	port := ns.Addr().(*net.TCPAddr).Port
	url := "nats://127.0.0.1:" + strconv.Itoa(port)
	rec, l := &kerneltest.Recorder{}, &logs{}
	relay := connect(t, url, rec, l)
	n := producer(t, url)
	var mu sync.Mutex
	last := 0
	ch, err := n.OpenChannel("tok", func() []byte {
		mu.Lock()
		defer mu.Unlock()
		return fmt.Appendf(nil, `{"snapshot":%d}`, last)
	})
	if err != nil {
		t.Fatal(err)
	}
	send := func(i int) {
		mu.Lock()
		last = i
		mu.Unlock()
		if err := ch.Send(fmt.Appendf(nil, `{"seq":%d}`, i)); err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
	}
	for i := 1; i <= 50; i++ {
		send(i)
	}
	poll(t, "50 frames", func() bool { c := rec.Channel("tok"); return c != nil && len(c.Frames()) == 50 })
	ns.Shutdown()
	ns.WaitForShutdown()
	// Frames sent while the server is down wait in the producer's reconnect buffer.
	for i := 51; i <= 100; i++ {
		send(i)
	}
	down := time.Now()
	testenv.NATSServer(t, dir, port, "", "")
	t.Logf("server back in %v", time.Since(down))
	poll(t, "the relay's resync", func() bool {
		for _, f := range rec.Channel("tok").Frames() {
			if strings.HasPrefix(string(f), `{"snapshot":`) {
				return true
			}
		}
		return false
	})
	t.Logf("resynced %v after the restart", time.Since(down))
	for i := 101; i <= 150; i++ {
		send(i)
	}
	poll(t, "frame 150", func() bool {
		f := rec.Channel("tok").Frames()
		return len(f) > 0 && string(f[len(f)-1]) == `{"seq":150}`
	})
	// Closed while the second server runs (the cleanups would stop it first, and Close waits
	// for a server to flush to).
	n.Close(context.Background())
	relay.Close(context.Background())
	got := map[int]bool{}
	for _, f := range rec.Channel("tok").Frames() {
		var i int
		if _, err := fmt.Sscanf(string(f), `{"seq":%d}`, &i); err == nil {
			got[i] = true
		}
	}
	missed := 0
	for i := 1; i <= 150; i++ {
		if !got[i] {
			missed++
		}
	}
	t.Logf("frames relayed: %d of 150 (missed %d, sent while the server was down: the resync snapshot covers them)", 150-missed, missed)
	for i := 1; i <= 150; i++ {
		if !got[i] && (i <= 50 || i > 100) {
			t.Fatalf("frame %d, sent while the server was up, is missing", i)
		}
	}
}

// TestRelaySnapshotOfADeadProducer stops a producer without closing its channel, as a killed
// process does: a viewer that subscribes later gets the snapshot the producer stored last.
func TestRelaySnapshotOfADeadProducer(t *testing.T) {
	ns := testenv.NATSServer(t, t.TempDir(), 0, "", "")
	rec, l := &kerneltest.Recorder{}, &logs{}
	connect(t, ns.ClientURL(), rec, l)
	n, err := kernelext.NewNATS(context.Background(), ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	var last atomic.Int64
	ch, err := n.OpenChannel("tok", func() []byte { return fmt.Appendf(nil, `{"snapshot":%d}`, last.Load()) })
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20; i++ {
		last.Store(int64(i))
		ch.Send(fmt.Appendf(nil, `{"seq":%d}`, i))
	}
	poll(t, "the frames relayed", func() bool { c := rec.Channel("tok"); return c != nil && len(c.Frames()) == 20 })
	if got := string(rec.Channel("tok").Snapshot()); got != `{"snapshot":20}` {
		t.Fatalf("snapshot from the live producer %q", got)
	}
	// Stored within a second of the last frame.
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	stores, err := natswire.OpenStores(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	poll(t, "the stored snapshot", func() bool {
		e, err := stores.Snapshots.Get(context.Background(), natswire.SnapshotKey("tok"))
		return err == nil && string(e.Value()) == `{"snapshot":20}`
	})
	n.Close(context.Background()) // the producer is gone; its channel was never closed
	if rec.Channel("tok").Closed() {
		t.Fatal("the relay closed the channel of a producer that did not close it")
	}
	if got := string(rec.Channel("tok").Snapshot()); got != `{"snapshot":20}` {
		t.Fatalf("a late viewer's snapshot after the producer died is %q, want the stored one", got)
	}
}

// slowFrontend is a Recorder whose channels' Send waits until release is closed: a page that
// does not keep up, seen from the relay.
type slowFrontend struct {
	*kerneltest.Recorder
	release chan struct{}
}

func (f slowFrontend) OpenChannel(name string, snapshot func() []byte) (kernelext.Channel, error) {
	ch, err := f.Recorder.OpenChannel(name, snapshot)
	return slowChannel{ch, f.release}, err
}

type slowChannel struct {
	kernelext.Channel
	release chan struct{}
}

func (c slowChannel) Send(frame []byte) error {
	<-c.release
	return c.Channel.Send(frame)
}

// TestRelaySlowFrontend holds the relay's frontend while a producer sends more frames than the
// relay may keep: NATS drops frames for the relay (a slow consumer), the relay says so, and once
// the frontend takes frames again it gets the producer's snapshot, so its window ends exact.
func TestRelaySlowFrontend(t *testing.T) {
	ns := testenv.NATSServer(t, t.TempDir(), 0, "", "")
	front := slowFrontend{&kerneltest.Recorder{}, make(chan struct{})}
	l := &logs{}
	relay, err := natsrelay.Connect(context.Background(), ns.ClientURL(), front, natsrelay.Options{Logf: l.logf, MaxPending: 10})
	if err != nil {
		t.Fatal(err)
	}
	n := producer(t, ns.ClientURL())
	var last atomic.Int64
	ch, err := n.OpenChannel("tok", func() []byte { return fmt.Appendf(nil, `{"snapshot":%d}`, last.Load()) })
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 200; i++ {
		last.Store(int64(i))
		ch.Send(fmt.Appendf(nil, `{"seq":%d}`, i))
	}
	poll(t, "the slow consumer reported", func() bool { return strings.Contains(l.String(), "fell behind") })
	close(front.release)
	poll(t, "the snapshot after the drop", func() bool {
		c := front.Channel("tok")
		if c == nil {
			return false
		}
		// The snapshot may come before frames the relay still held (its resync and its handler
		// race); a page drops those, by their seq, and keeps the snapshot's window.
		for _, f := range c.Frames() {
			if string(f) == `{"snapshot":200}` {
				return true
			}
		}
		return false
	})
	frames := front.Channel("tok").Frames()
	t.Logf("the frontend got %d messages for 200 frames sent: %s ... %s", len(frames), frames[0], frames[len(frames)-1])
	if len(frames) >= 200 {
		t.Fatalf("no frame was dropped (%d messages): the test did not overrun the relay", len(frames))
	}
	relay.Close(context.Background())
}

// BenchmarkRelayFrames measures frames of about 1 KB (a batch of 50 points) from a producer
// through a real NATS server on loopback and the relay to a frontend that keeps them, all in one
// process: the transport's own cost, without a page.
func BenchmarkRelayFrames(b *testing.B) {
	ns := testenv.NATSServer(b, b.TempDir(), 0, "", "")
	rec := &kerneltest.Recorder{}
	relay, err := natsrelay.Connect(context.Background(), ns.ClientURL(), rec, natsrelay.Options{MaxPending: 1 << 20})
	if err != nil {
		b.Fatal(err)
	}
	defer relay.Close(context.Background())
	n, err := kernelext.NewNATS(context.Background(), ns.ClientURL())
	if err != nil {
		b.Fatal(err)
	}
	defer n.Close(context.Background())
	ch, err := n.OpenChannel("tok", nil)
	if err != nil {
		b.Fatal(err)
	}
	frame := []byte(`{"seq":1,"extend":{"y":[` + strings.Repeat("0.123456789,", 80) + `0]}}`)
	poll(b, "the channel opened", func() bool { return rec.Channel("tok") != nil })
	b.SetBytes(int64(len(frame)))
	b.ResetTimer()
	for range b.N {
		if err := ch.Send(frame); err != nil {
			b.Fatal(err)
		}
	}
	poll(b, "every frame relayed", func() bool { return len(rec.Channel("tok").Frames()) == b.N })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
}

// TestRelayProducersStartingTogether has producers, each with its own connection, display at once
// outputs that need the same library, as 100 producers started together do: each may find the
// library missing and store it, replacing a version the relay may be reading. The relay must show
// every output with the whole library, and log nothing.
func TestRelayProducersStartingTogether(t *testing.T) {
	ns := testenv.NATSServer(t, t.TempDir(), 0, "", "")
	rec, l := &kerneltest.Recorder{}, &logs{}
	connect(t, ns.ClientURL(), rec, l)
	lib := kernelext.Script{Name: "lib-1", Source: bytes.Repeat([]byte("x"), 5<<20)} // plotly.js's size
	const n = 8
	producers := make([]*kernelext.NATS, n)
	for i := range producers {
		producers[i] = producer(t, ns.ClientURL())
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i, p := range producers {
		wg.Go(func() {
			errs <- p.Display(context.Background(), kernelext.Output{ID: "fig-" + strconv.Itoa(i), HTML: "<p>fig</p>", Scripts: []kernelext.Script{lib}})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	poll(t, fmt.Sprintf("%d outputs", n), func() bool { return len(rec.Outputs()) == n || l.String() != "" })
	if l.String() != "" {
		t.Fatalf("the relay logged: %s", l)
	}
	for _, out := range rec.Outputs() {
		if len(out.Scripts) != 1 || !bytes.Equal(out.Scripts[0].Source, lib.Source) {
			t.Fatalf("output %s relayed without the whole library", out.ID)
		}
	}
}

// TestFollowRelaysOnlyItsChannelsUntilTheyClose follows one channel through a real server while
// a producer publishes it, another channel and an output: only the followed channel reaches the
// frontend, opened at once, and Follow returns when its producer closes it. Then a second Follow
// of the same channel, whose producer is gone, gets the snapshot it stored, and ends with its
// context.
func TestFollowRelaysOnlyItsChannelsUntilTheyClose(t *testing.T) {
	ns := testenv.NATSServer(t, t.TempDir(), 0, "", "")
	rec := &kerneltest.Recorder{}
	ctx := context.Background()
	followed := make(chan error, 1)
	go func() { followed <- natsrelay.Follow(ctx, ns.ClientURL(), rec, []string{"tok"}, natsrelay.Options{}) }()
	poll(t, "the followed channel opened at once", func() bool { return rec.Channel("tok") != nil })

	n := producer(t, ns.ClientURL())
	if err := n.Display(ctx, kernelext.Output{ID: "out", HTML: "<p>not followed</p>"}); err != nil {
		t.Fatal(err)
	}
	other, err := n.OpenChannel("other", nil)
	if err != nil {
		t.Fatal(err)
	}
	var last atomic.Int64
	ch, err := n.OpenChannel("tok", func() []byte { return fmt.Appendf(nil, `{"seq":%d}`, last.Load()) })
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 20; i++ {
		last.Store(int64(i))
		ch.Send(fmt.Appendf(nil, `{"seq":%d}`, i))
		other.Send([]byte(`{"seq":1}`))
	}
	poll(t, "the frames relayed", func() bool { c := rec.Channel("tok"); return c != nil && len(c.Frames()) == 20 })
	select {
	case err := <-followed:
		t.Fatalf("Follow returned before the producer closed the channel: %v", err)
	default:
	}
	if err := ch.Close(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-followed:
		if err != nil {
			t.Fatalf("Follow: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Follow did not return 30 s after the producer closed the channel")
	}
	if !rec.Channel("tok").Closed() {
		t.Error("Follow returned with the followed channel open on the frontend")
	}
	if rec.Channel("other") != nil || len(rec.Outputs()) != 0 {
		t.Errorf("Follow relayed what it does not follow: channel other %v, %d outputs", rec.Channel("other") != nil, len(rec.Outputs()))
	}

	// The producer is gone; what it stored when it closed the channel is what a new Follow gets.
	n.Close(ctx)
	late := &kerneltest.Recorder{}
	cctx, cancel := context.WithCancel(ctx)
	go func() { followed <- natsrelay.Follow(cctx, ns.ClientURL(), late, []string{"tok"}, natsrelay.Options{}) }()
	poll(t, "the followed channel opened", func() bool { return late.Channel("tok") != nil })
	if got := string(late.Channel("tok").Snapshot()); got != `{"seq":20}` {
		t.Errorf("the snapshot of a channel whose producer is gone is %q, want the stored one", got)
	}
	cancel()
	if err := <-followed; !errors.Is(err, context.Canceled) {
		t.Errorf("Follow ended by its context returned %v, want context.Canceled", err)
	}
	if !late.Channel("tok").Closed() {
		t.Error("Follow ended by its context left the channel open on the frontend")
	}
	if err := natsrelay.Follow(ctx, ns.ClientURL(), late, nil, natsrelay.Options{}); err == nil {
		t.Error("Follow of no channel did not fail")
	}
	// A channel the frontend refuses (stream.Follower: no figure has the token) is never relayed:
	// Follow says so at once rather than waiting for nothing.
	refused := errors.New("no figure was shown with this token")
	err = natsrelay.Follow(ctx, ns.ClientURL(), refusing{refused}, []string{"tok"}, natsrelay.Options{})
	if !errors.Is(err, refused) {
		t.Errorf("Follow onto a frontend that refuses the channel returned %v, want its error", err)
	}
}

// refusing is a frontend that opens no channel.
type refusing struct{ err error }

func (f refusing) Display(context.Context, kernelext.Output) error { return f.err }

func (f refusing) OpenChannel(string, func() []byte) (kernelext.Channel, error) { return nil, f.err }

// slowOpening is a frontend whose channels take a while to open, as a GoNB comm can.
type slowOpening struct{ *kerneltest.Recorder }

func (f slowOpening) OpenChannel(name string, snapshot func() []byte) (kernelext.Channel, error) {
	time.Sleep(100 * time.Millisecond)
	return f.Recorder.OpenChannel(name, snapshot)
}

// TestFollowEndsWithProducersLiveBeforeIt follows six channels of a producer that opened them
// before Follow started and sends nothing more: the producer's announcements (answering the
// relay's discover) race Follow's own opening of the channels on a frontend slow to open them,
// and its closes must still end Follow, with every channel closed.
func TestFollowEndsWithProducersLiveBeforeIt(t *testing.T) {
	ns := testenv.NATSServer(t, t.TempDir(), 0, "", "")
	ctx := context.Background()
	n := producer(t, ns.ClientURL())
	var chans []kernelext.Channel
	names := []string{"a", "b", "c", "d", "e", "f"}
	for _, name := range names {
		ch, err := n.OpenChannel(name, func() []byte { return []byte(`{"seq":1}`) })
		if err != nil {
			t.Fatal(err)
		}
		chans = append(chans, ch)
	}
	rec := &kerneltest.Recorder{}
	followed := make(chan error, 1)
	go func() {
		followed <- natsrelay.Follow(ctx, ns.ClientURL(), slowOpening{rec}, names, natsrelay.Options{Logf: t.Logf})
	}()
	poll(t, "the channels opened", func() bool {
		for _, name := range names {
			if rec.Channel(name) == nil {
				return false
			}
		}
		return true
	})
	for _, ch := range chans {
		if err := ch.Close(ctx); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case err := <-followed:
		if err != nil {
			t.Fatalf("Follow: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Follow did not return 30 s after the producer closed its channels")
	}
	for _, name := range names {
		if !rec.Channel(name).Closed() {
			t.Errorf("channel %s left open on the frontend", name)
		}
	}
}
