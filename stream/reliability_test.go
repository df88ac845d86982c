package stream

import (
	"math"
	"reflect"
	"strings"
	"testing"
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
