package stream

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestFollowerFeedsTheShownTraceFromAnotherLinksFrames makes frames with a producer's link (its
// own figure and token, as on another machine), hands them to a Follower's channel for a figure
// of this program, and checks the follower's link: the frames it sends, the snapshot taken at
// open, a stale frame dropped, and the final figure shown when the channel closes.
func TestFollowerFeedsTheShownTraceFromAnotherLinksFrames(t *testing.T) {
	prodRec, prodTok, prod := openTrace(t, 10, []float64{}, []float64{}, slow)
	rec, tok := showTrace(t, 10, []float64{}, []float64{})
	for i := 1; i <= 25; i++ {
		if err := prod.Append(i, i); err != nil {
			t.Fatal(err)
		}
	}
	snap := prod.snapshot() // the producer's window when the follower opens: 16..25
	asked := make(chan struct{})
	follower := Follower()
	ch, err := follower.OpenChannel(tok, func() []byte { close(asked); return snap })
	if err != nil {
		t.Fatal(err)
	}
	<-asked
	fc := ch.(*followerChannel)
	<-fc.fetched
	for i := 26; i <= 30; i++ {
		if err := prod.Append(i, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := prod.Relayout(map[string]any{"title.text": "from afar"}); err != nil {
		t.Fatal(err)
	}
	if err := prod.Close(); err != nil {
		t.Fatal(err)
	}
	frames := prodRec.Channel(prodTok).Frames()
	for _, f := range frames {
		if err := ch.Send(f); err != nil {
			t.Fatal(err)
		}
	}
	if err := ch.Send(frames[0]); err != nil { // stale: dropped by its seq
		t.Fatal(err)
	}
	if err := ch.Send([]byte(`{"link":"x","seq":1,"extend":{"nope":[1]}}`)); err == nil {
		t.Error("a frame with a path a scatter trace does not have was applied")
	}
	l := fc.fl.link
	l.mu.Lock()
	x, y := l.window["x"].col.values(), l.window["y"].col.values()
	l.mu.Unlock()
	if got := len(x); got != 10 || x[0] != 21.0 || x[9] != 30.0 || y[9] != 30.0 {
		t.Fatalf("follower's window x=%v y=%v, want 21..30", x, y)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := ch.Close(ctx); err != nil {
		t.Fatal(err)
	}
	outs := rec.Outputs()
	final := outs[len(outs)-1].HTML
	for _, want := range []string{`"x":[21,22,23,24,25,26,27,28,29,30]`, `"text":"from afar"`} {
		if !strings.Contains(final, want) {
			t.Errorf("final figure lacks %s:\n%.2000s", want, final)
		}
	}
	if !rec.Channel(tok).Closed() {
		t.Error("the follower's channel to the page is not closed")
	}
	if err := follower.Display(ctx, outs[0]); err == nil {
		t.Error("a Follower displayed an output")
	}
	if _, err := follower.OpenChannel(NewToken(), nil); err == nil || !strings.Contains(err.Error(), "no figure was shown") {
		t.Errorf("OpenChannel of an unknown token: %v, want Open's error", err)
	}
}

// TestFollowerDropsASnapshotOlderThanItsFrames opens a follower whose snapshot, of another
// link, comes after a frame arrived: the stale window must not replace the newer one.
func TestFollowerDropsASnapshotOlderThanItsFrames(t *testing.T) {
	_, tok := showTrace(t, 0, []float64{}, []float64{})
	release := make(chan struct{})
	ch, err := Follower().OpenChannel(tok, func() []byte {
		<-release
		return []byte(`{"link":"old","seq":9,"reset":true,"replace":{"x":[1],"y":[1]}}`)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.Send([]byte(`{"link":"new","seq":1,"extend":{"x":[5],"y":[5]}}`)); err != nil {
		t.Fatal(err)
	}
	close(release)
	fc := ch.(*followerChannel)
	<-fc.fetched
	l := fc.fl.link
	l.mu.Lock()
	x := l.window["x"].col.values()
	l.mu.Unlock()
	if len(x) != 1 || x[0] != 5.0 {
		t.Errorf("window x=%v, want [5]: the older link's snapshot came after a newer frame", x)
	}
	if err := ch.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}
