package e2e

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/testenv"
)

// BenchmarkGoNBCellImport measures what importing liveplot adds to a warm GoNB cell (issue 10's
// goal: at most 300 ms). In a real GoNB kernel (no Jupyter server, no browser), cells that print
// a number alternate with cells that also import plotly and stream and use a name of each; every
// cell prints a new number, so GoNB writes, builds and runs a new program each time (goimports,
// go get, go build, the run). A cell is timed from execute_request to execute_reply; the first
// cell of each kind warms the build cache and is not counted.
//
// Each iteration runs the pair three ways, one after the other so that they share the machine's
// load: as GoNB comes (plain-ms, liveplot-ms and extra-ms, their difference: the goal's
// measure); after %noautoget, so that no cell runs go get, which asks the module proxy about
// every module of the cell's imports (noautoget-extra-ms); and also with %goflags -ldflags=-w,
// no DWARF (nodwarf-extra-ms). Reported values are medians.
func BenchmarkGoNBCellImport(b *testing.B) {
	s := startSession(b)
	special := func(code string) {
		if r := s.run(code); r.Status != "ok" {
			b.Fatalf("%s: %s %s: %s", code, r.Status, r.EName, r.EValue)
		}
	}
	cell := func(live bool, n int) float64 {
		code := fmt.Sprintf("%%%%\nfmt.Println(\"plain\", %d)\n", n)
		if live {
			code = fmt.Sprintf(`import (
	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

%%%%
fmt.Println("liveplot", %d, stream.NewToken() != "", plotly.Figure{}.Layout == nil)
`, n)
		}
		start := time.Now()
		if r := s.run(code); r.Status != "ok" {
			b.Fatalf("cell: %s %s: %s", r.Status, r.EName, r.EValue)
		}
		return float64(time.Since(start)) / 1e6
	}
	variants := []struct{ setup, metric string }{
		{"%autoget\n%goflags \"\"", "extra-ms"},
		{"%noautoget", "noautoget-extra-ms"},
		{"%noautoget\n%goflags -ldflags=-w", "nodwarf-extra-ms"},
	}
	plain := make([][]float64, len(variants))
	live := make([][]float64, len(variants))
	n := 0
	for i, v := range variants { // warm the build cache for each way of building
		special(v.setup)
		cell(false, -1-i)
		cell(true, -1-i)
	}
	for b.Loop() {
		for i, v := range variants {
			special(v.setup)
			n++
			plain[i] = append(plain[i], cell(false, n))
			live[i] = append(live[i], cell(true, n))
		}
	}
	b.ReportMetric(median(plain[0]), "plain-ms")
	b.ReportMetric(median(live[0]), "liveplot-ms")
	for i, v := range variants {
		b.ReportMetric(median(live[i])-median(plain[i]), v.metric)
	}
	b.ReportMetric(0, "ns/op")
}

// median returns the middle value of v (the mean of the two middle ones for an even count).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// BenchmarkCellBuild builds and runs, outside any kernel, the programs of the two cells of
// BenchmarkGoNBCellImport the way GoNB does (a main package in a module of its own, with the
// checkout in its go.work; go build -o, then the binary), and a third: the liveplot cell built
// against a copy of the checkout whose embedded plotly.js is empty and whose schema is "{}". It
// reports the medians of the go build times (plain-build-ms, liveplot-build-ms,
// noplotlyjs-build-ms), of the runs (plain-run-ms, liveplot-run-ms) and the binaries' sizes
// (*-MB): whether the 5.7 MB that liveplot embeds cost build time. The first build of each warms
// the build cache and is not counted.
func BenchmarkCellBuild(b *testing.B) {
	root := testenv.ModuleRoot(b)
	tmp := b.TempDir()
	stripped := filepath.Join(tmp, "checkout-noplotlyjs")
	copySource(b, root, stripped)
	for name, content := range map[string]string{"plotly.min.js": "", "plot-schema.json": "{}"} {
		if err := os.WriteFile(filepath.Join(stripped, "internal", "plotlyjs", name), []byte(content), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	type variant struct {
		name, checkout string
		live           bool
		build, run     []float64
		size           int64
	}
	variants := []*variant{{name: "plain", checkout: root}, {name: "liveplot", checkout: root, live: true}, {name: "noplotlyjs", checkout: stripped, live: true}}
	goCmd := func(dir string, args ...string) {
		cmd := exec.Command("go", args...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	for _, v := range variants {
		dir := filepath.Join(tmp, v.name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		goCmd(dir, "mod", "init", "cell_"+v.name)
		goCmd(dir, "work", "init")
		goCmd(dir, "work", "use", ".", v.checkout)
	}
	buildAndRun := func(v *variant, n int) (build, run float64) {
		dir := filepath.Join(tmp, v.name)
		code := fmt.Sprintf("package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"plain\", %d) }\n", n)
		if v.live {
			code = fmt.Sprintf(`package main

import (
	"fmt"

	"github.com/liveplot/liveplot/plotly"
	"github.com/liveplot/liveplot/stream"
)

func main() { fmt.Println("liveplot", %d, stream.NewToken() != "", plotly.Figure{}.Layout == nil) }
`, n)
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(code), 0o644); err != nil {
			b.Fatal(err)
		}
		bin := filepath.Join(dir, "cell")
		start := time.Now()
		goCmd(dir, "build", "-o", bin)
		build = float64(time.Since(start)) / 1e6
		start = time.Now()
		if out, err := exec.Command(bin).CombinedOutput(); err != nil {
			b.Fatalf("%s: %v\n%s", bin, err, out)
		}
		run = float64(time.Since(start)) / 1e6
		if st, err := os.Stat(bin); err == nil {
			v.size = st.Size()
		}
		return build, run
	}
	for _, v := range variants {
		buildAndRun(v, -1)
	}
	n := 0
	for b.Loop() {
		for _, v := range variants {
			n++
			build, run := buildAndRun(v, n)
			v.build = append(v.build, build)
			v.run = append(v.run, run)
		}
	}
	for _, v := range variants {
		b.ReportMetric(median(v.build), v.name+"-build-ms")
		b.ReportMetric(float64(v.size)/1e6, v.name+"-MB")
	}
	b.ReportMetric(median(variants[0].run), "plain-run-ms")
	b.ReportMetric(median(variants[1].run), "liveplot-run-ms")
	b.ReportMetric(0, "ns/op")
}

// copySource copies the module at root into dir: go.mod, go.sum and every file of its package
// directories, without .git, .cache, bin, node_modules and testdata.
func copySource(b *testing.B, root, dir string) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".cache", "bin", "node_modules", "testdata":
				if rel != "." {
					return filepath.SkipDir
				}
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, 0o644)
	})
	if err != nil {
		b.Fatal(err)
	}
}
