package natsenv

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/nats-io/nats.go"
)

// apply applies opts as nats.Connect does, and returns the first error.
func apply(opts []nats.Option) error {
	o := nats.GetDefaultOptions()
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return err
		}
	}
	return nil
}

// TestOptions: no file names, no options; each file named is read when the options are applied
// (as nats.Connect does), so a missing one is an error that says which. A file of authorities
// that works is TestRelayOverTLS's (kernelext/natsrelay), through these options.
func TestOptions(t *testing.T) {
	if opts := Options("", ""); len(opts) != 0 {
		t.Fatalf("Options(\"\", \"\"): %d options, want none", len(opts))
	}
	dir := t.TempDir()
	ca, creds := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "user.creds")
	if err := apply(Options(ca, "")); err == nil || !strings.Contains(err.Error(), "rootCA") {
		t.Errorf("Options(a missing CA file, \"\"): %v, want nats.go's error loading the authorities", err)
	}
	if err := apply(Options("", creds)); err == nil || !strings.Contains(err.Error(), creds) {
		t.Errorf("Options(\"\", a missing credentials file): %v, want an error naming %s", err, creds)
	}
}
