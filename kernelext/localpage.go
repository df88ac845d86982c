package kernelext

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/liveplot/liveplot/internal/randid"
)

// LocalPage is the Frontend of a plain Go program: a page served over HTTP and kept live over a
// WebSocket. Every output displayed is on the page, in display order; a page opened or reloaded
// later shows each output as it stands and then the frames that follow.
//
// A LocalPage is an [http.Handler]. [NewLocalPage] also listens and serves it on an address of
// its own (the loopback interface by default), as [Default] does for a plain program;
// [NewLocalPageHandler] only makes the handler, to mount in a server of yours (under a path with
// [http.StripPrefix], behind your TLS or authentication). [LocalPage.Shutdown] stops it
// gracefully, [LocalPage.Close] at once.
//
// The page's URL carries a random secret that every request must present, and the WebSocket
// upgrade accepts only the page's own origin. On a loopback address the page answers only
// requests addressed to a loopback name with its port (a Host check against DNS rebinding).
// Every answer carries a Content-Security-Policy that lets the page run only its own scripts and
// talk only to its own server; docs/reliability.md has the whole threat model.
type LocalPage struct {
	secret   string
	handler  http.Handler // the page's routes behind guard
	listener net.Listener // nil for a page made by NewLocalPageHandler
	server   *http.Server // likewise
	upgrader websocket.Upgrader
	hosts    map[string]bool // the Host values served, lower case; nil serves any
	limits   pageLimits
	sockets  sync.WaitGroup // the WebSocket handlers running

	mu       sync.Mutex
	outputs  []pageOutput      // in display order; an ID keeps its place when replaced
	versions int               // how many outputs were displayed: the version of the newest
	scripts  map[string][]byte // library sources by name
	order    []string          // library names in the order they were first needed
	viewers  map[*viewer]bool
	channels map[string]*pageChannel
	closed   bool
}

// pageLimits bound what one client may hold of the server.
type pageLimits struct {
	readHeader    time.Duration // to read a request's header, from the connection's first byte
	idle          time.Duration // a keep-alive connection left idle
	subscriptions int           // channels one viewer socket may subscribe to
	write         time.Duration // one write to a viewer's socket, before the viewer is dropped
}

var defaultLimits = pageLimits{readHeader: 10 * time.Second, idle: 2 * time.Minute, subscriptions: 4096, write: 10 * time.Second}

// NewLocalPage starts serving a page on addr (host:port; "127.0.0.1:0" picks a free port), with
// timeouts on slow clients and, on a loopback address, the Host check. [LocalPage.URL] is its
// address; Shutdown or Close stops it.
func NewLocalPage(addr string) (*LocalPage, error) {
	return newLocalPage(addr, defaultLimits, nil)
}

// NewLocalPageHandler returns a page that does not listen: serve it with a server of yours. It
// answers at the path where it is mounted ("/" after any prefix is stripped) and on the paths
// below it, and every request must carry the page's secret: the page's address is that path
// followed by [LocalPage.URL], a relative reference ("./?s=..."). Requests are answered whatever
// their Host, and the server's timeouts are yours to set. Shutdown or Close ends its viewers;
// the server is yours to stop.
func NewLocalPageHandler() *LocalPage {
	return newPage(defaultLimits, nil)
}

// newPage makes a page that serves the given Host values (nil: any).
func newPage(limits pageLimits, hosts map[string]bool) *LocalPage {
	p := &LocalPage{
		secret:   randid.Hex(16),
		hosts:    hosts,
		limits:   limits,
		scripts:  map[string][]byte{},
		viewers:  map[*viewer]bool{},
		channels: map[string]*pageChannel{},
	}
	// The default CheckOrigin of gorilla/websocket accepts a request whose Origin host is the
	// request's Host (or that has no Origin, as non-browser clients send): a page of another
	// origin cannot open the socket, even knowing the secret.
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.serveIndex)
	mux.HandleFunc("GET /assets/{name}", p.serveAsset)
	mux.HandleFunc("GET /ws", p.serveSocket)
	p.handler = p.guard(mux)
	return p
}

// ServeHTTP serves the page, its scripts and its WebSocket.
func (p *LocalPage) ServeHTTP(w http.ResponseWriter, r *http.Request) { p.handler.ServeHTTP(w, r) }

// newLocalPage is NewLocalPage with its limits, and the Host values it serves besides the
// loopback names (those a reverse proxy passes on; see LIVEPLOT_HOSTS in Default).
func newLocalPage(addr string, limits pageLimits, extraHosts []string) (*LocalPage, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("kernelext: serving the local page on %s (set LIVEPLOT_ADDR to another host:port): %w", addr, err)
	}
	p := newPage(limits, servedHosts(ln.Addr(), extraHosts))
	p.listener = ln
	p.server = &http.Server{
		Handler:           p.handler,
		ReadHeaderTimeout: limits.readHeader,
		IdleTimeout:       limits.idle,
		MaxHeaderBytes:    64 << 10,
	}
	go p.server.Serve(ln) //nolint:errcheck // Serve returns ErrServerClosed after Close.
	return p, nil
}

// servedHosts returns the Host header values the page serves: the loopback names with the port
// of addr, and extra. It returns nil (any Host) when addr is not a loopback address and extra is
// empty: the names of such an address are not known.
func servedHosts(addr net.Addr, extra []string) map[string]bool {
	tcp, ok := addr.(*net.TCPAddr)
	loopback := ok && tcp.IP.IsLoopback()
	if !loopback && len(extra) == 0 {
		return nil
	}
	hosts := map[string]bool{}
	if ok {
		port := strconv.Itoa(tcp.Port)
		for _, name := range []string{"127.0.0.1", "localhost", "::1"} {
			hosts[net.JoinHostPort(name, port)] = true
		}
	}
	for _, h := range extra {
		hosts[strings.ToLower(h)] = true
	}
	return hosts
}

// exposed reports whether the page listens on an address other machines may reach.
func (p *LocalPage) exposed() bool {
	if p.listener == nil {
		return false
	}
	tcp, ok := p.listener.Addr().(*net.TCPAddr)
	return !ok || !tcp.IP.IsLoopback()
}

// baseCSP is the policy of every answer but the page itself: nothing may load, nothing may
// frame it.
const baseCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

// guard checks the Host of every request and sets the security headers of every answer.
func (p *LocalPage) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", baseCSP)
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer") // the URL carries the secret
		if p.hosts != nil && !p.hosts[strings.ToLower(r.Host)] {
			port := "?"
			if tcp, ok := p.listener.Addr().(*net.TCPAddr); ok {
				port = strconv.Itoa(tcp.Port)
			}
			http.Error(w, fmt.Sprintf("liveplot: this page answers only requests for 127.0.0.1:%s, localhost:%s or [::1]:%s "+
				"(or a host listed in LIVEPLOT_HOSTS), not Host %q (a guard against DNS rebinding); "+
				"open the address the program printed", port, port, port, r.Host), http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// pageCSP is the policy of the page: scripts from its own server, inline scripts only with the
// nonce of this answer (outputs' scripts, which the page's script runs with that nonce), and the
// WebSocket to its own server. Styles may be inline: plotly.js sets them.
func pageCSP(nonce string) string {
	return "default-src 'none'; script-src 'self' 'nonce-" + nonce + "'; connect-src 'self'; " +
		"style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
		"frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
}

// URL returns the address of the page, secret included. For a page made by
// [NewLocalPageHandler] it is the query to add to the path where the page is mounted: "?s="
// and the secret.
func (p *LocalPage) URL() string {
	if p.listener == nil {
		return "?s=" + p.secret
	}
	return "http://" + p.listener.Addr().String() + "/?s=" + p.secret
}

// ErrPageClosed is returned by Display and OpenChannel after Shutdown or Close.
var ErrPageClosed = errors.New("kernelext: the local page is closed")

// stoppedReason is what a page is told when the program stops serving it: the page shows it and
// stops reconnecting (localpage.js checks this text, not only the close code 1001, which a proxy
// that restarts sends too).
const stoppedReason = "the program stopped serving this page"

// goingAway is the close message that tells a page the program stopped serving it.
var goingAway = websocket.FormatCloseMessage(websocket.CloseGoingAway, stoppedReason)

// Close stops the page at once: it closes its listener (if it has one) and every viewer's
// connection, without sending what is queued for them. Pages left open keep showing what they
// had, and try to reconnect.
func (p *LocalPage) Close() error {
	viewers := p.markClosed()
	for _, v := range viewers {
		v.conn.Close()
	}
	if p.server == nil {
		return nil
	}
	return p.server.Close()
}

// Shutdown stops the page gracefully: it stops accepting connections (if it listens), sends
// each viewer what was queued for it, closes each WebSocket with a "going away" message that the
// page shows (it then stops trying to reconnect), and waits for the connections' handlers to
// return. When ctx ends first, Shutdown closes what is left as Close does and returns ctx's
// error. Displays and channels opened after Shutdown has begun fail with [ErrPageClosed].
func (p *LocalPage) Shutdown(ctx context.Context) error {
	viewers := p.markClosed()
	var errs []error
	if p.server != nil {
		// Shutdown waits for ordinary requests; the WebSockets (hijacked) are ended below.
		if err := p.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("kernelext: shutting the local page's server down: %w", err))
		}
	}
	// Every viewer is flushed at once: one slow viewer must not use up the others' time.
	var flushed sync.WaitGroup
	for _, v := range viewers {
		flushed.Go(func() {
			if v.flush(ctx) == nil {
				v.conn.WriteControl(websocket.CloseMessage, goingAway, time.Now().Add(time.Second)) //nolint:errcheck // closing anyway
			}
		})
	}
	flushed.Wait()
	ended := make(chan struct{})
	go func() {
		// A page answers the close message by closing its side, which ends each handler's read.
		p.sockets.Wait()
		close(ended)
	}()
	select {
	case <-ended:
	case <-ctx.Done():
		for _, v := range viewers {
			v.conn.Close()
		}
		if p.server != nil {
			p.server.Close() //nolint:errcheck // closing what is left; ctx's error is the one to report
		}
		errs = append(errs, fmt.Errorf("kernelext: shutting the local page down: %w", ctx.Err()))
	}
	return errors.Join(errs...)
}

// markClosed marks the page closed and returns the viewers it had.
func (p *LocalPage) markClosed() []*viewer {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	viewers := p.viewerList()
	p.viewers = map[*viewer]bool{}
	return viewers
}

// authorized reports whether r carries the page's secret; it answers 403 when it does not.
func (p *LocalPage) authorized(w http.ResponseWriter, r *http.Request) bool {
	if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("s")), []byte(p.secret)) == 1 {
		return true
	}
	http.Error(w, "liveplot: this page needs the secret printed with its address; open that URL", http.StatusForbidden)
	return false
}

var indexTemplate = template.Must(template.New("index").Parse(`<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>liveplot</title>
<style>
body { font-family: sans-serif; margin: 1em 2em; }
.liveplot-output { margin-bottom: 1.5em; }
#liveplot-status { position: fixed; top: 0.3em; right: 0.6em; font-size: 0.8em; color: #888; }
</style>
<script nonce="{{.Nonce}}" src="assets/liveplot-page?s={{.Secret}}"></script>
{{range .Scripts}}<script nonce="{{$.Nonce}}" src="assets/{{.}}?s={{$.Secret}}"></script>
{{end}}</head>
<body>
<div id="liveplot-status"></div>
<main id="liveplot-outputs">
{{range .Outputs}}<div class="liveplot-output" data-output-id="{{.ID}}" data-output-version="{{.Version}}"><template>{{.HTML}}</template></div>
{{end}}</main>
</body>
</html>
`))

// pageOutput is an output on the page. Its version changes each time it is displayed, so that a
// page that has it already can tell.
type pageOutput struct {
	Output
	Version int
}

type indexOutput struct {
	ID      string
	Version int
	HTML    template.HTML
}

func (p *LocalPage) serveIndex(w http.ResponseWriter, r *http.Request) {
	if !p.authorized(w, r) {
		return
	}
	nonce := randid.Hex(16)
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		http.Error(w, "liveplot: "+stoppedReason, http.StatusGone)
		return
	}
	data := struct {
		Secret, Nonce string
		Scripts       []string
		Outputs       []indexOutput
	}{Secret: p.secret, Nonce: nonce, Scripts: slices.Clone(p.order)}
	for _, out := range p.outputs {
		data.Outputs = append(data.Outputs, indexOutput{out.ID, out.Version, template.HTML(out.HTML)}) //nolint:gosec // outputs are the program's own HTML.
	}
	p.mu.Unlock()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", pageCSP(data.Nonce))
	if err := indexTemplate.Execute(w, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

func (p *LocalPage) serveAsset(w http.ResponseWriter, r *http.Request) {
	if !p.authorized(w, r) {
		return
	}
	name := r.PathValue("name")
	p.mu.Lock()
	src, ok := p.scripts[name]
	p.mu.Unlock()
	if name == "liveplot-page" {
		src, ok = pageJS, true
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	w.Write(src) //nolint:errcheck // the viewer went away; nothing to do.
}

// Display puts out on the page, or replaces the output with the same ID, on every open page.
func (p *LocalPage) Display(ctx context.Context, out Output) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrPageClosed
	}
	for _, s := range out.Scripts {
		if _, seen := p.scripts[s.Name]; !seen {
			p.scripts[s.Name] = s.Source
			p.order = append(p.order, s.Name)
		}
	}
	out.Scripts = nil // sources are served as assets; the page needs only their names
	p.versions++
	if out.ID == "" {
		out.ID = fmt.Sprintf("output-%d", p.versions)
	}
	shown := pageOutput{Output: out, Version: p.versions}
	replaced := false
	for i := range p.outputs {
		if p.outputs[i].ID == out.ID {
			p.outputs[i], replaced = shown, true
			break
		}
	}
	if !replaced {
		p.outputs = append(p.outputs, shown)
	}
	viewers := p.viewerList()
	if len(viewers) == 0 { // a page that connects later gets the output then
		p.mu.Unlock()
		return nil
	}
	// Encoded only for viewers: the output of a big figure is tens of MB.
	msg, err := p.displayMessage(shown)
	if err != nil {
		p.mu.Unlock()
		return err
	}
	p.mu.Unlock()
	for _, v := range viewers {
		v.sendControl(msg)
	}
	return nil
}

// displayMessage tells a page to show out, with the libraries it needs. Called with p.mu held.
func (p *LocalPage) displayMessage(out pageOutput) ([]byte, error) {
	msg, err := json.Marshal(pageMessage{Type: "display", ID: out.ID, Version: out.Version, HTML: out.HTML, Scripts: p.order})
	if err != nil {
		return nil, fmt.Errorf("kernelext: encoding output: %w", err)
	}
	return msg, nil
}

// pageMessage is what the server and the page say to each other over the WebSocket.
type pageMessage struct {
	Type    string          `json:"t"`                 // "display", "frame" (server); "sub", "unsub", "ack" (page)
	ID      string          `json:"id,omitempty"`      // display: output ID
	Version int             `json:"v,omitempty"`       // display: output version
	HTML    string          `json:"html,omitempty"`    // display: the output's HTML
	Scripts []string        `json:"scripts,omitempty"` // display: libraries to load first, by name
	Channel string          `json:"c,omitempty"`       // frame, sub, unsub: channel name
	Frame   json.RawMessage `json:"f,omitempty"`       // frame: the frame
	Count   int             `json:"n,omitempty"`       // ack: how many messages of this socket the page has handled
}

func (p *LocalPage) viewerList() []*viewer {
	list := make([]*viewer, 0, len(p.viewers))
	for v := range p.viewers {
		list = append(list, v)
	}
	return list
}

func (p *LocalPage) serveSocket(w http.ResponseWriter, r *http.Request) {
	if !p.authorized(w, r) {
		return
	}
	conn, err := p.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // Upgrade has answered the request with the reason.
	}
	v := newViewer(conn, p.limits.write)
	p.mu.Lock()
	if p.closed {
		// A page mounted in the user's server can still reach this handler: tell it, so that it
		// stops reconnecting.
		p.mu.Unlock()
		conn.WriteControl(websocket.CloseMessage, goingAway, time.Now().Add(time.Second)) //nolint:errcheck // closing anyway
		conn.Close()
		return
	}
	// Added under p.mu while the page is open, so before any Shutdown waits.
	p.sockets.Add(1)
	defer p.sockets.Done()
	// The page may have been served before some outputs were displayed: send it every output (it
	// skips the versions it has), before anything displayed from now on.
	p.viewers[v] = true
	for _, out := range p.outputs {
		if msg, err := p.displayMessage(out); err == nil {
			v.sendControl(msg)
		}
	}
	p.mu.Unlock()
	go v.writeLoop()
	v.readLoop(p)
	p.mu.Lock()
	delete(p.viewers, v)
	for _, c := range p.channels {
		c.unsubscribe(v)
	}
	p.mu.Unlock()
	v.stop()
}

// OpenChannel opens the named channel. Viewers that subscribe to it get snapshot() first, then
// every frame sent after it; so do viewers that subscribed to the name before it was opened. Opening a name that is open already replaces that channel.
func (p *LocalPage) OpenChannel(name string, snapshot func() []byte) (Channel, error) {
	if name == "" {
		return nil, errors.New("kernelext: a channel needs a name")
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, ErrPageClosed
	}
	c := &pageChannel{page: p, name: name, snapshot: snapshot, subscribers: map[*viewer]bool{}}
	old := p.channels[name]
	var early []*viewer // subscribed while no channel of that name was open: they get the snapshot
	for v := range p.viewers {
		if old != nil && old.subscribers[v] {
			c.subscribers[v] = true
		} else if v.subscribed[name] {
			c.subscribers[v] = true
			early = append(early, v)
		}
	}
	p.channels[name] = c
	p.mu.Unlock()
	if snapshot != nil {
		for _, v := range early {
			v.resync(name, snapshot)
		}
	}
	return c, nil
}

// subscribe adds v to the channel's viewers and queues the channel's snapshot for it. It fails,
// changing nothing, when v would pass the page's bounds on subscriptions.
func (p *LocalPage) subscribe(v *viewer, name string) error {
	p.mu.Lock()
	if !v.subscribed[name] {
		if len(v.subscribed) >= p.limits.subscriptions || v.subscribedBytes+len(name) > subscribedBytesLimit {
			p.mu.Unlock()
			return fmt.Errorf("over %d subscriptions or %d KiB of channel names on one page", p.limits.subscriptions, subscribedBytesLimit>>10)
		}
		v.subscribedBytes += len(name)
	}
	c := p.channels[name]
	v.subscribed[name] = true
	if c != nil {
		c.subscribers[v] = true
	}
	p.mu.Unlock()
	if c != nil && c.snapshot != nil {
		v.resync(name, c.snapshot)
	}
	return nil
}

func (p *LocalPage) unsubscribe(v *viewer, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if v.subscribed[name] {
		v.subscribedBytes -= len(name)
	}
	delete(v.subscribed, name)
	if c := p.channels[name]; c != nil {
		delete(c.subscribers, v)
	}
}

// pageChannel is a channel of the local page.
type pageChannel struct {
	page        *LocalPage
	name        string
	snapshot    func() []byte
	subscribers map[*viewer]bool // guarded by page.mu
	closed      bool             // guarded by page.mu
}

func (c *pageChannel) unsubscribe(v *viewer) { delete(c.subscribers, v) }

// Send queues frame for every subscribed viewer.
func (c *pageChannel) Send(frame []byte) error {
	c.page.mu.Lock()
	if c.closed {
		c.page.mu.Unlock()
		return ErrClosed
	}
	viewers := make([]*viewer, 0, len(c.subscribers))
	for v := range c.subscribers {
		viewers = append(viewers, v)
	}
	c.page.mu.Unlock()
	if len(viewers) == 0 {
		return nil
	}
	msg, err := json.Marshal(pageMessage{Type: "frame", Channel: c.name, Frame: frame})
	if err != nil {
		return fmt.Errorf("kernelext: frame on channel %q is not JSON: %w", c.name, err)
	}
	for _, v := range viewers {
		v.sendFrame(c.name, msg, c.snapshot)
	}
	return nil
}

// Close waits until the viewers subscribed now have been sent what was queued for them (or ctx
// is done), then closes the channel.
func (c *pageChannel) Close(ctx context.Context) error {
	c.page.mu.Lock()
	if c.closed {
		c.page.mu.Unlock()
		return nil
	}
	c.closed = true
	if c.page.channels[c.name] == c {
		delete(c.page.channels, c.name)
	}
	viewers := make([]*viewer, 0, len(c.subscribers))
	for v := range c.subscribers {
		viewers = append(viewers, v)
	}
	c.page.mu.Unlock()
	for _, v := range viewers {
		if err := v.flush(ctx); err != nil {
			return fmt.Errorf("kernelext: closing channel %q before its viewers caught up: %w", c.name, err)
		}
	}
	return nil
}
