package jupyter

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// KernelSpec is a kernel's kernel.json: how to start it.
type KernelSpec struct {
	// Name is the kernel's name: the name of the directory holding kernel.json.
	Name string `json:"-"`
	// Dir is the directory holding kernel.json.
	Dir string `json:"-"`
	// Argv is the command line; "{connection_file}" is replaced by the connection file's path.
	Argv        []string `json:"argv"`
	DisplayName string   `json:"display_name"`
	Language    string   `json:"language"`
	// InterruptMode is "signal" (SIGINT to the kernel, the default) or "message"
	// (an interrupt_request on the control channel).
	InterruptMode string            `json:"interrupt_mode,omitempty"`
	Env           map[string]string `json:"env,omitempty"`
}

// ErrNoKernelSpec means no kernel.json was found for a kernel name.
var ErrNoKernelSpec = errors.New("jupyter: no such kernelspec")

// DataDirs returns the Jupyter data directories in the order Jupyter searches them:
// $JUPYTER_PATH entries, the user data dir ($JUPYTER_DATA_DIR or the platform default), then
// the system directories.
func DataDirs() []string {
	var dirs []string
	for _, d := range filepath.SplitList(os.Getenv("JUPYTER_PATH")) {
		if d != "" {
			dirs = append(dirs, d)
		}
	}
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		dirs = append(dirs, d)
	} else if home, err := os.UserHomeDir(); err == nil {
		switch runtime.GOOS {
		case "darwin":
			dirs = append(dirs, filepath.Join(home, "Library", "Jupyter"))
		case "windows":
			if appData := os.Getenv("APPDATA"); appData != "" {
				dirs = append(dirs, filepath.Join(appData, "jupyter"))
			}
		default:
			if xdg := os.Getenv("XDG_DATA_HOME"); xdg != "" {
				dirs = append(dirs, filepath.Join(xdg, "jupyter"))
			} else {
				dirs = append(dirs, filepath.Join(home, ".local", "share", "jupyter"))
			}
		}
	}
	if runtime.GOOS == "windows" {
		if pd := os.Getenv("PROGRAMDATA"); pd != "" {
			dirs = append(dirs, filepath.Join(pd, "jupyter"))
		}
	} else {
		dirs = append(dirs, "/usr/local/share/jupyter", "/usr/share/jupyter")
	}
	return dirs
}

// FindKernelSpec finds the kernelspec called name (case-insensitive, as Jupyter does) in the
// given data directories, or in [DataDirs] if none are given. The first match wins.
func FindKernelSpec(name string, dataDirs ...string) (*KernelSpec, error) {
	if len(dataDirs) == 0 {
		dataDirs = DataDirs()
	}
	for _, d := range dataDirs {
		dir := filepath.Join(d, "kernels", strings.ToLower(name))
		spec, err := ReadKernelSpec(dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return spec, nil
	}
	return nil, fmt.Errorf("%w %q in %s: install the kernel (for GoNB: gonb --install) or set JUPYTER_PATH / JUPYTER_DATA_DIR",
		ErrNoKernelSpec, name, strings.Join(dataDirs, ", "))
}

// ReadKernelSpec reads dir/kernel.json.
func ReadKernelSpec(dir string) (*KernelSpec, error) {
	path := filepath.Join(dir, "kernel.json")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("jupyter: reading kernelspec: %w", err)
	}
	spec := &KernelSpec{Name: filepath.Base(dir), Dir: dir}
	if err := json.Unmarshal(data, spec); err != nil {
		return nil, fmt.Errorf("jupyter: kernelspec %s is not valid JSON: %w", path, err)
	}
	if len(spec.Argv) == 0 {
		return nil, fmt.Errorf("jupyter: kernelspec %s has an empty argv", path)
	}
	return spec, nil
}

// command returns argv with {connection_file} and {resource_dir} substituted.
func (s *KernelSpec) command(connectionFile string) []string {
	argv := make([]string, len(s.Argv))
	for i, a := range s.Argv {
		a = strings.ReplaceAll(a, "{connection_file}", connectionFile)
		a = strings.ReplaceAll(a, "{resource_dir}", s.Dir)
		argv[i] = a
	}
	return argv
}
