package harness

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLabSourcesSumMatchesSetup checks that the hash LabBundle compares is the one scripts/setup
// wrote for the bundle it built, when there is one: a mismatch would make every Lab test skip (or
// fail in CI) as if the bundle were stale.
func TestLabSourcesSumMatchesSetup(t *testing.T) {
	root, err := ModuleRoot()
	if err != nil {
		t.Fatal(err)
	}
	built, err := os.ReadFile(filepath.Join(root, ".cache", "labpage", "build.sum"))
	if err != nil {
		t.Skipf("no bundle built by scripts/setup here: %v", err)
	}
	sum, err := labSourcesSum(filepath.Join(root, "internal", "labpage"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(built)); got != sum {
		t.Fatalf("scripts/setup wrote %s, LabBundle computes %s (or the bundle is stale: run scripts/setup)", got, sum)
	}
}
