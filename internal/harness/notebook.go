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
	"time"

	"github.com/liveplot/liveplot/internal/atomicfile"
)

// JupyterPython is Debian's Python, the one its Jupyter packages are installed for (not whatever
// python3 comes first on PATH).
const JupyterPython = "/usr/bin/python3"

// NotebookOptions configures StartNotebook.
type NotebookOptions struct {
	// Dir is a fresh directory that holds the server's data, config, runtime and notebook
	// directories and its log. It is the caller's to remove.
	Dir string
	// BaseURL is the server's base_url, e.g. "/user/x/" (default "/").
	BaseURL string
	// Python also installs Debian's ipykernel as the kernel "python3".
	Python bool
	// TLS serves https with a self-signed certificate for 127.0.0.1, made for the server.
	TLS bool
}

// Kernel names the kernelspec a notebook's cells run in.
type Kernel struct {
	Name, DisplayName, Language string
}

var (
	// GoNB is the GoNB kernel that StartNotebook installs.
	GoNB = Kernel{Name: "gonb", DisplayName: "Go (gonb)", Language: "go"}
	// Python is Debian's ipykernel, installed with NotebookOptions.Python.
	Python = Kernel{Name: "python3", DisplayName: "Python 3 (Debian)", Language: "python"}
)

// Notebook is a running Jupyter Notebook 6 server.
type Notebook struct {
	URL   string // the server's root, base_url included, ending in "/"
	Token string
	Root  string // the directory it serves notebooks from
	env   []string

	server  *exec.Cmd
	logFile *os.File
	logPath string
}

// StartNotebook installs the GoNB kernel (from root's bin/, with root in its go.work, so cells can
// import liveplot from this checkout) into a private Jupyter data directory under opts.Dir and
// starts Debian's Jupyter Notebook on 127.0.0.1 with it. Close stops it.
func StartNotebook(ctx context.Context, root string, opts NotebookOptions) (*Notebook, error) {
	if err := exec.CommandContext(ctx, JupyterPython, "-c", "import notebook, nbconvert").Run(); err != nil {
		return nil, &MissingError{What: "Debian's Jupyter Notebook and nbconvert", Install: "run scripts/setup (apt-get install jupyter-notebook jupyter-nbconvert)"}
	}
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
	n := &Notebook{
		Token:   "liveplot-test-token",
		Root:    dirs["notebooks"],
		env:     env,
		logPath: filepath.Join(opts.Dir, "notebook.log"),
	}
	args := []string{"-m", "notebook", "--no-browser", "--allow-root",
		"--ip=127.0.0.1", fmt.Sprintf("--port=%d", port), "--port-retries=0",
		"--NotebookApp.token=" + n.Token, "--NotebookApp.base_url=" + baseURL,
		"--notebook-dir=" + n.Root}
	if opts.TLS {
		cert, key, err := selfSignedCertificate(opts.Dir)
		if err != nil {
			return nil, fmt.Errorf("harness: making a certificate: %w", err)
		}
		scheme = "https"
		args = append(args, "--certfile="+cert, "--keyfile="+key)
	}
	n.URL = fmt.Sprintf("%s://127.0.0.1:%d%s", scheme, port, baseURL)
	n.server = exec.Command(JupyterPython, args...)
	n.server.Env = env
	if n.logFile, err = os.Create(n.logPath); err != nil {
		return nil, fmt.Errorf("harness: %w", err)
	}
	n.server.Stdout, n.server.Stderr = n.logFile, n.logFile
	if err := n.server.Start(); err != nil {
		n.logFile.Close()
		return nil, fmt.Errorf("harness: starting jupyter notebook: %w", err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := loopbackClient.Get(n.URL + "api/status?token=" + n.Token)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return n, nil
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			n.Close()
			return nil, fmt.Errorf("harness: jupyter notebook did not answer on %s: %v\n%s", n.URL, err, n.LogTail(4000))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// installPythonKernel writes the kernelspec "python3" for Debian's ipykernel into dataDir, so
// that it wins over any other python3 kernel the machine has.
func installPythonKernel(dataDir string) error {
	dir := filepath.Join(dataDir, "kernels", Python.Name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("harness: installing ipykernel: %w", err)
	}
	spec, err := json.MarshalIndent(map[string]any{
		"argv":         []string{JupyterPython, "-m", "ipykernel_launcher", "-f", "{connection_file}"},
		"display_name": Python.DisplayName,
		"language":     Python.Language,
	}, "", "  ")
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "kernel.json"), spec, 0o644); err != nil {
		return fmt.Errorf("harness: installing ipykernel: %w", err)
	}
	return nil
}

// Close stops the server, waiting up to 10 s for it to shut its kernels down.
func (n *Notebook) Close() {
	n.server.Process.Signal(os.Interrupt) //nolint:errcheck // it may be gone
	done := make(chan struct{})
	go func() { n.server.Wait(); close(done) }() //nolint:errcheck // exit status of an interrupted server
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		n.server.Process.Kill() //nolint:errcheck // it may be gone
		<-done
	}
	n.logFile.Close()
}

// LogTail returns the last n bytes of the server's log.
func (n *Notebook) LogTail(size int) string {
	log, _ := os.ReadFile(n.logPath)
	return tail(string(log), size)
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

// WriteNotebook writes a notebook of code cells, in the given kernel, into the server's root and
// returns its path.
func (n *Notebook) WriteNotebook(name string, kernel Kernel, cells ...string) (string, error) {
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
	path := filepath.Join(n.Root, name)
	if err := atomicfile.WriteFile(path, raw, 0o600); err != nil {
		return "", fmt.Errorf("harness: writing notebook %s: %w", name, err)
	}
	return path, nil
}

// NBConvertExecute runs `nbconvert --to notebook --execute` on a notebook of the server's root,
// with the server's kernels, and returns the executed notebook and how long nbconvert took.
func (n *Notebook) NBConvertExecute(ctx context.Context, name string) ([]byte, time.Duration, error) {
	out := strings.TrimSuffix(name, ".ipynb") + ".executed.ipynb"
	cmd := exec.CommandContext(ctx, JupyterPython, "-m", "nbconvert", "--to", "notebook", "--execute",
		"--ExecutePreprocessor.timeout=600", "--output", out, filepath.Join(n.Root, name))
	cmd.Env = n.env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return nil, 0, fmt.Errorf("nbconvert --execute %s: %w\n%s", name, err, tail(stderr.String(), 4000))
	}
	took := time.Since(start)
	raw, err := os.ReadFile(filepath.Join(n.Root, out))
	if err != nil {
		return nil, 0, fmt.Errorf("harness: %w", err)
	}
	return raw, took, nil
}
