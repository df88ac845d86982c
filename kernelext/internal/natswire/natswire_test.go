package natswire

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

func TestRedactNeverShowsASecret(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"nats://127.0.0.1:4222", "nats://127.0.0.1:4222"},
		{"nats://alice:s3cret@127.0.0.1:4222", "nats://alice:xxxxx@127.0.0.1:4222"},
		{"nats://s3cret@127.0.0.1:4222", "nats://xxxxx@127.0.0.1:4222"},
		{"alice:s3cret@127.0.0.1:4222", "nats://alice:xxxxx@127.0.0.1:4222"}, // nats.go takes it
		{"s3cret@host:4222", "nats://xxxxx@host:4222"},
		{"nats://alice:pa#s3cret@h:4222", "<a URL that does not parse>"},
		{"nats://alice:s3%zzcret@h:4222", "<a URL that does not parse>"},
		{"nats://a:s3cret@h1:4222, tls://s3cret@h2:4222", "nats://a:xxxxx@h1:4222,tls://xxxxx@h2:4222"},
	} {
		if got := Redact(tc.in); got != tc.want || strings.Contains(got, "s3cret") {
			t.Errorf("Redact(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestConnectErrorOfAnUnparsableURLHidesIt(t *testing.T) {
	raw := "nats://alice:s3%zzcret@h:4222"
	_, parseErr := url.Parse(raw)
	err := ConnectError(raw, parseErr)
	if strings.Contains(err.Error(), "s3") || errors.Is(err, parseErr) {
		t.Errorf("ConnectError = %q: it shows or wraps the URL's password", err)
	}
}
