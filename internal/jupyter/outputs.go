package jupyter

import (
	"encoding/json"
	"sync"
)

// Output is one nbformat (v4) cell output.
type Output struct {
	// OutputType is "stream", "display_data", "execute_result" or "error".
	OutputType string `json:"output_type"`
	// Name ("stdout" or "stderr") and Text are set for streams.
	Name string `json:"name,omitempty"`
	Text string `json:"text,omitempty"`
	// Data (by MIME type) and Metadata are set for display_data and execute_result.
	Data     map[string]any `json:"data,omitempty"`
	Metadata map[string]any `json:"metadata,omitempty"`
	// ExecutionCount is set for execute_result.
	ExecutionCount *int `json:"execution_count,omitempty"`
	// EName, EValue and Traceback are set for errors.
	EName     string   `json:"ename,omitempty"`
	EValue    string   `json:"evalue,omitempty"`
	Traceback []string `json:"traceback,omitempty"`
	// DisplayID is the transient display id the output was created with, if any. It is not
	// saved in notebooks.
	DisplayID string `json:"-"`
}

// Recorder turns IOPub messages into notebook outputs, cell by cell, as a notebook front end
// does: consecutive stream writes to the same stream merge; update_display_data replaces the
// data of every earlier output (in any cell) created with the same display id; clear_output
// clears the cell's outputs (with wait, just before the next output arrives). Use
// Recorder.Cell(i) as the handler of Execute. A Recorder is safe for concurrent use.
type Recorder struct {
	mu      sync.Mutex
	cells   map[int][]*Output
	pending map[int]bool // clear_output(wait=true) not yet applied
}

// NewRecorder returns an empty Recorder.
func NewRecorder() *Recorder {
	return &Recorder{cells: map[int][]*Output{}, pending: map[int]bool{}}
}

// Cell returns an Execute handler that records into cell i.
func (r *Recorder) Cell(i int) func(*Message) {
	return func(m *Message) { r.Record(i, m) }
}

// Outputs returns a copy of cell i's outputs.
func (r *Recorder) Outputs(i int) []Output {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Output, len(r.cells[i]))
	for j, o := range r.cells[i] {
		out[j] = *o
	}
	return out
}

// Record applies one IOPub message to cell i. Messages that are not outputs are ignored.
func (r *Recorder) Record(i int, m *Message) {
	var c struct {
		Name           string         `json:"name"`
		Text           string         `json:"text"`
		Data           map[string]any `json:"data"`
		Metadata       map[string]any `json:"metadata"`
		ExecutionCount int            `json:"execution_count"`
		EName          string         `json:"ename"`
		EValue         string         `json:"evalue"`
		Traceback      []string       `json:"traceback"`
		Wait           bool           `json:"wait"`
		Transient      struct {
			DisplayID string `json:"display_id"`
		} `json:"transient"`
	}
	switch m.Type() {
	case "stream", "display_data", "update_display_data", "execute_result", "error", "clear_output":
	default:
		return
	}
	if json.Unmarshal(m.Content, &c) != nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if m.Type() == "clear_output" {
		if c.Wait {
			r.pending[i] = true
		} else {
			r.cells[i] = nil
		}
		return
	}
	if m.Type() == "update_display_data" {
		// An update is not an output of this cell: it changes the outputs it names.
		if c.Transient.DisplayID == "" {
			return
		}
		for _, outs := range r.cells {
			for _, o := range outs {
				if o.DisplayID == c.Transient.DisplayID {
					o.Data, o.Metadata = c.Data, c.Metadata
				}
			}
		}
		return
	}
	if r.pending[i] {
		r.cells[i] = nil
		delete(r.pending, i)
	}
	outs := r.cells[i]
	switch m.Type() {
	case "stream":
		if n := len(outs); n > 0 && outs[n-1].OutputType == "stream" && outs[n-1].Name == c.Name {
			outs[n-1].Text += c.Text
			return
		}
		r.cells[i] = append(outs, &Output{OutputType: "stream", Name: c.Name, Text: c.Text})
	case "display_data":
		r.cells[i] = append(outs, &Output{OutputType: "display_data", Data: c.Data,
			Metadata: nonNil(c.Metadata), DisplayID: c.Transient.DisplayID})
	case "execute_result":
		n := c.ExecutionCount
		r.cells[i] = append(outs, &Output{OutputType: "execute_result", Data: c.Data,
			Metadata: nonNil(c.Metadata), ExecutionCount: &n, DisplayID: c.Transient.DisplayID})
	case "error":
		r.cells[i] = append(outs, &Output{OutputType: "error", EName: c.EName, EValue: c.EValue,
			Traceback: c.Traceback})
	}
}

func nonNil(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
