package stream

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/plotly"
)

// TestTypedAppendsMatchAppend: AppendFloat and AppendTime deliver what Append delivers for the
// same points, window and gaps included, and refuse to write after Close.
func TestTypedAppendsMatchAppend(t *testing.T) {
	t0 := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		typed func(l *Link, i int) error
		any   func(l *Link, i int) error
	}{
		{"AppendFloat", func(l *Link, i int) error { return l.AppendFloat(float64(i), gap(i)) },
			func(l *Link, i int) error { return l.Append(float64(i), gap(i)) }},
		{"AppendTime", func(l *Link, i int) error { return l.AppendTime(t0.Add(time.Duration(i)*time.Second), gap(i)) },
			func(l *Link, i int) error { return l.Append(t0.Add(time.Duration(i)*time.Second), gap(i)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			shown := func(write func(*Link, int) error) map[string][]any {
				rec, tok, l := openTrace(t, 5, []float64{}, []float64{})
				for i := range 8 {
					if err := write(l, i); err != nil {
						t.Fatal(err)
					}
				}
				if err := l.Close(); err != nil {
					t.Fatal(err)
				}
				if err := write(l, 9); !errors.Is(err, ErrClosed) {
					t.Errorf("a write after Close: %v, want ErrClosed", err)
				}
				if s := l.Stats(); s.Written != 8 {
					t.Errorf("stats %+v, want 8 points written", s)
				}
				return viewer(t, map[string][]any{"x": {}, "y": {}}, framesOf(t, rec, tok))
			}
			typed, generic := shown(tc.typed), shown(tc.any)
			if !reflect.DeepEqual(typed, generic) || len(typed["y"]) != 5 {
				t.Fatalf("%s shows %v\nAppend shows %v (want the same 5-point window)", tc.name, typed, generic)
			}
		})
	}
}

// gap is y at point i: NaN (a gap) every third point.
func gap(i int) float64 {
	if i%3 == 2 {
		return math.NaN()
	}
	return float64(i * i)
}

// TestTypedAppendNeedsXAndY: a trace type without x or y (a pie) refuses a typed append and
// changes nothing.
func TestTypedAppendNeedsXAndY(t *testing.T) {
	tok := NewToken()
	fig := plotly.Figure{Data: plotly.Data{&plotly.Pie{Values: []float64{1}, Labels: []string{"a"}, Stream: &plotly.Stream{Token: tok}}}}
	if err := plotly.Show(fig, plotly.WithFrontend(&kerneltest.Recorder{})); err != nil {
		t.Fatal(err)
	}
	l, err := Open(tok)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if err := l.AppendFloat(1, 2); err == nil {
		t.Fatal("AppendFloat on a pie: nil error, want one that names x")
	}
	if s := l.Stats(); s.Written != 0 {
		t.Fatalf("stats %+v after a refused append, want nothing written", s)
	}
}

// TestRelayoutThroughANonObjectReachesTheFinalFigure: a layout value that is not an object (a
// template given by name) gives way to the object a relayout path goes through, in the final
// figure as in the page's plotly.js. Before, Close failed to show the final figure.
func TestRelayoutThroughANonObjectReachesTheFinalFigure(t *testing.T) {
	rec := &kerneltest.Recorder{}
	tok := NewToken()
	fig := plotly.Figure{
		Data:   plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Stream: &plotly.Stream{Token: tok}}},
		Layout: &plotly.Layout{Extra: map[string]any{"template": "plotly_dark"}},
	}
	if err := plotly.Show(fig, plotly.WithFrontend(rec)); err != nil {
		t.Fatal(err)
	}
	l, err := Open(tok)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Relayout(map[string]any{"template.layout.font.size": 12}); err != nil {
		t.Fatal(err)
	}
	if err := l.AppendFloat(1, 2); err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	outs := rec.Outputs()
	final := string(outs[len(outs)-1].Data[plotly.MIMEType])
	if !strings.Contains(final, `"template":{"layout":{"font":{"size":12}}}`) {
		t.Errorf("the final figure %s lacks the relayout", final)
	}
}
