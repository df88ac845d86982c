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
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
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
	if len(r.Streams) != 3 {
		t.Fatalf("got %d stream scenarios, want 3 (one per system)", len(r.Streams))
	}
	for _, s := range r.Streams {
		if s.Error != "" || s.Written == 0 || s.Applied == 0 || s.PointsPerSec <= 0 || s.AppliedP50 < 0 || s.MsgsPerSec <= 0 || s.SavedBytes == 0 {
			t.Errorf("%s produced no numbers: %+v", s.System, s)
		}
	}
	if r.WriteNs <= 0 || len(r.Memory) == 0 || r.CompilePlainMs <= 0 || r.CompileLiveMs <= 0 {
		t.Errorf("in-process or build measures missing: write %v ns, memory %v, compile %v/%v ms", r.WriteNs, r.Memory, r.CompilePlainMs, r.CompileLiveMs)
	}
	var table strings.Builder
	r.WriteTable(&table)
	t.Log(table.String())
}
