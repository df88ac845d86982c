// Command natsproducer runs producers of liveplot bench's NATS soak (`liveplot bench -soak
// -nats`): -n producers in this process, each with its own NATS connection
// (kernelext.NewNATS of LIVEPLOT_NATS), its own figure and its own stream, as that many programs
// on other machines would have. It uses only liveplot's public API.
//
// Each producer shows one figure titled "link I" (I from -first) whose trace has a window of
// -window points and opens its stream. Then the program prints {"state":"open"} and waits for a
// line on standard input. Then each producer writes -rate points a second, in ticks of 10 ms,
// each point's x its number (0, 1, 2, ...) and its y the time of its write in milliseconds since
// the Unix epoch (the page measures latency against it). Every second the program prints a status
// line ({"state":"writing","written":[N...],"heap_mb":H,"base_rss_mb":B}, B its resident set
// before it connected). When standard input ends, the producers close their streams and the
// program prints {"state":"closed",...} and exits.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "natsproducer:", err)
		os.Exit(1)
	}
}

// status is the line the program prints.
type status struct {
	State     string  `json:"state"`
	Written   []int64 `json:"written"`
	HeapMB    float64 `json:"heap_mb"`
	BaseRSSMB float64 `json:"base_rss_mb"`
}

// producer is one producer: its connection and its stream.
type producer struct {
	nc      *kernelext.NATS
	link    *stream.Link
	written atomic.Int64
}

func run() error {
	n := flag.Int("n", 1, "how many producers, each with its own NATS connection")
	first := flag.Int("first", 0, "the number of the first producer's figure")
	rate := flag.Float64("rate", 1000, "points a second, per producer")
	window := flag.Int("window", 1000, "the trace's window (maxpoints)")
	flag.Parse()
	url := os.Getenv("LIVEPLOT_NATS")
	if url == "" {
		return fmt.Errorf("LIVEPLOT_NATS is not set: this program publishes through NATS only")
	}
	ctx := context.Background()
	base := rssMB()
	producers := make([]*producer, *n)
	for i := range producers {
		nc, err := kernelext.NewNATS(ctx, url)
		if err != nil {
			return err
		}
		tok := stream.NewToken()
		fig := plotly.Figure{
			Data:   plotly.Data{&plotly.Scatter{X: []float64{}, Y: []float64{}, Mode: "lines", Stream: &plotly.Stream{Token: tok, MaxPoints: *window}}},
			Layout: &plotly.Layout{Title: plotly.Title{Text: "link " + strconv.Itoa(*first+i)}, Height: 200},
		}
		if err := plotly.Show(fig, plotly.WithFrontend(nc)); err != nil {
			return err
		}
		l, err := stream.Open(tok, stream.WithFrontend(nc))
		if err != nil {
			return err
		}
		producers[i] = &producer{nc: nc, link: l}
	}
	var outMu sync.Mutex
	enc := json.NewEncoder(os.Stdout)
	report := func(state string) error {
		st := status{State: state, BaseRSSMB: base}
		for _, p := range producers {
			st.Written = append(st.Written, p.written.Load())
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		st.HeapMB = float64(ms.HeapAlloc) / (1 << 20)
		outMu.Lock()
		defer outMu.Unlock()
		return enc.Encode(st)
	}
	if err := report("open"); err != nil {
		return err
	}
	in := bufio.NewReader(os.Stdin)
	if _, err := in.ReadString('\n'); err != nil {
		return fmt.Errorf("waiting for the line that starts the writes: %w", err)
	}
	stop := make(chan struct{})
	go func() {
		io.Copy(io.Discard, in) //nolint:errcheck // any end of standard input stops the writes
		close(stop)
	}()

	start := time.Now()
	var wg sync.WaitGroup
	errs := make(chan error, len(producers))
	for _, p := range producers {
		wg.Go(func() {
			if err := p.write(start, *rate, stop); err != nil {
				errs <- err
			}
		})
	}
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for writing := true; writing; {
		select {
		case <-stop:
			writing = false
		case err := <-errs:
			return err
		case <-tick.C:
			if err := report("writing"); err != nil {
				return err
			}
		}
	}
	wg.Wait()
	for _, p := range producers {
		if err := p.link.Close(); err != nil {
			return err
		}
		if err := p.nc.Close(ctx); err != nil {
			return err
		}
	}
	return report("closed")
}

// write writes rate points a second from start until stop is closed.
func (p *producer) write(start time.Time, rate float64, stop <-chan struct{}) error {
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	n := int64(0)
	for {
		select {
		case <-stop:
			return nil
		case now := <-tick.C:
			due := int64(rate * now.Sub(start).Seconds())
			if due <= n {
				continue
			}
			y := float64(time.Now().UnixNano()) / 1e6
			xs, ys := make([]float64, 0, due-n), make([]float64, 0, due-n)
			for ; n < due; n++ {
				xs, ys = append(xs, float64(n)), append(ys, y)
			}
			if err := p.link.Extend(xs, ys); err != nil {
				return err
			}
			p.written.Store(n)
		}
	}
}

// rssMB is this process's resident set in MB (0 where /proc has none).
func rssMB() float64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
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
