package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/liveplot/liveplot/internal/atomicfile"
)

// server is a Jupyter server (Notebook 6's, or jupyter_server with the JupyterLab page) started
// by the harness on 127.0.0.1, with the GoNB kernel in its private data directory.
type server struct {
	URL    string // the server's root, base_url included, ending in "/"
	Token  string
	Root   string // the directory it serves notebooks from
	Config string // its Jupyter config directory (JUPYTER_CONFIG_DIR)
	env    []string

	cmd     *exec.Cmd
	logFile *os.File
	logPath string
}

// serverCommand says how to start one kind of server.
type serverCommand struct {
	name   string // for errors: "jupyter notebook"
	module string // run as JupyterPython -m module
	app    string // its application class, which the --App.option flags configure
	// args returns the flags that make it serve notebooks from root.
	args func(root string) []string
	// configure, when set, runs once the directories exist and before the server starts; it
	// may add to the server's environment.
	configure func(s *server) error
}

// startServer makes the server's directories under opts.Dir, installs the kernels, starts the
// server and waits until it answers.
func startServer(ctx context.Context, root string, opts NotebookOptions, c serverCommand) (*server, error) {
	if opts.Python {
		if err := exec.CommandContext(ctx, JupyterPython, "-c", "import ipykernel, plotly").Run(); err != nil {
			return nil, &MissingError{What: "Debian's ipykernel and python3-plotly", Install: "run scripts/setup (apt-get install python3-ipykernel python3-plotly)"}
		}
	}
	dirs := map[string]string{}
	// tmp is the server's and its kernels' $TMPDIR: a kernel the server kills (or that dies)
	// cannot remove GoNB's directory there, but whoever removes opts.Dir does.
	for _, d := range []string{"data", "config", "runtime", "notebooks", "tmp"} {
		dirs[d] = filepath.Join(opts.Dir, d)
		if err := os.MkdirAll(dirs[d], 0o700); err != nil {
			return nil, fmt.Errorf("harness: %w", err)
		}
	}
	env := append(os.Environ(),
		"JUPYTER_DATA_DIR="+dirs["data"],
		"JUPYTER_CONFIG_DIR="+dirs["config"],
		"JUPYTER_RUNTIME_DIR="+dirs["runtime"],
		"TMPDIR="+dirs["tmp"],
		"PATH="+filepath.Join(root, "bin")+string(os.PathListSeparator)+os.Getenv("PATH"),
	)
	if err := InstallGoNB(ctx, root, dirs["data"]); err != nil {
		return nil, err
	}
	if opts.Python {
		if err := installPythonKernel(dirs["data"]); err != nil {
			return nil, err
		}
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("harness: finding a free port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	baseURL := opts.BaseURL
	if baseURL == "" {
		baseURL = "/"
	}
	scheme := "http"
	s := &server{
		Token:   "liveplot-test-token",
		Root:    dirs["notebooks"],
		Config:  dirs["config"],
		env:     env,
		logPath: filepath.Join(opts.Dir, "server.log"),
	}
	if c.configure != nil {
		if err := c.configure(s); err != nil {
			return nil, err
		}
	}
	args := []string{"-m", c.module, "--no-browser", "--allow-root",
		"--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--port-retries=0",
		"--" + c.app + ".token=" + s.Token, "--" + c.app + ".base_url=" + baseURL}
	args = append(args, c.args(s.Root)...)
	if opts.TLS {
		cert, key, err := selfSignedCertificate(opts.Dir)
		if err != nil {
			return nil, fmt.Errorf("harness: making a certificate: %w", err)
		}
		scheme = "https"
		args = append(args, "--certfile="+cert, "--keyfile="+key)
	}
	s.URL = fmt.Sprintf("%s://127.0.0.1:%d%s", scheme, port, baseURL)
	s.cmd = exec.Command(JupyterPython, args...)
	s.cmd.Env = s.env
	if s.logFile, err = os.Create(s.logPath); err != nil {
		return nil, fmt.Errorf("harness: %w", err)
	}
	s.cmd.Stdout, s.cmd.Stderr = s.logFile, s.logFile
	if err := s.cmd.Start(); err != nil {
		s.logFile.Close()
		return nil, fmt.Errorf("harness: starting %s: %w", c.name, err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := loopbackClient.Get(s.URL + "api/status?token=" + s.Token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			s.Close()
			return nil, fmt.Errorf("harness: %s did not answer on %s: %v\n%s", c.name, s.URL, err, s.LogTail(4000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Close stops the server, waiting up to 10 s for it to shut its kernels down.
func (s *server) Close() {
	// SIGTERM: both servers stop and shut their kernels down. On SIGINT without a terminal
	// jupyter_server waited for a confirmation until it was killed, and left its kernels running.
	s.cmd.Process.Signal(syscall.SIGTERM) //nolint:errcheck // it may be gone
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }() //nolint:errcheck // exit status of an interrupted server
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill() //nolint:errcheck // it may be gone
		<-done
	}
	s.logFile.Close()
}

// PID is the server process's id (its kernels are its children).
func (s *server) PID() int { return s.cmd.Process.Pid }

// LogTail returns the last n bytes of the server's log.
func (s *server) LogTail(size int) string {
	log, _ := os.ReadFile(s.logPath)
	return tail(string(log), size)
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// WriteNotebook writes a notebook of code cells, in the given kernel, into the server's root and
// returns its path. The notebook is not signed: its cells' outputs become trusted when they run
// (or see Trust).
func (s *server) WriteNotebook(name string, kernel Kernel, cells ...string) (string, error) {
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
			"kernelspec":    map[string]any{"name": kernel.Name, "display_name": kernel.DisplayName, "language": kernel.Language},
			"language_info": map[string]any{"name": kernel.Language},
		},
	}
	list := []cell{}
	for _, src := range cells {
		list = append(list, cell{CellType: "code", Metadata: map[string]any{}, Outputs: []any{}, Source: src})
	}
	nb["cells"] = list
	raw, err := json.MarshalIndent(nb, "", " ")
	if err != nil {
		return "", fmt.Errorf("harness: writing notebook %s: %w", name, err)
	}
	path := filepath.Join(s.Root, name)
	if err := atomicfile.WriteFile(path, raw, 0o600); err != nil {
		return "", fmt.Errorf("harness: writing notebook %s: %w", name, err)
	}
	return path, nil
}

// ReadNotebook returns the notebook file name of the server's root, as the server last saved it.
func (s *server) ReadNotebook(name string) ([]byte, error) {
	raw, err := os.ReadFile(filepath.Join(s.Root, name))
	if err != nil {
		return nil, fmt.Errorf("harness: reading notebook %s: %w", name, err)
	}
	return raw, nil
}

// Trust signs a notebook of the server's root with the server's own notary (`jupyter trust`,
// run with the server's data directory), so that the server marks its cells trusted and the page
// runs the scripts of its outputs when it opens it. A notebook the server saved itself is signed
// already.
func (s *server) Trust(ctx context.Context, name string) error {
	cmd := exec.CommandContext(ctx, JupyterPython, "-m", "nbformat.sign", filepath.Join(s.Root, name))
	cmd.Env = s.env
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("harness: jupyter trust %s: %w\n%s", name, err, out)
	}
	return nil
}

// NBConvertExecute runs `nbconvert --to notebook --execute` on a notebook of the server's root,
// with the server's kernels, and returns the executed notebook and how long nbconvert took.
func (s *server) NBConvertExecute(ctx context.Context, name string) ([]byte, time.Duration, error) {
	out := strings.TrimSuffix(name, ".ipynb") + ".executed.ipynb"
	cmd := exec.CommandContext(ctx, JupyterPython, "-m", "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.timeout=600", "--output", out, filepath.Join(s.Root, name))
	cmd.Env = s.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, 0, fmt.Errorf("nbconvert --execute %s: %w\n%s", name, err, tail(stderr.String(), 4000))
	}
	took := time.Since(start)
	raw, err := os.ReadFile(filepath.Join(s.Root, out))
	if err != nil {
		return nil, 0, fmt.Errorf("harness: %w", err)
	}
	return raw, took, nil
}
