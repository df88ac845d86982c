package kernelext

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gorilla/websocket"

	"github.com/liveplot/liveplot/internal/testenv"
)

// TestLocalPageChecksHost sends real requests whose Host header names another server, as a page
// of a rebound DNS name would: the page, its assets and its socket refuse them, even with the
// secret; the loopback names with the page's port are served.
func TestLocalPageChecksHost(t *testing.T) {
	page := newTestPage(t)
	port := page.listener.Addr().(*net.TCPAddr).Port
	u, err := url.Parse(page.URL())
	if err != nil {
		t.Fatal(err)
	}
	get := func(path, host string) (int, string) {
		t.Helper()
		req, err := http.NewRequest("GET", "http://"+u.Host+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	index := "/?s=" + page.secret
	for _, host := range []string{
		"evil.example", fmt.Sprintf("evil.example:%d", port), fmt.Sprintf("127.0.0.1:%d", port+1),
		"127.0.0.1", fmt.Sprintf("127.0.0.2:%d", port), fmt.Sprintf("localhost.evil.example:%d", port),
	} {
		for _, path := range []string{index, "/assets/liveplot-page?s=" + page.secret} {
			code, body := get(path, host)
			if code != http.StatusForbidden && code != http.StatusMisdirectedRequest {
				t.Errorf("GET %s with Host %q = %d, want 403 or 421", path, host, code)
			}
			if !strings.Contains(body, "Host") || !strings.Contains(body, fmt.Sprintf("127.0.0.1:%d", port)) {
				t.Errorf("GET %s with Host %q: body %q does not say which hosts are served", path, host, body)
			}
		}
	}
	for _, host := range []string{fmt.Sprintf("127.0.0.1:%d", port), fmt.Sprintf("localhost:%d", port), fmt.Sprintf("LocalHost:%d", port), fmt.Sprintf("[::1]:%d", port)} {
		if code, body := get(index, host); code != http.StatusOK {
			t.Errorf("GET with Host %q = %d (%s), want 200", host, code, body)
		}
	}

	// A WebSocket upgrade with a forged Host, and the Origin that matches it (what a rebound page
	// sends), is refused before the upgrade.
	wsURL, _ := socketURL(page.URL())
	dialer := websocket.Dialer{NetDial: func(network, _ string) (net.Conn, error) {
		return net.Dial(network, u.Host)
	}}
	forged := strings.Replace(wsURL, u.Host, fmt.Sprintf("rebound.example:%d", port), 1)
	conn, resp, err := dialer.Dial(forged, http.Header{"Origin": {fmt.Sprintf("http://rebound.example:%d", port)}})
	if err == nil {
		conn.Close()
		t.Fatal("a WebSocket upgrade with a forged Host was accepted")
	}
	if resp == nil || (resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusMisdirectedRequest) {
		t.Fatalf("WebSocket with a forged Host: %v, want 403 or 421", err)
	}
	conn, _, err = dialer.Dial(wsURL, http.Header{"Origin": {"http://" + u.Host}})
	if err != nil {
		t.Fatalf("WebSocket with the page's own Host: %v", err)
	}
	conn.Close()
}

// TestLocalPageSecurityHeaders checks the headers of every kind of answer: the page, an asset,
// a refusal and a page that does not exist.
func TestLocalPageSecurityHeaders(t *testing.T) {
	page := newTestPage(t)
	base := strings.TrimSuffix(page.URL(), "?s="+page.secret)
	for _, path := range []string{"?s=" + page.secret, "assets/liveplot-page?s=" + page.secret, "?s=wrong", "assets/nothing?s=" + page.secret, "nothing"} {
		h := get(t, nil, base+path, "").Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"frame-ancestors 'none'", "default-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET /%s: Content-Security-Policy %q lacks %q", path, csp, want)
			}
		}
		for name, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
			if got := h.Get(name); got != want {
				t.Errorf("GET /%s: %s = %q, want %q", path, name, got, want)
			}
		}
	}
	// The page's policy allows its own scripts and socket, and inline scripts only with the
	// nonce of this response.
	nonces := map[string]bool{}
	for range 2 {
		csp := get(t, nil, page.URL(), "").Header.Get("Content-Security-Policy")
		var scriptSrc string
		for _, d := range strings.Split(csp, ";") {
			if f := strings.Fields(d); len(f) > 0 && f[0] == "script-src" {
				scriptSrc = d
				for _, src := range f[1:] {
					if strings.HasPrefix(src, "'nonce-") {
						nonces[src] = true
					}
				}
			}
		}
		if !strings.Contains(scriptSrc, "'self'") || strings.Contains(scriptSrc, "unsafe") {
			t.Errorf("script-src %q: want 'self' and a nonce, nothing unsafe", scriptSrc)
		}
		if !strings.Contains(csp, "connect-src 'self'") {
			t.Errorf("Content-Security-Policy %q does not allow the page's own socket", csp)
		}
	}
	if len(nonces) != 2 {
		t.Errorf("two answers carried nonces %v, want two different ones", nonces)
	}
}

// TestLocalPageUnderItsPolicy shows outputs whose scripts run inline, before and after the page
// loads, and reloads: under the page's Content-Security-Policy they all run and no violation is
// reported.
func TestLocalPageUnderItsPolicy(t *testing.T) {
	ctx := testenv.Browser(t)
	p := newTestPage(t)
	ch, err := p.OpenChannel("c", func() []byte { return []byte(`{"snapshot":1}`) })
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Display(context.Background(), Output{ID: "a", HTML: `<p>a</p><script>window.aRan = true; record("c");</script>`, Scripts: []Script{recorderLib}}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, testenv.CountViolations(), chromedp.Navigate(p.URL())); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 15*time.Second, "the first output's script", `window.aRan === true && (window.received.c || []).length >= 1`)
	if err := p.Display(context.Background(), Output{ID: "b", HTML: `<script>window.bRan = true;</script>`}); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 15*time.Second, "the later output's script", `window.bRan === true`)
	if err := ch.Send([]byte(`{"seq":1}`)); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 15*time.Second, "a frame over the socket", `window.received.c.some(f => f.seq === 1)`)
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 15*time.Second, "both scripts after a reload", `window.aRan === true && window.bRan === true`)
	// An injected script without the nonce must not run, and is reported: the listener works.
	evaluate[bool](t, ctx, `(function () {
		const el = document.createElement("script");
		el.textContent = "window.injected = true";
		document.body.appendChild(el);
		return true;
	})()`)
	testenv.Poll(t, ctx, 15*time.Second, "the injected script's violation", `window.cspViolations.length >= 1`)
	if got := evaluate[[]string](t, ctx, `window.cspViolations`); len(got) != 1 || evaluate[bool](t, ctx, `window.injected === true`) {
		t.Fatalf("violations %q (want only the injected script's), injected ran: %v", got, evaluate[bool](t, ctx, `window.injected === true`))
	}
}

// TestLocalPageClosesHalfSentRequests opens connections that send half a request and nothing
// more: the server closes them once the header timeout passes.
func TestLocalPageClosesHalfSentRequests(t *testing.T) {
	page, err := newLocalPage(DefaultAddr, pageLimits{readHeader: 300 * time.Millisecond, idle: 300 * time.Millisecond, subscriptions: 10, write: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { page.Close() })
	addr := page.listener.Addr().String()
	closed := make(chan error, 20)
	for i := range 20 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		req := "GET /?s=" + page.secret + " HTTP/1.1\r\nHost: " + addr + "\r\n" // no blank line: half sent
		if i%2 == 1 {
			req = "" // a connection that sends nothing
		}
		if _, err := conn.Write([]byte(req)); err != nil {
			t.Fatal(err)
		}
		go func() {
			// The server closes the connection (EOF) or answers the timeout; either ends the read.
			conn.SetReadDeadline(time.Now().Add(30 * time.Second))
			_, err := io.ReadAll(conn)
			closed <- err
		}()
	}
	for range 20 {
		if err := <-closed; err != nil {
			t.Fatalf("a half-sent request was still held after 30 s (timeout 300 ms): %v", err)
		}
	}

	// A keep-alive connection left idle after a full answer is closed too.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET /?s=%s HTTP/1.1\r\nHost: %s\r\n\r\n", page.secret, addr)
	r := bufio.NewReader(conn)
	resp, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, err := r.ReadByte(); !errors.Is(err, io.EOF) {
		t.Fatalf("an idle keep-alive connection was not closed: %v", err)
	}
}

// TestLocalPageCapsSubscriptions subscribes one socket to more channels than the cap: the
// server says why in a close frame and the viewer is gone; the page did not keep the names.
func TestLocalPageCapsSubscriptions(t *testing.T) {
	page, err := newLocalPage(DefaultAddr, pageLimits{readHeader: time.Second, idle: time.Second, subscriptions: 10, write: 10 * time.Second}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { page.Close() })
	conn := dialPage(t, page)
	long := strings.Repeat("x", 60<<10)
	for i := range 2000 {
		sub, _ := json.Marshal(pageMessage{Type: "sub", Channel: fmt.Sprintf("%s-%d", long, i)})
		if err := conn.WriteMessage(websocket.TextMessage, sub); err != nil {
			break // the server closed the socket
		}
	}
	conn.SetReadDeadline(time.Now().Add(30 * time.Second))
	var closeErr *websocket.CloseError
	for {
		_, _, err := conn.ReadMessage()
		if err == nil {
			continue
		}
		if !errors.As(err, &closeErr) {
			t.Fatalf("the socket ended with %v, want a close frame that says why", err)
		}
		break
	}
	if closeErr.Code != websocket.ClosePolicyViolation || !strings.Contains(closeErr.Text, "10") {
		t.Fatalf("close frame %d %q, want a policy violation that names the cap", closeErr.Code, closeErr.Text)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		page.mu.Lock()
		n := len(page.viewers)
		page.mu.Unlock()
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the viewer over the cap is still connected")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestDefaultWarnsOnOpenAddress runs Default in a child process with LIVEPLOT_ADDR on every
// interface: it must say on standard error what that exposes.
func TestDefaultWarnsOnOpenAddress(t *testing.T) {
	if os.Getenv("LIVEPLOT_TEST_DEFAULT_CHILD") == "1" {
		if _, err := Default(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	for _, c := range []struct {
		addr string
		warn bool
	}{{"0.0.0.0:0", true}, {"127.0.0.1:0", false}} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestDefaultWarnsOnOpenAddress$")
		cmd.Env = append(os.Environ(), "LIVEPLOT_TEST_DEFAULT_CHILD=1", "LIVEPLOT_ADDR="+c.addr, "GONB_PIPE=", "GONB_TMP_DIR=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("LIVEPLOT_ADDR=%s: %v\n%s", c.addr, err, out)
		}
		warned := strings.Contains(string(out), "WARNING") && strings.Contains(string(out), "every network interface") && strings.Contains(string(out), "docs/reliability.md")
		if warned != c.warn {
			t.Errorf("LIVEPLOT_ADDR=%s: warned %v, want %v; stderr:\n%s", c.addr, warned, c.warn, out)
		}
	}
}

// TestLocalPageBehindTLSProxy serves the page through a TLS reverse proxy that passes the
// browser's Host on, as docs/reliability.md shows: with that host in the page's list (what
// LIVEPLOT_HOSTS sets) the page loads over https, its socket over wss streams, and nothing breaks
// its policy; a Host not listed is still refused.
func TestLocalPageBehindTLSProxy(t *testing.T) {
	ctx := testenv.Browser(t, chromedp.IgnoreCertErrors)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	public := fmt.Sprintf("localhost:%d", ln.Addr().(*net.TCPAddr).Port)
	p, err := newLocalPage(DefaultAddr, defaultLimits, []string{public})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	target, _ := url.Parse("http://" + p.listener.Addr().String())
	proxy := httptest.NewUnstartedServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		r.SetURL(target)
		r.Out.Host = r.In.Host // nginx: proxy_set_header Host $host
	}})
	proxy.Listener.Close()
	proxy.Listener = ln
	proxy.StartTLS()
	t.Cleanup(proxy.Close)

	ch, err := p.OpenChannel("c", func() []byte { return []byte(`{"snapshot":1}`) })
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Display(context.Background(), Output{ID: "a", HTML: `<script>record("c")</script>`, Scripts: []Script{recorderLib}}); err != nil {
		t.Fatal(err)
	}
	pageURL := "https://" + public + "/?s=" + p.secret
	if err := chromedp.Do(ctx, testenv.CountViolations(), chromedp.Navigate(pageURL)); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 15*time.Second, "the snapshot over wss", `location.protocol === "https:" && (window.received && window.received.c || []).length >= 1`)
	if err := ch.Send([]byte(`{"seq":1}`)); err != nil {
		t.Fatal(err)
	}
	testenv.Poll(t, ctx, 15*time.Second, "a frame over wss", `window.received.c.some(f => f.seq === 1)`)
	if v := evaluate[[]string](t, ctx, `window.cspViolations`); len(v) != 0 {
		t.Fatalf("Content-Security-Policy violations behind the proxy: %q", v)
	}

	if resp := get(t, proxy.Client(), proxy.URL+"/?s="+p.secret, "rebound.example"); resp.StatusCode != http.StatusMisdirectedRequest {
		t.Fatalf("a Host not listed, through the proxy: %d, want 421", resp.StatusCode)
	}
}

// TestLocalPageWaitsForAcknowledgements checks back-pressure when the socket drains but the page
// does not keep up (a browser's busy main thread): a client that reads every message at once but
// acknowledges none gets at most about viewerUnacked messages; frames sent meanwhile are dropped
// and, once it acknowledges, it gets the channel's snapshot. The frames are sent one at a time,
// each once the server has written the last or set it aside, so that a server that trusts the
// socket alone would deliver every frame.
func TestLocalPageWaitsForAcknowledgements(t *testing.T) {
	page := newTestPage(t)
	var latest atomic.Int64
	ch, err := page.OpenChannel("c", func() []byte { return []byte(fmt.Sprintf(`{"snapshot":%d}`, latest.Load())) })
	if err != nil {
		t.Fatal(err)
	}
	conn := dialPage(t, page)
	for _, m := range []pageMessage{{Type: "ack"}, {Type: "sub", Channel: "c"}} {
		if err := conn.WriteJSON(m); err != nil {
			t.Fatal(err)
		}
	}
	type state struct{ seq, snapshot *int }
	got := make(chan state, 100000)
	go func() {
		for {
			var msg pageMessage
			if err := conn.ReadJSON(&msg); err != nil {
				close(got)
				return
			}
			var f struct{ Seq, Snapshot *int }
			json.Unmarshal(msg.Frame, &f)
			got <- state{f.Seq, f.Snapshot}
		}
	}()
	var v *viewer
	for v == nil {
		page.mu.Lock()
		for each := range page.viewers {
			v = each
		}
		page.mu.Unlock()
	}
	select {
	case s := <-got:
		if s.snapshot == nil || *s.snapshot != 0 {
			t.Fatalf("first message %+v, want the snapshot of the subscription", s)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no snapshot after subscribing")
	}
	handled := 1
	const total = 2000
	for i := 1; i <= total; i++ {
		latest.Store(int64(i))
		if err := ch.Send([]byte(fmt.Sprintf(`{"seq":%d}`, i))); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(10 * time.Second)
		for {
			v.mu.Lock()
			done := len(v.queue) == 0 || len(v.lagging) > 0
			v.mu.Unlock()
			if done {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("frame %d was neither written nor set aside in 10 s", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
	// Read what was written, acknowledging it all, until the state covers the last frame.
	frames, snapshots := 0, 0
	for last := 0; last < total; {
		select {
		case s, ok := <-got:
			if !ok {
				t.Fatal("the socket closed")
			}
			handled++
			switch {
			case s.snapshot != nil:
				snapshots++
				last = max(last, *s.snapshot)
			case s.seq != nil:
				frames++
				last = max(last, *s.seq)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no message for 10 s after %d frames and %d snapshots", frames, snapshots)
		}
		if len(got) == 0 {
			conn.WriteJSON(pageMessage{Type: "ack", Count: handled})
		}
	}
	if frames > 2*viewerUnacked || snapshots < 1 {
		t.Fatalf("a page that acknowledged nothing got %d of %d frames and %d snapshots; want at most %d frames, then a snapshot", frames, total, snapshots, 2*viewerUnacked)
	}
	t.Logf("%d frames, %d snapshots", frames, snapshots)
}
