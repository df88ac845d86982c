package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/jupyter"
	"github.com/liveplot/liveplot/internal/testenv"
)

// These tests run liveplot in a real GoNB kernel, driven by internal/jupyter with no Jupyter
// server and no browser: the way nbconvert, a kernel client or `liveplot run` sees a notebook.

// figureCell shows a figure whose one trace is fed by the stream token tok (a const, so that
// every later cell has the same token).
func figureCell(tok string, maxPoints int) string {
	return fmt.Sprintf(`import (
	"time"

	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

const tok = %q

var _ = time.Now

%%%%
fig := plotly.Figure{
	Data: plotly.Data{&plotly.Scatter{
		X: []float64{}, Y: []float64{}, Mode: "lines",
		Stream: &plotly.Stream{Token: tok, MaxPoints: %d},
	}},
	Layout: &plotly.Layout{Title: plotly.Title{Text: "live"}},
}
if err := plotly.Show(fig); err != nil {
	panic(err)
}
var _ = stream.NewToken
`, tok, maxPoints)
}

// writeCell opens the stream in a new cell (a new process) and writes y = from..to-1, pausing
// pauseMs milliseconds after each write.
func writeCell(from, to, pauseMs int) string {
	return fmt.Sprintf(`%%%%
s, err := stream.Open(tok)
if err != nil {
	panic(err)
}
for i := %d; i < %d; i++ {
	if err := s.Write(stream.Point{X: float64(i), Y: float64(i)}); err != nil {
		panic(err)
	}
	time.Sleep(%d * time.Millisecond)
}
if err := s.Close(); err != nil {
	panic(err)
}
`, from, to, pauseMs)
}

// endlessCell streams until it is interrupted, saying "streaming" once it has started.
const endlessCell = `%%
s, err := stream.Open(tok)
if err != nil {
	panic(err)
}
fmt.Println("streaming")
for i := 1000; ; i++ {
	s.Write(stream.Point{X: float64(i), Y: float64(i)})
	time.Sleep(time.Millisecond)
}
`

var figureJSON = regexp.MustCompile(`(?s)<script type="application/json" id="[^"]*-figure">(.*?)</script>`)

// shownY returns trace 0's y as a figure output's HTML holds it.
func shownY(t *testing.T, out jupyter.Output) []float64 {
	t.Helper()
	html, _ := out.Data["text/html"].(string)
	return figureYInHTML(t, html)
}

// figureYInHTML returns trace 0's y of the figure JSON in an output's HTML.
func figureYInHTML(t *testing.T, html string) []float64 {
	t.Helper()
	fig := figureInHTML(t, html)
	if len(fig.Data) == 0 {
		t.Fatalf("the figure in output %.300s has no trace", html)
	}
	return fig.Data[0].Y
}

type gonbSession struct {
	t     testing.TB
	c     *jupyter.Client
	rec   *jupyter.Recorder
	cells int

	mu    sync.Mutex
	comms []*jupyter.Message
}

// startSession starts a GoNB kernel and runs harness.GoNBSetupCell. With page (channel names), the
// client does what a notebook page showing liveplot outputs does: it answers GoNB's comm
// handshake and, when a cell program says hello, subscribes to those channels.
func startSession(t testing.TB, page ...string) *gonbSession {
	return startSessionWith(t, nil, page...)
}

// startSessionWith is startSession with a page that answers GoNB's n-th installer script after
// answerDelay(n) (nil: at once).
func startSessionWith(t testing.TB, answerDelay func(n int) time.Duration, page ...string) *gonbSession {
	spec, err := jupyter.FindKernelSpec("gonb", testenv.GoNBKernel(t))
	if err != nil {
		t.Fatal(err)
	}
	s := &gonbSession{t: t, rec: jupyter.NewRecorder()}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	subscribe, _ := json.Marshal(page)
	s.c, err = jupyter.StartKernel(ctx, spec, jupyter.StartOptions{Client: jupyter.ClientOptions{
		AnswerGoNBComms: len(page) > 0,
		GoNBAnswerDelay: answerDelay,
		OnComm: func(m *jupyter.Message) {
			s.mu.Lock()
			s.comms = append(s.comms, m)
			s.mu.Unlock()
			if c, err := m.Comm(); err == nil && len(page) > 0 && c.Data["address"] == "#liveplot/hello" {
				go func() {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					defer cancel()
					s.c.CommMsg(ctx, c.CommID, map[string]any{"address": "#liveplot/sub", "value": string(subscribe)})
				}()
			}
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.c.Shutdown(ctx)
	})
	if r := s.run(harness.GoNBSetupCell); r.Status != "ok" {
		t.Fatalf("setup cell: %s %s", r.EName, r.EValue)
	}
	return s
}

// run executes code as the next cell and returns its reply.
func (s *gonbSession) run(code string) *jupyter.ExecuteReply {
	s.t.Helper()
	s.cells++
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a cold first build takes ~30 s
	defer cancel()
	start := time.Now()
	r, err := s.c.Execute(ctx, code, s.rec.Cell(s.cells))
	if err != nil {
		s.t.Fatalf("cell %d: %v", s.cells, err)
	}
	s.t.Logf("cell %d: %s in %v", s.cells, r.Status, time.Since(start).Round(time.Millisecond))
	return r
}

func (s *gonbSession) commMessages() []*jupyter.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*jupyter.Message(nil), s.comms...)
}

func TestGoNBKernelWithoutFrontend(t *testing.T) {
	s := startSession(t)
	tok := fmt.Sprintf("e2e-%d", time.Now().UnixNano())
	figure := s.cells + 1
	if r := s.run(figureCell(tok, 50)); r.Status != "ok" {
		t.Fatalf("figure cell: %s %s %+v", r.EName, r.EValue, s.rec.Outputs(figure))
	}
	outs := s.rec.Outputs(figure)
	if len(outs) != 1 || outs[0].OutputType != "display_data" || outs[0].DisplayID == "" {
		t.Fatalf("figure cell outputs = %+v, want one display_data with a display id", outs)
	}

	t.Run("a later cell writes to the earlier figure; the output ends with the final window", func(t *testing.T) {
		writer := s.cells + 1
		if r := s.run(writeCell(0, 200, 0)); r.Status != "ok" {
			t.Fatalf("writing cell: %s %s %+v", r.EName, r.EValue, s.rec.Outputs(writer))
		}
		if got := shownY(t, s.rec.Outputs(figure)[0]); !equal(got, counting(150, 1, 50)) {
			t.Fatalf("figure output y = %v, want 150..199 (the window of 50)", got)
		}
		if outs := s.rec.Outputs(writer); len(outs) != 0 {
			t.Fatalf("the writing cell has outputs %+v, want none (no stray scripts)", outs)
		}
		if comms := s.commMessages(); len(comms) != 0 {
			t.Fatalf("with no front-end the kernel published %d comm messages (the first: %s), want none", len(comms), comms[0].Type())
		}
	})

	t.Run("the stop button ends a streaming cell cleanly, with what it wrote shown", func(t *testing.T) {
		s.cells++
		cell := s.cells
		started := make(chan struct{})
		var once sync.Once
		rec := s.rec.Cell(cell)
		handler := func(m *jupyter.Message) {
			rec(m)
			if m.Type() == "stream" && strings.Contains(string(m.Content), "streaming") {
				once.Do(func() { close(started) })
			}
		}
		type result struct {
			r   *jupyter.ExecuteReply
			err error
		}
		done := make(chan result, 1)
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			r, err := s.c.Execute(ctx, endlessCell, handler)
			done <- result{r, err}
		}()
		select {
		case <-started:
		case <-time.After(3 * time.Minute):
			t.Fatal("the streaming cell never started")
		}
		time.Sleep(500 * time.Millisecond)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.c.Interrupt(ctx); err != nil {
			t.Fatal(err)
		}
		var res result
		select {
		case res = <-done:
		case <-time.After(30 * time.Second):
			t.Fatal("the interrupted cell did not end")
		}
		if res.err != nil {
			t.Fatal(res.err)
		}
		if res.r.Status != "ok" {
			t.Fatalf("interrupted cell ended with %s %s %s, want ok (a clean stop)", res.r.Status, res.r.EName, res.r.EValue)
		}
		for _, o := range s.rec.Outputs(cell) {
			if o.OutputType == "error" {
				t.Fatalf("interrupted cell shows an error: %+v", o)
			}
		}
		y := shownY(t, s.rec.Outputs(figure)[0])
		if len(y) != 50 || y[0] < 1000 || !equal(y, counting(y[0], 1, 50)) {
			t.Fatalf("after the interrupt the figure shows y = %v, want a window of 50 consecutive values from the endless cell", y)
		}
		t.Logf("the figure ends at y = %v", y[len(y)-1])
	})

	t.Run("a token that changes every cell is reported, not a frozen plot", func(t *testing.T) {
		cell := s.cells + 1
		r := s.run(`var fresh = stream.NewToken()

%%
_, err := stream.Open(fresh)
fmt.Println(err)
`)
		if r.Status != "ok" {
			t.Fatalf("cell: %s %s", r.EName, r.EValue)
		}
		outs := s.rec.Outputs(cell)
		if len(outs) != 1 || !strings.Contains(outs[0].Text, "no figure was shown with stream token") || !strings.Contains(outs[0].Text, "stream.TokenFor") {
			t.Fatalf("Open with an unknown token printed %+v, want an error that names the token trap", outs)
		}
	})
}

// TestGoNBKernelCommPayloads streams with comm messages on (as under a Jupyter server with a
// page), the client answering GoNB's comm handshake as the page would, and decodes the comm
// messages the kernel publishes: batches of [token, frame] that rebuild the window.
func TestGoNBKernelCommPayloads(t *testing.T) {
	t.Setenv("LIVEPLOT_GONB_COMMS", "on") // the kernel, and so its cells, inherit it
	tok := fmt.Sprintf("e2e-comm-%d", time.Now().UnixNano())
	s := startSession(t, tok)
	if r := s.run(figureCell(tok, 30)); r.Status != "ok" {
		t.Fatalf("figure cell: %s %s", r.EName, r.EValue)
	}
	if r := s.run(writeCell(0, 100, 10)); r.Status != "ok" {
		t.Fatalf("writing cell: %s %s", r.EName, r.EValue)
	}
	// Replay the frames of our token as the page's client does: replace, extend, window.
	var y []float64
	var seq float64
	items, batches := tokenFrames(t, s.commMessages(), tok)
	for _, it := range items {
		if it.Seq <= seq && !it.Snapshot {
			continue // covered by the snapshot before it, as the page's client rules
		}
		seq = it.Seq
		if r, ok := it.Replace["y"]; ok {
			y = r
		}
		y = append(y, it.Extend["y"]...)
		if it.MaxPoints > 0 && len(y) > it.MaxPoints {
			y = y[len(y)-it.MaxPoints:]
		}
	}
	if batches < 5 {
		for _, m := range s.commMessages() {
			t.Logf("comm message %s %s", m.Type(), m.Content)
		}
		t.Logf("writing cell outputs: %+v", s.rec.Outputs(s.cells))
		t.Fatalf("%d comm messages carried the frames of a second of writes, want several", batches)
	}
	if !equal(y, counting(70, 1, 30)) {
		t.Fatalf("the frames rebuild y = %v, want 70..99", y)
	}
	t.Logf("%d comm messages carried the frames of 100 writes", batches)
}

// tokenFrame is one frame of a token, as a "#liveplot/frames" batch carries it.
type tokenFrame struct {
	Snapshot  bool                 // sent because a page subscribed: [channel, snapshot, 1]
	Seq       float64              `json:"seq"`
	Replace   map[string][]float64 `json:"replace"`
	Extend    map[string][]float64 `json:"extend"`
	MaxPoints int                  `json:"maxpoints"`
}

// tokenFrames returns the frames of tok in the "#liveplot/frames" comm messages among msgs, in
// order, and how many such messages there were.
func tokenFrames(t *testing.T, msgs []*jupyter.Message, tok string) (frames []tokenFrame, batches int) {
	t.Helper()
	for _, m := range msgs {
		if m.Type() != "comm_msg" {
			continue
		}
		c, err := m.Comm()
		if err != nil {
			t.Fatal(err)
		}
		if c.Data["address"] != "#liveplot/frames" {
			continue
		}
		batches++
		var items []json.RawMessage
		if err := json.Unmarshal([]byte(c.Data["value"].(string)), &items); err != nil {
			t.Fatalf("a frames message is not a JSON array: %v", err)
		}
		for _, item := range items {
			var pair []json.RawMessage
			var channel string
			if json.Unmarshal(item, &pair) != nil || len(pair) < 2 || json.Unmarshal(pair[0], &channel) != nil || channel != tok {
				continue
			}
			var f tokenFrame
			if string(pair[1]) != "null" {
				if err := json.Unmarshal(pair[1], &f); err != nil {
					t.Fatalf("frame %s: %v", pair[1], err)
				}
			}
			f.Snapshot = len(pair) >= 3
			frames = append(frames, f)
		}
	}
	return frames, batches
}

// TestGoNBKernelSlowPageStillSubscribes: a page that answers GoNB's installer script after the
// kernel stopped waiting for it (3 s) misses the message that made GoNB install it. GoNB handles a
// program's requests one at a time: the first installer comes with the program's subscription
// (which GoNB records anyway), the second with its hello, and an answer to either counts for the
// one GoNB waits on. A page busy for more than 6 s (parsing plotly.js on a loaded machine took
// longer) answers neither in time, and missed the hello. A cell program says hello again until a
// page answers, so
// the page subscribes and gets the window in the same cell, and the kernel does not record that
// no page listens: a later cell streams to the page too. Said once, the hello was lost, the page
// never subscribed, and after 10 s every later cell of the kernel went without comm messages.
func TestGoNBKernelSlowPageStillSubscribes(t *testing.T) {
	t.Setenv("LIVEPLOT_GONB_COMMS", "on") // the kernel, and so its cells, inherit it
	tok := fmt.Sprintf("e2e-slow-page-%d", time.Now().UnixNano())
	late := func(n int) time.Duration {
		if n <= 2 {
			return 7 * time.Second // GoNB waits 3 s for each
		}
		return 0
	}
	s := startSessionWith(t, late, tok)
	if r := s.run(figureCell(tok, 30)); r.Status != "ok" {
		t.Fatalf("figure cell: %s %s", r.EName, r.EValue)
	}
	// Long enough for hellos after the first installer's 3 s to reach the page.
	if r := s.run(writeCell(0, 200, 50)); r.Status != "ok" {
		t.Fatalf("writing cell: %s %s", r.EName, r.EValue)
	}
	hellos := 0
	for _, m := range s.commMessages() {
		if c, err := m.Comm(); err == nil && c.Data["address"] == "#liveplot/hello" {
			hellos++
		}
	}
	frames, _ := tokenFrames(t, s.commMessages(), tok)
	snapshots := 0
	for _, f := range frames {
		if f.Snapshot {
			snapshots++
		}
	}
	if hellos == 0 || snapshots == 0 {
		for _, m := range s.commMessages() {
			t.Logf("comm message %s %s", m.Type(), m.Content)
		}
		t.Fatalf("the slow page got %d hellos and %d snapshots of %s: want the program to greet it again until it subscribed", hellos, snapshots, tok)
	}
	before := len(frames)
	if r := s.run(writeCell(200, 210, 10)); r.Status != "ok" {
		t.Fatalf("second writing cell: %s %s", r.EName, r.EValue)
	}
	frames, _ = tokenFrames(t, s.commMessages(), tok)
	if len(frames) == before {
		t.Fatalf("a later cell sent no frames of %s: the kernel recorded that no page listens", tok)
	}
	t.Logf("%d hellos reached the page, %d snapshots, %d frames in the later cell", hellos, snapshots, len(frames)-before)
}
