package kernelext

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/liveplot/liveplot/internal/gonbenv"
	"github.com/liveplot/liveplot/internal/natsenv"
)

// DefaultAddr is where the local page listens unless LIVEPLOT_ADDR says otherwise: a free port
// on the loopback interface.
const DefaultAddr = "127.0.0.1:0"

var defaultFrontend struct {
	sync.Mutex
	frontend Frontend
	page     *LocalPage
}

// Default returns the frontend of this process: the notebook when the program runs as a GoNB
// cell, the local page otherwise. The local page is started on first use, on LIVEPLOT_ADDR or
// DefaultAddr, and its address is printed on standard error. When LIVEPLOT_NATS holds a NATS
// server's URL (nats://HOST:PORT, credentials and tls:// as [NewNATS] takes them), the
// frontend is [NATS] instead: the figures go through that server to the pages that relay it
// (`liveplot serve`); inside GoNB the notebook stays the frontend. LIVEPLOT_NATS_CA names a PEM
// file of the authorities that verify a TLS server (instead of the system's), and
// LIVEPLOT_NATS_CREDS a NATS credentials file. LIVEPLOT_HOSTS, a
// comma-separated list of Host values (e.g. "plots.example.com"), are served besides the
// loopback names: those a reverse proxy in front of the page passes on (docs/reliability.md).
func Default() (Frontend, error) {
	defaultFrontend.Lock()
	defer defaultFrontend.Unlock()
	if defaultFrontend.frontend != nil {
		return defaultFrontend.frontend, nil
	}
	if gonbenv.InCell() {
		defaultFrontend.frontend = NewGoNB()
		return defaultFrontend.frontend, nil
	}
	if url := os.Getenv("LIVEPLOT_NATS"); url != "" {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		n, err := NewNATS(ctx, url, natsenv.Options(os.Getenv(natsenv.CA), os.Getenv(natsenv.Creds))...)
		if err != nil {
			return nil, fmt.Errorf("%w (the URL is LIVEPLOT_NATS's)", err)
		}
		fmt.Fprintf(os.Stderr, "liveplot: publishing the figures through NATS at %s (LIVEPLOT_NATS); "+
			"liveplot serve shows them\n", n.URL())
		defaultFrontend.frontend = n
		return n, nil
	}
	addr := os.Getenv("LIVEPLOT_ADDR")
	if addr == "" {
		addr = DefaultAddr
	}
	var hosts []string
	for h := range strings.SplitSeq(os.Getenv("LIVEPLOT_HOSTS"), ",") {
		if h = strings.TrimSpace(h); h != "" {
			hosts = append(hosts, h)
		}
	}
	page, err := newLocalPage(addr, defaultLimits, hosts)
	if err != nil {
		return nil, err
	}
	if page.exposed() {
		where := "on " + page.listener.Addr().String() + ", an address other machines may reach"
		if tcp, ok := page.listener.Addr().(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
			where = "on every network interface"
		}
		fmt.Fprintf(os.Stderr, "liveplot: WARNING: LIVEPLOT_ADDR=%s serves the page over plain HTTP %s: "+
			"whoever can reach it and learns the URL (it travels unencrypted) sees the figures and their data. "+
			"Keep the default loopback address, or put the page behind TLS as docs/reliability.md shows.\n", addr, where)
	}
	fmt.Fprintf(os.Stderr, "liveplot: open %s to see the figures\n", page.URL())
	defaultFrontend.frontend, defaultFrontend.page = page, page
	return page, nil
}

// Wait keeps the local page served until the program is interrupted (Ctrl-C, SIGTERM) or ctx is
// done, so that a program that has finished streaming can still be looked at. It returns at
// once when no local page was started (nothing shown, or running inside a notebook).
func Wait(ctx context.Context) error {
	defaultFrontend.Lock()
	page := defaultFrontend.page
	defaultFrontend.Unlock()
	if page == nil {
		return nil
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(os.Stderr, "liveplot: still serving %s; press Ctrl-C to stop\n", page.URL())
	<-ctx.Done()
	stop() // a second Ctrl-C while the pages are told now ends the program
	// The pages open are told that the program stopped, with what was queued for them sent first.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return page.Shutdown(shutdownCtx)
}
