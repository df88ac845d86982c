package e2e

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/jupyter"
	"github.com/liveplot/liveplot/plotly"
)

// plotlyFigure returns the application/vnd.plotly.v1+json of an output as the Jupyter message
// carried it: it must be a JSON object, not a string.
func plotlyFigure(t *testing.T, out jupyter.Output) map[string]any {
	t.Helper()
	fig, ok := out.Data[plotly.MIMEType].(map[string]any)
	if !ok {
		t.Fatalf("output's %s is %T (%.200v), want a JSON object; the bundle has %v", plotly.MIMEType, out.Data[plotly.MIMEType], out.Data[plotly.MIMEType], keysOf(out.Data))
	}
	return fig
}

// traceY reads data[i].y of a figure decoded from JSON.
func traceY(t *testing.T, fig map[string]any, i int) []float64 {
	t.Helper()
	data, _ := fig["data"].([]any)
	if len(data) <= i {
		t.Fatalf("figure has %d traces, want trace %d", len(data), i)
	}
	trace, _ := data[i].(map[string]any)
	raw, _ := trace["y"].([]any)
	y := make([]float64, len(raw))
	for j, v := range raw {
		y[j], _ = v.(float64)
	}
	return y
}

// TestGoNBKernelFigureBundle runs figure cells in the real GoNB kernel and reads the Jupyter
// messages: a figure output is a MIME bundle whose plotly JSON arrives as a JSON object holding
// the window, with a one-line text/plain, from the empty figure to the final one; and a binary
// representation (image/png) of an output arrives base64-encoded, as Jupyter stores images.
func TestGoNBKernelFigureBundle(t *testing.T) {
	s := startSession(t)
	tok := fmt.Sprintf("bundle-%d", time.Now().UnixNano())
	figure := s.cells + 1
	if r := s.run(figureCell(tok, 50)); r.Status != "ok" {
		t.Fatalf("figure cell: %s %s %+v", r.EName, r.EValue, s.rec.Outputs(figure))
	}
	out := s.rec.Outputs(figure)[0]
	if y := traceY(t, plotlyFigure(t, out), 0); len(y) != 0 {
		t.Fatalf("the empty figure's plotly JSON has y = %v", y)
	}
	if got, want := out.Data["text/plain"], `Figure "live": 1 trace (scatter), 0 points`; got != want {
		t.Fatalf("the empty figure's text/plain = %q, want %q", got, want)
	}

	if r := s.run(writeCell(0, 200, 0)); r.Status != "ok" {
		t.Fatalf("writing cell: %s %s", r.EName, r.EValue)
	}
	out = s.rec.Outputs(figure)[0]
	fig := plotlyFigure(t, out)
	if y := traceY(t, fig, 0); !equal(y, counting(150, 1, 50)) {
		t.Fatalf("the final plotly JSON has y = %v, want the window 150..199", y)
	}
	if layout, _ := fig["layout"].(map[string]any); layout == nil {
		t.Fatalf("the plotly JSON has no layout: %v", fig)
	}
	if y := shownY(t, out); !equal(y, counting(150, 1, 50)) {
		t.Fatalf("the final text/html has y = %v, want the window 150..199", y)
	}
	if got, want := out.Data["text/plain"], `Figure "live": 1 trace (scatter), 50 points`; got != want {
		t.Fatalf("the final text/plain = %q, want %q", got, want)
	}

	t.Run("bytes arrive as base64", func(t *testing.T) {
		cell := s.cells + 1
		r := s.run(`import (
	"context"

	"github.com/liveplot/liveplot/kernelext"
)

%%
front, err := kernelext.Default()
if err != nil {
	panic(err)
}
err = front.Display(context.Background(), kernelext.Output{HTML: "<b>bytes</b>", Data: map[string][]byte{
	"image/png":        {0x89, 'P', 'N', 'G', 0, 1, 2, 0xff},
	"application/json": []byte(` + "`" + `{"a": [1, null, true, "s"]}` + "`" + `),
}})
if err != nil {
	panic(err)
}
`)
		if r.Status != "ok" {
			t.Fatalf("cell: %s %s %+v", r.EName, r.EValue, s.rec.Outputs(cell))
		}
		outs := s.rec.Outputs(cell)
		if len(outs) != 1 {
			t.Fatalf("outputs = %+v, want one", outs)
		}
		b64, ok := outs[0].Data["image/png"].(string)
		if !ok {
			t.Fatalf("image/png is %T, want a base64 string", outs[0].Data["image/png"])
		}
		got, err := base64.StdEncoding.DecodeString(b64)
		if err != nil || !bytes.Equal(got, []byte{0x89, 'P', 'N', 'G', 0, 1, 2, 0xff}) {
			t.Fatalf("image/png %q decodes to %v (%v)", b64, got, err)
		}
		obj, ok := outs[0].Data["application/json"].(map[string]any)
		if !ok || fmt.Sprint(obj["a"]) != "[1 <nil> true s]" {
			t.Fatalf("application/json = %#v, want the object {a: [1, null, true, \"s\"]}", outs[0].Data["application/json"])
		}
		if html, _ := outs[0].Data["text/html"].(string); !strings.Contains(html, "<b>bytes</b>") {
			t.Fatalf("text/html = %.200q, want the output's HTML", html)
		}
	})
}
