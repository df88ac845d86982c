// Package harness starts the real components that liveplot's integration tests and its
// benchmark command drive: headless Chromium, Debian's Jupyter Notebook 6 server (StartNotebook)
// or Debian's jupyter_server with the JupyterLab 4 test page of internal/labpage (StartLab), each
// with the GoNB kernel (and, on request, ipykernel) installed in a private data directory, and a
// driver for a notebook open in either page (Page: ClassicPage, LabPage). Its functions return
// errors; internal/testenv wraps them for tests and decides what a missing component means there.
package harness

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// MissingError reports a component that is not installed, and how to install it.
type MissingError struct {
	What    string // the component, e.g. "Chromium"
	Install string // how to get it
}

func (e *MissingError) Error() string { return fmt.Sprintf("%s is missing: %s", e.What, e.Install) }

// ModuleRoot returns the directory of liveplot's go.mod, found from the working directory.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("harness: finding liveplot's go.mod: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("harness: cannot find liveplot's go.mod above the working directory")
		}
		dir = parent
	}
}

// Tool returns the path of a program that scripts/setup builds into root's bin/ directory (gonb,
// goimports), or finds on PATH.
func Tool(root, name string) (string, error) {
	local := filepath.Join(root, "bin", name)
	if _, err := os.Stat(local); err == nil {
		return local, nil
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", &MissingError{What: name, Install: "run scripts/setup, which builds it into bin/"}
}
