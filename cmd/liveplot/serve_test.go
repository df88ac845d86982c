package main

import (
	"context"
	"net"
	"strings"
	"testing"
)

// TestServeRefusesContradictoryFlags checks the flag errors that say what to do instead, before
// anything is started.
func TestServeRefusesContradictoryFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-nats-user", "alice"}, "-nats-user and -nats-password go together"},
		{[]string{"-nats-user", "alice", "-nats-password", "p", "-nats-token", "t"}, "choose one"},
		{[]string{"-nats-url", "nats://127.0.0.1:1", "-nats-token", "t"}, "put them in the URL"},
		{[]string{"-nats", "4222"}, "want HOST:PORT"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-nats", "0.0.0.0:0"}, "give it credentials"},
		{[]string{"-nats-ca", "ca.pem"}, "for the server of -nats-url"},
	} {
		var stderr strings.Builder
		t.Setenv("LIVEPLOT_NATS_PASSWORD", "")
		t.Setenv("LIVEPLOT_NATS_TOKEN", "")
		err := runServe(context.Background(), tc.args, &strings.Builder{}, &stderr)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("serve %q: error %v, want one that says %q", tc.args, err, tc.want)
		}
	}
}

// TestServeSaysAtOnceWhenTheNATSPortIsTaken: nats-server would wait its whole start timeout.
func TestServeSaysAtOnceWhenTheNATSPortIsTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	err = runServe(context.Background(), []string{"-nats", l.Addr().String()}, &strings.Builder{}, &strings.Builder{})
	if err == nil || !strings.Contains(err.Error(), "pick another port") {
		t.Errorf("serve on a NATS port in use: error %v, want one that says to pick another port", err)
	}
}
