package bench

import (
	"fmt"
	"io"
	"strings"
)

// WriteTable writes the report as Markdown tables (the form docs/performance.md keeps).
func (r *Report) WriteTable(w io.Writer) {
	m := r.Machine
	fmt.Fprintf(w, "Machine: %d CPUs (%s), %d GB, %s, %s, %s\n\n", m.CPUs, m.CPU, m.MemoryGB, m.Chromium, m.Go, m.OS)
	fmt.Fprintf(w, "Streams (each cell writes for %gs; counted in the page; latency from the write to plotly.js returning / to the next paint):\n\n", r.DurationSec)
	fmt.Fprintln(w, "| system | window | rate (pts/s) | written | applied | applied pts/s | applied p50/p99 ms | painted p50/p99 ms | draws/s | msgs/s | MB/s | saved output |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	for _, s := range r.Streams {
		system := s.System
		if s.Figures > 1 {
			system = fmt.Sprintf("%s, %d figures (%d live)", s.System, s.Figures, s.Live)
		}
		if s.Error != "" && s.Written == 0 {
			fmt.Fprintf(w, "| %s | %d | %s | error: %s |||||||||\n", system, s.Window, si(s.Rate), strings.ReplaceAll(firstLine(s.Error), "|", "/"))
			continue
		}
		applied := fmt.Sprintf("%d (%.0f%%)", s.Applied, pct(s.Applied, s.Written))
		if s.Behind > 0 {
			applied += fmt.Sprintf(", fell behind by %.1f s", s.Behind)
		}
		fmt.Fprintf(w, "| %s | %d | %s | %d | %s | %s | %s / %s | %s / %s | %.1f | %.1f | %.2f | %s |\n",
			system, s.Window, si(s.Rate), s.Written, applied, si(s.PointsPerSec),
			ms(s.AppliedP50), ms(s.AppliedP99), ms(s.PaintedP50), ms(s.PaintedP99),
			s.DrawsPerSec, s.MsgsPerSec, s.MBPerSec, bytes(s.SavedBytes))
	}
	fmt.Fprintln(w, "\nRatios, liveplot over each baseline (applied points/s; same window and rate):")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| window | rate (pts/s) | vs GoNB re-render | vs Python |")
	fmt.Fprintln(w, "|---:|---:|---:|---:|")
	for _, s := range r.Streams {
		if s.System != Liveplot || s.Figures > 1 {
			continue
		}
		fmt.Fprintf(w, "| %d | %s | %s | %s |\n", s.Window, si(s.Rate), ratio(s, r.find(Rerender, s)), ratio(s, r.find(Python, s)))
	}
	fmt.Fprintln(w, "\nIn process, build and show:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| measure | value |")
	fmt.Fprintln(w, "|---|---:|")
	fmt.Fprintf(w, "| Write of Point{time, float64}, window 1e4 | %.0f ns |\n", r.WriteNs)
	for _, p := range r.Memory {
		fmt.Fprintf(w, "| producer heap after %s writes, window %d | %s (%.1f B/maxpoint) |\n", si(float64(p.Writes)), r.MemoryWindow, bytes(int(p.HeapBytes)), float64(p.HeapBytes)/float64(r.MemoryWindow))
	}
	fmt.Fprintf(w, "| plotly.Show to first paint, page without plotly.js | %s ms |\n", ms(r.FirstPaintFreshMs))
	fmt.Fprintf(w, "| plotly.Show to first paint, page with plotly.js (median) | %s ms |\n", ms(r.FirstPaintWarmMs))
	fmt.Fprintf(w, "| warm GoNB cell, no liveplot import (median) | %.0f ms |\n", r.CompilePlainMs)
	fmt.Fprintf(w, "| warm GoNB cell importing liveplot (median) | %.0f ms |\n", r.CompileLiveMs)
	fmt.Fprintf(w, "| extra time of the liveplot import | %.0f ms |\n", r.CompileLiveMs-r.CompilePlainMs)
	if r.PythonPlotly != "" {
		fmt.Fprintf(w, "\nPython side: %s\n", r.PythonPlotly)
	}
}

func (r *Report) find(system string, like Stream) *Stream {
	for i := range r.Streams {
		if s := &r.Streams[i]; s.System == system && s.Window == like.Window && s.Rate == like.Rate && s.Figures == like.Figures {
			return s
		}
	}
	return nil
}

func ratio(live Stream, base *Stream) string {
	if base == nil || base.PointsPerSec <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f×", live.PointsPerSec/base.PointsPerSec)
}

func pct(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return 100 * float64(a) / float64(b)
}

func ms(v float64) string {
	if v < 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", v)
}

func si(v float64) string {
	switch {
	case v >= 1e6:
		return fmt.Sprintf("%.3gM", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.3gk", v/1e3)
	}
	return fmt.Sprintf("%.0f", v)
}

func bytes(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
