package figure

import (
	"context"
	"encoding/json"
	"io"
	"sort"
)

// writeTreeJSON writes a figure tree (map[string]any, []any and JSON leaves, as toTree makes
// them) as JSON, byte for byte as json.Marshal would, with two differences that matter for big
// figures: a json.RawMessage (a streamed array, encoded by the link that kept it) is copied as
// it is, neither checked nor compacted into a buffer of its own; and ctx is checked as it goes,
// so that rendering or saving a figure of millions of points stops when ctx is done.
func writeTreeJSON(ctx context.Context, w io.Writer, tree any) error {
	e := treeEncoder{ctx: ctx, w: w, buf: make([]byte, 0, treeFlushSize+1024)}
	if err := e.value(tree); err != nil {
		return err
	}
	return e.flush()
}

// treeFlushSize is how much the encoder gathers before it writes: the check of ctx goes with it.
const treeFlushSize = 64 << 10

type treeEncoder struct {
	ctx context.Context
	w   io.Writer
	buf []byte
}

func (e *treeEncoder) flush() error {
	if err := e.ctx.Err(); err != nil {
		return err
	}
	if len(e.buf) == 0 {
		return nil
	}
	_, err := e.w.Write(e.buf)
	e.buf = e.buf[:0]
	return err
}

func (e *treeEncoder) value(v any) error {
	if len(e.buf) >= treeFlushSize {
		if err := e.flush(); err != nil {
			return err
		}
	}
	switch v := v.(type) {
	case json.RawMessage:
		if err := e.flush(); err != nil {
			return err
		}
		_, err := e.w.Write(v)
		return err
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		e.buf = append(e.buf, '{')
		for i, k := range keys {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.leaf(k); err != nil {
				return err
			}
			e.buf = append(e.buf, ':')
			if err := e.value(v[k]); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
		return nil
	case []any:
		e.buf = append(e.buf, '[')
		for i, x := range v {
			if i > 0 {
				e.buf = append(e.buf, ',')
			}
			if err := e.value(x); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, ']')
		return nil
	}
	return e.leaf(v)
}

// leaf appends a value that is not a map, an array or raw JSON, as json.Marshal encodes it.
func (e *treeEncoder) leaf(v any) error {
	switch v := v.(type) {
	case nil:
		e.buf = append(e.buf, "null"...)
		return nil
	case bool:
		if v {
			e.buf = append(e.buf, "true"...)
		} else {
			e.buf = append(e.buf, "false"...)
		}
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	e.buf = append(e.buf, raw...)
	return nil
}

// rawSize is the size of the raw JSON arrays in tree: most of a big figure's encoding.
func rawSize(tree any) int {
	switch v := tree.(type) {
	case json.RawMessage:
		return len(v)
	case map[string]any:
		n := 0
		for _, x := range v {
			n += rawSize(x)
		}
		return n
	case []any:
		n := 0
		for _, x := range v {
			n += rawSize(x)
		}
		return n
	}
	return 0
}
