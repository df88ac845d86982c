package kernelext

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// The notebook the GoNB tests run, after harness.GoNBSetupCell. Cell 1 displays, through this package, an output whose script
// records the frames of channel "c" in window.received; it carries a small library. Cell 2, a
// new process, opens "c" and sends frames at 60 a second, with the values 0, "" and false in each.
const gonbRecorderCell = `import (
	"context"

	"github.com/liveplot/liveplot/kernelext"
)

%%
f, err := kernelext.Default()
if err != nil {
	panic(err)
}
recorder := ` + "`" + `<div id="recorder">recorder</div>
<script>
window.received = window.received || [];
window.recorderRuns = (window.recorderRuns || 0) + 1;
liveplotTransport.subscribe("c", (f) => window.received.push(f));
</script>` + "`" + `
lib := kernelext.Script{Name: "test-lib-1", Source: []byte("window.testLib = (window.testLib || 0) + 1; // </script> <!-- escaped")}
if err := f.Display(context.Background(), kernelext.Output{ID: "recorder", HTML: recorder, Scripts: []kernelext.Script{lib}}); err != nil {
	panic(err)
}
`

func gonbStreamCell(frames int) string {
	return fmt.Sprintf(`import (
	"fmt"
	"sync"
	"time"
)

%%%%
f, err := kernelext.Default()
if err != nil {
	panic(err)
}
var mu sync.Mutex
last := 0
ch, err := f.OpenChannel("c", func() []byte {
	mu.Lock()
	defer mu.Unlock()
	return []byte(fmt.Sprintf(`+"`"+`{"snapshot":true,"seq":%%d}`+"`"+`, last))
})
if err != nil {
	panic(err)
}
start := time.Now()
tick := time.NewTicker(time.Second / 60)
for i := 1; i <= %d; i++ {
	<-tick.C
	mu.Lock()
	last = i
	mu.Unlock()
	if err := ch.Send([]byte(fmt.Sprintf(`+"`"+`{"seq":%%d,"zero":0,"empty":"","no":false}`+"`"+`, i))); err != nil {
		panic(err)
	}
}
sent := time.Since(start)
ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
defer cancel()
if err := ch.Close(ctx); err != nil {
	panic(err)
}
fmt.Printf("liveplot-test: sent %d frames in %%d ms, closed in %%d ms\n", sent.Milliseconds(), (time.Since(start) - sent).Milliseconds())
`, frames, frames)
}

// gonbInstaller is a string of GoNB's WebSocket installer script (and not of ours).
const gonbInstaller = "_ws_url"

type recorded struct {
	Snapshot bool    `json:"snapshot"`
	Seq      int     `json:"seq"`
	Zero     *int    `json:"zero"`
	Empty    *string `json:"empty"`
	No       *bool   `json:"no"`
}

// checkStream checks frames as a late subscriber sees them: the snapshot first, then every
// frame after it, in order, with their falsy values intact. It returns the last seq.
//
// A frame sent while the snapshot was taken may come after it although the snapshot covers it
// (kernelext.Channel says so): right after a snapshot, frames it covers are skipped, as
// liveplot's figures skip them by seq; anywhere else a repeated seq is an error.
func checkStream(t *testing.T, frames []recorded) int {
	t.Helper()
	if len(frames) == 0 || !frames[0].Snapshot {
		t.Fatalf("first frame %+v, want the snapshot", frames)
	}
	seq := frames[0].Seq
	afterSnapshot := true
	for i, f := range frames[1:] {
		if f.Snapshot {
			seq = max(seq, f.Seq) // a page may ask again (a re-opened comm): frames then resume after it
			afterSnapshot = true
			continue
		}
		if afterSnapshot && f.Seq <= seq {
			continue
		}
		afterSnapshot = false
		if f.Seq != seq+1 {
			t.Fatalf("frame %d has seq %d after %d: frames lost or out of order", i+1, f.Seq, seq)
		}
		if f.Zero == nil || *f.Zero != 0 || f.Empty == nil || *f.Empty != "" || f.No == nil || *f.No {
			t.Fatalf("frame seq %d lost a falsy value: %+v", f.Seq, f)
		}
		seq = f.Seq
	}
	return seq
}

func received(t *testing.T, ctx context.Context) []recorded {
	t.Helper()
	raw := evaluate[string](t, ctx, `JSON.stringify(window.received || [])`)
	var frames []recorded
	if err := json.Unmarshal([]byte(raw), &frames); err != nil {
		t.Fatal(err)
	}
	return frames
}

// runAll opens a notebook page, waits for its kernel and runs every cell.
func runAll(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatal(err)
	}
	waitKernel(t, ctx)
	evaluate[bool](t, ctx, `Jupyter.notebook.execute_all_cells(), true`)
}

func waitKernel(t *testing.T, ctx context.Context) {
	t.Helper()
	testenv.Poll(t, ctx, 60*time.Second, "the notebook's kernel", `!!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected())`)
}

const lastSeq = `(function () { const r = window.received || []; return r.length ? r[r.length - 1].seq : -1; })()`

// TestGoNBNotebookBrowser runs the notebook in Notebook 6 in headless Chromium: the page of cell
// 1 gets cell 2's frames in order and complete, a reload in mid-stream subscribes again and gets
// the snapshot first, and the library is defined once.
func TestGoNBNotebookBrowser(t *testing.T) {
	nb := testenv.NotebookServer(t, testenv.NotebookOptions{})
	ctx := testenv.Browser(t)
	const frames = 900 // 15 s at 60 a second
	nb.WriteNotebook(t, "stream.ipynb", harness.GoNBSetupCell, gonbRecorderCell, gonbStreamCell(frames))
	start := time.Now()
	runAll(t, ctx, nb.PageURL("stream.ipynb"))
	// The first cell may build for 30 s with a cold Go cache.
	testenv.Poll(t, ctx, 120*time.Second, "120 frames", `(window.received || []).length >= 120`)
	t.Logf("first 120 frames after %v", time.Since(start))
	before := checkStream(t, received(t, ctx))
	if n := evaluate[int](t, ctx, `window.testLib`); n != 1 {
		t.Errorf("the library ran %d times, want once", n)
	}
	if n := evaluate[int](t, ctx, `document.querySelectorAll(".output_area [id^=liveplot-]").length`); n < 1 {
		t.Errorf("no liveplot output in the page")
	}
	if evaluate[bool](t, ctx, `document.body.innerHTML.includes("`+gonbInstaller+`")`) {
		t.Error("GoNB's WebSocket installer is in the page")
	}

	// Save (so that the reloaded page has cell 1's output), then reload in mid-stream.
	evaluate[bool](t, ctx, `window.saved = false; Jupyter.notebook.save_notebook().then(() => (window.saved = true)); true`)
	testenv.Poll(t, ctx, 10*time.Second, "the save", `window.saved === true`)
	evaluate[bool](t, ctx, `window.onbeforeunload = null; true`)
	reloadAt := time.Now()
	if err := chromedp.Do(ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	waitKernel(t, ctx)
	testenv.Poll(t, ctx, 20*time.Second, "the snapshot after the reload", `(window.received || []).length >= 1`)
	t.Logf("snapshot %v after the reload", time.Since(reloadAt))
	testenv.Poll(t, ctx, 40*time.Second, "the last frame after the reload", lastSeq+` === `+strconv.Itoa(frames))
	after := received(t, ctx)
	if after[0].Seq <= before {
		t.Errorf("the snapshot after the reload has seq %d, not past the %d seen before it", after[0].Seq, before)
	}
	if got := checkStream(t, after); got != frames {
		t.Errorf("last seq %d, want %d", got, frames)
	}
	if n := evaluate[int](t, ctx, `window.recorderRuns`); n != 1 {
		t.Errorf("the recorder ran %d times in the reloaded page, want once", n)
	}
	// The reloaded page does not show cell 2's later outputs: Notebook 6 routes outputs to the page
	// that sent the execute request.
	t.Logf("%d frames after the reload, total %v", len(after), time.Since(start))
}

// TestGoNBNotebookBaseURL is the same stream under a base_url, as JupyterHub serves notebooks.
func TestGoNBNotebookBaseURL(t *testing.T) {
	nb := testenv.NotebookServer(t, testenv.NotebookOptions{BaseURL: "/user/x/"})
	ctx := testenv.Browser(t)
	const frames = 180
	nb.WriteNotebook(t, "stream.ipynb", harness.GoNBSetupCell, gonbRecorderCell, gonbStreamCell(frames))
	runAll(t, ctx, nb.PageURL("stream.ipynb"))
	testenv.Poll(t, ctx, 120*time.Second, "the last frame", lastSeq+` === `+strconv.Itoa(frames))
	if got := checkStream(t, received(t, ctx)); got != frames {
		t.Errorf("last seq %d, want %d", got, frames)
	}
	const outputs = `Array.from(document.querySelectorAll(".output_subarea")).map((e) => e.innerText).join("\\n")`
	testenv.Poll(t, ctx, 20*time.Second, "cell 2's report", outputs+`.includes("liveplot-test: sent")`)
	t.Log(evaluate[string](t, ctx, outputs+`.match(/liveplot-test: sent.*/)[0]`))
	if evaluate[bool](t, ctx, `document.body.innerHTML.includes("`+gonbInstaller+`")`) {
		t.Error("GoNB's WebSocket installer is in the page")
	}
}

// TestGoNBNotebookNBConvert executes the notebook with nbconvert, where no page listens: no comm
// message is sent, so no send waits for a page and no installer script lands in the notebook.
func TestGoNBNotebookNBConvert(t *testing.T) {
	nb := testenv.NotebookServer(t, testenv.NotebookOptions{})
	const frames = 120 // 2 s at 60 a second
	nb.WriteNotebook(t, "stream.ipynb", harness.GoNBSetupCell, gonbRecorderCell, gonbStreamCell(frames))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	raw, took := nb.NBConvertExecute(t, ctx, "stream.ipynb")
	var executed struct {
		Cells []struct {
			Outputs []map[string]any `json:"outputs"`
		} `json:"cells"`
	}
	if err := json.Unmarshal(raw, &executed); err != nil {
		t.Fatal(err)
	}
	if len(executed.Cells) != 3 {
		t.Fatalf("%d cells, want 3", len(executed.Cells))
	}
	executed.Cells = executed.Cells[1:] // the setup cell's output is go get's
	describe := func(outs []map[string]any) string {
		b, _ := json.Marshal(outs)
		return string(b[:min(len(b), 600)])
	}
	if outs := executed.Cells[0].Outputs; len(outs) != 1 || outs[0]["output_type"] != "display_data" ||
		!strings.Contains(fmt.Sprint(outs[0]["data"]), "liveplotNotebook.define") {
		t.Errorf("cell 1 outputs %s, want one display_data carrying the library", describe(outs))
	}
	outs := executed.Cells[1].Outputs
	if len(outs) != 1 || outs[0]["output_type"] != "stream" {
		t.Fatalf("cell 2 outputs %s, want only its report", describe(outs))
	}
	if strings.Contains(string(raw), gonbInstaller) {
		t.Error("GoNB's WebSocket installer is in the executed notebook")
	}
	report := fmt.Sprint(outs[0]["text"])
	m := regexp.MustCompile(`sent (\d+) frames in (\d+) ms, closed in (\d+) ms`).FindStringSubmatch(report)
	if m == nil {
		t.Fatalf("cell 2 printed %q", report)
	}
	sentMS, _ := strconv.Atoi(m[2])
	closeMS, _ := strconv.Atoi(m[3])
	// 120 frames at 60 a second take 2 s; one 3 s stall would show.
	if sentMS > 2800 || closeMS > 500 {
		t.Errorf("sending took %d ms and closing %d ms: something waited", sentMS, closeMS)
	}
	t.Logf("nbconvert took %v; %s", took, strings.TrimSpace(report))
}

// TestGoNBDisplayUpdatesPolicy: a GoNB channel wants output updates where a page may look and no
// page listens live: never under a batch runner or once subscribed; at once without comms; under
// a Jupyter server only after no page answered the hello.
func TestGoNBDisplayUpdatesPolicy(t *testing.T) {
	for _, tc := range []struct {
		name                      string
		parent                    parentKind
		live, unheard, subscribed bool
		want                      bool
	}{
		{"batch runner", parentBatch, false, false, false, false},
		{"no comms (VS Code)", parentOther, false, false, false, true},
		{"server, waiting for a page", parentServer, true, false, false, false},
		{"server, no page answered", parentServer, true, true, false, true},
		{"server, page subscribed", parentServer, true, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGoNB()
			g.started, g.parent, g.live = true, tc.parent, tc.live
			if tc.unheard {
				close(g.unheard)
			}
			g.subscribed["c"] = tc.subscribed
			c := &gonbChannel{g: g, name: "c"}
			if got := c.DisplayUpdates(); got != tc.want {
				t.Fatalf("DisplayUpdates() = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestGoNBPicturePolicy: Picture asks only where a page listens, returns the first answer when it
// is a PNG within the bound, and nil (never an error, never past ctx) in every other case.
func TestGoNBPicturePolicy(t *testing.T) {
	var small bytes.Buffer
	if err := png.Encode(&small, image.NewGray(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	b64 := base64.StdEncoding.EncodeToString
	for _, tc := range []struct {
		name        string
		live, heard bool
		unheard     bool   // no page answered within gonbHelloTimeout
		answer      string // the page's answer's png, "" for none
		want        bool   // a picture returned
		waits       bool   // Picture waits until ctx is done
	}{
		{"no comms (batch run, VS Code)", false, true, false, b64(small.Bytes()), false, false},
		{"no page answered the hello in time", true, false, true, b64(small.Bytes()), false, false},
		{"no page has answered the hello yet", true, false, false, b64(small.Bytes()), false, true},
		{"a page answers a PNG", true, true, false, b64(small.Bytes()), true, false},
		{"a page answers something else", true, true, false, b64([]byte("not a png")), false, false},
		{"a page answers a PNG too large", true, true, false, b64(append(small.Bytes(), make([]byte, gonbPictureBytes)...)), false, false},
		{"no page answers", true, true, false, "", false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewGoNB()
			g.started, g.live = true, tc.live
			if tc.unheard {
				close(g.unheard)
			}
			if tc.heard {
				close(g.heard)
			}
			g.elements["fig"] = "liveplot-elem"
			stop := make(chan struct{})
			defer close(stop)
			if tc.answer != "" {
				go func() { // the page: answers the request once it is asked
					for {
						select {
						case <-stop:
							return
						default:
						}
						g.mu.Lock()
						var request string
						for r := range g.pictures {
							request = r
						}
						g.mu.Unlock()
						if request != "" {
							answer, _ := json.Marshal(map[string]string{"request": request, "png": tc.answer})
							g.onPicture(string(answer))
							return
						}
						time.Sleep(time.Millisecond)
					}
				}()
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			start := time.Now()
			got := g.Picture(ctx, "fig")
			took := time.Since(start)
			if (got != nil) != tc.want || tc.want && !bytes.Equal(got, small.Bytes()) {
				t.Fatalf("Picture returned %d bytes, want a picture: %v", len(got), tc.want)
			}
			if waited := took >= 2*time.Second; waited != tc.waits {
				t.Fatalf("Picture took %v (ctx: 2 s), want it to wait for ctx: %v", took, tc.waits)
			}
		})
	}
}

// TestGreetRecordsNoPageOnlyForStreams runs greet in a synctest bubble, where its waits pass at
// once, with no page answering: a program with a stream channel gives up after 10 s and records
// for the kernel's later cells that no page listens; one that only wants pictures (no channel)
// gives up after 30 s and records nothing, so that a slow page costs later streams nothing.
func TestGreetRecordsNoPageOnlyForStreams(t *testing.T) {
	for _, tc := range []struct {
		name    string
		streams bool
		after   time.Duration
	}{
		{"a stream", true, gonbHelloTimeout},
		{"pictures only", false, gonbPictureHelloTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				g := NewGoNB()
				g.stateDir = t.TempDir()
				g.live = true
				if tc.streams {
					g.channels["c"] = &gonbChannel{g: g, name: "c"}
				}
				start := time.Now()
				go g.greet()
				<-g.unheard
				if waited := time.Since(start); waited != tc.after {
					t.Errorf("greet gave up after %v, want %v", waited, tc.after)
				}
				synctest.Wait() // greet records after it gave up
				_, err := os.Stat(filepath.Join(g.stateDir, "no-page"))
				if recorded := err == nil; recorded != tc.streams {
					t.Errorf("no-page recorded: %v, want %v", recorded, tc.streams)
				}
			})
		})
	}
}
