package stream

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/liveplot/liveplot/internal/figure"
)

// relayoutState is every layout update the link was given, by path, in the order first given.
type relayoutState struct {
	entries []relayoutEntry
	pending bool
}

type relayoutEntry struct {
	path    string
	raw     json.RawMessage
	pending bool // not sent yet
}

// Relayout updates the figure's layout: update maps attribute paths to values, e.g.
// {"title.text": "T", "xaxis.range": []time.Time{t0, t1}}. Times become plotly date strings.
// The updates are checked against plotly.js's schema as Show checks a figure: an unknown
// attribute, a path with an empty name ("a..b", "") or a value that does not suit its attribute
// is an error that names the path, and changes nothing.
func (l *Link) Relayout(update map[string]any) error {
	if l.isClosed() {
		return ErrClosed
	}
	paths := make([]string, 0, len(update))
	raws := make(map[string]json.RawMessage, len(update))
	values := make(map[string]any, len(update))
	for path, v := range update {
		raw, err := json.Marshal(plotlyDates(v))
		if err != nil {
			return fmt.Errorf("stream: Relayout %s: %w", path, err)
		}
		var value any // as the figure will hold it
		if err := json.Unmarshal(raw, &value); err != nil {
			return fmt.Errorf("stream: Relayout %s: %w", path, err)
		}
		paths = append(paths, path)
		raws[path], values[path] = raw, value
	}
	if err := figure.ValidateRelayout(values); err != nil {
		return fmt.Errorf("stream: Relayout: %w", err)
	}
	slices.Sort(paths)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return ErrClosed
	}
	for _, path := range paths {
		l.relayout.set(path, raws[path])
	}
	if len(paths) > 0 {
		l.markPendingLocked()
	}
	return nil
}

func (r *relayoutState) set(path string, raw json.RawMessage) {
	r.pending = true
	for i := range r.entries {
		if r.entries[i].path == path {
			r.entries[i].raw, r.entries[i].pending = raw, true
			return
		}
	}
	r.entries = append(r.entries, relayoutEntry{path: path, raw: raw, pending: true})
}

// appendJSON appends the updates as a JSON object: all of them, or only those not sent yet.
func (r *relayoutState) appendJSON(b []byte, onlyPending bool) []byte {
	b = append(b, '{')
	first := true
	for _, e := range r.entries {
		if onlyPending && !e.pending {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendString(b, e.path)
		b = append(b, ':')
		b = append(b, e.raw...)
	}
	return append(b, '}')
}

func (r *relayoutState) markSent() {
	for i := range r.entries {
		r.entries[i].pending = false
	}
	r.pending = false
}

// values returns every update as JSON values, as figure.UpdateTrace takes them.
func (r *relayoutState) values() (map[string]any, error) {
	out := make(map[string]any, len(r.entries))
	for _, e := range r.entries {
		var v any
		if err := json.Unmarshal(e.raw, &v); err != nil {
			return nil, err
		}
		out[e.path] = v
	}
	return out, nil
}

// plotlyDates replaces times in v (alone, or in a []time.Time or []any) by plotly date strings.
func plotlyDates(v any) any {
	switch v := v.(type) {
	case time.Time:
		return string(appendPlotlyDate(nil, v))
	case []time.Time:
		out := make([]string, len(v))
		for i, t := range v {
			out[i] = string(appendPlotlyDate(nil, t))
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = plotlyDates(x)
		}
		return out
	}
	return v
}

func (l *Link) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}
