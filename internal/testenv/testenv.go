// Package testenv finds the real components that liveplot's integration tests drive (headless
// Chromium, the GoNB kernel, a Jupyter server) and decides what happens when one is missing:
// outside CI the test is skipped with a message that says how to install it; in CI (CI=true)
// missing means failure.
package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// InCI reports whether the tests run in CI, where every component must be present.
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing ends the test because a component it needs is not installed: a skip outside CI, a
// failure in CI. install says how to get the component.
func Missing(t testing.TB, what, install string) {
	t.Helper()
	if InCI() {
		t.Fatalf("%s is missing (CI=true, so this is a failure): %s", what, install)
	}
	t.Skipf("%s is missing: %s", what, install)
}

var (
	rootOnce sync.Once
	rootDir  string
)

// ModuleRoot returns the directory of liveplot's go.mod, found from the working directory.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	rootOnce.Do(func() {
		dir, err := os.Getwd()
		if err != nil {
			return
		}
		for {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				rootDir = dir
				return
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				return
			}
			dir = parent
		}
	})
	if rootDir == "" {
		t.Fatal("testenv: cannot find liveplot's go.mod above the working directory")
	}
	return rootDir
}

// Tool returns the path of a program the setup script builds into the module's bin/ directory
// (gonb, goimports), or finds on PATH.
func Tool(t testing.TB, name string) string {
	t.Helper()
	local := filepath.Join(ModuleRoot(t), "bin", name)
	if _, err := os.Stat(local); err == nil {
		return local
	}
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	Missing(t, name, "run scripts/setup, which builds it into bin/")
	return ""
}
