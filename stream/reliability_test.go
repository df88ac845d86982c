package stream

import (
	"context"
	"errors"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/wake"
	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/kerneltest"
)

// TestOpenRejectsAFrameRateThatIsNotPositiveAndFinite: NaN sent no frame at all, -1 was taken for
// "unset", +Inf sent a frame per write, and 0 or a rate too small for a time.Duration wrapped
// around. Each is now an error at Open that says what to give.
func TestOpenRejectsAFrameRateThatIsNotPositiveAndFinite(t *testing.T) {
	_, tok := showTrace(t, 0, []float64{}, []float64{})
	for _, rate := range []float64{math.NaN(), -1, 0, math.Inf(1), math.Inf(-1), -0.5, 1e-300} {
		l, err := Open(tok, WithFrameRate(rate))
		if err == nil {
			l.Close()
			t.Errorf("Open(WithFrameRate(%v)): nil error", rate)
			continue
		}
		if want := "want a positive, finite number of frames a second"; !strings.Contains(err.Error(), want) {
			t.Errorf("Open(WithFrameRate(%v)): %v, want it to contain %q", rate, err, want)
		}
	}
	l, err := Open(tok, WithFrameRate(0.5))
	if err != nil {
		t.Fatalf("Open(WithFrameRate(0.5)): %v", err)
	}
	l.Close()
}

// TestSecondOpenOfATokenFailsAndLosesNothing: a trace has one link at a time. Before, a second
// Open succeeded, each link kept its own window, and the last Close replaced the first link's
// points in the final figure and in a late viewer's snapshot. Now the second Open is an error
// that names the token and the link using it; the first link's frames, snapshot and final figure
// keep every point; once it is closed the token opens again, starting from its final window.
func TestSecondOpenOfATokenFailsAndLosesNothing(t *testing.T) {
	rec, tok, first := openTrace(t, 0, []float64{}, []float64{}, slow)
	for i := range 3 {
		if err := first.Append(i, 10*i); err != nil {
			t.Fatal(err)
		}
	}
	second, err := Open(tok, slow)
	if err == nil {
		second.Append(100, 100)
		second.Close()
		t.Fatal("second Open of a token in use: nil error")
	}
	for _, want := range []string{tok, "in use by link " + first.ID(), "Close it"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("second Open: %v\nwant it to contain %q", err, want)
		}
	}
	if err := first.Append(3, 30); err != nil {
		t.Fatalf("the first link after the failed Open: %v", err)
	}

	want := map[string][]any{"x": {0.0, 1.0, 2.0, 3.0}, "y": {0.0, 10.0, 20.0, 30.0}}
	snap := decode(t, rec.Channel(tok).Snapshot())
	if snap.Link != first.ID() || !reflect.DeepEqual(snap.Replace, want) {
		t.Errorf("late viewer's snapshot %+v, want the first link's %v", snap, want)
	}
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if got := viewer(t, nil, framesOf(t, rec, tok)); !reflect.DeepEqual(got, want) {
		t.Errorf("live frames show %v, want %v", got, want)
	}
	outs := rec.Outputs()
	final := outs[len(outs)-1].HTML
	for _, want := range []string{`"x":[0,1,2,3]`, `"y":[0,10,20,30]`} {
		if !strings.Contains(final, want) {
			t.Errorf("final figure lacks %s:\n%s", want, final)
		}
	}

	again, err := Open(tok, slow)
	if err != nil {
		t.Fatalf("Open after the first link closed: %v", err)
	}
	if err := again.Append(4, 40); err != nil {
		t.Fatal(err)
	}
	snap = decode(t, rec.Channel(tok).Snapshot())
	want = map[string][]any{"x": {0.0, 1.0, 2.0, 3.0, 4.0}, "y": {0.0, 10.0, 20.0, 30.0, 40.0}}
	if !reflect.DeepEqual(snap.Replace, want) {
		t.Errorf("the new link's snapshot %v, want the closed link's window and the new point %v", snap.Replace, want)
	}
	if err := again.Close(); err != nil {
		t.Fatal(err)
	}
	outs = rec.Outputs()
	if final := outs[len(outs)-1].HTML; !strings.Contains(final, `"x":[0,1,2,3,4]`) {
		t.Errorf("final figure after the second link lacks the first link's points:\n%s", final)
	}
}

// bigWindow opens a link on a Recorder whose window holds n points of float64 x and y, all of
// them already sent in frames, so that closing has only its own work left.
func bigWindow(t *testing.T, n int) (*kerneltest.Recorder, *Link) {
	t.Helper()
	rec, tok := showTrace(t, n, []float64{}, []float64{})
	sent := make(chan struct{}, 1)
	l, err := Open(tok, WithFrameRate(1000), WithFrontend(signalling{rec, sent}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	xs, ys := make([]float64, n), make([]float64, n)
	for i := range xs {
		xs[i], ys[i] = float64(i), math.Sin(float64(i))
	}
	if err := l.Extend(xs, ys); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	// Wait for the frame loop to send it. The stats count a frame before it is sent, and sent
	// signals after each frame recorded: checked after each signal, the condition is never missed.
	for {
		if s := l.Stats(); s.Sent+s.Coalesced == s.Written && s.Frames == int64(len(rec.Channel(tok).Frames())) {
			break
		}
		select {
		case <-sent:
		case <-time.After(time.Minute):
			t.Fatalf("a window of %d points: not sent after a minute (stats %+v, %d frames recorded)",
				n, l.Stats(), len(rec.Channel(tok).Frames()))
		}
	}
	t.Logf("a window of %d points sent in %v", n, time.Since(start))
	return rec, l
}

// signalling is a Recorder whose channels signal sent after each frame they record.
type signalling struct {
	*kerneltest.Recorder
	sent chan struct{}
}

func (f signalling) OpenChannel(name string, snapshot func() []byte) (kernelext.Channel, error) {
	ch, err := f.Recorder.OpenChannel(name, snapshot)
	if err != nil {
		return nil, err
	}
	return signallingChannel{ch, f.sent}, nil
}

type signallingChannel struct {
	kernelext.Channel
	sent chan struct{}
}

func (c signallingChannel) Send(frame []byte) error {
	defer wake.Signal(c.sent)
	return c.Channel.Send(frame)
}

// TestCloseContextHonoursItsDeadlineOnABigWindow: with a window of 2 M points, CloseContext
// with a 100 ms deadline returns context.DeadlineExceeded while it encodes, renders or saves
// the final figure (seconds of work), soon after the deadline. Before, every step after the last
// frame ignored the context: it returned nil after seconds (issue: 3.6 s with a 1 s deadline).
func TestCloseContextHonoursItsDeadlineOnABigWindow(t *testing.T) {
	if testing.Short() {
		t.Skip("a window of 2 M points")
	}
	_, l := bigWindow(t, 2_000_000)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := l.CloseContext(ctx)
	took := time.Since(start)
	t.Logf("CloseContext(100 ms) on 2 M points: %v after %v", err, took)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("CloseContext with a 100 ms deadline: %v, want context.DeadlineExceeded", err)
	}
	if took > 3*time.Second { // generous, for a busy machine: the work itself takes seconds
		t.Errorf("CloseContext returned %v after its 100 ms deadline", took)
	}
	if err := l.Append(1, 1); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after a CloseContext that ran out of time: %v, want ErrClosed", err)
	}
}

// TestCloseAllocatesASmallFactorOfTheWindow: closing a window of 1 M float64 points (16 MB)
// renders and keeps its final figure. What it allocates (runtime.MemStats.TotalAlloc, garbage
// included) stays within a small factor of the window's bytes. The final output holds the window
// twice by design, as the HTML's figure and as the plotly JSON of its MIME bundle (each about
// 1.6 times the window): before the bundle, closing took 4.4-4.7 times the window, with it 6.0-6.3.
func TestCloseAllocatesASmallFactorOfTheWindow(t *testing.T) {
	const n = 1_000_000
	rec, l := bigWindow(t, n)
	window := uint64(n * 2 * 8)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	outs := rec.Outputs()
	html := len(outs[len(outs)-1].HTML)
	alloc := after.TotalAlloc - before.TotalAlloc
	factor := float64(alloc) / float64(window)
	t.Logf("Close of %d points (%d MB of window): allocated %d MB (%.1fx the window), the final figure's HTML is %d MB",
		n, window>>20, alloc>>20, factor, html>>20)
	if factor > 7 {
		t.Errorf("Close allocated %.1fx the window's bytes, want at most 7x", factor)
	}
}

// TestRelayoutIsCheckedAgainstTheSchema: Relayout checks its paths and values as Show checks a
// figure. Before, "xaxis.rnage" and "a..b" were sent to viewers and kept in the final figure
// (with a layout key ""). A bad update changes nothing: the frames and the final figure hold
// only the good ones.
func TestRelayoutIsCheckedAgainstTheSchema(t *testing.T) {
	rec, tok, l := openTrace(t, 0, []float64{}, []float64{}, slow)
	for _, tt := range []struct {
		update map[string]any
		want   string
	}{
		{map[string]any{"xaxis.rnage": []int{0, 1}}, `stream: Relayout: plotly: invalid layout update: layout.xaxis.rnage: unknown attribute (did you mean "range"?)`},
		{map[string]any{"a..b": 1}, `layout.a..b: an attribute path is names joined by dots, like "xaxis.range": this one has an empty name`},
		{map[string]any{"": 1}, `layout.: an attribute path is names joined by dots`},
		{map[string]any{"title.text": "ok", "xaxis.": 1}, `layout.xaxis.: an attribute path`},
		{map[string]any{"titel.text": "T"}, `layout.titel: unknown attribute (did you mean "title"?)`},
		{map[string]any{"xaxis.type": "logarithmic"}, `layout.xaxis.type: `},
		{map[string]any{"annotations[0].text": "a"}, `layout.annotations[0]: unknown attribute`},
	} {
		err := l.Relayout(tt.update)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Relayout(%v): %v\nwant an error containing %q", tt.update, err, tt.want)
		}
	}
	if err := l.Relayout(map[string]any{"title.text": "good", "xaxis.range": []int{0, 10}, "yaxis": map[string]any{"type": "log"}}); err != nil {
		t.Fatalf("a good update: %v", err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	frames := framesOf(t, rec, tok)
	got := map[string]any{}
	for _, f := range frames {
		for k, v := range f.Relayout {
			got[k] = v
		}
	}
	want := map[string]any{"title.text": "good", "xaxis.range": []any{0.0, 10.0}, "yaxis": map[string]any{"type": "log"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("frames relayout %v, want only the good update %v", got, want)
	}
	outs := rec.Outputs()
	final := outs[len(outs)-1].HTML
	for _, bad := range []string{`rnage`, `"":`, `titel`, `"a":`, `logarithmic`} {
		if strings.Contains(final, bad) {
			t.Errorf("the final figure holds %s from a rejected update:\n%s", bad, final)
		}
	}
	if !strings.Contains(final, `"layout":{"title":{"text":"good"},"xaxis":{"range":[0,10]},"yaxis":{"type":"log"}}`) {
		t.Errorf("the final figure lacks the good update:\n%s", final)
	}
}
