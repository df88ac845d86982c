package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/testenv"
)

// TestServersShutTheirKernelsDown: a test's Jupyter server, stopped when its test ends, takes
// its GoNB kernels with it. Before, jupyter_server (the JupyterLab page's server) waited on
// SIGINT for a confirmation until it was killed, and every Lab test left its kernels running.
func TestServersShutTheirKernelsDown(t *testing.T) {
	for _, lab := range []bool{false, true} {
		var dir string
		t.Run(map[bool]string{false: "Notebook 6", true: "JupyterLab"}[lab], func(t *testing.T) {
			var fe testenv.Frontend
			if lab {
				l := testenv.LabServer(t, testenv.NotebookOptions{})
				fe, dir = l, filepath.Dir(l.Root)
			} else {
				n := testenv.NotebookServer(t, testenv.NotebookOptions{})
				fe, dir = n, filepath.Dir(n.Root)
			}
			ctx := testenv.Browser(t)
			fe.WriteNotebook(t, "k.ipynb", harness.GoNBSetupCell)
			page := testenv.Open(t, ctx, fe, "k.ipynb")
			page.RunCell(0)
			page.WaitCell(0, 3*time.Minute)
			if len(kernelsUnder(dir)) == 0 {
				t.Fatalf("no kernel process runs with a connection file under %s: the test cannot tell", dir)
			}
		})
		if dir == "" {
			continue // the subtest skipped (-short, no Jupyter) before a server started
		}
		// The subtest's cleanup has stopped the server.
		deadline := time.Now().Add(30 * time.Second)
		for len(kernelsUnder(dir)) > 0 {
			if time.Now().After(deadline) {
				t.Errorf("kernel processes still run 30 s after their server stopped: %v", kernelsUnder(dir))
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
}

// kernelsUnder returns the command lines of the processes whose kernel connection file is under
// dir.
func kernelsUnder(dir string) []string {
	var found []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cmdline := strings.ReplaceAll(string(raw), "\x00", " ")
		if strings.Contains(cmdline, "--kernel "+dir) || strings.Contains(cmdline, "-f "+dir) {
			found = append(found, cmdline)
		}
	}
	return found
}
