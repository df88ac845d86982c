package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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
	*server
}

// StartNotebook installs the GoNB kernel (from root's bin/, with root in its go.work, so cells can
// import liveplot from this checkout) into a private Jupyter data directory under opts.Dir and
// starts Debian's Jupyter Notebook on 127.0.0.1 with it. Close stops it.
func StartNotebook(ctx context.Context, root string, opts NotebookOptions) (*Notebook, error) {
	if err := exec.CommandContext(ctx, JupyterPython, "-c", "import notebook, nbconvert").Run(); err != nil {
		return nil, &MissingError{What: "Debian's Jupyter Notebook and nbconvert", Install: "run scripts/setup (apt-get install jupyter-notebook jupyter-nbconvert)"}
	}
	s, err := startServer(ctx, root, opts, serverCommand{
		name:   "jupyter notebook",
		module: "notebook",
		app:    "NotebookApp",
		args:   func(root string) []string { return []string{"--notebook-dir=" + root} },
	})
	if err != nil {
		return nil, err
	}
	return &Notebook{s}, nil
}

// PageURL is the address of a notebook's page in the browser, token included.
func (n *Notebook) PageURL(name string) string {
	return n.URL + "notebooks/" + name + "?token=" + n.Token
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
	if err := os.WriteFile(filepath.Join(dir, "kernel.json"), spec, 0o644); err != nil {
		return fmt.Errorf("harness: installing ipykernel: %w", err)
	}
	return nil
}
