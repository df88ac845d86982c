package bench

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/profiler"
	cdpruntime "github.com/chromedp/cdproto/runtime"
)

// TestNextRate walks the rate search on made-up outcomes: up the 1-2-5 ladder while rates pass,
// or down it while they fail, then two bisections between the highest pass and the lowest failure,
// and no search past the ceiling or the floor.
func TestNextRate(t *testing.T) {
	// pass says whether a rate passes: everything up to 30k does.
	upTo := func(limit float64) func(float64) bool { return func(r float64) bool { return r <= limit } }
	for _, tc := range []struct {
		name  string
		start float64
		pass  func(float64) bool
		want  []float64
	}{
		{"climb then bisect", 1000, upTo(30e3), []float64{1000, 2000, 5000, 10e3, 20e3, 50e3, 32e3, 25e3}},
		{"first fails: down", 1000, upTo(300), []float64{1000, 500, 200, 320, 250}},
		{"floor", 1000, upTo(1), []float64{1000, 500, 200, 100, 50, 20, 10}},
		{"close bounds stop", 1000, upTo(1100), []float64{1000, 2000, 1400, 1200}},
		{"ceiling", 5e6, upTo(1e9), []float64{5e6, 1e7}},
		{"start off the ladder", 3000, upTo(1e4), []float64{3000, 5000, 10e3, 20e3, 14e3, 12e3}},
	} {
		var steps []RateStep
		var got []float64
		for len(got) < 20 {
			r, ok := nextRate(steps, tc.start)
			if !ok {
				break
			}
			got = append(got, r)
			steps = append(steps, RateStep{Rate: r, Pass: tc.pass(r)})
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: rates %v, want %v", tc.name, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: rates %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

func TestRoundSigAndLadder(t *testing.T) {
	for _, tc := range []struct{ in, want float64 }{{31622.8, 32000}, {1414.2, 1400}, {0.0456, 0.046}, {0, 0}} {
		if got := roundSig(tc.in, 2); got != tc.want {
			t.Errorf("roundSig(%g, 2) = %g, want %g", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want float64 }{{1000, 2000}, {2000, 5000}, {5000, 10000}, {3000, 5000}, {9999, 10000}, {1e6, 2e6}} {
		if got := nextLadder(tc.in); got != tc.want {
			t.Errorf("nextLadder(%g) = %g, want %g", tc.in, got, tc.want)
		}
	}
	for _, tc := range []struct{ in, want float64 }{{1000, 500}, {500, 200}, {200, 100}, {3000, 2000}, {10, 5}} {
		if got := prevLadder(tc.in); got != tc.want {
			t.Errorf("prevLadder(%g) = %g, want %g", tc.in, got, tc.want)
		}
	}
}

// TestDescendants finds a process tree's members from a parent -> children map, and this
// process's parent from /proc.
func TestDescendants(t *testing.T) {
	tree := map[int][]int{1: {2, 3}, 2: {4}, 4: {5}, 9: {10}}
	got := descendants(2, tree)
	if len(got) != 3 || got[0] != 2 || got[1] != 4 || got[2] != 5 {
		t.Fatalf("descendants(2) = %v, want [2 4 5]", got)
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("no /proc")
	}
	if got, want := parentPID(os.Getpid()), os.Getppid(); got != want {
		t.Fatalf("parentPID(self) = %d, want %d", got, want)
	}
}

// TestNATSSoakTable checks the NATS soak's table: as many cells in every row as in the header,
// and the overall line.
func TestNATSSoakTable(t *testing.T) {
	r := &SoakReport{Config: SoakConfig{Links: 2, Rate: 10, Window: 5, Duration: time.Second, NATS: true},
		Samples: []SoakSample{{AtSec: 1, Written: 20, AppliedPerSec: 20, PaintedP50: 40, PaintedP99: 90, NATSInPerSec: 80}},
		Overall: &SoakOverall{Seconds: 1, Written: 20, WrittenPerSec: 20, AppliedPerSec: 19, PaintedP50: 40, PaintedP99: 90}}
	var b strings.Builder
	r.WriteTable(&b)
	var rows []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "|") {
			rows = append(rows, l)
		}
	}
	if len(rows) != 3 {
		t.Fatalf("%d table lines, want 3:\n%s", len(rows), b.String())
	}
	for _, row := range rows {
		if n := strings.Count(row, "|") - 1; n != 17 {
			t.Errorf("%d columns in %q, want 17", n, row)
		}
	}
	if !strings.Contains(b.String(), "applied in the page 19 points/s (95%)") {
		t.Errorf("no overall line:\n%s", b.String())
	}
}

// TestRateSearchTable checks the rate search's table: as many cells in every row as in the
// header, an error row, and the verdict.
func TestRateSearchTable(t *testing.T) {
	r := &RateSearchReport{Config: SoakConfig{Window: 1000, Duration: 20 * time.Second, Sample: 10 * time.Second}, LimitMs: 250, Best: 500,
		Steps: []RateStep{{Rate: 500, PaintedP99: 200, Pass: true}, {Rate: 1000, PaintedP99: 400}, {Rate: 700, Error: "soak: failed\nmore"}}}
	var b strings.Builder
	r.WriteTable(&b)
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "|") && !strings.Contains(l, "error:") {
			if n := strings.Count(l, "|") - 1; n != 9 {
				t.Errorf("%d columns in %q, want 9", n, l)
			}
		}
	}
	for _, want := range []string{"| 700 | error: soak: failed |", "Highest rate with painted p99 <= 250 ms: 500 points/s"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("no %q in:\n%s", want, b.String())
		}
	}
}

// TestSumProfile sums a made-up V8 profile's samples by script (a URL's path, or the V8 pseudo
// function of a sample outside JavaScript) and by function.
func TestSumProfile(t *testing.T) {
	frame := func(name, url string) *cdpruntime.CallFrame {
		return &cdpruntime.CallFrame{FunctionName: name, URL: url}
	}
	p := &profiler.Profile{
		Nodes: []*profiler.ProfileNode{
			{ID: 1, CallFrame: frame("(root)", "")},
			{ID: 2, CallFrame: frame("draw", "http://127.0.0.1:1/script/plotly?s=x")},
			{ID: 3, CallFrame: frame("", "http://127.0.0.1:1/client.js")},
			{ID: 4, CallFrame: frame("(program)", "")},
		},
		Samples:   []int64{2, 2, 2, 3, 4, 4, 4, 4, 2, 3},
		StartTime: 0, EndTime: 2e6,
	}
	got := sumProfile(p)
	if got.Seconds != 2 {
		t.Errorf("seconds %g, want 2", got.Seconds)
	}
	want := []ProfileShare{{"(program)", 40}, {"/script/plotly", 40}, {"/client.js", 20}}
	if len(got.Scripts) != len(want) {
		t.Fatalf("scripts %v, want %v", got.Scripts, want)
	}
	for i := range want {
		if got.Scripts[i] != want[i] {
			t.Fatalf("scripts %v, want %v", got.Scripts, want)
		}
	}
	if f := got.Functions; len(f) != 3 || f[1].What != "draw (/script/plotly)" || f[2].What != "(anonymous) (/client.js)" {
		t.Fatalf("functions %v", f)
	}
}
