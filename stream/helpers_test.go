package stream

import (
	"encoding/json"
	"testing"

	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/plotly"
)

// slow is a frame rate so low that every write of a test lands in the frame that Close sends.
var slow = WithFrameRate(0.01)

// showTrace shows a figure with one scatter trace fed by a new token, on a Recorder.
func showTrace(t testing.TB, maxPoints int, x, y any) (*kerneltest.Recorder, string) {
	t.Helper()
	rec := &kerneltest.Recorder{}
	tok := NewToken()
	fig := plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: x, Y: y, Mode: "lines",
		Stream: &plotly.Stream{Token: tok, MaxPoints: maxPoints}}}}
	if err := plotly.Show(fig, plotly.WithFrontend(rec)); err != nil {
		t.Fatal(err)
	}
	return rec, tok
}

func openTrace(t testing.TB, maxPoints int, x, y any, opts ...Option) (*kerneltest.Recorder, string, *Link) {
	t.Helper()
	rec, tok := showTrace(t, maxPoints, x, y)
	l, err := Open(tok, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return rec, tok, l
}

// frame is a decoded frame.
type frame struct {
	Link      string           `json:"link"`
	Seq       int64            `json:"seq"`
	Reset     bool             `json:"reset"`
	Replace   map[string][]any `json:"replace"`
	Extend    map[string][]any `json:"extend"`
	MaxPoints int              `json:"maxpoints"`
	Relayout  map[string]any   `json:"relayout"`
	Closed    bool             `json:"closed"`
}

func decode(t testing.TB, raw []byte) frame {
	t.Helper()
	var f frame
	if err := json.Unmarshal(raw, &f); err != nil {
		t.Fatalf("frame is not JSON: %v\n%s", err, raw)
	}
	return f
}

func framesOf(t testing.TB, rec *kerneltest.Recorder, tok string) []frame {
	t.Helper()
	ch := rec.Channel(tok)
	if ch == nil {
		t.Fatalf("no channel %q", tok)
	}
	var out []frame
	for _, raw := range ch.Frames() {
		out = append(out, decode(t, raw))
	}
	return out
}

// viewer applies frames as the architecture says a viewer does, and returns the arrays it shows.
func viewer(t testing.TB, start map[string][]any, frames []frame) map[string][]any {
	t.Helper()
	arrays := map[string][]any{}
	for k, v := range start {
		arrays[k] = v
	}
	var lastSeq int64
	for _, f := range frames {
		if f.Seq <= lastSeq && !f.Reset {
			t.Fatalf("frame seq %d not above %d", f.Seq, lastSeq)
		}
		lastSeq = f.Seq
		if f.Reset {
			arrays = map[string][]any{}
		}
		for k, v := range f.Replace {
			arrays[k] = v
		}
		for k, v := range f.Extend {
			arrays[k] = append(arrays[k], v...)
		}
		if f.MaxPoints > 0 && len(f.Extend) > 0 {
			for k, v := range arrays {
				if len(v) > f.MaxPoints {
					arrays[k] = v[len(v)-f.MaxPoints:]
				}
			}
		}
	}
	return arrays
}

// The JSON values of a link's window, to compare with what a viewer shows. (The link itself
// only ever encodes its window: appendJSON.)

// values returns the column as JSON values (float64, string, bool, nil), as plotly figures hold
// them.
func (c *column) values() []any {
	n := c.len()
	out := make([]any, n)
	for i := range n {
		out[i] = c.at(i).value()
	}
	return out
}

// value returns the scalar as a JSON value (float64, string, bool, nil); a time is its plotly
// date string.
func (v scalar) value() any {
	switch v.kind {
	case kindFloat:
		return v.f
	case kindTime:
		return string(appendPlotlyDate(nil, v.t))
	case kindString:
		return v.s
	case kindBool:
		return v.b
	}
	return nil
}
