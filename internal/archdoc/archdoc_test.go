package archdoc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/liveplot/liveplot/internal/harness"
)

const module = "github.com/liveplot/liveplot/"

// TestArchitectureMatchesGoList compares the "imports" block of docs/architecture.md with the
// imports between the module's packages that `go list` reports (test files aside).
func TestArchitectureMatchesGoList(t *testing.T) {
	root := filepath.Join("..", "..")
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	code := map[string]string{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p struct {
			ImportPath string
			Imports    []string
			GoFiles    []string
		}
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		name := strings.TrimPrefix(p.ImportPath, module)
		if len(p.GoFiles) == 0 || name == "internal/archdoc" || name == "internal/e2e" || name == "internal/labpage" {
			continue // packages of tests only
		}
		var deps []string
		for _, imp := range p.Imports {
			if dep, ok := strings.CutPrefix(imp, module); ok {
				deps = append(deps, dep)
			}
		}
		slices.Sort(deps)
		code[name] = strings.Join(deps, " ")
	}

	doc, err := os.ReadFile(filepath.Join(root, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{}
	in := false
	sc := bufio.NewScanner(bytes.NewReader(doc))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "```imports":
			in = true
		case in && line == "```":
			in = false
		case in:
			name, deps, _ := strings.Cut(line, ":")
			documented[name] = strings.TrimSpace(deps)
		}
	}
	if len(documented) == 0 {
		t.Fatal("docs/architecture.md has no ```imports block")
	}
	for name, deps := range code {
		if d, ok := documented[name]; !ok {
			t.Errorf("docs/architecture.md does not list package %s (it imports: %s)", name, deps)
		} else if d != deps {
			t.Errorf("docs/architecture.md says %s imports %q; the code imports %q", name, d, deps)
		}
	}
	for name := range documented {
		if _, ok := code[name]; !ok {
			t.Errorf("docs/architecture.md lists %s, which is not a package of the module", name)
		}
	}
}

// TestToolsPinTheLibrarysGoNB checks that the GoNB kernel the tests run (built from
// internal/tools/go.mod) is the version whose gonbui the library imports (go.mod): the comm and
// display protocol between them is not versioned.
func TestToolsPinTheLibrarysGoNB(t *testing.T) {
	root := filepath.Join("..", "..")
	version := func(gomod string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(root, gomod))
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(b)) {
			f := strings.Fields(strings.TrimPrefix(strings.TrimSpace(line), "require "))
			if len(f) >= 2 && f[0] == "github.com/janpfeifer/gonb" {
				return f[1]
			}
		}
		t.Fatalf("%s requires no github.com/janpfeifer/gonb", gomod)
		return ""
	}
	lib, tools := version("go.mod"), version(filepath.Join("internal", "tools", "go.mod"))
	if lib != tools {
		t.Errorf("go.mod requires GoNB %s, internal/tools/go.mod builds GoNB %s: make them equal", lib, tools)
	}
	if !strings.Contains(harness.GoNBSetupCell, "gonb@"+lib) {
		t.Errorf("harness.GoNBSetupCell, the first cell of the tests' notebooks, does not name GoNB %s: %q", lib, harness.GoNBSetupCell)
	}
}
