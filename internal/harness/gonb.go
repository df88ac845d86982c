package harness

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/liveplot/liveplot/internal/atomicfile"
)

// GoNBSetupCell is the first cell of every GoNB notebook the tests and the benchmark run: it
// makes the kernel's module require the GoNB version liveplot pins in go.mod, because GoNB's own
// "go get" of gonbui asks the module proxy for a version list, which is refused here.
const GoNBSetupCell = "!*go get github.com/janpfeifer/gonb@v0.11.4"

// InstallGoNB installs the GoNB kernelspec "gonb" into the Jupyter data directory dataDir: the
// bin/gonb of root, with root in every kernel's go.work (so cells can import liveplot from this
// checkout) and plain-text errors. The kernelspec's environment puts root's bin/ (goimports) and
// the go command's directory first on PATH, so the kernel works whatever starts it.
func InstallGoNB(ctx context.Context, root, dataDir string) error {
	gonb, err := Tool(root, "gonb")
	if err != nil {
		return err
	}
	goimports, err := Tool(root, "goimports")
	if err != nil {
		return err
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return &MissingError{What: "the go command", Install: "put Go's bin directory on PATH"}
	}
	path := strings.Join([]string{filepath.Dir(goimports), filepath.Dir(goCmd), os.Getenv("PATH")}, string(os.PathListSeparator))
	cmd := exec.CommandContext(ctx, gonb, "--install", "--force_deps", "--raw_error", "--go_work="+root)
	cmd.Env = append(os.Environ(), "JUPYTER_DATA_DIR="+dataDir, "PATH="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("harness: installing the GoNB kernel: %s --install: %w\n%s", gonb, err, out)
	}
	specPath := filepath.Join(dataDir, "kernels", "gonb", "kernel.json")
	data, err := os.ReadFile(specPath)
	if err != nil {
		return fmt.Errorf("harness: gonb --install wrote no kernel.json: %w", err)
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("harness: reading %s: %w", specPath, err)
	}
	spec["env"] = map[string]string{"PATH": path}
	if data, err = json.MarshalIndent(spec, "", "  "); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(specPath, data, 0o644); err != nil {
		return fmt.Errorf("harness: writing %s: %w", specPath, err)
	}
	return nil
}
