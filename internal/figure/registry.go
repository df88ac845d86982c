package figure

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/liveplot/liveplot/internal/randid"
	"github.com/liveplot/liveplot/kernelext"
)

// Target is the trace that a stream token feeds, in a figure that was shown.
type Target struct {
	Token     string
	FigureID  string // the figure's output ID
	Trace     int    // the trace's index in the figure's data
	TraceType string // the trace's plotly.js type, e.g. "scatter"
	MaxPoints int    // the stream's window; 0 keeps every point
	// Data holds the trace's data arrays as shown, by attribute path ("x", "y", "marker.color"),
	// each a []any of JSON values (float64, string, bool, nil).
	Data map[string][]any
	// Frontend is where the figure was shown: frames for the trace go there.
	Frontend kernelext.Frontend
}

// shown is a figure that was shown, as it stands now.
type shown struct {
	id       string
	tree     map[string]any
	frontend kernelext.Frontend
}

var registry = struct {
	sync.Mutex
	figures map[string]*shown // by output ID
	tokens  map[string]string // stream token -> output ID
}{figures: map[string]*shown{}, tokens: map[string]string{}}

// streamTokens returns the stream tokens of tree's traces, by trace index.
func streamTokens(tree map[string]any) map[int]string {
	out := map[int]string{}
	data, _ := tree["data"].([]any)
	for i, t := range data {
		trace, _ := t.(map[string]any)
		st, _ := trace["stream"].(map[string]any)
		if tok, _ := st["token"].(string); tok != "" {
			out[i] = tok
		}
	}
	return out
}

// outputID derives a figure's output ID from its stream tokens, so that every process that
// streams to the figure addresses the same output; a figure without streams gets a fresh ID.
func outputID(tokens map[int]string) string {
	if len(tokens) == 0 {
		return "liveplot-" + randid.Hex(8)
	}
	list := make([]string, 0, len(tokens))
	for _, tok := range tokens {
		list = append(list, tok)
	}
	sort.Strings(list)
	h := sha256.New()
	for _, tok := range list {
		h.Write([]byte(tok))
		h.Write([]byte{0})
	}
	return "liveplot-" + hex.EncodeToString(h.Sum(nil)[:8])
}

// Register records a figure (its validated tree) that is being shown on frontend, and returns its
// output ID: derived from its stream tokens, so that every process of a kernel session that
// streams to the figure addresses the same output. A figure with stream tokens is also saved in
// the kernel session's state directory, for later cells.
func Register(ctx context.Context, tree map[string]any, frontend kernelext.Frontend) (string, error) {
	tokens := streamTokens(tree)
	registry.Lock()
	defer registry.Unlock()
	seen := map[string]int{}
	for i, tok := range tokens {
		if j, dup := seen[tok]; dup {
			return "", fmt.Errorf("plotly: data[%d] and data[%d] use the same stream token %q: give each trace its own token", min(i, j), max(i, j), tok)
		}
		seen[tok] = i
	}
	s := &shown{id: outputID(tokens), tree: tree, frontend: frontend}
	if len(tokens) > 0 {
		if err := defaultStore().save(ctx, s.id, tree); err != nil {
			return "", err
		}
	}
	registry.figures[s.id] = s
	for _, tok := range tokens {
		registry.tokens[tok] = s.id
	}
	return s.id, nil
}

// Lookup returns the trace that token feeds. It fails when no figure shown by this
// program has a trace with that stream token.
func Lookup(token string) (Target, error) {
	if token == "" {
		return Target{}, fmt.Errorf("plotly: empty stream token: use the token of a trace's Stream, e.g. from stream.NewToken")
	}
	registry.Lock()
	defer registry.Unlock()
	id, ok := registry.tokens[token]
	if !ok {
		if err := loadShownLocked(token); err != nil {
			return Target{}, err
		}
		id = registry.tokens[token]
	}
	s := registry.figures[id]
	for i, tok := range streamTokens(s.tree) {
		if tok != token {
			continue
		}
		trace := s.tree["data"].([]any)[i].(map[string]any)
		target := Target{Token: token, FigureID: id, Trace: i, Frontend: s.frontend, Data: dataArrays(trace)}
		target.TraceType, _ = trace["type"].(string)
		if target.TraceType == "" {
			target.TraceType = "scatter"
		}
		if st, ok := trace["stream"].(map[string]any); ok {
			if mp, ok := st["maxpoints"]; ok {
				n, err := parseMaxPoints(mp)
				if err != nil { // a figure saved by an earlier cell and changed since
					return Target{}, fmt.Errorf("plotly: stream token %q: data[%d].stream.maxpoints: %w", token, i, err)
				}
				target.MaxPoints = n
			}
		}
		return target, nil
	}
	return Target{}, fmt.Errorf("plotly: stream token %q is no longer in its figure", token)
}

// loadShownLocked finds the figure with the stream token among those that earlier processes of
// this kernel session showed (see figureStore), and registers it as shown by this process.
func loadShownLocked(token string) error {
	id, tree, ok, err := defaultStore().load(token)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("plotly: no figure was shown with stream token %q (in a notebook, a kernel session remembers the %d figures it used last)", token, maxStoredFigures)
	}
	frontend, err := kernelext.Default()
	if err != nil {
		return fmt.Errorf("plotly: reaching the figure shown by an earlier cell: %w", err)
	}
	registry.figures[id] = &shown{id: id, tree: tree, frontend: frontend}
	for _, tok := range streamTokens(tree) {
		registry.tokens[tok] = id
	}
	return nil
}

// dataArrays returns the arrays of a trace by attribute path ("x", "marker.color").
func dataArrays(trace map[string]any) map[string][]any {
	out := map[string][]any{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			switch v := v.(type) {
			case []any:
				out[prefix+k] = v
			case json.RawMessage: // set by UpdateTrace: the final window of a closed link
				var values []any
				if json.Unmarshal(v, &values) == nil {
					out[prefix+k] = values
				}
			case map[string]any:
				if k != "stream" {
					walk(prefix+k+".", v)
				}
			}
		}
	}
	walk("", trace)
	return out
}

// UpdateTrace sets data arrays of a shown figure's trace and applies relayout (attribute path ->
// value) to its layout, then shows the figure as it now stands in place of its output: the output
// that a saved notebook or a reloaded page keeps. Each array of data is a JSON array, kept and
// written out as it is (a window of millions of points is encoded once, by its link). Rendering,
// saving and showing the figure stop when ctx is done, with ctx's error.
func UpdateTrace(ctx context.Context, figureID string, trace int, data map[string]json.RawMessage, relayout map[string]any) error {
	return updateTrace(ctx, figureID, trace, data, relayout, false)
}

// PreviewTrace shows a shown figure with the trace's data arrays and layout updates as given, in
// place of its output, without changing the figure: an interim view that keeps the figure moving
// on front-ends with no live channel (kernelext.Fallback). The output carries no library (the
// page showing it has them), and the next UpdateTrace or PreviewTrace replaces it.
func PreviewTrace(ctx context.Context, figureID string, trace int, data map[string]json.RawMessage, relayout map[string]any) error {
	return updateTrace(ctx, figureID, trace, data, relayout, true)
}

func updateTrace(ctx context.Context, figureID string, trace int, data map[string]json.RawMessage, relayout map[string]any, interim bool) error {
	registry.Lock()
	s, ok := registry.figures[figureID]
	if !ok {
		registry.Unlock()
		return fmt.Errorf("plotly: no figure shown with ID %q", figureID)
	}
	traces, _ := s.tree["data"].([]any)
	if trace < 0 || trace >= len(traces) {
		registry.Unlock()
		return fmt.Errorf("plotly: figure %q has no trace %d", figureID, trace)
	}
	// Every path is checked before anything changes: an update that fails leaves the figure as
	// it was. Values on the way that are not objects give way, as in the page's plotly.js.
	for path := range data {
		if err := checkAttrPath(path); err != nil {
			registry.Unlock()
			return fmt.Errorf("plotly: updating trace %d of figure %q: %w", trace, figureID, err)
		}
	}
	for path := range relayout {
		if err := checkAttrPath(path); err != nil {
			registry.Unlock()
			return fmt.Errorf("plotly: relayout of figure %q: %w", figureID, err)
		}
	}
	tree := s.tree
	if interim {
		tree = cloneTree(tree)
		traces, _ = tree["data"].([]any)
	}
	t := traces[trace].(map[string]any)
	for path, values := range data {
		SetAttrPath(t, path, values, true) //nolint:errcheck // checked above; with replace nothing else fails
	}
	if len(relayout) > 0 {
		layout, _ := tree["layout"].(map[string]any)
		if layout == nil {
			layout = map[string]any{}
			tree["layout"] = layout
		}
		for path, v := range relayout {
			SetAttrPath(layout, path, v, true) //nolint:errcheck // checked above; with replace nothing else fails
		}
	}
	out, err := Render(ctx, s.id, tree)
	if err == nil && !interim {
		err = defaultStore().save(ctx, s.id, tree)
	}
	registry.Unlock()
	if err != nil {
		return err
	}
	out.Interim = interim
	return s.frontend.Display(ctx, out)
}

// cloneTree copies the maps and slices of a figure's JSON tree, so that the copy can be changed
// while the figure stays as it is (the values in it are shared: they are never changed in place).
func cloneTree(tree map[string]any) map[string]any {
	var clone func(v any) any
	clone = func(v any) any {
		switch v := v.(type) {
		case map[string]any:
			m := make(map[string]any, len(v))
			for k, x := range v {
				m[k] = clone(x)
			}
			return m
		case []any:
			return append([]any(nil), v...) // data arrays hold scalars; traces are cloned below
		}
		return v
	}
	out := clone(tree).(map[string]any)
	if traces, ok := out["data"].([]any); ok {
		for i, t := range traces {
			traces[i] = clone(t)
		}
	}
	return out
}
