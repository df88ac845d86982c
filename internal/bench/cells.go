package bench

import "fmt"

// The notebook cells each scenario runs. Every streaming cell writes points whose x is its
// scenario's first x (lo) plus, per figure, the figure's offset and the point's number, and whose
// y is its write time in ms since the Unix epoch (see probe.js); it runs for a fixed time and
// prints "bench: written=N" last, N the points of one figure.

// The two cells whose warm build times are compared: one imports nothing of liveplot. Each run
// prints its own number, so that GoNB cannot reuse the previous build.
func plainCell(run int) string { return fmt.Sprintf("%%%%\nfmt.Println(\"plain\", %d)\n", run) }

func liveplotCell(run int) string {
	return fmt.Sprintf(`import (
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

%%%%
fmt.Println("liveplot", %d, stream.NewToken() != "", plotly.Figure{}.Layout == nil)
`, run)
}

// gonbDeclCell declares, once, what the streaming cells use (GoNB keeps a cell's declarations
// for the cells after it), and shows a first liveplot figure: that output carries plotly.js into
// the page, for the probe to wrap before any measured cell runs.
const gonbDeclCell = `import (
	"context"
	"encoding/json"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

var (
	_ = context.Background
	_ = json.Marshal
	_ = gonbui.UpdateHTML
	_ = time.Now
	_ = stream.Open
)

%%
fmt.Printf("bench: shown=%d\n", time.Now().UnixMilli())
if err := plotly.Show(plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: []float64{0, 1}, Y: []float64{0, 1}}}}); err != nil {
	panic(err)
}
`

// showCell shows a small figure in the page, which has plotly.js by then; its Show is timed to the
// first paint (Report.FirstPaintWarmMs).
const showCell = `%%
fmt.Printf("bench: shown=%d\n", time.Now().UnixMilli())
if err := plotly.Show(plotly.Figure{Data: plotly.Data{&plotly.Scatter{X: []float64{0, 1, 2}, Y: []float64{1, 0, 1}}}}); err != nil {
	panic(err)
}
`

// liveplotStreamCell shows shape's figures, each a trace with a window of shape.Window points, and
// streams into all of them at shape.Rate points/s each for seconds, through liveplot, with its
// fastest single-point append.
func liveplotStreamCell(shape Shape, lo, seconds float64) string {
	return fmt.Sprintf(`%%%%
const window, rate, seconds, figures = %d, %g, %g, %d
const lo, figureXs = %.0f, %.0f
links := make([]*stream.Link, figures)
for k := range links {
	tok := stream.NewToken()
	fig := plotly.Figure{
		Data: plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines",
			Stream: &plotly.Stream{Token: tok, MaxPoints: window}}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: fmt.Sprintf("liveplot %%d", k)}},
	}
	if err := plotly.Show(fig); err != nil {
		panic(err)
	}
	s, err := stream.Open(tok)
	if err != nil {
		panic(err)
	}
	links[k] = s
}
time.Sleep(time.Second) // the page draws the figures and subscribes: not measured
start := time.Now()
n := 0
for {
	el := time.Since(start).Seconds()
	if el >= seconds {
		break
	}
	due := int(el * rate)
	if due == n {
		time.Sleep(time.Millisecond)
		continue
	}
	for ; n < due; n++ {
		y := float64(time.Now().UnixNano()) / 1e6
		for k, s := range links {
			if err := s.AppendFloat(lo+float64(k)*figureXs+float64(n), y); err != nil {
				panic(err)
			}
		}
	}
}
var st stream.Stats
closing := time.Now()
// The final figure carries the whole window: a million points take longer than Close's 10 s.
ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
defer cancel()
for _, s := range links {
	if err := s.CloseContext(ctx); err != nil {
		panic(err)
	}
	st.Sent += s.Stats().Sent
	st.Coalesced += s.Stats().Coalesced
	st.Frames += s.Stats().Frames
}
fmt.Printf("bench: written=%%d sent=%%d coalesced=%%d frames=%%d closed in %%v\n", n, st.Sent, st.Coalesced, st.Frames, time.Since(closing).Round(time.Millisecond))
`, shape.Window, shape.Rate, seconds, shape.figures(), lo, figureXs)
}

// rerenderCell is what GoNB users do today (GoNB's plotly helper, GoMLX's live plots): every tick
// (50 ms, or longer when a redraw takes longer) it redraws the whole figure, its window of points
// inline, with gonbui.UpdateHTML. Points arrive at rate points/s; a point's y is when it arrived.
func rerenderCell(shape Shape, lo, seconds float64) string {
	return fmt.Sprintf(`%%%%
const window, rate, seconds, lo = %d, %g, %g, %.0f
id := fmt.Sprintf("rerender-%%d", time.Now().UnixNano())
xs, ys := make([]float64, 0, 2*window), make([]float64, 0, 2*window)
startMs := float64(time.Now().UnixNano()) / 1e6
n, frames := 0, 0
for {
	tick := time.Now()
	el := (float64(tick.UnixNano())/1e6 - startMs) / 1000
	if el >= seconds {
		break
	}
	due := int(el * rate)
	if due-n > window {
		n = due - window // older points would fall out of the window anyway
	}
	for ; n < due; n++ {
		xs = append(xs, lo+float64(n))
		ys = append(ys, startMs+float64(n)/rate*1000)
	}
	if len(xs) > window {
		xs = append(xs[:0], xs[len(xs)-window:]...)
		ys = append(ys[:0], ys[len(ys)-window:]...)
	}
	data, err := json.Marshal([]map[string]any{{"type": "scatter", "mode": "lines", "x": xs, "y": ys}})
	if err != nil {
		panic(err)
	}
	div := fmt.Sprintf("%%s-%%d", id, frames)
	gonbui.UpdateHTML(id, fmt.Sprintf("<div id=%%q style=\"height:450px\"></div><script>Plotly.newPlot(%%q, %%s, {title: {text: \"re-render\"}})</script>", div, div, data))
	frames++
	time.Sleep(time.Until(tick.Add(50 * time.Millisecond)))
}
gonbui.Sync()
fmt.Printf("bench: written=%%d frames=%%d\n", n, frames)
`, shape.Window, shape.Rate, seconds, lo)
}

// pythonInitCell imports Debian's plotly and shows an empty figure with plotly's own choice of
// renderer, which loads plotly.js into the page (offline: it is inlined).
const pythonInitCell = `import collections, time
import plotly, plotly.graph_objects as go, plotly.io as pio
from IPython.display import display
print("bench: plotly", plotly.__version__, "renderer", pio.renderers.default)
display(go.Figure())
`

// pythonCell is what Python users do: update a display handle with the whole figure each tick.
func pythonCell(shape Shape, lo, seconds float64) string {
	return fmt.Sprintf(`window, rate, seconds, lo = %d, %g, %g, %.0f
fig = go.Figure(go.Scatter(x=[], y=[], mode="lines"), layout=dict(title="python"))
handle = display(fig, display_id=True)
xs, ys = collections.deque(maxlen=window), collections.deque(maxlen=window)
start = time.time()
n = frames = 0
while True:
    tick = time.time()
    el = tick - start
    if el >= seconds:
        break
    due = int(el * rate)
    if due - n > window:
        n = due - window  # older points would fall out of the window anyway
    while n < due:
        xs.append(lo + n)
        ys.append((start + n / rate) * 1000)
        n += 1
    fig.data[0].x = list(xs)
    fig.data[0].y = list(ys)
    handle.update(fig)
    frames += 1
    time.sleep(max(0, tick + 0.05 - time.time()))
print(f"bench: written={n} frames={frames}")
`, shape.Window, shape.Rate, seconds, lo)
}
