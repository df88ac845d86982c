package jupyter

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"

	"github.com/liveplot/liveplot/internal/atomicfile"
	"github.com/liveplot/liveplot/internal/randid"
)

// ConnectionInfo is the content of a kernel connection file: where the kernel's five sockets
// listen and the key that signs every message.
type ConnectionInfo struct {
	Transport       string `json:"transport"`
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	ControlPort     int    `json:"control_port"`
	StdinPort       int    `json:"stdin_port"`
	IOPubPort       int    `json:"iopub_port"`
	HBPort          int    `json:"hb_port"`
	SignatureScheme string `json:"signature_scheme"`
	Key             string `json:"key"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile reads a kernel connection file.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	var ci ConnectionInfo
	data, err := os.ReadFile(path)
	if err != nil {
		return ci, fmt.Errorf("jupyter: reading connection file: %w", err)
	}
	if err := json.Unmarshal(data, &ci); err != nil {
		return ci, fmt.Errorf("jupyter: connection file %s is not valid JSON: %w", path, err)
	}
	return ci, nil
}

// WriteFile writes ci as a connection file readable only by its owner (it holds the key).
func (ci ConnectionInfo) WriteFile(path string) error {
	data, err := json.MarshalIndent(ci, "", "  ")
	if err != nil {
		return fmt.Errorf("jupyter: encoding connection info: %w", err)
	}
	if err := atomicfile.WriteFile(path, data, 0o600); err != nil {
		return fmt.Errorf("jupyter: writing connection file: %w", err)
	}
	return nil
}

// validate checks that ci describes something this client can talk to safely.
func (ci ConnectionInfo) validate() error {
	if ci.Transport != "tcp" && ci.Transport != "ipc" {
		return fmt.Errorf("jupyter: unsupported transport %q in connection info (want tcp or ipc)", ci.Transport)
	}
	if ci.SignatureScheme != "hmac-sha256" {
		return fmt.Errorf("jupyter: unsupported signature scheme %q (want hmac-sha256)", ci.SignatureScheme)
	}
	if ci.Key == "" {
		return fmt.Errorf("jupyter: connection info has no key: refusing a kernel whose messages cannot be authenticated")
	}
	return nil
}

// endpoint returns the ZeroMQ address of a port.
func (ci ConnectionInfo) endpoint(port int) string {
	if ci.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", ci.IP, port)
	}
	return fmt.Sprintf("tcp://%s", net.JoinHostPort(ci.IP, fmt.Sprint(port)))
}

// newLoopbackConnection picks five free TCP ports on 127.0.0.1 and a random key.
func newLoopbackConnection(kernelName string) (ConnectionInfo, error) {
	var ports [5]int
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for i := range ports {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return ConnectionInfo{}, fmt.Errorf("jupyter: finding a free loopback port: %w", err)
		}
		listeners = append(listeners, l)
		ports[i] = l.Addr().(*net.TCPAddr).Port
	}
	return ConnectionInfo{
		Transport:       "tcp",
		IP:              "127.0.0.1",
		ShellPort:       ports[0],
		ControlPort:     ports[1],
		StdinPort:       ports[2],
		IOPubPort:       ports[3],
		HBPort:          ports[4],
		SignatureScheme: "hmac-sha256",
		Key:             randid.Hex(32),
		KernelName:      kernelName,
	}, nil
}

// kernelIDPattern matches the kernel id in a connection file named the way Jupyter names them.
// GoNB reads its kernel id from that name.
var kernelIDPattern = regexp.MustCompile(`^kernel-([0-9a-fA-F-]+)\.json$`)

// KernelIDFromConnectionFile returns the kernel id in a connection file name of the form
// kernel-<id>.json, or "" if the name has another form.
func KernelIDFromConnectionFile(path string) string {
	m := kernelIDPattern.FindStringSubmatch(filepath.Base(path))
	if m == nil {
		return ""
	}
	return m[1]
}
