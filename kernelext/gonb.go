package kernelext

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"

	"github.com/liveplot/liveplot/internal/atomicfile"
	"github.com/liveplot/liveplot/internal/gonbenv"
	"github.com/liveplot/liveplot/internal/htmlpicture"
	"github.com/liveplot/liveplot/internal/htmlscript"
	"github.com/liveplot/liveplot/internal/randid"
	"github.com/liveplot/liveplot/internal/wake"
)

const (
	// gonbFrameInterval spaces the comm messages that carry frames: at most 40 a second, each
	// with every frame queued meanwhile, far under Jupyter's iopub_msg_rate_limit (1000/s), and
	// short enough to add little to the latency of a point (half of it, on average).
	gonbFrameInterval = 25 * time.Millisecond
	// gonbMessageBytes bounds one comm message; a larger batch is split.
	gonbMessageBytes = 1 << 20
	// gonbQueueFrames bounds the frames of one channel waiting to be sent (ten seconds at 60 a
	// second, as when the kernel stalls): past it they are dropped and a snapshot sent instead.
	gonbQueueFrames = 600
	// gonbHelloTimeout is how long a program waits for a page to answer before it records, for
	// the rest of the kernel's life, that no liveplot page listens.
	gonbHelloTimeout = 10 * time.Second
	// gonbPictureHelloTimeout is how long a program that only wants pictures (no stream) says
	// hello before it gives up; it records nothing.
	gonbPictureHelloTimeout = 30 * time.Second
	// gonbHelloRetry is how often a program says hello again while no page has answered.
	gonbHelloRetry = 2 * time.Second

	gonbAddressFrames = "#liveplot/frames" // program -> page: a batch of frames
	gonbAddressHello  = "#liveplot/hello"  // program -> page: a program listens, say what you want
	gonbAddressSub    = "#liveplot/sub"    // page -> program: channels that want a snapshot
	gonbAddressDraw   = "#liveplot/draw"   // program -> page: draw a picture of an output
	gonbAddressImage  = "#liveplot/image"  // page -> program: the picture, or why there is none

	// gonbPictureBytes bounds a picture a page sends (a PNG; the page sends it in base64, a third
	// larger): far above what a figure's picture takes (40 KB for 700 x 450), and far under the
	// 10 MiB a Jupyter server accepts in one WebSocket message from a page.
	gonbPictureBytes = 3 << 20

	// gonbKernelIDEnv is where GoNB gives a cell program the Jupyter server's id of its kernel: the
	// page script of a front-end with no notebook kernel object (JupyterLab, Notebook 7) opens its
	// own connection to that kernel.
	gonbKernelIDEnv = "GONB_JUPYTER_KERNEL_ID"
)

// GoNB is the Frontend of a program run as a GoNB notebook cell. Outputs are the cell's display
// outputs; frames travel as Jupyter comm messages through the kernel to the notebook page, where
// the outputs' script (notebook.js) delivers them to subscribers.
//
// Each cell is a new process, so what must outlive a cell lives in the kernel (display ids) or in
// GoNB's per-kernel temporary directory (which output carries each library).
type GoNB struct {
	stateDir string // per-kernel state (gonbenv.StateDir); "" when GoNB gives none

	mu         sync.Mutex
	channels   map[string]*gonbChannel
	subscribed map[string]bool // channels a page subscribed to, as heard by this process
	queue      []gonbFrame
	queued     map[string]int  // frames queued, by channel
	resync     map[string]bool // channels to send a snapshot of at the next flush
	waiters    []chan struct{} // closed once everything queued before them is sent
	started    bool            // comms set up (or decided against)
	live       bool            // comm messages may be sent
	parent     parentKind      // what started the kernel, decided with started
	heard      chan struct{}   // closed when a page first answers
	unheard    chan struct{}   // closed when no page answered the hello in time (greet)
	wake       chan struct{}
	err        error                  // the first error sending; later sends report it
	elements   map[string]string      // output ID -> the page element of its last display
	pictures   map[string]chan []byte // picture request -> where its answer goes
	requests   int                    // picture requests made
}

type gonbFrame struct {
	channel string
	frame   json.RawMessage
}

// NewGoNB returns the frontend of a GoNB cell. It does not check that the program runs in one
// (Default does, by GONB_PIPE); outside GoNB its outputs go nowhere.
func NewGoNB() *GoNB {
	return &GoNB{
		stateDir:   gonbenv.StateDir(),
		channels:   map[string]*gonbChannel{},
		subscribed: map[string]bool{},
		queued:     map[string]int{},
		resync:     map[string]bool{},
		heard:      make(chan struct{}),
		unheard:    make(chan struct{}),
		wake:       make(chan struct{}, 1),
		elements:   map[string]string{},
		pictures:   map[string]chan []byte{},
	}
}

// Display shows out as a display output of the running cell. An output with an ID replaces the
// output of that ID wherever it is, in this cell or an earlier one.
//
// Libraries are carried once per kernel: the first output that needs one carries its source, and
// later outputs wait in the page until it is defined. The notebook keeps that first output, so a
// reloaded page and an exported HTML file still have the library, as long as the output stays.
func (g *GoNB) Display(ctx context.Context, out Output) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	html, err := g.render(out)
	if err != nil {
		return err
	}
	// The picture, for viewers that choose text/html but run no scripts. Bytes that are no PNG
	// still go out as image/png, as given, but not into the HTML (an <img> needs a size).
	if picture, ok := out.Data["image/png"]; ok {
		if cfg, err := png.DecodeConfig(bytes.NewReader(picture)); err == nil {
			html = htmlpicture.Prepend(html, base64.StdEncoding.EncodeToString(picture), cfg.Width, cfg.Height, string(out.Data["text/plain"]))
		}
	}
	bundle, err := gonbBundle(html, out.Data)
	if err != nil {
		return err
	}
	displayGoNB(out.ID, bundle)
	// A cell program that ends right after a Display would lose it: wait until the kernel has
	// published it.
	if err := syncGoNB(ctx); err != nil {
		return fmt.Errorf("kernelext: displaying in GoNB: %w", err)
	}
	return nil
}

// syncGoNB waits until the kernel has published everything this program sent it, or ctx is done.
func syncGoNB(ctx context.Context) error {
	synced := make(chan struct{})
	go func() {
		gonbui.Sync()
		close(synced)
	}()
	select {
	case <-synced:
		return gonbui.Error()
	case <-ctx.Done():
		return fmt.Errorf("waiting for the kernel to publish: %w", ctx.Err())
	}
}

// render builds the HTML of an output: the fragment in a <template>, the notebook script, the
// libraries this output carries, and the call that shows the fragment once its libraries are
// defined.
func (g *GoNB) render(out Output) (string, error) {
	elem := "liveplot-" + randid.Hex(8)
	var b strings.Builder
	fmt.Fprintf(&b, "<div class=\"liveplot-output\" id=\"%s\"></div>\n<template id=\"%s-html\">%s</template>\n", elem, elem, out.HTML)
	b.WriteString("<script>")
	b.WriteString(htmlscript.Escape(notebookPageJS))
	b.WriteString("</script>\n")
	names := make([]string, 0, len(out.Scripts))
	for _, s := range out.Scripts {
		names = append(names, s.Name)
		if out.Interim {
			continue // the page that shows the output defined its libraries already
		}
		carry, err := g.carries(s.Name, out.ID)
		if err != nil {
			return "", err
		}
		if !carry {
			continue
		}
		name, _ := json.Marshal(s.Name)
		fmt.Fprintf(&b, "<script>liveplotNotebook.define(%s, function (define, module, exports) {\n%s\n});</script>\n", name, htmlscript.Escape(string(s.Source)))
	}
	elemJSON, _ := json.Marshal(elem)
	namesJSON, _ := json.Marshal(names)
	kernelJSON, _ := json.Marshal(os.Getenv(gonbKernelIDEnv))
	fmt.Fprintf(&b, "<script>liveplotNotebook.show(%s, %s, %s);</script>\n", elemJSON, namesJSON, kernelJSON)
	if out.ID != "" { // the element a page shows this display in: Picture names it
		g.mu.Lock()
		g.elements[out.ID] = elem
		g.mu.Unlock()
	}
	return b.String(), nil
}

// carries reports whether the output with the given ID must carry the named library: when no
// output of this kernel has yet, or when it replaces the output that did. The record is a file per
// library in the kernel's temporary directory, holding the carrier's output ID.
func (g *GoNB) carries(library, outputID string) (bool, error) {
	if g.stateDir == "" {
		return true, nil
	}
	dir := filepath.Join(g.stateDir, "libraries")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return false, fmt.Errorf("kernelext: recording libraries in GoNB's directory: %w", err)
	}
	path := filepath.Join(dir, hex.EncodeToString([]byte(library)))
	// Written whole or not at all: a cell that read the record half written (or one left
	// empty by a cell killed while writing it) would find no carrier.
	err := atomicfile.WriteNew(path, []byte(outputID), 0o600)
	if err == nil {
		return true, nil
	}
	if !errors.Is(err, fs.ErrExist) {
		return false, fmt.Errorf("kernelext: recording library %q: %w", library, err)
	}
	carrier, err := os.ReadFile(path)
	if err != nil {
		return false, fmt.Errorf("kernelext: reading the record of library %q: %w", library, err)
	}
	return outputID != "" && string(carrier) == outputID, nil
}

// OpenChannel opens the named channel. The first channel of the process (or the first Picture)
// starts listening to the pages of the notebook, where a notebook page can be: under a Jupyter server, and unless a
// cell of this kernel already waited in vain for a page (GoNB's kernel makes the first comm
// message wait up to 3 s). LIVEPLOT_GONB_COMMS=on or off overrides that choice; =none (set by
// nbconvert-like runners such as liveplot run) turns comms off.
func (g *GoNB) OpenChannel(name string, snapshot func() []byte) (Channel, error) {
	if name == "" {
		return nil, errors.New("kernelext: a channel needs a name")
	}
	g.start()
	c := &gonbChannel{g: g, name: name, snapshot: snapshot}
	g.mu.Lock()
	g.channels[name] = c
	if g.subscribed[name] {
		g.resync[name] = true
		g.signal()
	}
	g.mu.Unlock()
	return c, nil
}

// start sets up the comms once: it subscribes to the pages' subscriptions and greets them, so that
// a page already showing outputs says what it wants.
func (g *GoNB) start() {
	g.mu.Lock()
	if g.started {
		g.mu.Unlock()
		return
	}
	g.started = true
	g.parent = kernelParent()
	g.live = g.commsWanted()
	g.mu.Unlock()
	if !g.live {
		return
	}
	go g.sendLoop()
	comms.Subscribe(gonbAddressSub, func(_ string, value string) { g.onSubscribe(value) })
	comms.Subscribe(gonbAddressImage, func(_ string, value string) { g.onPicture(value) })
	go g.greet()
}

// greet says hello to the pages until one answers, or until it gives up: after gonbHelloTimeout
// when the program streams, when it records that no page answered for the rest of the kernel's
// life; after gonbPictureHelloTimeout when it only wants pictures (Picture), when it records
// nothing, so that a page slow to answer a static figure's first picture (a busy JupyterLab page
// still parsing plotly.js, seen: no answer within 10 s) costs the kernel's later streams nothing.
// It says hello again every gonbHelloRetry because GoNB drops the message that finds no page
// connected: its kernel then publishes its installer and waits 3 s for the page's comm_open, and
// a page that answers later (a busy machine, a page still loading plotly.js) has missed that
// message. Said once, the lost hello left the page unsubscribed, and after gonbHelloTimeout every
// later cell of the kernel without comm messages.
func (g *GoNB) greet() {
	start := time.Now()
	retry := time.NewTicker(gonbHelloRetry)
	defer retry.Stop()
	for {
		comms.Send(gonbAddressHello, "hello")
		select {
		case <-g.heard:
			return
		case <-retry.C:
		}
		g.mu.Lock()
		streams := len(g.channels) > 0
		waited := time.Since(start)
		if waited < gonbHelloTimeout || !streams && waited < gonbPictureHelloTimeout {
			g.mu.Unlock()
			continue
		}
		close(g.unheard)
		g.mu.Unlock()
		if streams {
			g.recordNoPage()
		}
		return
	}
}

// onSubscribe handles a page's message: the channels (a JSON array of names) that want a
// snapshot because they were just subscribed.
func (g *GoNB) onSubscribe(value string) {
	var names []string
	if err := json.Unmarshal([]byte(value), &names); err != nil {
		return // not a page of ours
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.heard:
	default:
		close(g.heard)
	}
	for _, name := range names {
		g.subscribed[name] = true
		if g.channels[name] != nil {
			g.resync[name] = true
		}
	}
	g.signal()
}

// Picture asks the pages of the notebook for a picture of the output with the given ID, as this
// program last displayed it (Picturer). The page that shows that display waits until it is
// drawn, asks the output's scripts for a PNG at the size shown, and answers on the live channel.
// It starts the comms when no channel did, and returns nil at once when this program sends no
// comm messages (a batch run, comms off, VS Code), or once no page answered its hello: nobody would
// draw. Otherwise it waits until ctx is done for a page to answer the hello, then for its
// picture: a page that does not show the output (closed, or a JupyterLab that lays out only the
// cells in view and has the figure's cell out of view) never answers.
func (g *GoNB) Picture(ctx context.Context, id string) []byte {
	g.start() // a figure without a stream opened no channel: the comms start here
	g.mu.Lock()
	elem := g.elements[id]
	if !g.live || isClosed(g.unheard) || elem == "" {
		g.mu.Unlock()
		return nil
	}
	// The element is unique to the display (random), the count to the request: an answer that
	// comes late, to this program or to a later cell's, matches no other request.
	g.requests++
	request := elem + "/" + strconv.Itoa(g.requests)
	answer := make(chan []byte, 1)
	g.pictures[request] = answer
	heard := g.heard
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.pictures, request)
		g.mu.Unlock()
	}()
	select {
	case <-heard: // a page listens (a busy page may answer the hello late)
	case <-g.unheard: // no page answered the hello: none will draw
		return nil
	case <-ctx.Done():
		return nil
	}
	ask, _ := json.Marshal(map[string]any{
		"request": request,
		"element": elem,
		"max":     base64.StdEncoding.EncodedLen(gonbPictureBytes),
	})
	// Asked again every gonbHelloRetry, as hello is: GoNB drops a comm message when it thinks
	// its page gone, which a page busy showing the final output (plotly.js parsed again) makes
	// it think by answering its ping late, and then opens a new comm, which an answer sent on the
	// old one misses (seen in JupyterLab: asked 4 times, answered, nothing received). The page
	// draws a request once and sends its answer again when asked again.
	retry := time.NewTicker(gonbHelloRetry)
	defer retry.Stop()
	for {
		comms.Send(gonbAddressDraw, string(ask))
		select {
		case picture := <-answer:
			return picture
		case <-retry.C:
		case <-ctx.Done():
			return nil
		}
	}
}

// onPicture handles a page's answer to Picture: {"request", "png": base64} or {"request",
// "error"}. A picture that is too large or not a PNG counts as no picture; either way the first
// answer ends the wait.
func (g *GoNB) onPicture(value string) {
	var a struct {
		Request string `json:"request"`
		PNG     string `json:"png"`
		Error   string `json:"error"`
	}
	if err := json.Unmarshal([]byte(value), &a); err != nil {
		return // not a page of ours
	}
	g.mu.Lock()
	answer := g.pictures[a.Request]
	g.mu.Unlock()
	if answer == nil {
		return // answered already, or given up
	}
	var picture []byte
	if a.PNG != "" && len(a.PNG) <= base64.StdEncoding.EncodedLen(gonbPictureBytes) {
		raw, err := base64.StdEncoding.DecodeString(a.PNG)
		if _, cfgErr := png.DecodeConfig(bytes.NewReader(raw)); err == nil && cfgErr == nil {
			picture = raw
		}
	}
	select {
	case answer <- picture:
	default:
	}
}

func (g *GoNB) signal() { wake.Signal(g.wake) }

// sendLoop sends what is queued, at most once per gonbFrameInterval.
func (g *GoNB) sendLoop() {
	for range g.wake {
		g.flush()
		time.Sleep(gonbFrameInterval)
	}
}

// flush sends the queued frames and the snapshots asked for, then releases the waiters.
func (g *GoNB) flush() {
	g.mu.Lock()
	queue, resync, waiters := g.queue, g.resync, g.waiters
	g.queue, g.resync, g.waiters = nil, map[string]bool{}, nil
	clear(g.queued)
	snapshots := map[string]func() []byte{}
	for name := range resync {
		if c := g.channels[name]; c != nil && c.snapshot != nil {
			snapshots[name] = c.snapshot
		}
	}
	g.mu.Unlock()

	var batch []byte
	sendBatch := func() {
		if len(batch) > 0 {
			comms.Send(gonbAddressFrames, string(append(batch, ']')))
			batch = batch[:0]
		}
	}
	// Items are [channel, frame], or [channel, snapshot, 1] for the snapshot a page asked for
	// (null when the channel has none): the page drops a channel's frames until it gets it.
	add := func(channel string, frame []byte, snapshot bool) {
		var item []byte
		var err error
		if snapshot {
			if frame == nil {
				frame = []byte("null")
			}
			item, err = json.Marshal([]any{channel, json.RawMessage(frame), 1})
		} else {
			item, err = json.Marshal([]any{channel, json.RawMessage(frame)})
		}
		if err != nil {
			return // Send checked the frame; a snapshot that is not JSON is skipped
		}
		if len(batch) > 0 && len(batch)+len(item) >= gonbMessageBytes {
			sendBatch()
		}
		if len(batch) == 0 {
			batch = append(batch, '[')
		} else {
			batch = append(batch, ',')
		}
		batch = append(batch, item...)
	}
	for _, f := range queue {
		if snapshots[f.channel] == nil { // a snapshot, taken now, covers the channel's queued frames
			add(f.channel, f.frame, false)
		}
	}
	for name := range resync {
		var frame []byte
		if snapshot := snapshots[name]; snapshot != nil {
			frame = snapshot()
		}
		add(name, frame, true)
	}
	sendBatch()
	if err := gonbui.Error(); err != nil {
		g.mu.Lock()
		if g.err == nil {
			g.err = fmt.Errorf("kernelext: sending frames through GoNB: %w", err)
		}
		g.mu.Unlock()
	}
	for _, w := range waiters {
		close(w)
	}
}

// commsWanted decides whether this cell sends comm messages. GoNB's kernel makes the first comm
// message of a kernel wait up to 3 s for a page to open a comm, and leaves its own installer
// script in the notebook when none does: so comms are used only where a notebook page can be,
// under a Jupyter server, and not once a cell of this kernel waited in vain for a page.
// LIVEPLOT_GONB_COMMS=on or off overrides.
func (g *GoNB) commsWanted() bool {
	switch os.Getenv(gonbenv.CommsVar) {
	case "on":
		return true
	case "off", "none":
		return false
	}
	if g.stateDir != "" {
		if _, err := os.Stat(filepath.Join(g.stateDir, "no-page")); err == nil {
			return false
		}
	}
	return g.parent == parentServer
}

// recordNoPage remembers, for later cells of this kernel, that no page answered.
func (g *GoNB) recordNoPage() {
	if g.stateDir != "" && os.MkdirAll(g.stateDir, 0o700) == nil {
		atomicfile.WriteFile(filepath.Join(g.stateDir, "no-page"), nil, 0o600) //nolint:errcheck // a hint only
	}
}

// parentKind is what started the kernel, as far as it matters to liveplot.
type parentKind int

const (
	// parentOther: a front-end that is not a Jupyter server (VS Code starts its kernels itself)
	// or a parent that cannot be told: a page may show the outputs, with no live channel.
	parentOther parentKind = iota
	// parentServer: a Jupyter server (Notebook, JupyterLab, JupyterHub's single-user server),
	// whose pages show the outputs and may listen to comm messages.
	parentServer
	// parentBatch: nbconvert, nbclient, papermill: nobody looks while the cells run.
	parentBatch
)

// kernelParent tells what started the kernel: its parent is in JPY_PARENT_PID (set by
// jupyter_client), and its command line says which it is. LIVEPLOT_GONB_COMMS=none says batch.
func kernelParent() parentKind {
	if os.Getenv(gonbenv.CommsVar) == "none" {
		return parentBatch
	}
	pid, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID"))
	if err != nil || pid <= 0 {
		return parentOther
	}
	cmdline := processCommandLine(pid)
	for _, client := range []string{"nbconvert", "nbclient", "papermill", "jupyter-execute", "jupyter_execute", "ipykernel_launcher"} {
		if strings.Contains(cmdline, client) {
			return parentBatch
		}
	}
	for _, server := range []string{"jupyter-notebook", "-m notebook", "notebook.notebookapp", "jupyter-lab", "jupyterlab", "jupyter-server", "jupyter_server", "jupyterhub-singleuser", "nbclassic"} {
		if strings.Contains(cmdline, server) {
			return parentServer
		}
	}
	return parentOther
}

// processCommandLine returns the command line of a process, arguments separated by spaces, or ""
// when it cannot be read.
func processCommandLine(pid int) string {
	if raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid)); err == nil {
		return strings.ReplaceAll(string(raw), "\x00", " ")
	}
	out, err := exec.Command("ps", "-o", "command=", "-p", strconv.Itoa(pid)).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// gonbChannel is a channel of the GoNB frontend.
type gonbChannel struct {
	g        *GoNB
	name     string
	snapshot func() []byte
	closed   bool // guarded by g.mu
}

// Send queues frame; frames go out in batches, and only once a page has subscribed to the channel.
func (c *gonbChannel) Send(frame []byte) error {
	g := c.g
	g.mu.Lock()
	defer g.mu.Unlock()
	switch {
	case c.closed:
		return ErrClosed
	case g.err != nil:
		return g.err
	case !json.Valid(frame):
		return fmt.Errorf("kernelext: frame on channel %q is not JSON", c.name)
	case !g.live || !g.subscribed[c.name] || g.resync[c.name] && c.snapshot != nil:
		return nil // nobody listens, or a snapshot will cover it
	case g.queued[c.name] >= gonbQueueFrames && c.snapshot != nil:
		g.resync[c.name] = true
	default:
		g.queue = append(g.queue, gonbFrame{c.name, append(json.RawMessage(nil), frame...)})
		g.queued[c.name]++
	}
	g.signal()
	return nil
}

// DisplayUpdates reports whether the figure fed by this channel should be kept moving by updating
// its output (kernelext.Fallback): a page may show the output (the kernel was not started by
// nbconvert, papermill or liveplot run), and none listens to comm messages: they are off, or no
// page answered this program within gonbHelloTimeout. Until then a page may still answer, and an
// interim output, which carries no library, is better kept out of a notebook that a live page
// may save (reloaded, it would wait for the library until the stream's final display).
func (c *gonbChannel) DisplayUpdates() bool {
	g := c.g
	g.mu.Lock()
	defer g.mu.Unlock()
	if c.closed || g.parent == parentBatch || g.subscribed[c.name] {
		return false
	}
	return !g.live || isClosed(g.unheard)
}

// FrameInterval is how often the channel sends a batch of frames (kernelext.Paced): senders
// should send no more than one frame per interval.
func (c *gonbChannel) FrameInterval() time.Duration { return gonbFrameInterval }

// Close sends what was queued, waits until the kernel has published it (gonbui.Sync) or ctx is
// done, and closes the channel. The channel's snapshot still answers pages that subscribe while
// the program runs.
func (c *gonbChannel) Close(ctx context.Context) error {
	g := c.g
	g.mu.Lock()
	if c.closed {
		g.mu.Unlock()
		return nil
	}
	c.closed = true
	live := g.live
	done := make(chan struct{})
	if live {
		g.waiters = append(g.waiters, done)
		g.signal()
	}
	g.mu.Unlock()
	if !live {
		return nil
	}
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("kernelext: closing channel %q before its frames were sent: %w", c.name, ctx.Err())
	}
	if err := syncGoNB(ctx); err != nil {
		return fmt.Errorf("kernelext: closing channel %q: %w", c.name, err)
	}
	return nil
}

// isClosed reports whether c, a channel that is only ever closed, is closed.
func isClosed(c chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
