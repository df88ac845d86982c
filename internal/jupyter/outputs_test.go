package jupyter

import (
	"encoding/json"
	"testing"
)

func iopub(t *testing.T, msgType string, content any) *Message {
	t.Helper()
	raw, err := json.Marshal(content)
	if err != nil {
		t.Fatal(err)
	}
	return &Message{Channel: IOPub, Header: Header{MsgType: msgType}, Content: raw}
}

func TestRecorder(t *testing.T) {
	r := NewRecorder()
	display := func(id, html string) map[string]any {
		return map[string]any{"data": map[string]any{"text/html": html}, "metadata": map[string]any{},
			"transient": map[string]any{"display_id": id}}
	}
	for _, m := range []*Message{
		iopub(t, "status", map[string]any{"execution_state": "busy"}),
		iopub(t, "stream", map[string]any{"name": "stdout", "text": "a"}),
		iopub(t, "stream", map[string]any{"name": "stdout", "text": "b\n"}),
		iopub(t, "stream", map[string]any{"name": "stderr", "text": "warn\n"}),
		iopub(t, "stream", map[string]any{"name": "stdout", "text": "c\n"}),
		iopub(t, "display_data", display("fig", "v1")),
		iopub(t, "execute_result", map[string]any{"execution_count": 3, "data": map[string]any{"text/plain": "42"}}),
		iopub(t, "error", map[string]any{"ename": "E", "evalue": "bad", "traceback": []string{"t1", "t2"}}),
	} {
		r.Record(1, m)
	}
	r.Record(2, iopub(t, "update_display_data", display("fig", "v2")))
	outs := r.Outputs(1)
	if len(outs) != 6 {
		t.Fatalf("%d outputs, want 6: %+v", len(outs), outs)
	}
	if outs[0].Text != "ab\n" || outs[1].Name != "stderr" || outs[2].Text != "c\n" {
		t.Errorf("streams not merged as a notebook does: %+v", outs[:3])
	}
	if outs[3].Data["text/html"] != "v2" || outs[3].DisplayID != "fig" {
		t.Errorf("display not updated by a later cell's update_display_data: %+v", outs[3])
	}
	if outs[4].ExecutionCount == nil || *outs[4].ExecutionCount != 3 {
		t.Errorf("execute_result: %+v", outs[4])
	}
	if outs[5].EName != "E" || len(outs[5].Traceback) != 2 {
		t.Errorf("error: %+v", outs[5])
	}
	if len(r.Outputs(2)) != 0 {
		t.Errorf("update_display_data created an output in the updating cell: %+v", r.Outputs(2))
	}

	// clear_output: at once, or (wait) just before the next output.
	r.Record(1, iopub(t, "clear_output", map[string]any{"wait": false}))
	if n := len(r.Outputs(1)); n != 0 {
		t.Errorf("%d outputs after clear_output", n)
	}
	r.Record(3, iopub(t, "stream", map[string]any{"name": "stdout", "text": "old"}))
	r.Record(3, iopub(t, "clear_output", map[string]any{"wait": true}))
	if n := len(r.Outputs(3)); n != 1 {
		t.Errorf("clear_output(wait) cleared before the next output: %d outputs", n)
	}
	r.Record(3, iopub(t, "stream", map[string]any{"name": "stdout", "text": "new"}))
	if outs := r.Outputs(3); len(outs) != 1 || outs[0].Text != "new" {
		t.Errorf("after clear_output(wait) and new output: %+v", outs)
	}
}
