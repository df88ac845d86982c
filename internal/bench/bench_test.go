package bench

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// TestQuickRun runs `liveplot bench -quick` end to end, so the command cannot rot. It checks that
// every scenario produced numbers, never what they are.
func TestQuickRun(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Jupyter, two kernels and Chromium")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	cfg := Quick()
	cfg.Duration = time.Second
	cfg.Writes = 200_000
	var log strings.Builder
	cfg.Log = &log
	r, err := Run(ctx, cfg)
	t.Log(log.String())
	var m *harness.MissingError
	if errors.As(err, &m) {
		testenv.Missing(t, m.What, m.Install) // skip, or fail in CI
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Streams) != 4 {
		t.Fatalf("got %d stream scenarios, want 4 (one per system, and liveplot's two figures)", len(r.Streams))
	}
	for _, s := range r.Streams {
		if s.Error != "" || s.Written == 0 || s.Applied == 0 || s.PointsPerSec <= 0 || s.AppliedP50 < 0 || s.MsgsPerSec <= 0 || s.SavedBytes == 0 {
			t.Errorf("%s produced no numbers: %+v", s.System, s)
		}
		if s.Figures > 1 && s.Live != s.Figures {
			t.Errorf("%s: %d of %d figures got points", s.System, s.Live, s.Figures)
		}
	}
	if r.WriteNs <= 0 || len(r.Memory) == 0 || r.CompilePlainMs <= 0 || r.CompileLiveMs <= 0 {
		t.Errorf("in-process or build measures missing: write %v ns, memory %v, compile %v/%v ms", r.WriteNs, r.Memory, r.CompilePlainMs, r.CompileLiveMs)
	}
	if r.FirstPaintFreshMs <= 0 || r.FirstPaintWarmMs <= 0 {
		t.Errorf("Show to first paint not measured: %v ms fresh, %v ms warm", r.FirstPaintFreshMs, r.FirstPaintWarmMs)
	}
	var table strings.Builder
	r.WriteTable(&table)
	t.Log(table.String())
}

// TestScenarioRanges checks that no two scenarios of a full run share x values, figures included,
// and that the baselines run only the shapes they can draw.
func TestScenarioRanges(t *testing.T) {
	cfg := Full()
	type span struct{ lo, hi float64 }
	var spans []span
	for _, system := range []string{Liveplot, Rerender, Python} {
		list, cells := cfg.scenarios(system, 0, func(Shape, float64, float64) string { return "" })
		if len(list) != len(cells) {
			t.Fatalf("%s: %d scenarios, %d cells", system, len(list), len(cells))
		}
		for _, s := range list {
			if system != Liveplot && (s.shape.Only != "" || s.shape.figures() > 1) {
				t.Errorf("%s runs %+v", system, s.shape)
			}
			points := cfg.Duration.Seconds() * s.shape.Rate
			if points >= figureXs {
				t.Errorf("%+v writes %g points per figure, more than a figure's range", s.shape, points)
			}
			spans = append(spans, span{s.lo, s.lo + float64(s.shape.figures())*figureXs})
		}
	}
	if want := 9 + 2 + 9 + 9; len(spans) != want {
		t.Errorf("%d scenarios, want %d", len(spans), want)
	}
	for i, a := range spans {
		for _, b := range spans[i+1:] {
			if a.lo < b.hi && b.lo < a.hi {
				t.Errorf("ranges [%g, %g) and [%g, %g) overlap", a.lo, a.hi, b.lo, b.hi)
			}
		}
		if a.hi-a.lo > scenarioXs || a.hi > 1<<53 {
			t.Errorf("range [%g, %g) too wide or past float64's exact integers", a.lo, a.hi)
		}
	}
}
