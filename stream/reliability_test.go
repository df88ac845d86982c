package stream

import (
	"math"
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
