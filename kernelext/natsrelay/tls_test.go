package natsrelay_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/liveplot/liveplot/internal/natsenv"
	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/kerneltest"
	"github.com/liveplot/liveplot/kernelext/natsrelay"
)

// testCA makes a certificate authority and a server certificate for 127.0.0.1 signed by it; it
// writes the authority's PEM to a file and returns its path with the server's TLS config.
func testCA(t *testing.T) (string, *tls.Config) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "liveplot test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		KeyUsage: x509.KeyUsageDigitalSignature,
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return caFile, &tls.Config{
		Certificates: []tls.Certificate{{Certificate: [][]byte{leafDER}, PrivateKey: key}},
		MinVersion:   tls.VersionTLS12,
	}
}

// TestRelayOverTLS runs a producer and a relay against a NATS server that speaks only TLS, with
// a certificate from an authority of the test's own: given the authority (a nats.go option for
// the producer; for the relay, natsenv.Options, as liveplot serve passes -nats-ca), frames flow;
// without it the connection is refused and the error says why.
func TestRelayOverTLS(t *testing.T) {
	caFile, tlsConfig := testCA(t)
	ns, err := server.NewServer(&server.Options{
		Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true, StoreDir: t.TempDir(),
		NoSigs: true, NoLog: true, TLS: true, TLSConfig: tlsConfig, TLSTimeout: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	if !ns.ReadyForConnections(30 * time.Second) {
		t.Fatal("the NATS server did not start")
	}
	url := "tls://" + ns.Addr().String()

	if _, err := kernelext.NewNATS(context.Background(), url); err == nil {
		t.Fatal("a producer connected without the server's authority")
	} else if !strings.Contains(err.Error(), "TLS certificate") || !strings.Contains(err.Error(), "LIVEPLOT_NATS_CA") {
		t.Fatalf("the error does not say the certificate was refused, and what to do: %v", err)
	}
	rec, l := &kerneltest.Recorder{}, &logs{}
	relay, err := natsrelay.Connect(context.Background(), url, rec, natsrelay.Options{Logf: l.logf, NATS: natsenv.Options(caFile, "")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { relay.Close(context.Background()) })
	n, err := kernelext.NewNATS(context.Background(), url, nats.RootCAs(caFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close(context.Background()) })
	ch, err := n.OpenChannel("tok", nil)
	if err != nil {
		t.Fatal(err)
	}
	ch.Send([]byte(`{"seq":1}`))
	poll(t, "the frame over TLS", func() bool { c := rec.Channel("tok"); return c != nil && len(c.Frames()) == 1 })
}
