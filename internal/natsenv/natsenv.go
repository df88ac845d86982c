// Package natsenv is what liveplot's producers (kernelext.Default) and `liveplot serve` both take
// from their environment for NATS: the names of the variables that name a TLS authority and a
// credentials file, and the nats.go options those files make. It is one place, so that both
// sides read them alike.
package natsenv

import "github.com/nats-io/nats.go"

const (
	// CA names a PEM file of the certificate authorities that verify a TLS server (tls:// URLs),
	// instead of the system's.
	CA = "LIVEPLOT_NATS_CA"
	// Creds names a NATS credentials file (a user JWT and its nkey seed).
	Creds = "LIVEPLOT_NATS_CREDS"
)

// Options returns the nats.go options for a file of authorities (nats.RootCAs) and a credentials
// file (nats.UserCredentials); an empty name adds no option.
func Options(caFile, credsFile string) []nats.Option {
	var opts []nats.Option
	if caFile != "" {
		opts = append(opts, nats.RootCAs(caFile))
	}
	if credsFile != "" {
		opts = append(opts, nats.UserCredentials(credsFile))
	}
	return opts
}
