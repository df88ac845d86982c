package plotly

import (
	"math"
	"strings"
	"testing"

	"github.com/liveplot/liveplot/internal/figure"
	"github.com/liveplot/liveplot/kernelext/kerneltest"
)

// TestShowRejectsBadMaxPoints: a window that is not a whole number of points in range is an
// error at Show that names its path, and nothing is shown. Before, "5", 1e300, 2.5 and NaN
// passed, and the link kept every point (1e300 and NaN read as 0, no window).
func TestShowRejectsBadMaxPoints(t *testing.T) {
	for _, tt := range []struct {
		name string
		mp   any
		want string
	}{
		{"string", "5", `data[0].stream.maxpoints: want a whole number of points (0 keeps them all), got the string "5"`},
		{"huge", 1e300, "data[0].stream.maxpoints: want a whole number of points from 0 (keep them all) to 2147483647, got 1e+300"},
		{"beyond int32", float64(math.MaxInt32) + 1, "to 2147483647, got 2.147483648e+09"},
		{"negative", -1, "data[0].stream.maxpoints: want a whole number of points from 0 (keep them all) to 2147483647, got -1"},
		{"fraction", 2.5, "got 2.5"},
		{"NaN", math.NaN(), "data[0].stream.maxpoints: want a whole number of points (0 keeps them all), got null"},
		{"+Inf", math.Inf(1), "got null"},
		{"null", nil, "got null"},
		{"bool", true, "got the boolean true"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := &kerneltest.Recorder{}
			f := fig(map[string]any{"type": "scatter", "x": []any{}, "y": []any{},
				"stream": map[string]any{"token": "maxpoints-" + tt.name, "maxpoints": tt.mp}}, nil)
			err := Show(f, WithFrontend(rec))
			if err == nil {
				t.Fatalf("Show with maxpoints %v: nil error, want %q", tt.mp, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Show with maxpoints %v:\n got %v\nwant it to contain %q", tt.mp, err, tt.want)
			}
			if n := len(rec.Outputs()); n != 0 {
				t.Errorf("Show failed but displayed %d outputs", n)
			}
			if _, err := figure.Lookup("maxpoints-" + tt.name); err == nil {
				t.Errorf("the rejected figure's token can be opened")
			}
		})
	}
	for _, mp := range []any{0, 1, 80, float64(math.MaxInt32)} {
		f := fig(map[string]any{"type": "scatter", "stream": map[string]any{"token": "ok", "maxpoints": mp}}, nil)
		if err := Validate(f); err != nil {
			t.Errorf("maxpoints %v: %v", mp, err)
		}
	}
}
