package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/liveplot/liveplot/internal/bench"
)

func init() {
	commands["bench"] = command{
		summary: "measure liveplot end to end in Notebook 6 + GoNB + Chromium, against re-rendering and Python",
		run:     runBench,
	}
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("bench", flag.ContinueOnError)
	flags.SetOutput(stderr)
	quick := flags.Bool("quick", false, "a short smoke run: one window, one rate, 2 s per scenario")
	asJSON := flags.Bool("json", false, "print the report as JSON instead of tables")
	duration := flags.Duration("duration", 0, "how long each scenario writes (default 10s, 2s with -quick)")
	from := flags.String("from", "", "print the tables of a report saved with -json, measuring nothing")
	systems := flags.String("systems", "", "measure the streams of these systems only, comma-separated: liveplot, rerender, python (default all)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if *from != "" {
		raw, err := os.ReadFile(*from)
		if err != nil {
			return err
		}
		var report bench.Report
		if err := json.Unmarshal(raw, &report); err != nil {
			return fmt.Errorf("reading %s: %w", *from, err)
		}
		report.WriteTable(stdout)
		return nil
	}
	cfg := bench.Full()
	if *quick {
		cfg = bench.Quick()
	}
	if *duration > 0 {
		cfg.Duration = *duration
	}
	for _, name := range strings.FieldsFunc(*systems, func(r rune) bool { return r == ',' || r == ' ' }) {
		system, ok := map[string]string{"liveplot": bench.Liveplot, "rerender": bench.Rerender, "python": bench.Python}[name]
		if !ok {
			return fmt.Errorf("-systems: unknown system %q: say liveplot, rerender or python", name)
		}
		cfg.Systems = append(cfg.Systems, system)
	}
	cfg.Log = stderr
	report, err := bench.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	report.WriteTable(stdout)
	return nil
}
