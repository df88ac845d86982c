package bench

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestLastLine(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"partial", ""},
		{"a\n", "a"},
		{"a\nb\n", "b"},
		{"a\nb\npart", "b"},
		{"\n", ""},
	} {
		if got := string(lastLine([]byte(tc.in))); got != tc.want {
			t.Errorf("lastLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestReadSoakStatus reads the last complete line of a status file the streaming cell is still
// writing, says when there is none yet, and rejects a line that is not a status.
func TestReadSoakStatus(t *testing.T) {
	path := filepath.Join(t.TempDir(), "status.jsonl")
	if _, err := readSoakStatus(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("no file: got %v, want an error that is os.ErrNotExist", err)
	}
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(`{"state":"wri`)
	if _, err := readSoakStatus(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("half a line: got %v, want an error that is os.ErrNotExist", err)
	}
	// A long file: the last line is read from its tail.
	long := strings.Repeat(`{"state":"writing","written":[1,2]}`+"\n", 5000)
	write(long + `{"state":"closing","written":[7,8],"heap_mb":1.5,"rss_mb":20,"ppid":42}` + "\n" + `{"state":"clo`)
	st, err := readSoakStatus(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.State != "closing" || len(st.Written) != 2 || st.Written[1] != 8 || st.HeapMB != 1.5 || st.RSSMB != 20 || st.PPID != 42 {
		t.Fatalf("got %+v", st)
	}
	write("not json\n")
	if _, err := readSoakStatus(path); err == nil || errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a bad line: got %v, want a parse error", err)
	}
}

// TestSoakTableNotebookColumns checks that a notebook soak's table has the kernel and server
// columns, in the header and every row, and that a page soak's has not.
func TestSoakTableNotebookColumns(t *testing.T) {
	for _, notebook := range []bool{false, true} {
		r := &SoakReport{Config: SoakConfig{Links: 2, Rate: 10, Window: 5, Duration: time.Second, Notebook: notebook},
			Samples: []SoakSample{{AtSec: 1, Written: 20, KernelRSSMB: 30, ServerRSSMB: 40}}}
		var b strings.Builder
		r.WriteTable(&b)
		lines := strings.Split(b.String(), "\n")
		var rows []string
		for _, l := range lines {
			if strings.HasPrefix(l, "|") {
				rows = append(rows, l)
			}
		}
		want := 10
		if notebook {
			want = 12
		}
		for _, row := range rows {
			if n := strings.Count(row, "|") - 1; n != want {
				t.Errorf("notebook=%v: %d columns in %q, want %d", notebook, n, row, want)
			}
		}
		if got := strings.Contains(b.String(), "kernel RSS"); got != notebook {
			t.Errorf("notebook=%v: table mentions the kernel: %v\n%s", notebook, got, b.String())
		}
	}
}

// TestSoakCellsCompile type-checks and vets the program GoNB builds from the notebook soak's two
// cells (declarations, then the figures cell's body and the streaming cell's call as main), so
// that the cells cannot rot between runs of the soak, which no test runs.
func TestSoakCellsCompile(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	decls, body, ok := strings.Cut(soakFiguresCell(DefaultSoak(), "soak-test-", "/nonexistent/status.jsonl"), "%%\n")
	if !ok {
		t.Fatal("the figures cell has no %% line")
	}
	stream, ok := strings.CutPrefix(soakStreamCell, "%%\n")
	if !ok {
		t.Fatal("the streaming cell has no %% line")
	}
	file := filepath.Join(t.TempDir(), "main.go")
	src := "package main\n\n" + decls + "\nfunc main() {\n" + body + "\n" + stream + "}\n"
	if err := os.WriteFile(file, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(goCmd, "vet", file).CombinedOutput(); err != nil {
		t.Fatalf("go vet of the soak's cells: %v\n%s\n%s", err, out, src)
	}
}
