package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Lab is a running jupyter_server (Debian's) serving the JupyterLab 4 test page of
// internal/labpage: a notebook front-end assembled from JupyterLab's npm packages, opened at
// PageURL. See internal/labpage/README.md.
type Lab struct {
	*server
}

// LabBundle returns the directory of the JupyterLab page's bundle that scripts/setup builds with
// npm and esbuild (<root>/.cache/labpage/static), or a MissingError when it is not built.
func LabBundle(root string) (string, error) {
	dir := filepath.Join(root, ".cache", "labpage", "static")
	if _, err := os.Stat(filepath.Join(dir, "labpage.js")); err != nil {
		return "", &MissingError{What: "the JupyterLab test page's bundle (" + dir + ")", Install: "run scripts/setup, which installs node and npm and builds it from internal/labpage"}
	}
	return dir, nil
}

// StartLab installs the GoNB kernel (as StartNotebook does) into a private Jupyter data directory
// under opts.Dir and starts Debian's jupyter_server on 127.0.0.1, as `python3 -m jupyter_server`
// (liveplot's kernel side tells a server from other kernel clients by that command line), with
// the JupyterLab test page's server extension (internal/labpage/liveplot_labpage.py) enabled.
// Close stops it.
func StartLab(ctx context.Context, root string, opts NotebookOptions) (*Lab, error) {
	if err := exec.CommandContext(ctx, JupyterPython, "-c", "import jupyter_server, jupyterlab_server, nbformat").Run(); err != nil {
		return nil, &MissingError{What: "Debian's jupyter_server and jupyterlab_server", Install: "run scripts/setup (apt-get install python3-jupyter-server python3-jupyterlab-server)"}
	}
	bundle, err := LabBundle(root)
	if err != nil {
		return nil, err
	}
	s, err := startServer(ctx, root, opts, serverCommand{
		name:   "jupyter_server",
		module: "jupyter_server",
		app:    "ServerApp",
		args:   func(root string) []string { return []string{"--ServerApp.root_dir=" + root} },
		configure: func(s *server) error {
			config, err := json.MarshalIndent(map[string]any{
				"ServerApp":  map[string]any{"jpserver_extensions": map[string]bool{"liveplot_labpage": true}},
				"LabPageApp": map[string]any{"static_dir": bundle},
			}, "", "  ")
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(s.Config, "jupyter_server_config.json"), config, 0o600); err != nil {
				return fmt.Errorf("harness: configuring jupyter_server: %w", err)
			}
			pythonPath := filepath.Join(root, "internal", "labpage")
			if p := os.Getenv("PYTHONPATH"); p != "" {
				pythonPath += string(os.PathListSeparator) + p
			}
			s.env = append(s.env, "PYTHONPATH="+pythonPath)
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	return &Lab{s}, nil
}

// PageURL is the address of a notebook's page in the browser, token included: JupyterLab's own
// address for a document, <base_url>lab/tree/<name>.
func (l *Lab) PageURL(name string) string {
	return l.URL + "lab/tree/" + name + "?token=" + l.Token
}
