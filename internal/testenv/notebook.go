package testenv

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// NotebookOptions configures NotebookServer.
type NotebookOptions struct {
	// BaseURL is the server's base_url, e.g. "/user/x/" (default "/").
	BaseURL string
	// TLS serves https with a self-signed certificate made for the test (open the page with
	// Browser(t, IgnoreCertificateErrors)).
	TLS bool
}

// Notebook is a Jupyter Notebook 6 server with the GoNB kernel installed, for one test.
type Notebook struct {
	URL   string // the server's root, base_url included, ending in "/"
	Token string
	Root  string // the directory it serves notebooks from
	env   []string
}

// jupyterPython is Debian's Python, the one its Jupyter packages are installed for.
const jupyterPython = "/usr/bin/python3"

// NotebookServer starts Debian's Jupyter Notebook on 127.0.0.1 with private Jupyter
// directories and the GoNB kernel of GoNBKernel (bin/gonb, with the module root in its go.work).
// The server stops when the test ends.
func NotebookServer(t testing.TB, opts NotebookOptions) *Notebook {
	t.Helper()
	kernels := GoNBKernel(t)
	if err := exec.Command(jupyterPython, "-c", "import notebook, nbconvert").Run(); err != nil {
		Missing(t, "Debian's Jupyter Notebook and nbconvert", "run scripts/setup (apt-get install jupyter-notebook jupyter-nbconvert)")
	}
	base := t.TempDir()
	dirs := map[string]string{}
	for _, d := range []string{"data", "config", "runtime", "notebooks"} {
		dirs[d] = filepath.Join(base, d)
		if err := os.MkdirAll(dirs[d], 0o700); err != nil {
			t.Fatal(err)
		}
	}
	// The GoNB kernelspec comes from GoNBKernel's install, found through JUPYTER_PATH.
	env := append(os.Environ(),
		"JUPYTER_PATH="+kernels,
		"JUPYTER_DATA_DIR="+dirs["data"],
		"JUPYTER_CONFIG_DIR="+dirs["config"],
		"JUPYTER_RUNTIME_DIR="+dirs["runtime"],
	)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	baseURL := opts.BaseURL
	if baseURL == "" {
		baseURL = "/"
	}
	scheme := "http"
	args := []string{"-m", "notebook", "--no-browser", "--allow-root",
		"--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--port-retries=0",
		"--NotebookApp.token=liveplot-test-token", "--NotebookApp.base_url=" + baseURL,
		"--notebook-dir=" + dirs["notebooks"]}
	if opts.TLS {
		cert, key := selfSignedCertificate(t, base)
		scheme = "https"
		args = append(args, "--certfile="+cert, "--keyfile="+key)
	}
	n := &Notebook{
		URL:   fmt.Sprintf("%s://127.0.0.1:%d%s", scheme, port, baseURL),
		Token: "liveplot-test-token",
		Root:  dirs["notebooks"],
		env:   env,
	}
	server := exec.Command(jupyterPython, args...)
	server.Env = env
	logPath := filepath.Join(base, "notebook.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	server.Stdout, server.Stderr = logFile, logFile
	if err := server.Start(); err != nil {
		t.Fatalf("starting jupyter notebook: %v", err)
	}
	t.Cleanup(func() {
		server.Process.Signal(os.Interrupt) //nolint:errcheck // it may be gone
		done := make(chan struct{})
		go func() { server.Wait(); close(done) }() //nolint:errcheck // exit status of an interrupted server
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			server.Process.Kill() //nolint:errcheck // it may be gone
			<-done
		}
		logFile.Close()
		if t.Failed() {
			if log, err := os.ReadFile(logPath); err == nil {
				t.Logf("jupyter notebook log (tail):\n%s", tail(string(log), 6000))
			}
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := loopbackClient.Get(n.URL + "api/status?token=" + n.Token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logPath)
			t.Fatalf("jupyter notebook did not answer on %s: %v\n%s", n.URL, err, tail(string(log), 4000))
		}
		time.Sleep(100 * time.Millisecond)
	}
	return n
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// PageURL is the address of a notebook's page in the browser, token included.
func (n *Notebook) PageURL(name string) string {
	return n.URL + "notebooks/" + name + "?token=" + n.Token
}

// WriteNotebook writes a notebook of code cells, in the GoNB kernel, into the server's root.
func (n *Notebook) WriteNotebook(t testing.TB, name string, cells ...string) string {
	t.Helper()
	type cell struct {
		CellType       string         `json:"cell_type"`
		ExecutionCount any            `json:"execution_count"`
		Metadata       map[string]any `json:"metadata"`
		Outputs        []any          `json:"outputs"`
		Source         string         `json:"source"`
	}
	nb := map[string]any{
		"nbformat": 4, "nbformat_minor": 5,
		"metadata": map[string]any{
			"kernelspec":    map[string]any{"name": "gonb", "display_name": "Go (gonb)", "language": "go"},
			"language_info": map[string]any{"name": "go"},
		},
	}
	list := []cell{}
	for _, src := range cells {
		list = append(list, cell{CellType: "code", Metadata: map[string]any{}, Outputs: []any{}, Source: src})
	}
	nb["cells"] = list
	raw, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(n.Root, name)
	if err := os.WriteFile(path, raw, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// NBConvertExecute runs `nbconvert --to notebook --execute` on a notebook of the server's root,
// with the same kernel, and returns the executed notebook and how long nbconvert took.
func (n *Notebook) NBConvertExecute(t testing.TB, ctx context.Context, name string) ([]byte, time.Duration) {
	t.Helper()
	out := strings.TrimSuffix(name, ".ipynb") + ".executed.ipynb"
	cmd := exec.CommandContext(ctx, jupyterPython, "-m", "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.timeout=600", "--output", out, filepath.Join(n.Root, name))
	cmd.Env = n.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("nbconvert --execute %s: %v\n%s", name, err, tail(stderr.String(), 4000))
	}
	took := time.Since(start)
	raw, err := os.ReadFile(filepath.Join(n.Root, out))
	if err != nil {
		t.Fatal(err)
	}
	return raw, took
}

// loopbackClient asks the test's own server, whose certificate (with TLS) is self-signed.
var loopbackClient = &http.Client{Transport: &http.Transport{
	TLSClientConfig: &tls.Config{InsecureSkipVerify: true}, //nolint:gosec // the test's own loopback server
}}

// selfSignedCertificate writes a certificate and key for 127.0.0.1 into dir and returns their
// paths.
func selfSignedCertificate(t testing.TB, dir string) (certPath, keyPath string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "liveplot test"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPath, keyPath
}
