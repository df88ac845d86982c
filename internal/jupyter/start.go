package jupyter

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// StartOptions configures [StartKernel]. The zero value is usable.
type StartOptions struct {
	// Client configures the client talking to the kernel.
	Client ClientOptions
	// Env is added to the kernel's environment, after os.Environ() and the kernelspec's env.
	Env []string
	// Dir is the kernel's working directory; "" means the current one.
	Dir string
	// Stderr and Stdout receive the kernel process's output; nil discards it. The last few KB
	// of stderr are kept anyway for the error when the kernel dies.
	Stderr, Stdout io.Writer
}

// StartKernel starts the kernel described by spec: it writes a connection file named
// kernel-<id>.json (GoNB reads its kernel id from that name) with free loopback ports and a
// fresh key into a private temporary directory, runs the kernelspec's argv in its own process
// group with $TMPDIR in that directory (unless opts.Env sets it), and returns a client once the
// kernel answers kernel_info.
//
// ctx bounds the start only. Stop the kernel with Client.Shutdown (clean) or Client.Close
// (kill); both remove the connection file and the kernel's temporary files.
func StartKernel(ctx context.Context, spec *KernelSpec, opts StartOptions) (*Client, error) {
	if spec == nil || len(spec.Argv) == 0 {
		return nil, fmt.Errorf("jupyter: StartKernel needs a kernelspec with an argv (see FindKernelSpec)")
	}
	info, err := newLoopbackConnection(spec.Name)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "jupyter-kernel-")
	if err != nil {
		return nil, fmt.Errorf("jupyter: making a directory for the connection file: %w", err)
	}
	id := newUUID()
	connFile := filepath.Join(dir, "kernel-"+id+".json")
	if err := info.WriteFile(connFile); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// The kernel's temporary files (GoNB's directory of Go code, builds and liveplot's state)
	// go into the kernel's own directory, removed however the kernel ends: a kernel that is
	// killed or frozen cannot remove them itself.
	tmp := filepath.Join(dir, "tmp")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("jupyter: making the kernel's temporary directory: %w", err)
	}
	argv := spec.command(connFile)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = opts.Dir
	cmd.Env = append(os.Environ(), specEnv(spec)...)
	cmd.Env = append(cmd.Env, "TMPDIR="+tmp)
	cmd.Env = append(cmd.Env, opts.Env...)
	tail := &tailBuffer{max: 8 << 10}
	cmd.Stderr = tail
	if opts.Stderr != nil {
		cmd.Stderr = io.MultiWriter(tail, opts.Stderr)
	}
	cmd.Stdout = opts.Stdout
	setProcessGroup(cmd)
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("jupyter: starting kernel %q (%s): %w", spec.Name, argv[0], err)
	}
	proc := &process{cmd: cmd, exited: make(chan struct{}), stderr: tail, dir: dir}
	go proc.wait()

	copts := opts.Client
	if copts.KernelID == "" {
		copts.KernelID = id
	}
	if copts.InterruptMode == "" {
		copts.InterruptMode = spec.InterruptMode
	}
	if copts.InterruptMode == "" {
		copts.InterruptMode = "signal"
	}
	c, err := dial(ctx, info, copts, proc)
	if err != nil {
		proc.kill()
		return nil, fmt.Errorf("jupyter: starting kernel %q: %w", spec.Name, err)
	}
	c.connFile = connFile
	if err := c.waitReady(ctx); err != nil {
		c.Close()
		if dead := c.Err(); dead != nil && dead != ErrClosed {
			err = dead
		}
		return nil, fmt.Errorf("jupyter: starting kernel %q: %w", spec.Name, err)
	}
	return c, nil
}

// specEnv returns the kernelspec's env as KEY=VALUE, sorted for a stable order.
func specEnv(spec *KernelSpec) []string {
	var env []string
	for k, v := range spec.Env {
		env = append(env, k+"="+v)
	}
	sort.Strings(env)
	return env
}

// process is a kernel process started by StartKernel.
type process struct {
	cmd     *exec.Cmd
	exited  chan struct{}
	waitErr error
	stderr  *tailBuffer
	dir     string // holds the connection file and the kernel's $TMPDIR; removed on kill
	once    sync.Once
}

func (p *process) wait() {
	p.waitErr = p.cmd.Wait()
	close(p.exited)
}

// exitReport says how the process ended and what it last wrote to stderr. Call it only after
// exited is closed.
func (p *process) exitReport() string {
	status := "exited normally"
	if p.waitErr != nil {
		status = p.waitErr.Error()
	}
	report := fmt.Sprintf("kernel process %d ended (%s)", p.cmd.Process.Pid, status)
	if t := strings.TrimSpace(p.stderr.String()); t != "" {
		report += "; the end of its stderr:\n" + t
	}
	return report
}

// kill kills the kernel's process group if it still runs, waits for it and removes the
// connection file and the kernel's temporary files. Safe to call more than once.
func (p *process) kill() error {
	p.once.Do(func() {
		select {
		case <-p.exited:
		default:
			killProcessGroup(p.cmd)
			<-p.exited
		}
		// Children the kernel left behind (a cell program, a build) die with the group.
		killProcessGroup(p.cmd)
		os.RemoveAll(p.dir)
	})
	return nil
}

func (p *process) interrupt() error { return interruptProcessGroup(p.cmd) }

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tailBuffer) Write(b []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, b...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(b), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
