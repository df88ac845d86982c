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
	from := flags.String("from", "", "print the tables of a report saved with -json (of the benchmark or a soak), measuring nothing")
	systems := flags.String("systems", "", "measure the streams of these systems only, comma-separated: liveplot, rerender, python (default all)")
	soak := flags.Bool("soak", false, "run the soak instead: -links streams of -rate points/s into one local page in Chromium for -duration (default 10m), reloaded every -reload")
	soakCfg := bench.DefaultSoak()
	flags.IntVar(&soakCfg.Links, "links", soakCfg.Links, "-soak: how many links stream at once")
	flags.Float64Var(&soakCfg.Rate, "rate", soakCfg.Rate, "-soak: points a second, per link")
	flags.DurationVar(&soakCfg.Reload, "reload", soakCfg.Reload, "-soak: reload the page this often (0: never)")
	flags.BoolVar(&soakCfg.Notebook, "notebook", false, "-soak: into one Notebook 6 page instead, from a GoNB cell program (the page saved before each reload)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if *soak {
		if *duration > 0 {
			soakCfg.Duration = *duration
		}
		if soakCfg.Links < 1 || !(soakCfg.Rate > 0) || soakCfg.Duration <= 0 || soakCfg.Reload < 0 {
			return fmt.Errorf("-soak needs -links of at least 1, a positive -rate and -duration, and -reload of 0 or more")
		}
		soakCfg.Log = stderr
		report, err := bench.Soak(ctx, soakCfg)
		if report != nil && *asJSON {
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(report); err != nil {
				return err
			}
		} else if report != nil {
			report.WriteTable(stdout)
		}
		return err
	}
	if *from != "" {
		raw, err := os.ReadFile(*from)
		if err != nil {
			return err
		}
		// A soak's report has samples; the benchmark's has none.
		var soaked struct {
			Samples json.RawMessage `json:"samples"`
		}
		if err := json.Unmarshal(raw, &soaked); err != nil {
			return fmt.Errorf("reading %s: %w", *from, err)
		}
		var report interface{ WriteTable(io.Writer) } = &bench.Report{}
		if soaked.Samples != nil {
			report = &bench.SoakReport{}
		}
		if err := json.Unmarshal(raw, report); err != nil {
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
