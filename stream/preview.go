package stream

import (
	"context"
	"encoding/json"
	"time"

	"github.com/liveplot/liveplot/internal/figure"
	"github.com/liveplot/liveplot/kernelext"
)

const (
	// previewInterval spaces the display updates of a figure that no page follows live: four a
	// second, each one message, far under Jupyter's 1000 messages a second.
	previewInterval = 250 * time.Millisecond
	// previewPoints bounds the values of an array in a display update: a longer window is shown
	// decimated, keeping the least and greatest y of each of previewPoints/2 buckets (as the
	// page's client draws a long window), so that an update stays small.
	previewPoints = 2000
)

// previewLoop keeps the figure's output moving on front-ends that receive no frames
// (kernelext.Fallback): while the channel wants it, it displays the figure with the current
// window, decimated, at most every previewInterval, until the link closes.
func (l *Link) previewLoop(fb kernelext.Fallback) {
	defer close(l.previewDone)
	ticker := time.NewTicker(previewInterval)
	defer ticker.Stop()
	var shown int64 // l.changes when the last update was taken
	for {
		select {
		case <-l.stop:
			return
		case <-ticker.C:
		}
		if !fb.DisplayUpdates() {
			continue
		}
		l.mu.Lock()
		if l.changes == shown {
			l.mu.Unlock()
			continue
		}
		shown = l.changes
		data := l.previewDataLocked()
		relayout, err := l.relayout.values()
		l.mu.Unlock()
		if err != nil {
			relayout = nil // Close reports it; the preview shows the data
		}
		ctx, cancel := context.WithTimeout(context.Background(), closeTimeout)
		err = figure.PreviewTrace(ctx, l.target.FigureID, l.target.Trace, data, relayout)
		cancel()
		if err != nil {
			return // the figure cannot be shown again; Close will say why
		}
	}
}

// previewDataLocked returns the window's arrays as JSON, decimated to previewPoints values when
// longer, encoded as the final window is.
func (l *Link) previewDataLocked() map[string]json.RawMessage {
	n := 0
	for _, a := range l.window {
		n = max(n, a.col.len())
	}
	var keep []int
	if n > previewPoints {
		keep = decimate(n, l.window["y"])
	}
	data := make(map[string]json.RawMessage, len(l.window))
	for path, a := range l.window {
		if keep == nil || a.col.len() != n {
			data[path] = a.col.appendJSON(nil, 0)
			continue
		}
		b := make([]byte, 0, 16*len(keep))
		b = append(b, '[')
		for _, j := range keep { // ascending: a comma before each but keep[0]
			b = a.col.appendValues(b, j, j+1, keep[0])
		}
		data[path] = append(b, ']')
	}
	return data
}

// decimate returns the indices of a window of n values to show, in order: in each of
// previewPoints/2 buckets, those of the least and the greatest y (every stride-th index when y
// is not numbers), and the last index.
func decimate(n int, y *array) []int {
	buckets := previewPoints / 2
	keep := make([]int, 0, previewPoints+1)
	numeric := y != nil && y.col.len() == n && y.col.kind == columnFloat
	for b := range buckets {
		from, to := b*n/buckets, (b+1)*n/buckets
		if from >= to {
			continue
		}
		if !numeric {
			keep = append(keep, from)
			continue
		}
		lo, hi := from, from
		for i := from + 1; i < to; i++ {
			v := y.col.floats.at(i)
			if v < y.col.floats.at(lo) {
				lo = i
			}
			if v > y.col.floats.at(hi) {
				hi = i
			}
		}
		keep = append(keep, min(lo, hi))
		if lo != hi {
			keep = append(keep, max(lo, hi))
		}
	}
	if keep[len(keep)-1] != n-1 {
		keep = append(keep, n-1)
	}
	return keep
}
