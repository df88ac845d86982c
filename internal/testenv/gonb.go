package testenv

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"

	"github.com/liveplot/liveplot/internal/atomicfile"
)

var (
	gonbOnce sync.Once
	gonbDir  string
	gonbErr  error
)

// GoNBKernel returns a Jupyter data directory holding the GoNB kernelspec ("gonb"), for tests
// that start the real kernel (for example with jupyter.FindKernelSpec("gonb", dir)), installed
// by harness.InstallGoNB: bin/gonb with the module root in its go.work, so that cells can import
// "github.com/liveplot/liveplot/..." from this checkout.
//
// The install happens once per test binary and is reused by later runs: it lives under the
// module's .cache/ (git-ignored), keyed by the gonb binary and the module root. If gonb or
// goimports is missing the test is skipped outside CI and fails in CI (see Missing).
func GoNBKernel(t testing.TB) string {
	t.Helper()
	SkipIfShort(t, "the GoNB kernel")
	gonb := Tool(t, "gonb")
	Tool(t, "goimports")
	root := ModuleRoot(t)
	gonbOnce.Do(func() { gonbDir, gonbErr = installGoNB(root, gonb) })
	check(t, gonbErr)
	return gonbDir
}

// installGoNB installs the kernelspec into <root>/.cache/testenv/gonb-<key> unless it is
// already there, building it in a temporary sibling first so concurrent test binaries never see
// half an install.
func installGoNB(root, gonb string) (string, error) {
	st, err := os.Stat(gonb)
	if err != nil {
		return "", err
	}
	key := sha256.Sum256(fmt.Appendf(nil, "%s|%d|%d|%s|%s", gonb, st.Size(), st.ModTime().UnixNano(), root, os.Getenv("PATH")))
	base := filepath.Join(root, ".cache", "testenv")
	dir := filepath.Join(base, fmt.Sprintf("gonb-%x", key[:8]))
	if _, err := os.Stat(filepath.Join(dir, "kernels", "gonb", "kernel.json")); err == nil {
		return dir, nil
	}
	if err := os.MkdirAll(base, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(base, "installing-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := harness.InstallGoNB(ctx, root, tmp); err != nil {
		return "", err
	}
	// gonb copies itself into the kernel directory and names that copy in argv: point argv at
	// where the directory will be once renamed.
	specPath := filepath.Join(tmp, "kernels", "gonb", "kernel.json")
	data, err := os.ReadFile(specPath)
	if err != nil {
		return "", err
	}
	var spec map[string]any
	if err := json.Unmarshal(data, &spec); err != nil {
		return "", fmt.Errorf("reading %s: %w", specPath, err)
	}
	if argv, ok := spec["argv"].([]any); ok {
		for i, arg := range argv {
			if s, ok := arg.(string); ok {
				argv[i] = strings.Replace(s, tmp, dir, 1)
			}
		}
	}
	if data, err = json.MarshalIndent(spec, "", "  "); err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(specPath, data, 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil {
		// Another test binary finished first: use its install.
		if _, statErr := os.Stat(filepath.Join(dir, "kernels", "gonb", "kernel.json")); statErr == nil {
			return dir, nil
		}
		return "", err
	}
	return dir, nil
}
