package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/liveplot/liveplot/internal/natsenv"
	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/natsrelay"
)

func init() {
	commands["serve"] = command{
		summary: "show on a local page what producers publish through NATS (embedded NATS server)",
		run:     runServe,
	}
}

// serveConfig is what serve's flags say.
type serveConfig struct {
	addr, nats, natsURL string
	user, password      string
	token               string
	caFile, credsFile   string
	storeDir            string
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("serve", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var cfg serveConfig
	defAddr := os.Getenv("LIVEPLOT_ADDR")
	if defAddr == "" {
		defAddr = kernelext.DefaultAddr
	}
	flags.StringVar(&cfg.addr, "addr", defAddr, "HOST:PORT of the page (port 0: a free one)")
	flags.StringVar(&cfg.nats, "nats", "127.0.0.1:4222", "HOST:PORT of the embedded NATS server (port 0: a free one)")
	flags.StringVar(&cfg.natsURL, "nats-url", "", "use the NATS server at this URL (nats://[USER:PASSWORD@]HOST:PORT, tls://...) instead of an embedded one")
	flags.StringVar(&cfg.user, "nats-user", "", "the embedded server requires this user (with -nats-password)")
	flags.StringVar(&cfg.password, "nats-password", "", "the password of -nats-user (default: $LIVEPLOT_NATS_PASSWORD)")
	flags.StringVar(&cfg.token, "nats-token", "", "the embedded server requires this token (default: $LIVEPLOT_NATS_TOKEN)")
	flags.StringVar(&cfg.caFile, "nats-ca", "", "with a tls:// -nats-url: a PEM file of the authorities that verify the server (default: $LIVEPLOT_NATS_CA)")
	flags.StringVar(&cfg.credsFile, "nats-creds", "", "with -nats-url: a NATS credentials file (default: $LIVEPLOT_NATS_CREDS)")
	flags.StringVar(&cfg.storeDir, "store", "", "directory of the embedded server's JetStream store (default: a temporary one, removed at exit)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if flags.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", flags.Args())
	}
	// The variables are the producers' too: each applies where it means something.
	if cfg.natsURL == "" {
		if cfg.caFile != "" || cfg.credsFile != "" {
			return errors.New("-nats-ca and -nats-creds are for the server of -nats-url: the embedded server speaks plain NATS on its own address")
		}
		if cfg.password == "" {
			cfg.password = os.Getenv("LIVEPLOT_NATS_PASSWORD")
		}
		if cfg.token == "" {
			cfg.token = os.Getenv("LIVEPLOT_NATS_TOKEN")
		}
	} else {
		if cfg.caFile == "" {
			cfg.caFile = os.Getenv(natsenv.CA)
		}
		if cfg.credsFile == "" {
			cfg.credsFile = os.Getenv(natsenv.Creds)
		}
	}
	return serve(ctx, cfg, stderr)
}

func serve(ctx context.Context, cfg serveConfig, stderr io.Writer) error {
	natsURL := cfg.natsURL
	if natsURL == "" {
		ns, clientURL, tmpStore, err := startNATS(cfg)
		if err != nil {
			return err
		}
		defer func() {
			ns.Shutdown()
			ns.WaitForShutdown()
			if tmpStore != "" {
				os.RemoveAll(tmpStore)
			}
		}()
		natsURL = clientURL
	} else if cfg.user != "" || cfg.token != "" {
		return errors.New("-nats-user and -nats-token set the embedded server's credentials: with -nats-url, put them in the URL")
	}
	page, err := kernelext.NewLocalPage(cfg.addr)
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		page.Shutdown(sctx) //nolint:errcheck // stopping anyway
	}()
	// What the relay drops or fails to do, said as this command's: the relay's own lines start
	// with "natsrelay: ".
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "liveplot serve: "+format+"\n", args...) }
	cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	relay, err := natsrelay.Connect(cctx, natsURL, page, natsrelay.Options{Logf: logf, NATS: natsenv.Options(cfg.caFile, cfg.credsFile)})
	cancel()
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		relay.Close(cctx) //nolint:errcheck // stopping anyway
	}()
	fmt.Fprintf(stderr, "liveplot: open %s to see the figures\n", page.URL())
	// The credentials are masked: whoever runs the producers has them.
	masked := ""
	if strings.Contains(relay.URL(), "xxxxx@") {
		masked = " (with the password or token in place of xxxxx)"
	}
	fmt.Fprintf(stderr, "liveplot: NATS at %s: run producers with LIVEPLOT_NATS=%s%s\n", relay.URL(), relay.URL(), masked)
	fmt.Fprintln(stderr, "liveplot: serving; press Ctrl-C to stop")
	<-ctx.Done()
	return nil
}

// startNATS starts the embedded NATS server, with JetStream, and returns its client URL with the
// credentials it requires, and the temporary store to remove once it has shut down ("" for a
// -store of the user's).
func startNATS(cfg serveConfig) (ns *server.Server, clientURL, tmpStore string, err error) {
	host, portText, err := net.SplitHostPort(cfg.nats)
	if err != nil {
		return nil, "", "", fmt.Errorf("-nats %q: want HOST:PORT: %w", cfg.nats, err)
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 0 || port > 65535 {
		return nil, "", "", fmt.Errorf("-nats %q: the port is not a number from 0 to 65535", cfg.nats)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	if (cfg.user == "") != (cfg.password == "") {
		return nil, "", "", errors.New("-nats-user and -nats-password go together")
	}
	if cfg.user != "" && cfg.token != "" {
		return nil, "", "", errors.New("-nats-user and -nats-token: choose one")
	}
	if ip := net.ParseIP(host); cfg.user == "" && cfg.token == "" && host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, "", "", fmt.Errorf("-nats %s: the embedded server would take messages from anyone who reaches %s, and whoever "+
			"publishes there shows outputs, scripts included, on your page: give it credentials (-nats-user with "+
			"-nats-password, or -nats-token) or keep it on 127.0.0.1", cfg.nats, host)
	}
	if port != server.RANDOM_PORT {
		// nats-server waits for a port in use until its start times out: say so at once.
		l, lerr := net.Listen("tcp", net.JoinHostPort(host, portText))
		if lerr != nil {
			return nil, "", "", fmt.Errorf("-nats %s: %w (pick another port with -nats, or port 0 for a free one)", cfg.nats, lerr)
		}
		l.Close()
	}
	store := cfg.storeDir
	if store == "" {
		if store, err = os.MkdirTemp("", "liveplot-nats-"); err != nil {
			return nil, "", "", fmt.Errorf("the embedded NATS server's store: %w", err)
		}
		defer func() {
			if err != nil {
				os.RemoveAll(store)
			}
		}()
	}
	opts := &server.Options{
		ServerName:         "liveplot",
		Host:               host,
		Port:               port,
		JetStream:          true,
		StoreDir:           store,
		JetStreamMaxStore:  1 << 30,
		JetStreamMaxMemory: 64 << 20,
		MaxPayload:         8 << 20, // frames and snapshots of big windows; outputs are chunked anyway
		NoSigs:             true,
		NoLog:              true,
		Username:           cfg.user,
		Password:           cfg.password,
		Authorization:      cfg.token,
	}
	ns, err = server.NewServer(opts)
	if err != nil {
		return nil, "", "", fmt.Errorf("starting the embedded NATS server: %w", err)
	}
	ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		err = fmt.Errorf("the embedded NATS server on %s did not start in 30s (is the port in use? pick another with -nats)", cfg.nats)
		return nil, "", "", err
	}
	if cfg.storeDir == "" {
		tmpStore = store
	}
	u, err := url.Parse(ns.ClientURL())
	if err != nil {
		ns.Shutdown()
		return nil, "", "", err
	}
	switch {
	case cfg.user != "":
		u.User = url.UserPassword(cfg.user, cfg.password)
	case cfg.token != "":
		u.User = url.User(cfg.token)
	}
	return ns, u.String(), tmpStore, nil
}
