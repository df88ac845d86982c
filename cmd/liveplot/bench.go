package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime/pprof"
	"strings"
	"time"

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
	flags.BoolVar(&soakCfg.NATS, "nats", false, "-soak: through NATS instead: -links producers (see -processes) publish to an embedded NATS server, relayed onto one local page as liveplot serve does (default -duration 2m, no reloads)")
	flags.IntVar(&soakCfg.Processes, "processes", 0, "-soak -nats: run the producers in this many processes, each producer with its own NATS connection (default one process per producer)")
	flags.BoolVar(&soakCfg.PageProfile, "pageprofile", false, "-soak -nats: profile the page's JavaScript while the producers write, and report where its time went")
	flags.IntVar(&soakCfg.Window, "window", soakCfg.Window, "-soak: each stream's window (maxpoints)")
	search := flags.Bool("search", false, "-soak -nats: find the highest rate of one producer whose painted p99 stays within -p99, stepping up from -rate, or down while rates fail (default -duration 20s a step)")
	limit := flags.Float64("p99", 250, "-search: the painted p99 in ms a rate must keep")
	cpuProfile := flags.String("cpuprofile", "", "-soak: write a CPU profile of this process (with -nats: the NATS server, the relay and the page's server) to this file")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	if *soak {
		set := map[string]bool{}
		flags.Visit(func(f *flag.Flag) { set[f.Name] = true })
		if soakCfg.NATS {
			if soakCfg.Notebook {
				return fmt.Errorf("-nats and -notebook: choose one")
			}
			if set["reload"] && soakCfg.Reload != 0 {
				return fmt.Errorf("-nats measures latency in one load of the page: leave -reload out")
			}
			soakCfg.Reload, soakCfg.Duration = 0, 2*time.Minute
			if *search {
				soakCfg.Duration = 20 * time.Second
			}
			soakCfg.StartNATS = startBenchNATS
		} else if *search || soakCfg.Processes != 0 || soakCfg.PageProfile {
			return fmt.Errorf("-search, -processes and -pageprofile go with -soak -nats")
		}
		if *duration > 0 {
			soakCfg.Duration = *duration
		}
		soakCfg.Sample = min(soakCfg.Sample, soakCfg.Duration)
		if soakCfg.Links < 1 || !(soakCfg.Rate > 0) || soakCfg.Duration <= 0 || soakCfg.Reload < 0 {
			return fmt.Errorf("-soak needs -links of at least 1, a positive -rate and -duration, and -reload of 0 or more")
		}
		soakCfg.Log = stderr
		if *cpuProfile != "" {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				return err
			}
			defer f.Close()
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
			defer pprof.StopCPUProfile()
		}
		if *search {
			report, err := bench.NATSRateSearch(ctx, soakCfg, *limit)
			return writeReport(stdout, report, *asJSON, err)
		}
		report, err := bench.Soak(ctx, soakCfg)
		return writeReport(stdout, report, *asJSON, err)
	}
	if *from != "" {
		raw, err := os.ReadFile(*from)
		if err != nil {
			return err
		}
		// A soak's report has samples, a rate search's steps; the benchmark's neither.
		var soaked struct {
			Samples json.RawMessage `json:"samples"`
			Steps   json.RawMessage `json:"steps"`
		}
		if err := json.Unmarshal(raw, &soaked); err != nil {
			return fmt.Errorf("reading %s: %w", *from, err)
		}
		var report interface{ WriteTable(io.Writer) } = &bench.Report{}
		switch {
		case soaked.Samples != nil:
			report = &bench.SoakReport{}
		case soaked.Steps != nil:
			report = &bench.RateSearchReport{}
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

// writeReport prints a report (nil: nothing) as tables or JSON, and returns err.
func writeReport(w io.Writer, report interface{ WriteTable(io.Writer) }, asJSON bool, err error) error {
	if report == nil || reflect.ValueOf(report).IsNil() {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return errors.Join(err, enc.Encode(report))
	}
	report.WriteTable(w)
	return err
}

// startBenchNATS starts the NATS soak's server: liveplot serve's embedded one, on a free port.
func startBenchNATS() (*bench.NATSServer, error) {
	ns, clientURL, tmpStore, err := startNATS(serveConfig{nats: "127.0.0.1:0"})
	if err != nil {
		return nil, err
	}
	return &bench.NATSServer{
		URL: clientURL,
		Msgs: func() (in, out int64) {
			v, err := ns.Varz(nil)
			if err != nil {
				return 0, 0
			}
			return v.InMsgs, v.OutMsgs
		},
		Stop: func() {
			ns.Shutdown()
			ns.WaitForShutdown()
			os.RemoveAll(tmpStore)
		},
	}, nil
}
