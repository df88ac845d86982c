// Package testenv gives liveplot's integration tests the real components they drive (headless
// Chromium, the GoNB kernel, a Jupyter server; internal/harness starts them) and decides what
// happens when one is missing: outside CI the test is skipped with a message that says how to
// install it; in CI (CI=true) missing means failure.
package testenv

import (
	"os"
	"testing"

	"github.com/liveplot/liveplot/internal/harness"
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

// SkipIfShort skips the test under go test -short: tests that drive a browser, a kernel or a
// Jupyter server take seconds to minutes each, and -short is the contributor's fast inner loop.
// CI runs everything.
func SkipIfShort(t testing.TB, what string) {
	t.Helper()
	if testing.Short() {
		t.Skipf("-short: skipping a test that needs %s", what)
	}
}

// ModuleRoot returns the directory of liveplot's go.mod, found from the working directory.
func ModuleRoot(t testing.TB) string {
	t.Helper()
	root, err := harness.ModuleRoot()
	check(t, err)
	return root
}

// Tool returns the path of a program the setup script builds into the module's bin/ directory
// (gonb, goimports), or finds on PATH.
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := harness.Tool(ModuleRoot(t), name)
	check(t, err)
	return p
}
