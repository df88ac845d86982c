package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
)

// The notebook soak: a Notebook 6 page in Chromium, a GoNB kernel behind it. Cell 1 shows the
// figures (one per link, trace 0 streamed with a window of cfg.Window points); cell 2's program
// opens the links and writes them for cfg.Duration, as a user's cell would. That program reports
// to the soak through a file of JSON lines (soakStatus), four a second: a reloaded page no longer
// shows the running cell's outputs, and its memory must be read from inside it (the Go heap).
// Before each reload the page saves the notebook, as Notebook 6's autosave would: a reloaded
// Notebook 6 page shows the outputs of the saved file.

// soakStatus is one line the streaming cell's program writes to the status file.
type soakStatus struct {
	// State is "writing" while the links write, "closing" once they stopped, "closed" once every
	// link is closed (Error then says which could not close), "failed" when a link failed to
	// write (Error says how).
	State   string  `json:"state"`
	Written []int64 `json:"written"` // points written so far, per link
	HeapMB  float64 `json:"heap_mb"` // the program's live heap after its last GC (every cfg.Sample)
	RSSMB   float64 `json:"rss_mb"`  // the program's resident set at that GC
	PPID    int     `json:"ppid"`    // the program's parent: the GoNB kernel
	Error   string  `json:"error,omitempty"`
}

// lastLine returns the last complete (newline-ended) line of data, without its newline, or nil
// when there is none.
func lastLine(data []byte) []byte {
	text := string(data)
	end := strings.LastIndexByte(text, '\n')
	if end < 0 {
		return nil
	}
	return data[strings.LastIndexByte(text[:end], '\n')+1 : end]
}

// readSoakStatus reads the last line of the status file at path. A status file that does not
// exist yet gives an error satisfying errors.Is(err, os.ErrNotExist).
func readSoakStatus(path string) (soakStatus, error) {
	var st soakStatus
	f, err := os.Open(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return st, fmt.Errorf("soak: reading the producer's status: %w", err)
	}
	// A line holds a count per link: 64 KB holds the last one whole for thousands of links.
	const tail = 64 << 10
	from := max(0, info.Size()-tail)
	buf := make([]byte, info.Size()-from)
	if _, err := f.ReadAt(buf, from); err != nil && !errors.Is(err, io.EOF) {
		return st, fmt.Errorf("soak: reading the producer's status: %w", err)
	}
	line := lastLine(buf)
	if line == nil {
		return st, fmt.Errorf("soak: the producer's status %s has no line yet: %w", path, os.ErrNotExist)
	}
	if err := json.Unmarshal(line, &st); err != nil {
		return st, fmt.Errorf("soak: the producer's status line %.200q: %w", line, err)
	}
	return st, nil
}

// soakFiguresCell declares what the streaming cell uses (GoNB keeps a cell's declarations for
// the cells after it), the streaming program included, and shows the figures.
func soakFiguresCell(cfg SoakConfig, tokenPrefix, statusPath string) string {
	return fmt.Sprintf(`import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

const (
	soakLinks, soakWindow = %d, %d
	soakRate               = %g // points a second, per link
	soakDuration           = time.Duration(%d)
	soakSample             = time.Duration(%d)
	soakTokenPrefix        = %q
	soakStatusPath         = %q
)

func soakToken(i int) string { return soakTokenPrefix + strconv.Itoa(i) }

// soakRSSMB is this program's resident set in MB, from /proc.
func soakRSSMB() float64 {
	raw, _ := os.ReadFile("/proc/self/status")
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				kb, _ := strconv.ParseFloat(f[0], 64)
				return kb / 1024
			}
		}
	}
	return 0
}

// soakStream writes every link for soakDuration, x the point's number, in ticks of 10 ms, closes
// them, and reports to soakStatusPath four times a second.
func soakStream() {
	status, err := os.OpenFile(soakStatusPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		panic(err)
	}
	defer status.Close()
	var line struct {
		State   string  `+"`json:\"state\"`"+`
		Written []int64 `+"`json:\"written\"`"+`
		HeapMB  float64 `+"`json:\"heap_mb\"`"+`
		RSSMB   float64 `+"`json:\"rss_mb\"`"+`
		PPID    int     `+"`json:\"ppid\"`"+`
		Error   string  `+"`json:\"error,omitempty\"`"+`
	}
	line.PPID = os.Getppid()
	written := make([]atomic.Int64, soakLinks)
	report := func(state string) {
		line.State, line.Written = state, line.Written[:0]
		for i := range written {
			line.Written = append(line.Written, written[i].Load())
		}
		b, err := json.Marshal(line)
		if err != nil {
			panic(err)
		}
		if _, err := status.Write(append(b, '\n')); err != nil {
			panic(err)
		}
	}
	memory := func() {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		line.HeapMB, line.RSSMB = float64(ms.HeapAlloc)/(1<<20), soakRSSMB()
	}
	links := make([]*stream.Link, soakLinks)
	for i := range links {
		if links[i], err = stream.Open(soakToken(i)); err != nil {
			panic(err)
		}
	}
	start := time.Now()
	stop := start.Add(soakDuration)
	errs := make(chan error, soakLinks)
	var wg sync.WaitGroup
	for i, l := range links {
		wg.Go(func() {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			n := int64(0)
			for now := range tick.C {
				if !now.Before(stop) {
					return
				}
				due := int64(soakRate * now.Sub(start).Seconds())
				if due <= n {
					continue
				}
				xs, ys := make([]float64, 0, due-n), make([]float64, 0, due-n)
				for ; n < due; n++ {
					xs, ys = append(xs, float64(n)), append(ys, float64(n%%100))
				}
				if err := l.Extend(xs, ys); err != nil {
					errs <- fmt.Errorf("link %%d: %%w", i, err)
					return
				}
				written[i].Store(n)
			}
		})
	}
	memory()
	report("writing")
	tick := time.NewTicker(250 * time.Millisecond)
	nextMemory := start.Add(soakSample)
	for time.Now().Before(stop) {
		select {
		case err := <-errs:
			line.Error = err.Error()
			report("failed")
			panic(err)
		case now := <-tick.C:
			if !now.Before(nextMemory) {
				memory()
				nextMemory = nextMemory.Add(soakSample)
			}
			report("writing")
		}
	}
	tick.Stop()
	wg.Wait()
	report("closing")
	// As the page soak does: every link closed in turn, within a minute in all; a link that
	// cannot close is reported, and the others are still closed.
	closeCtx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var closeErrs []string
	for i, l := range links {
		if err := l.CloseContext(closeCtx); err != nil {
			closeErrs = append(closeErrs, fmt.Sprintf("link %%d: %%v", i, err))
		}
	}
	if len(closeErrs) > 0 {
		line.Error = fmt.Sprintf("%%d links did not close: %%s", len(closeErrs), strings.Join(closeErrs[:min(3, len(closeErrs))], "; "))
	}
	memory()
	report("closed")
	total := int64(0)
	for i := range written {
		total += written[i].Load()
	}
	fmt.Printf("soak: written=%%d\n", total)
}

%%%%
for i := range soakLinks {
	fig := plotly.Figure{
		Data: plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines",
			Stream: &plotly.Stream{Token: soakToken(i), MaxPoints: soakWindow}}},
		Layout: &plotly.Layout{Title: plotly.Title{Text: "link " + strconv.Itoa(i)}, Height: 200},
	}
	if err := plotly.Show(fig); err != nil {
		panic(err)
	}
}
`, cfg.Links, cfg.Window, cfg.Rate, int64(cfg.Duration), int64(cfg.Sample), tokenPrefix, statusPath)
}

// soakStreamCell runs the streaming program that soakFiguresCell declares.
const soakStreamCell = "%%\nsoakStream()\n"

// soakNotebook runs the soak into a notebook (see the comment at the top of this file). It starts
// its own Notebook server and Chromium, in a temporary directory it removes.
func soakNotebook(ctx context.Context, cfg SoakConfig, report *SoakReport) error {
	root, err := harness.ModuleRoot()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "liveplot-soak-")
	if err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	defer os.RemoveAll(dir)
	nb, err := harness.StartNotebook(ctx, root, harness.NotebookOptions{Dir: filepath.Join(dir, "jupyter")})
	if err != nil {
		return err
	}
	defer nb.Close()
	tab, closeBrowser, err := harness.StartBrowser(filepath.Join(dir, "chromium"))
	if err != nil {
		return err
	}
	defer closeBrowser()
	stop := context.AfterFunc(ctx, closeBrowser)
	defer stop()
	withLog := func(err error) error { return fmt.Errorf("%w\njupyter log:\n%s", err, nb.LogTail(3000)) }

	statusPath := filepath.Join(dir, "producer.jsonl")
	prefix := fmt.Sprintf("soak-%d-", time.Now().UnixNano())
	path, err := nb.WriteNotebook("soak.ipynb", harness.GoNB, harness.GoNBSetupCell, soakFiguresCell(cfg, prefix, statusPath), soakStreamCell)
	if err != nil {
		return err
	}
	var page harness.ClassicPage
	if err := page.Open(tab, nb.PageURL("soak.ipynb"), 2*time.Minute); err != nil {
		return withLog(err)
	}
	cells := &notebookPage{ctx: tab, path: path}
	run := &soakRun{cfg: cfg, tab: tab, report: report}
	run.logf("Notebook 6 + GoNB in %s: setup cell (a cold Go cache takes a minute)", dir)
	for i, what := range []string{"setup", "figures"} {
		r, err := cells.run(i, 5*time.Minute)
		if err != nil {
			return withLog(err)
		}
		if n, _ := page.ErrorOutputs(tab); r.timedOut || n > 0 {
			return withLog(fmt.Errorf("soak: the %s cell failed: %s", what, r.output))
		}
	}
	if err := harness.Poll(tab, 3*time.Minute, "the figures", soakDrawnJS(cfg.Links)); err != nil {
		return withLog(err)
	}
	run.logf("%d figures drawn; cell 2 streams %d links at %g points/s for %v, reload every %v", cfg.Links, cfg.Links, cfg.Rate, cfg.Duration, cfg.Reload)
	if err := page.RunCell(tab, 2); err != nil {
		return withLog(err)
	}
	// The program starts writing once GoNB has built it.
	built := time.Now().Add(5 * time.Minute)
	for {
		_, err := readSoakStatus(statusPath)
		if err == nil {
			break
		}
		if !errors.Is(err, os.ErrNotExist) {
			return err
		}
		if n, _ := page.ErrorOutputs(tab); n > 0 || time.Now().After(built) {
			out, _ := harness.Eval[string](tab, `Jupyter.notebook.get_cell(2).output_area.outputs.map((o) => o.text || (o.ename + ": " + o.evalue)).join("")`)
			return withLog(fmt.Errorf("soak: the streaming cell did not start writing: %s", out))
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	run.start = time.Now()
	run.producer = func(s *SoakSample) ([]int64, error) {
		st, err := readSoakStatus(statusPath)
		if err != nil {
			return nil, err
		}
		s.ProducerHeapMB, s.ProducerRSSMB = st.HeapMB, st.RSSMB
		s.KernelRSSMB, s.ServerRSSMB = rssMB(strconv.Itoa(st.PPID)), rssMB(strconv.Itoa(nb.PID()))
		return st.Written, nil
	}
	run.reload = func() error {
		if err := page.Save(tab, time.Minute); err != nil {
			return err
		}
		return page.Reload(tab, 2*time.Minute)
	}

	// Watch the status file: done once the program stops writing, an error if it fails or goes
	// silent for a minute (it reports four times a second).
	done, errs := make(chan struct{}), make(chan error, 1)
	watchCtx, stopWatching := context.WithCancel(ctx)
	defer stopWatching()
	go func() {
		heard := time.Now()
		var last soakStatus
		for {
			if watchCtx.Err() != nil {
				if err := ctx.Err(); err != nil {
					errs <- err // interrupted: the soak ends
				}
				return
			}
			st, err := readSoakStatus(statusPath)
			switch {
			case err != nil:
				errs <- err
				return
			case st.State == "failed":
				errs <- fmt.Errorf("soak: the streaming cell failed: %s", st.Error)
				return
			case st.State != "writing":
				close(done)
				return
			case !slices.Equal(st.Written, last.Written):
				heard, last = time.Now(), st
			case time.Since(heard) > time.Minute:
				errs <- fmt.Errorf("soak: the streaming cell reported nothing new for a minute (last %+v)", last)
				return
			}
			time.Sleep(250 * time.Millisecond)
		}
	}()
	if err := run.watch(done, errs); err != nil {
		return withLog(err)
	}
	stopWatching()
	closed := time.Now().Add(2 * time.Minute)
	closeErr := ""
	for {
		st, err := readSoakStatus(statusPath)
		if err != nil {
			return err
		}
		if st.State == "failed" {
			return withLog(fmt.Errorf("soak: the streaming cell failed: %s", st.Error))
		}
		if st.State == "closed" {
			closeErr = st.Error
			break
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if time.Now().After(closed) {
			return withLog(fmt.Errorf("soak: the streaming cell did not close its links within 2 minutes (state %q)", st.State))
		}
		time.Sleep(100 * time.Millisecond)
	}
	run.final()
	if closeErr != "" {
		return withLog(fmt.Errorf("soak: the streaming cell closed its links, but %s", closeErr))
	}
	return ctx.Err()
}
