package stream

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

func TestNumbersAppendInFramesOfTheLink(t *testing.T) {
	rec, tok, l := openTrace(t, 0, []time.Time{}, []float64{}, slow)
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 120_000_000, time.UTC)
	for i := range 3 {
		if err := l.Write(Point{X: t0.Add(time.Duration(i) * time.Second), Y: float64(i) / 2}); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	frames := framesOf(t, rec, tok)
	if len(frames) != 1 {
		t.Fatalf("got %d frames, want the one Close sends", len(frames))
	}
	f := frames[0]
	if f.Link != l.ID() || f.Seq != 1 || !f.Closed || f.Reset || f.Replace != nil {
		t.Fatalf("frame = %+v, want link %s, seq 1, closed, no reset or replace", f, l.ID())
	}
	wantX := []any{"2024-05-06 07:08:09.12", "2024-05-06 07:08:10.12", "2024-05-06 07:08:11.12"}
	wantY := []any{0.0, 0.5, 1.0}
	if !reflect.DeepEqual(f.Extend["x"], wantX) || !reflect.DeepEqual(f.Extend["y"], wantY) {
		t.Fatalf("extend = %v, want x %v y %v", f.Extend, wantX, wantY)
	}
}

// TestSeqIncreasesAcrossFrames runs in a synctest bubble: the 2 ms pauses and the frame loop's
// ticks are fake time, so the test neither waits nor depends on the machine's speed.
func TestSeqIncreasesAcrossFrames(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec, tok, l := openTrace(t, 0, []float64{}, []float64{}, WithFrameRate(1000))
		for i := range 20 {
			if err := l.Append(i, i); err != nil {
				t.Fatal(err)
			}
			time.Sleep(2 * time.Millisecond)
		}
		if err := l.Close(); err != nil {
			t.Fatal(err)
		}
		frames := framesOf(t, rec, tok)
		if len(frames) < 2 {
			t.Fatalf("got %d frames for 20 writes 2 ms apart at 1000 frames/s, want several", len(frames))
		}
		for i, f := range frames {
			if f.Seq != int64(i+1) || f.Link != l.ID() {
				t.Fatalf("frame %d has link %q seq %d, want %q seq %d", i, f.Link, f.Seq, l.ID(), i+1)
			}
		}
		got := viewer(t, nil, frames)
		if len(got["x"]) != 20 || got["y"][19] != 19.0 {
			t.Fatalf("viewer shows %v, want 20 points ending with 19", got)
		}
	})
}

func TestListsOverwrite(t *testing.T) {
	rec, tok, l := openTrace(t, 0, []float64{1, 2}, []float64{3, 4}, slow)
	if err := l.Write(map[string]any{"x": []int{7, 8, 9}, "y": []float64{0, 0, 0}}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	f := framesOf(t, rec, tok)[0]
	if !reflect.DeepEqual(f.Replace["x"], []any{7.0, 8.0, 9.0}) || !reflect.DeepEqual(f.Replace["y"], []any{0.0, 0.0, 0.0}) || f.Extend != nil {
		t.Fatalf("frame %+v, want replace x [7 8 9] y [0 0 0] and no extend", f)
	}
}

func TestListThenNumbersFoldIntoReplace(t *testing.T) {
	rec, tok, l := openTrace(t, 0, []float64{1}, []float64{1}, slow)
	if err := l.Replace([]float64{10, 11}, []float64{20, 21}); err != nil {
		t.Fatal(err)
	}
	if err := l.Append(12, 22); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	f := framesOf(t, rec, tok)[0]
	if !reflect.DeepEqual(f.Replace["x"], []any{10.0, 11.0, 12.0}) || !reflect.DeepEqual(f.Replace["y"], []any{20.0, 21.0, 22.0}) || f.Extend != nil {
		t.Fatalf("frame %+v, want replace x [10 11 12] y [20 21 22] and no extend", f)
	}
}

func TestMaxPointsHoldsInFramesAndMemory(t *testing.T) {
	rec, tok, l := openTrace(t, 10, []float64{}, []float64{}, slow)
	for i := range 1000 {
		if err := l.Append(i, -i); err != nil {
			t.Fatal(err)
		}
	}
	l.mu.Lock()
	col := l.window["y"].col
	if col.len() != 10 || cap(col.floats.buf) > 10 {
		t.Errorf("window holds %d values in %d slots, want 10 in at most 10", col.len(), cap(col.floats.buf))
	}
	l.mu.Unlock()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	f := framesOf(t, rec, tok)[0]
	if f.MaxPoints != 10 || len(f.Extend["x"]) != 10 || f.Extend["x"][0] != 990.0 || f.Extend["y"][9] != -999.0 {
		t.Fatalf("frame %+v, want maxpoints 10 and the newest 10 points", f)
	}
	if s := l.Stats(); s.Written != 1000 || s.Sent != 10 || s.Coalesced != 990 || s.Frames != 1 {
		t.Fatalf("stats %+v, want 1000 written, 10 sent, 990 coalesced, 1 frame", s)
	}
}

func TestWindowStartsWithTheShownData(t *testing.T) {
	rec, tok, l := openTrace(t, 3, []float64{1, 2, 3, 4}, []float64{5, 6, 7, 8}, slow)
	if err := l.Append(9, 10); err != nil {
		t.Fatal(err)
	}
	snap := decode(t, rec.Channel(tok).Snapshot())
	if !reflect.DeepEqual(snap.Replace["x"], []any{3.0, 4.0, 9.0}) || !reflect.DeepEqual(snap.Replace["y"], []any{7.0, 8.0, 10.0}) {
		t.Fatalf("snapshot %+v, want the newest 3 of the shown data and the write", snap)
	}
}

func TestSnapshotBringsALateViewerUpToDate(t *testing.T) {
	rec, tok, l := openTrace(t, 5, []float64{}, []float64{}, slow)
	for i := range 8 {
		if err := l.Append(i, i*i); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Relayout(map[string]any{"title.text": "squares"}); err != nil {
		t.Fatal(err)
	}
	ch := rec.Channel(tok)
	snap := decode(t, ch.Snapshot())
	want := map[string][]any{"x": {3.0, 4.0, 5.0, 6.0, 7.0}, "y": {9.0, 16.0, 25.0, 36.0, 49.0}}
	if !snap.Reset || snap.Link != l.ID() || snap.MaxPoints != 5 || !reflect.DeepEqual(snap.Replace, want) || snap.Relayout["title.text"] != "squares" {
		t.Fatalf("snapshot %+v, want reset with the window %v and the title", snap, want)
	}
	if err := l.Append(8, 64); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	// The writes before the snapshot went out in a frame with the snapshot's seq: a viewer that
	// applied the snapshot skips it, and the frames after bring it to the final window.
	var later []frame
	for _, f := range framesOf(t, rec, tok) {
		if f.Seq > snap.Seq {
			later = append(later, f)
		} else if f.Seq == snap.Seq && len(f.Extend["x"]) != 5 {
			t.Fatalf("frame %+v with the snapshot's seq should hold the writes before it", f)
		}
	}
	got := viewer(t, nil, append([]frame{snap}, later...))
	want = map[string][]any{"x": {4.0, 5.0, 6.0, 7.0, 8.0}, "y": {16.0, 25.0, 36.0, 49.0, 64.0}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("late viewer shows %v, want %v", got, want)
	}
}

func TestCloseFlushesAndShowsTheFinalFigure(t *testing.T) {
	rec, tok, l := openTrace(t, 2, []float64{}, []float64{}, slow)
	for i := range 5 {
		if err := l.Append(i, 100+i); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Relayout(map[string]any{"title.text": "final title"}); err != nil {
		t.Fatal(err)
	}
	before := len(rec.Outputs())
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	outs := rec.Outputs()
	if len(outs) != before+1 {
		t.Fatalf("Close displayed %d outputs, want 1", len(outs)-before)
	}
	html := outs[len(outs)-1].HTML
	for _, want := range []string{`"x":[3,4]`, `"y":[103,104]`, `"text":"final title"`} {
		if !strings.Contains(html, want) {
			t.Errorf("final figure lacks %s:\n%s", want, html)
		}
	}
	if outs[len(outs)-1].ID != outs[0].ID {
		t.Errorf("final figure has output ID %q, want the figure's %q", outs[len(outs)-1].ID, outs[0].ID)
	}
	if !rec.Channel(tok).Closed() {
		t.Error("channel not closed")
	}
	frames := framesOf(t, rec, tok)
	if last := frames[len(frames)-1]; !last.Closed || last.Relayout["title.text"] != "final title" {
		t.Errorf("last frame %+v, want closed with the relayout", last)
	}
	if err := l.Append(1, 1); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close: %v, want ErrClosed", err)
	}
	if err := l.Relayout(map[string]any{"a": 1}); !errors.Is(err, ErrClosed) {
		t.Errorf("Relayout after Close: %v, want ErrClosed", err)
	}
	if err := l.Heartbeat(); !errors.Is(err, ErrClosed) {
		t.Errorf("Heartbeat after Close: %v, want ErrClosed", err)
	}
}

func TestConcurrentWritersLoseNothingInTheWindow(t *testing.T) {
	const writers, perWriter, maxPoints = 8, 2000, 100
	rec, tok, l := openTrace(t, maxPoints, []float64{}, []float64{}, WithFrameRate(2000), WithBufferBound(50))
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range perWriter {
				// y is the writer, x its count: each writer's points must stay in order.
				if err := l.Write(Point{X: i, Y: g}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Add(1)
	go func() { // a late viewer, while writers write
		defer wg.Done()
		for range 20 {
			decode(t, rec.Channel(tok).Snapshot())
			time.Sleep(100 * time.Microsecond)
		}
	}()
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	s := l.Stats()
	if s.Written != writers*perWriter || s.Sent+s.Coalesced != s.Written {
		t.Fatalf("stats %+v: want %d written, all of them sent or coalesced", s, writers*perWriter)
	}
	got := viewer(t, map[string][]any{"x": {}, "y": {}}, framesOf(t, rec, tok))
	l.mu.Lock()
	want := map[string][]any{"x": l.window["x"].col.values(), "y": l.window["y"].col.values()}
	l.mu.Unlock()
	if !reflect.DeepEqual(got, want) || len(got["x"]) != maxPoints {
		t.Fatalf("viewer shows %v\nwant the link's window %v", got, want)
	}
	last := map[float64]float64{}
	sawEnd := false
	for i := range got["x"] {
		x, g := got["x"][i].(float64), got["y"][i].(float64)
		if prev, seen := last[g]; seen && x != prev+1 {
			t.Fatalf("writer %v: point %v follows %v in the window", g, x, prev)
		}
		last[g] = x
		sawEnd = sawEnd || x == perWriter-1
	}
	if !sawEnd {
		t.Fatal("the window holds no writer's last point")
	}
}

func TestZeroEmptyAndFalseArrive(t *testing.T) {
	rec, tok, l := openTrace(t, 0, nil, nil, slow)
	if err := l.Write(map[string]any{"x": 0, "y": 0.0, "text": "", "customdata": false}); err != nil {
		t.Fatal(err)
	}
	if err := l.Write(Point{X: 1, Y: math.NaN(), Text: "a\"b<"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	f := framesOf(t, rec, tok)[0]
	want := map[string][]any{"x": {0.0, 1.0}, "y": {0.0, nil}, "text": {"", "a\"b<"}, "customdata": {false}}
	if !reflect.DeepEqual(f.Extend, want) {
		t.Fatalf("extend %v, want %v", f.Extend, want)
	}
}

func TestStructsWriteByJSONNameOrLowerCasedName(t *testing.T) {
	rec, tok, l := openTrace(t, 0, nil, nil, slow)
	type sample struct {
		When   time.Time `json:"x"`
		Y      float64
		Label  string `json:"text,omitempty"`
		Ignore int    `json:"-"`
	}
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := l.Write(sample{When: t0, Y: 2.5, Ignore: 7}); err != nil {
		t.Fatal(err)
	}
	if err := l.Write(&sample{When: t0.Add(time.Microsecond), Y: 3, Label: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	f := framesOf(t, rec, tok)[0]
	want := map[string][]any{"x": {"2024-01-02 03:04:05", "2024-01-02 03:04:05.000001"}, "y": {2.5, 3.0}, "text": {"b"}}
	if !reflect.DeepEqual(f.Extend, want) {
		t.Fatalf("extend %v, want %v", f.Extend, want)
	}
}

func TestBadInputFailsAndLosesNothing(t *testing.T) {
	rec, tok, l := openTrace(t, 0, []float64{}, []float64{}, slow)
	if err := l.Append(1, 1); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func() error{
		"mismatched lengths": func() error { return l.Write(map[string]any{"x": []int{1, 2}, "y": []int{1, 2, 3}}) },
		"extend lengths":     func() error { return l.Extend([]float64{1}, []float64{1, 2}) },
		"map as value":       func() error { return l.Write(map[string]any{"x": 2, "y": map[string]any{"a": 1}}) },
		"channel as value":   func() error { return l.Write(map[string]any{"x": 2, "y": make(chan int)}) },
		"struct as value":    func() error { return l.Write(map[string]any{"x": 2, "y": struct{ A int }{1}}) },
		"bad element":        func() error { return l.Write(map[string]any{"y": []any{1, []int{2}}}) },
		"unknown key":        func() error { return l.Write(map[string]any{"x": 2, "colour": 1}) },
		"not a point":        func() error { return l.Write(42) },
		"nil":                func() error { return l.Write(nil) },
		"nil point":          func() error { return l.Write((*Point)(nil)) },
		"time alone":         func() error { return l.Write(time.Now()) },
		"append a slice":     func() error { return l.Append([]int{1}, 2) },
		"extend a number":    func() error { return l.Extend(1, []int{2}) },
		"relayout chan":      func() error { return l.Relayout(map[string]any{"title.text": make(chan int)}) },
	}
	for name, write := range bad {
		if err := write(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	frames := framesOf(t, rec, tok)
	got := viewer(t, nil, frames)
	if want := (map[string][]any{"x": {1.0}, "y": {1.0}}); !reflect.DeepEqual(got, want) || frames[len(frames)-1].Relayout != nil {
		t.Fatalf("viewer shows %v (relayout %v), want only the good write %v", got, frames[len(frames)-1].Relayout, want)
	}
}

func TestOpenExplainsUnknownTokens(t *testing.T) {
	for _, tok := range []string{"", "never-shown"} {
		_, err := Open(tok)
		if err == nil || !strings.Contains(err.Error(), "Show the figure") || !strings.Contains(err.Error(), "GoNB") || !strings.Contains(err.Error(), "TokenFor") {
			t.Errorf("Open(%q) error %v should say to show the figure first and explain the GoNB token rule", tok, err)
		}
	}
}

func TestWritesCoalesceIntoFrames(t *testing.T) {
	rec, tok, l := openTrace(t, 0, []float64{}, []float64{}, slow)
	xs := make([]float64, 1000)
	for i := range xs {
		xs[i] = float64(i)
	}
	for i := range 100 {
		if err := l.Append(i, i); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Extend(xs, xs); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	frames := framesOf(t, rec, tok)
	if len(frames) != 1 || len(frames[0].Extend["y"]) != 1100 {
		t.Fatalf("got %d frames, want 1 holding all 1100 points", len(frames))
	}
	if s := l.Stats(); s.Written != 1100 || s.Sent != 1100 || s.Coalesced != 0 || s.Frames != 1 {
		t.Fatalf("stats %+v, want 1100 written and sent in 1 frame", s)
	}
}

func TestBufferBoundSendsAFrameEarly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec, tok, l := openTrace(t, 0, []float64{}, []float64{}, slow, WithBufferBound(100))
		for i := range 60 { // 120 values
			if err := l.Append(i, i); err != nil {
				t.Fatal(err)
			}
		}
		// The frame loop wakes on the bound at once, and the slow rate's next tick is far away: once
		// every goroutine of the bubble is blocked, the early frame is out or never will be.
		synctest.Wait()
		if len(rec.Channel(tok).Frames()) == 0 {
			t.Fatal("no frame sent with 120 values pending and a buffer bound of 100")
		}
		if f := framesOf(t, rec, tok)[0]; f.Closed || len(f.Extend["x"]) < 50 {
			t.Fatalf("early frame %+v, want one of at least the 50 points that passed the bound, before Close", f)
		}
	})
}

func TestHeartbeatSendsAnEmptyFrame(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec, tok, l := openTrace(t, 0, []float64{}, []float64{}, WithFrameRate(1000))
		if err := l.Heartbeat(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond) // one frame interval at 1000 frames/s (fake time)
		synctest.Wait()
		if len(rec.Channel(tok).Frames()) == 0 {
			t.Fatal("Heartbeat sent no frame")
		}
		f := framesOf(t, rec, tok)[0]
		if f.Link != l.ID() || f.Seq != 1 || f.Extend != nil || f.Replace != nil || f.Closed {
			t.Fatalf("heartbeat frame %+v, want only link and seq", f)
		}
	})
}

func TestRelayoutSendsTimesAsPlotlyDates(t *testing.T) {
	rec, tok, l := openTrace(t, 0, nil, nil, slow)
	t0 := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := l.Relayout(map[string]any{"xaxis.range": []time.Time{t0, t0.Add(time.Hour)}, "title.text": "T"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(framesOf(t, rec, tok)[0].Relayout)
	if want := "map[title.text:T xaxis.range:[2024-01-02 03:04:05 2024-01-02 04:04:05]]"; got != want {
		t.Fatalf("relayout %s, want %s", got, want)
	}
}

func TestContextEndsTheLink(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		rec, tok, l := openTrace(t, 0, []float64{}, []float64{}, slow, WithContext(ctx))
		if err := l.Append(1, 2); err != nil {
			t.Fatal(err)
		}
		cancel()
		synctest.Wait() // the link's watcher has closed it, or never will
		if !rec.Channel(tok).Closed() {
			t.Fatal("channel still open after the link's context ended")
		}
		if err := l.Append(3, 4); !errors.Is(err, ErrClosed) {
			t.Fatalf("Append after the context ended: %v, want ErrClosed", err)
		}
		frames := framesOf(t, rec, tok)
		if last := frames[len(frames)-1]; !last.Closed || !reflect.DeepEqual(viewer(t, nil, frames)["y"], []any{2.0}) {
			t.Fatalf("frames %+v, want the write delivered and a closed frame", frames)
		}
	})
}
