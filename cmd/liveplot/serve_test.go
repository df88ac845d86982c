package main

import (
	"context"
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
