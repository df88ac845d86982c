// Package e2e holds liveplot's end-to-end tests: real programs that use only the public API,
// their local page in headless Chromium, and (for notebooks) a real GoNB kernel and Jupyter server.
package e2e

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/testenv"
)

// buildProgram builds the Go package at pkg (a path relative to the module root) and returns the
// binary's path.
func buildProgram(t testing.TB, pkg string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, "./"+pkg)
	cmd.Dir = testenv.ModuleRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, out)
	}
	return bin
}

// program is a running liveplot program whose local page the test opens.
type program struct {
	t      testing.TB
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stdout *bufio.Scanner
	url    string // the page's URL, as the program printed it
	stderr *strings.Builder
}

var pageURL = regexp.MustCompile(`liveplot: open (http://\S+) to see the figures`)

// startProgram runs bin with args and waits until it prints its page's URL.
func startProgram(t testing.TB, bin string, args ...string) *program {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "LIVEPLOT_ADDR=127.0.0.1:0")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &program{t: t, cmd: cmd, stdin: stdin, stdout: bufio.NewScanner(stdout), stderr: &strings.Builder{}}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("program stderr:\n%s", p.stderr.String())
		}
	})
	found := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stderr)
		sent := false
		for lines.Scan() {
			p.stderr.WriteString(lines.Text() + "\n")
			if m := pageURL.FindStringSubmatch(lines.Text()); m != nil && !sent {
				found <- m[1]
				sent = true
			}
		}
		close(found)
	}()
	select {
	case url, ok := <-found:
		if !ok {
			t.Fatalf("%s ended without printing its page's URL", bin)
		}
		p.url = url
	case <-time.After(30 * time.Second):
		t.Fatalf("%s printed no page URL in 30s", bin)
	}
	return p
}

// do sends one command line to the program and waits for its "ok".
func (p *program) do(line string) {
	p.t.Helper()
	if _, err := fmt.Fprintln(p.stdin, line); err != nil {
		p.t.Fatalf("sending %q: %v", line, err)
	}
	done := make(chan bool, 1)
	go func() { done <- p.stdout.Scan() }()
	select {
	case ok := <-done:
		if !ok || p.stdout.Text() != "ok "+line {
			p.t.Fatalf("after %q the program said %q (stderr: %s)", line, p.stdout.Text(), p.stderr.String())
		}
	case <-time.After(30 * time.Second):
		p.t.Fatalf("no answer to %q in 30s", line)
	}
}

// wait waits until the program exits.
func (p *program) wait(ctx context.Context) error {
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}
