package kernelext

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/liveplot/liveplot/internal/testenv"
)

// TestLocalPageHandlerMountedUnderAPath mounts the page in a server of the test's own, under
// /plots/, as a user mounts it behind their TLS or authentication: the page finds its scripts
// and its socket relative to its own address, shows outputs and delivers frames.
func TestLocalPageHandlerMountedUnderAPath(t *testing.T) {
	ctx := testenv.Browser(t)
	page := NewLocalPageHandler()
	t.Cleanup(func() { page.Close() })
	mux := http.NewServeMux()
	mux.Handle("/plots/", http.StripPrefix("/plots", page))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "not the page", http.StatusTeapot) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)

	ch, err := page.OpenChannel("c1", func() []byte { return []byte(`{"snapshot":true}`) })
	if err != nil {
		t.Fatal(err)
	}
	if err := page.Display(context.Background(), Output{ID: "a", HTML: `<p id="mounted">mounted</p><script>record("c1")</script>`, Scripts: []Script{recorderLib}}); err != nil {
		t.Fatal(err)
	}
	url := srv.URL + "/plots/" + page.URL()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 20*time.Second, "the output and the channel's snapshot", `!!document.getElementById("mounted") && (window.received && window.received.c1 || []).length >= 1`)
	for i := 1; i <= 3; i++ {
		if err := ch.Send(fmt.Appendf(nil, `{"seq":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	testenv.Poll(t, ctx, 20*time.Second, "three frames", `window.received.c1.length >= 4`)
	if got := evaluate[string](t, ctx, `window.received.c1.slice(1).map(f => f.seq).join(",")`); got != "1,2,3" {
		t.Fatalf("frames %q, want 1,2,3", got)
	}
	// A library displayed later loads from the mounted path too.
	lib := Script{Name: "late-lib", Source: []byte(`window.lateLib = 7;`)}
	if err := page.Display(context.Background(), Output{ID: "b", HTML: `<script>window.bSaw = window.lateLib;</script>`, Scripts: []Script{lib}}); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 20*time.Second, "the late library, loaded under /plots/", `window.bSaw === 7`)

	// The user's server keeps running after Shutdown: the open page is told the program stopped,
	// and what still reaches the handler is told so too, instead of being served or dropped.
	sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := page.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	testenv.Poll(t, ctx, 20*time.Second, "the page saying the program stopped", `document.getElementById("liveplot-status").textContent.includes("stopped serving this page")`)
	if resp := get(t, nil, url, ""); resp.StatusCode != http.StatusGone {
		t.Errorf("the page after Shutdown: %s, want 410 Gone", resp.Status)
	}
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/plots/ws" + page.URL()
	conn, _, err := websocket.DefaultDialer.Dial(wsURL, nil)
	if err != nil {
		t.Fatalf("dialing the socket after Shutdown: %v", err)
	}
	defer conn.Close()
	conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	_, _, err = conn.ReadMessage()
	var ce *websocket.CloseError
	if !errors.As(err, &ce) || ce.Code != websocket.CloseGoingAway || ce.Text != stoppedReason {
		t.Errorf("a socket opened after Shutdown ended with %v, want close 1001 %q", err, stoppedReason)
	}
}

// TestLocalPageShutdown: Shutdown sends what was queued, tells the open page that the program
// stopped (which it shows, and does not reconnect), stops listening, and refuses what comes
// after it.
func TestLocalPageShutdown(t *testing.T) {
	ctx := testenv.Browser(t)
	page := newTestPage(t)
	ch, err := page.OpenChannel("c1", func() []byte { return []byte(`{"snapshot":true}`) })
	if err != nil {
		t.Fatal(err)
	}
	if err := page.Display(context.Background(), Output{ID: "a", HTML: `<script>record("c1")</script>`, Scripts: []Script{recorderLib}}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(page.URL())); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 20*time.Second, "the snapshot", `(window.received && window.received.c1 || []).length >= 1`)
	waitSubscribed(t, page, ch)
	for i := 1; i <= 100; i++ {
		if err := ch.Send(fmt.Appendf(nil, `{"seq":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := page.Shutdown(sctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	// Every frame queued before Shutdown reached the page.
	testenv.Poll(t, ctx, 20*time.Second, "the 100 frames sent before Shutdown", `window.received.c1.length >= 101`)
	testenv.Poll(t, ctx, 20*time.Second, "the page saying the program stopped", `document.getElementById("liveplot-status").textContent.includes("stopped serving this page")`)
	if err := page.Display(context.Background(), Output{ID: "b", HTML: "late"}); !errors.Is(err, ErrPageClosed) {
		t.Errorf("Display after Shutdown: %v, want ErrPageClosed", err)
	}
	if _, err := page.OpenChannel("c2", nil); !errors.Is(err, ErrPageClosed) {
		t.Errorf("OpenChannel after Shutdown: %v, want ErrPageClosed", err)
	}
	if resp, err := http.Get(page.URL()); err == nil {
		resp.Body.Close()
		t.Errorf("the page still answers after Shutdown: %s", resp.Status)
	}
}

// waitSubscribed waits until the server has a viewer subscribed to ch.
func waitSubscribed(t *testing.T, page *LocalPage, ch Channel) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		page.mu.Lock()
		n := len(ch.(*pageChannel).subscribers)
		page.mu.Unlock()
		if n > 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("no viewer subscribed to the channel within 20 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
