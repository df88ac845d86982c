package kernelext

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/liveplot/liveplot/internal/testenv"
)

// TestScriptsAreSelfContained: each browser-side file parses alone as a script (node --check),
// so that it can be read and linted on its own, and none reaches the names of another file but
// through globalThis.liveplotCore.
func TestScriptsAreSelfContained(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		testenv.Missing(t, "node", "apt-get install nodejs (scripts/setup installs it)")
	}
	for name, src := range map[string]string{"core.js": coreJS, "localpage.js": localPageJS, "notebook.js": notebookJS} {
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(node, "--check", path).CombinedOutput(); err != nil {
			t.Errorf("%s does not parse as a script on its own: %v\n%s", name, err, out)
		}
		if name != "core.js" && !strings.Contains(src, "})(globalThis.liveplotCore);") {
			t.Errorf("%s does not take the core as its argument", name)
		}
	}
}
