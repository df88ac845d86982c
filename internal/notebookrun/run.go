// Package notebookrun executes a notebook in a real Jupyter kernel, the way nbclient does, with
// no Jupyter server: it starts the kernel through internal/jupyter, runs the code cells one
// after another, and stores what the kernel sent back in the notebook itself: outputs in
// nbformat 4 layout (update_display_data applied to the output it updates, streams merged) and
// execution counts.
//
// Its one job is that execution. Reading and writing notebook files belongs to jupytext, the
// wire protocol and the output bookkeeping to internal/jupyter, and a page of the result to
// notebookhtml.
package notebookrun

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/liveplot/liveplot/internal/gonbenv"
	"github.com/liveplot/liveplot/internal/jupyter"
	"github.com/liveplot/liveplot/jupytext"
)

// DefaultKernel is the kernelspec used when neither Options.Kernel nor the notebook's metadata
// names one.
const DefaultKernel = "gonb"

// Options configure Run. The zero value runs the notebook in the kernel its metadata names (or
// GoNB), in the current directory, with no time limit per cell.
type Options struct {
	// Kernel is the name of the kernelspec to start; "" means the notebook's
	// metadata.kernelspec.name, or DefaultKernel when it has none.
	Kernel string
	// DataDirs are the Jupyter data directories searched for the kernelspec; nil means
	// jupyter.DataDirs() ($JUPYTER_PATH, $JUPYTER_DATA_DIR, the system directories).
	DataDirs []string
	// Dir is the kernel's working directory; "" means the current one. The command passes the
	// notebook's directory, so that relative paths in cells mean what they mean in Jupyter.
	Dir string
	// Env is added to the kernel's environment.
	Env []string

	// CellTimeout, when positive, bounds each cell: a cell still running after it is
	// interrupted, and the run goes on with the next cell. Such a cell is not a failure: its
	// status is StatusInterrupted and its outputs, including whatever error the kernel reports
	// for the interrupt, are kept.
	CellTimeout time.Duration
	// InterruptGrace is how long an interrupted cell may take to end before the run gives up on
	// the kernel; 0 means 15 s (GoNB kills a cell program 5 s after the interrupt).
	InterruptGrace time.Duration
	// StartTimeout bounds the kernel's start; 0 means one minute.
	StartTimeout time.Duration

	// KeepGoing runs every cell even after one failed. By default the run stops at the first
	// failing cell, as nbclient does; the cells after it are left without outputs.
	KeepGoing bool

	// Progress, when set, is called on the calling goroutine before and after each code cell.
	Progress func(Progress)
	// KernelOutput receives what the kernel process writes to its stdout and stderr; nil
	// discards it (the tail of stderr still goes into the error when the kernel dies).
	KernelOutput io.Writer
}

// Status is how a cell's execution ended.
type Status string

// The statuses of a cell.
const (
	// StatusOK: the kernel ran the cell and reported no error.
	StatusOK Status = "ok"
	// StatusError: the cell raised an error (the kernel's execute_reply said "error").
	StatusError Status = "error"
	// StatusInterrupted: the cell ran past Options.CellTimeout and was interrupted. Not a
	// failure.
	StatusInterrupted Status = "interrupted"
	// StatusAborted: the cell did not finish because the kernel died, the kernel did not stop
	// the cell after an interrupt, or the run's context ended.
	StatusAborted Status = "aborted"
)

// CellResult is what happened to one code cell.
type CellResult struct {
	// Index is the cell's index in Notebook.Cells (0-based).
	Index int
	// FirstLine is the cell's first line that says something (see FirstLine).
	FirstLine string
	Status    Status
	// ExecutionCount is the kernel's execution count for the cell, 0 when it gave none.
	ExecutionCount int
	Duration       time.Duration
	// Err is set for StatusError and StatusAborted.
	Err error
}

// Progress reports a code cell starting (Done false) or ending (Done true, Result set).
type Progress struct {
	// N counts the code cells to run, from 1; Total is how many there are.
	N, Total int
	// Index is the cell's index in Notebook.Cells.
	Index     int
	FirstLine string
	Done      bool
	Result    CellResult
}

// Result is the outcome of Run.
type Result struct {
	// Kernel is the kernelspec that was (or was to be) started.
	Kernel string
	// Started says whether the kernel started: only then were the notebook's outputs replaced.
	Started bool
	// Cells holds one entry per code cell that was run, in order.
	Cells []CellResult
}

// Failed returns the cells that failed (StatusError or StatusAborted).
func (r *Result) Failed() []CellResult {
	var failed []CellResult
	for _, c := range r.Cells {
		if c.Status == StatusError || c.Status == StatusAborted {
			failed = append(failed, c)
		}
	}
	return failed
}

// CellError is the error of a failed cell: the kernel reported an error while running it.
type CellError struct {
	// Index is the cell's index in Notebook.Cells (0-based); messages name it as such.
	Index     int
	FirstLine string
	// EName and EValue are the error's name and value as the kernel reported them.
	EName, EValue string
	// Traceback is the kernel's traceback, ANSI colours included.
	Traceback []string
	// Stderr is the first line the cell wrote to stderr, if any: for GoNB, whose error is
	// only the program's exit status, the line that says what went wrong (a panic, a
	// compile error).
	Stderr string
}

func (e *CellError) Error() string {
	msg := strings.TrimSpace(e.EName + ": " + e.EValue)
	msg = strings.TrimSuffix(strings.TrimPrefix(msg, ": "), ":")
	if msg == "" {
		msg = "the kernel reported an error"
	}
	if e.Stderr != "" && !strings.Contains(msg, e.Stderr) {
		msg += " (stderr: " + e.Stderr + ")"
	}
	return fmt.Sprintf("%s failed: %s", cellName(e.Index, e.FirstLine), msg)
}

// cellName names a cell in messages: its index and first line.
func cellName(index int, firstLine string) string {
	if len(firstLine) > 60 {
		firstLine = firstLine[:57] + "..."
	}
	return fmt.Sprintf("cell %d (%q)", index, firstLine)
}

// FirstLine returns the first line of source that says something, trimmed: blank lines and
// GoNB's "%%" (start of main) are skipped.
func FirstLine(source string) string {
	for line := range strings.SplitSeq(source, "\n") {
		if s := strings.TrimSpace(line); s != "" && s != "%%" {
			return s
		}
	}
	return ""
}

// KernelName returns the kernelspec Run starts for nb: name if not empty, else the notebook's
// metadata.kernelspec.name, else DefaultKernel.
func KernelName(nb *jupytext.Notebook, name string) string {
	if name != "" {
		return name
	}
	if n := nb.Metadata.Sub("kernelspec").String("name"); n != "" {
		return n
	}
	return DefaultKernel
}

// Run starts the kernel, runs nb's code cells in order and shuts the kernel down. It changes nb
// in place: once the kernel has started, every code cell's outputs and execution count are
// cleared, and each cell that runs gets the outputs and count of this run. Cells with only
// white space are skipped, as nbclient does.
//
// The error says why the run did not succeed: the kernel could not be found or started
// (Result.Started is false and nb is untouched), a cell failed (a *CellError, or several joined
// with KeepGoing), the kernel died (wrapping jupyter.ErrKernelDead), or ctx ended. In every case
// nb holds the outputs recorded so far, and the Result says what happened to each cell.
func Run(ctx context.Context, nb *jupytext.Notebook, opts Options) (*Result, error) {
	res := &Result{Kernel: KernelName(nb, opts.Kernel)}
	spec, err := jupyter.FindKernelSpec(res.Kernel, opts.DataDirs...)
	if err != nil {
		return res, missingKernel(res.Kernel, opts.DataDirs, err)
	}
	startTimeout := opts.StartTimeout
	if startTimeout <= 0 {
		startTimeout = time.Minute
	}
	startCtx, cancel := context.WithTimeout(ctx, startTimeout)
	kernel, err := jupyter.StartKernel(startCtx, spec, jupyter.StartOptions{
		Client: jupyter.ClientOptions{AnswerGoNBComms: true},
		Env:    append([]string{gonbenv.NoPage}, opts.Env...), // nobody looks while it runs
		Dir:    opts.Dir,
		Stderr: opts.KernelOutput,
		Stdout: opts.KernelOutput,
	})
	cancel()
	if err != nil {
		return res, fmt.Errorf("starting kernel %q (%s): %w", spec.Name, spec.Dir, err)
	}
	res.Started = true
	defer func() {
		// The run's context may be over: give the shutdown its own few seconds.
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		kernel.Shutdown(sctx)
	}()

	r := &runner{kernel: kernel, opts: opts, rec: jupyter.NewRecorder()}
	setKernelspec(nb, spec)
	var code []int
	for i, cell := range nb.Cells {
		if cell.CellType != "code" {
			continue
		}
		cell.Other.Set("execution_count", nil)
		cell.Other.Set("outputs", []any{})
		if strings.TrimSpace(cell.Source) != "" {
			code = append(code, i)
		}
	}
	// Outputs are stored at the end: a later cell's update_display_data changes an earlier
	// cell's output, and the notebook keeps the final state.
	defer r.store(nb, res)

	var failures []error
	for n, i := range code {
		cell := nb.Cells[i]
		p := Progress{N: n + 1, Total: len(code), Index: i, FirstLine: FirstLine(cell.Source)}
		if opts.Progress != nil {
			opts.Progress(p)
		}
		cr := r.runCell(ctx, i, cell.Source)
		res.Cells = append(res.Cells, cr)
		p.Done, p.Result = true, cr
		if opts.Progress != nil {
			opts.Progress(p)
		}
		switch cr.Status {
		case StatusAborted:
			return res, errors.Join(append(failures, cr.Err)...)
		case StatusError:
			failures = append(failures, cr.Err)
			if !opts.KeepGoing {
				return res, cr.Err
			}
		}
	}
	return res, errors.Join(failures...)
}

// runner runs the cells of one Run.
type runner struct {
	kernel *jupyter.Client
	opts   Options
	rec    *jupyter.Recorder
}

// runCell executes cell i, interrupting it after the cell timeout.
func (r *runner) runCell(ctx context.Context, i int, source string) CellResult {
	cr := CellResult{Index: i, FirstLine: FirstLine(source)}
	start := time.Now()

	execCtx, cancelExec := context.WithCancel(ctx)
	defer cancelExec()
	// The watchdog interrupts the cell at the timeout, and gives up on it when the kernel does
	// not end it within the grace period. Its flags are read after it has finished.
	var interrupted, abandoned bool
	stop, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		if r.opts.CellTimeout <= 0 {
			return
		}
		select {
		case <-stop:
			return
		case <-time.After(r.opts.CellTimeout):
		}
		interrupted = true
		ictx, cancel := context.WithTimeout(execCtx, 5*time.Second)
		err := r.kernel.Interrupt(ictx)
		cancel()
		grace := r.grace()
		if err != nil {
			grace = 0
		}
		select {
		case <-stop:
		case <-time.After(grace):
			abandoned = true
			cancelExec()
		}
	}()

	record := r.rec.Cell(i)
	shellFailure := "" // GoNB's report of a shell command that failed, if one did
	reply, err := r.kernel.Execute(execCtx, source, func(m *jupyter.Message) {
		if m.Type() == "stream" && shellFailure == "" {
			shellFailure = shellExitLine(m)
		}
		if m.Type() == "execute_input" {
			var c struct {
				ExecutionCount int `json:"execution_count"`
			}
			if m.DecodeContent(&c) == nil {
				cr.ExecutionCount = c.ExecutionCount
			}
		}
		record(m)
	})
	cr.Duration = time.Since(start)
	close(stop)
	<-finished
	if reply != nil && reply.ExecutionCount > 0 {
		cr.ExecutionCount = reply.ExecutionCount
	}
	name := cellName(i, cr.FirstLine)
	switch {
	case err != nil && abandoned:
		cr.Status = StatusAborted
		cr.Err = fmt.Errorf("%s: still running %v after it was interrupted at the cell timeout: giving up on the kernel", name, r.grace())
	case err != nil && errors.Is(err, jupyter.ErrKernelDead):
		cr.Status = StatusAborted
		cr.Err = fmt.Errorf("%s: the kernel died while running it: %w", name, err)
	case err != nil && ctx.Err() != nil:
		cr.Status = StatusAborted
		cr.Err = fmt.Errorf("%s: stopped: %w", name, context.Cause(ctx))
		ictx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		r.kernel.Interrupt(ictx)
		cancel()
	case err != nil:
		cr.Status = StatusAborted
		cr.Err = fmt.Errorf("%s: %w", name, err)
	case interrupted:
		cr.Status = StatusInterrupted
	case reply.Status == "ok" && shellFailure != "" && isShellCell(source):
		// GoNB replies ok to a cell whose "!" or "%%sh" command failed: its only sign is
		// the exit status it writes on stderr.
		cr.Status = StatusError
		ce := &CellError{Index: i, FirstLine: cr.FirstLine, EName: "shell command failed", EValue: shellFailure}
		cr.Err = ce
	case reply.Status == "ok":
		cr.Status = StatusOK
	default: // "error", or "aborted" from the kernel
		cr.Status = StatusError
		ce := &CellError{Index: i, FirstLine: cr.FirstLine, EName: reply.EName, EValue: reply.EValue, Traceback: reply.Traceback}
		for _, o := range r.rec.Outputs(i) {
			if o.OutputType == "stream" && o.Name == "stderr" {
				ce.Stderr = FirstLine(o.Text)
				break
			}
		}
		if ce.EName == "" && ce.EValue == "" {
			ce.EValue = "execute_reply status " + reply.Status
		}
		cr.Err = ce
	}
	return cr
}

// gonbShellExit is the stderr message GoNB publishes when a shell command of a cell fails
// (jpyexec: the error of exec.Cmd.Wait, after "^C" when the cell was interrupted), as a stream
// message of its own.
var gonbShellExit = regexp.MustCompile(`^(?:\^C\n)?((?:exit status -?\d+|signal: [^\n]+))\n$`)

// shellExitLine returns "exit status N" (or "signal: ...") when m is GoNB's report of a failed
// shell command, else "".
func shellExitLine(m *jupyter.Message) string {
	var c struct {
		Name string `json:"name"`
		Text string `json:"text"`
	}
	if m.DecodeContent(&c) != nil || c.Name != "stderr" {
		return ""
	}
	if sub := gonbShellExit.FindStringSubmatch(c.Text); sub != nil {
		return sub[1]
	}
	return ""
}

// isShellCell reports whether a cell runs shell commands the GoNB way: a line starting with "!"
// or a "%%sh", "%%bash" or "%%script" cell.
func isShellCell(source string) bool {
	for line := range strings.SplitSeq(source, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "!") {
			return true
		}
		for _, magic := range []string{"%%sh", "%%bash", "%%script"} {
			if line == magic || strings.HasPrefix(line, magic+" ") {
				return true
			}
		}
	}
	return false
}

// grace is how long an interrupted cell may take to end.
func (r *runner) grace() time.Duration {
	if r.opts.InterruptGrace > 0 {
		return r.opts.InterruptGrace
	}
	return 15 * time.Second
}

// store puts the recorded outputs and execution counts into the cells that ran.
func (r *runner) store(nb *jupytext.Notebook, res *Result) {
	for _, cr := range res.Cells {
		cell := nb.Cells[cr.Index]
		if cr.ExecutionCount > 0 {
			cell.Other.Set("execution_count", jupytext.Number(fmt.Sprint(cr.ExecutionCount)))
		}
		outs := r.rec.Outputs(cr.Index)
		list := make([]any, 0, len(outs))
		for _, o := range outs {
			list = append(list, outputMap(o))
		}
		cell.Other.Set("outputs", list)
	}
}

// setKernelspec records the kernel in the notebook metadata, as Jupyter does, unless the
// notebook already names this kernel.
func setKernelspec(nb *jupytext.Notebook, spec *jupyter.KernelSpec) {
	ks := nb.Metadata.Sub("kernelspec")
	if ks != nil && strings.EqualFold(ks.String("name"), spec.Name) {
		return
	}
	ks = jupytext.NewMap()
	ks.Set("display_name", spec.DisplayName)
	if spec.Language != "" {
		ks.Set("language", spec.Language)
	}
	ks.Set("name", spec.Name)
	nb.Metadata.Set("kernelspec", ks)
}

// missingKernel explains a kernelspec that was not found and lists those that were.
func missingKernel(name string, dirs []string, err error) error {
	if !errors.Is(err, jupyter.ErrNoKernelSpec) {
		return fmt.Errorf("reading kernelspec %q: %w", name, err)
	}
	if len(dirs) == 0 {
		dirs = jupyter.DataDirs()
	}
	installed := installedKernels(dirs)
	have := "none is installed"
	if len(installed) > 0 {
		have = "installed: " + strings.Join(installed, ", ")
	}
	return fmt.Errorf("kernel %q is not installed (%s): name another with --kernel, or install it: %w", name, have, err)
}

func kernelDirs(dirs []string) []string {
	out := make([]string, len(dirs))
	for i, d := range dirs {
		out[i] = filepath.Join(d, "kernels")
	}
	return out
}

// installedKernels lists the kernelspec names found in the data directories.
func installedKernels(dirs []string) []string {
	seen := map[string]bool{}
	var names []string
	for _, d := range kernelDirs(dirs) {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if _, err := os.Stat(filepath.Join(d, e.Name(), "kernel.json")); err != nil {
				continue
			}
			if n := strings.ToLower(e.Name()); !seen[n] {
				seen[n] = true
				names = append(names, e.Name())
			}
		}
	}
	sort.Strings(names)
	return names
}
