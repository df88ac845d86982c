package kernelext

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/liveplot/liveplot/internal/testenv"
)

// recorderLib is a library that outputs of the browser test need: it records the frames of the
// channels that outputs subscribe to in window.received.
var recorderLib = Script{Name: "recorder-1", Source: []byte(`
window.received = window.received || {};
window.record = function (channel) {
  window.received[channel] = window.received[channel] || [];
  return liveplotTransport.subscribe(channel, (f) => window.received[channel].push(f));
};
`)}

func newTestPage(t *testing.T) *LocalPage {
	t.Helper()
	page, err := NewLocalPage(DefaultAddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { page.Close() })
	return page
}

func evaluate[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func TestLocalPageInBrowser(t *testing.T) {
	ctx := testenv.Browser(t)
	page := newTestPage(t)
	var snapshots atomic.Int64
	snapshot := func() []byte {
		n := snapshots.Add(1)
		return []byte(fmt.Sprintf(`{"snapshot":%d}`, n))
	}
	ch, err := page.OpenChannel("c1", snapshot)
	if err != nil {
		t.Fatal(err)
	}
	err = page.Display(context.Background(), Output{ID: "out-1", HTML: `<p id="first">first</p><script>record("c1")</script>`, Scripts: []Script{recorderLib}})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page.URL())); err != nil {
		t.Fatal(err)
	}

	t.Run("a new viewer gets the snapshot first", func(t *testing.T) {
		testenv.Poll(t, ctx, 10*time.Second, "the snapshot", `(window.received && window.received.c1 || []).length >= 1`)
		if got := evaluate[string](t, ctx, `JSON.stringify(window.received.c1[0])`); got != `{"snapshot":1}` {
			t.Fatalf("first frame = %s, want the snapshot", got)
		}
	})

	t.Run("frames arrive in order and complete", func(t *testing.T) {
		// 200 frames at once: more than a link sends in three seconds, fewer than a viewer queues.
		for i := 1; i <= 200; i++ {
			if err := ch.Send([]byte(fmt.Sprintf(`{"seq":%d}`, i))); err != nil {
				t.Fatal(err)
			}
		}
		testenv.Poll(t, ctx, 10*time.Second, "200 frames", `window.received.c1.length >= 201`)
		got := evaluate[[]int](t, ctx, `window.received.c1.slice(1).map(f => f.seq)`)
		for i, seq := range got {
			if seq != i+1 {
				t.Fatalf("frame %d has seq %d: frames lost or out of order", i, seq)
			}
		}
	})

	t.Run("an output displayed later runs its scripts, once its libraries load", func(t *testing.T) {
		lib := Script{Name: "late-lib", Source: []byte(`window.lateLib = 42;`)}
		err := page.Display(context.Background(), Output{ID: "out-2", HTML: `<p id="second">second</p><script>window.secondRan = window.lateLib;</script>`, Scripts: []Script{lib, recorderLib}})
		if err != nil {
			t.Fatal(err)
		}
		testenv.Poll(t, ctx, 10*time.Second, "the second output's script", `window.secondRan === 42`)
	})

	t.Run("an output with the same ID is replaced in place", func(t *testing.T) {
		err := page.Display(context.Background(), Output{ID: "out-1", HTML: `<p id="first-again">replaced</p>`})
		if err != nil {
			t.Fatal(err)
		}
		testenv.Poll(t, ctx, 10*time.Second, "the replaced output", `!!document.getElementById("first-again")`)
		got := evaluate[string](t, ctx, `Array.from(document.querySelectorAll(".liveplot-output")).map(e => e.dataset.outputId).join(",")`)
		if got != "out-1,out-2" {
			t.Fatalf("outputs in page = %q, want out-1,out-2 (replaced in place)", got)
		}
	})

	t.Run("a reload shows the outputs as they stand", func(t *testing.T) {
		if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		testenv.Poll(t, ctx, 10*time.Second, "the page after reload", `!!document.getElementById("first-again") && window.secondRan === 42`)
		if evaluate[bool](t, ctx, `!!document.getElementById("first")`) {
			t.Fatal("the reloaded page still shows the replaced output")
		}
	})

	t.Run("closing a channel delivers what was sent", func(t *testing.T) {
		if err := page.Display(context.Background(), Output{ID: "out-3", HTML: `<script>record("c2")</script>`, Scripts: []Script{recorderLib}}); err != nil {
			t.Fatal(err)
		}
		ch2, err := page.OpenChannel("c2", nil)
		if err != nil {
			t.Fatal(err)
		}
		testenv.Poll(t, ctx, 10*time.Second, "the subscription to c2", `(function () {
			return Object.keys(window.received || {}).includes("c2");
		})()`)
		// The page subscribes over its socket: wait until the server has the subscription.
		waitSubscribed(t, page, ch2)
		for i := 1; i <= 100; i++ {
			if err := ch2.Send([]byte(fmt.Sprintf(`{"seq":%d}`, i))); err != nil {
				t.Fatal(err)
			}
		}
		closeCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := ch2.Close(closeCtx); err != nil {
			t.Fatal(err)
		}
		if err := ch2.Send([]byte(`{}`)); err != ErrClosed {
			t.Fatalf("Send after Close = %v, want ErrClosed", err)
		}
		testenv.Poll(t, ctx, 10*time.Second, "the 100 frames sent before Close", `window.received.c2.length === 100`)
	})
}

// get sends a GET for url with client (nil: http.DefaultClient), with the Host header host
// unless it is empty, and returns the answer with its body closed: its status and headers.
func get(t testing.TB, client *http.Client, url, host string) *http.Response {
	t.Helper()
	if client == nil {
		client = http.DefaultClient
	}
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if host != "" {
		req.Host = host
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestLocalPageRefusesWrongSecret(t *testing.T) {
	page := newTestPage(t)
	good := page.URL()
	base := strings.TrimSuffix(good, "?s="+page.secret)
	for _, url := range []string{base, base + "?s=wrong", base + "assets/liveplot-page?s=nope"} {
		if resp := get(t, nil, url, ""); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET %s = %d, want 403", url, resp.StatusCode)
		}
	}
	if resp := get(t, nil, good, ""); resp.StatusCode != http.StatusOK {
		t.Errorf("GET with the secret = %d, want 200", resp.StatusCode)
	}
}

func TestLocalPageSocketChecksOriginAndSecret(t *testing.T) {
	page := newTestPage(t)
	wsURL, err := socketURL(page.URL())
	if err != nil {
		t.Fatal(err)
	}
	host := page.listener.Addr().String()
	cases := []struct {
		name, url, origin string
		ok                bool
	}{
		{"own origin", wsURL, "http://" + host, true},
		{"other origin", wsURL, "http://evil.example", false},
		{"wrong secret", strings.Replace(wsURL, page.secret, "bad", 1), "http://" + host, false},
	}
	for _, c := range cases {
		conn, resp, err := websocket.DefaultDialer.Dial(c.url, http.Header{"Origin": {c.origin}})
		if conn != nil {
			conn.Close()
		}
		if c.ok && err != nil {
			t.Errorf("%s: dial failed: %v", c.name, err)
		}
		if !c.ok {
			if err == nil {
				t.Errorf("%s: dial succeeded, want it refused", c.name)
			} else if resp == nil || resp.StatusCode != http.StatusForbidden {
				t.Errorf("%s: dial error %v, want a 403 answer", c.name, err)
			}
		}
	}
}

// TestLocalPageSlowViewer checks back-pressure: a viewer that reads nothing does not block Send,
// and once it reads it gets the frames that fit its queue and then a snapshot of the channel.
func TestLocalPageSlowViewer(t *testing.T) {
	// The viewer reads nothing until every frame is sent, which takes seconds on a busy machine:
	// its socket must not be dropped for a write that waits meanwhile.
	limits := defaultLimits
	limits.write = time.Hour
	page, err := newLocalPage(DefaultAddr, limits, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { page.Close() })
	var latest atomic.Int64
	ch, err := page.OpenChannel("c", func() []byte { return []byte(fmt.Sprintf(`{"snapshot":%d}`, latest.Load())) })
	if err != nil {
		t.Fatal(err)
	}
	conn := dialPage(t, page)
	sub, _ := json.Marshal(pageMessage{Type: "sub", Channel: "c"})
	if err := conn.WriteMessage(websocket.TextMessage, sub); err != nil {
		t.Fatal(err)
	}
	readFrame := func() map[string]int {
		t.Helper()
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, raw, err := conn.ReadMessage()
		if err != nil {
			t.Fatal(err)
		}
		var msg pageMessage
		var frame struct{ Seq, Snapshot *int }
		if err := json.Unmarshal(raw, &msg); err != nil || json.Unmarshal(msg.Frame, &frame) != nil {
			t.Fatalf("bad message %.200s", raw)
		}
		out := map[string]int{}
		if frame.Seq != nil {
			out["seq"] = *frame.Seq
		}
		if frame.Snapshot != nil {
			out["snapshot"] = *frame.Snapshot
		}
		return out
	}
	if f := readFrame(); f["snapshot"] != 0 {
		t.Fatalf("first message %v, want the initial snapshot", f)
	}
	// 100,000 frames of 1 KB, many more than the socket buffers: Send must not block on them.
	pad := strings.Repeat("x", 1000)
	start := time.Now()
	const total = 100000
	for i := 1; i <= total; i++ {
		latest.Store(int64(i))
		if err := ch.Send([]byte(fmt.Sprintf(`{"seq":%d,"pad":%q}`, i, pad))); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("sent %d frames in %v", total, time.Since(start))
	// Read until the state covers the last frame: frames in order, with resyncs (snapshots) where
	// the viewer fell behind.
	last, resyncs := 0, 0
	for last < total {
		f := readFrame()
		if s, ok := f["snapshot"]; ok {
			resyncs++
			last = s
			continue
		}
		if f["seq"] <= last {
			continue // sent before the snapshot that covered it, as the page's client expects
		}
		last = f["seq"]
	}
	if resyncs == 0 {
		t.Fatal("the viewer got every frame without a resync: it was never behind, so this test did not test back-pressure")
	}
	t.Logf("%d resyncs", resyncs)
}

// TestLocalPageSocketSyncsOutputs checks that a page whose HTML was served before an output was
// displayed still gets it: every new socket is sent every output, then what follows.
func TestLocalPageSocketSyncsOutputs(t *testing.T) {
	page := newTestPage(t)
	if err := page.Display(context.Background(), Output{HTML: "<p>one</p>"}); err != nil {
		t.Fatal(err)
	}
	if err := page.Display(context.Background(), Output{ID: "two", HTML: "<p>two</p>"}); err != nil {
		t.Fatal(err)
	}
	conn := dialPage(t, page)
	var got []string
	for len(got) < 2 {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		var msg pageMessage
		if err := conn.ReadJSON(&msg); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %s v%d %s", msg.Type, msg.ID, msg.Version, msg.HTML))
	}
	want := []string{"display output-1 v1 <p>one</p>", "display two v2 <p>two</p>"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("a new socket got %q, want %q", got, want)
	}
}

// dialPage opens a WebSocket to the page, as a non-browser client (no Origin); it is closed
// when the test ends.
func dialPage(t *testing.T, page *LocalPage) *websocket.Conn {
	t.Helper()
	wsURL, err := socketURL(page.URL())
	if err != nil {
		t.Fatal(err)
	}
	conn, _, err := websocket.DefaultDialer.Dial(wsURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// socketURL is the WebSocket address of a page URL.
func socketURL(pageURL string) (string, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return "", err
	}
	u.Scheme, u.Path = "ws", "/ws"
	return u.String(), nil
}

// TestLocalPageChannelOpenedAfterSubscribe checks that a page that subscribed to a channel
// before the program opened it (a page open when the stream starts, or a relay that learns of a
// channel late) gets the channel's snapshot and frames once it is opened.
func TestLocalPageChannelOpenedAfterSubscribe(t *testing.T) {
	page := newTestPage(t)
	conn := dialPage(t, page)
	sub, _ := json.Marshal(pageMessage{Type: "sub", Channel: "late"})
	if err := conn.WriteMessage(websocket.TextMessage, sub); err != nil {
		t.Fatal(err)
	}
	// The subscription is handled by the socket's reader: wait until the page has it.
	for deadline := time.Now().Add(10 * time.Second); ; {
		page.mu.Lock()
		subscribed := false
		for v := range page.viewers {
			subscribed = subscribed || v.subscribed["late"]
		}
		page.mu.Unlock()
		if subscribed {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the page never handled the subscription")
		}
		runtime.Gosched()
	}
	var latest atomic.Int64
	latest.Store(1)
	ch, err := page.OpenChannel("late", func() []byte { return fmt.Appendf(nil, `{"seq":%d}`, latest.Load()) })
	if err != nil {
		t.Fatal(err)
	}
	latest.Store(2)
	if err := ch.Send([]byte(`{"seq":2}`)); err != nil {
		t.Fatal(err)
	}
	// The snapshot is taken when it is written, so it may already cover the frame.
	for seq := 0; seq < 2; {
		conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		var msg pageMessage
		var frame struct{ Seq int }
		if err := conn.ReadJSON(&msg); err != nil {
			t.Fatalf("after seq %d: %v", seq, err)
		}
		if msg.Channel != "late" || json.Unmarshal(msg.Frame, &frame) != nil {
			t.Fatalf("unexpected message %+v", msg)
		}
		seq = frame.Seq
	}
}
