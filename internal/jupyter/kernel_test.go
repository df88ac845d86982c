package jupyter_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/harness"
	"github.com/liveplot/liveplot/internal/jupyter"
	"github.com/liveplot/liveplot/internal/testenv"
)

// These tests drive the real GoNB kernel (bin/gonb, see testenv.GoNBKernel).

// startGoNB starts a GoNB kernel for one test; it is shut down when the test ends.
func startGoNB(t *testing.T, opts jupyter.ClientOptions) *jupyter.Client {
	t.Helper()
	spec, err := jupyter.FindKernelSpec("gonb", testenv.GoNBKernel(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	c, err := jupyter.StartKernel(ctx, spec, jupyter.StartOptions{Client: opts})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("GoNB kernel started in %v", time.Since(start).Round(time.Millisecond))
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := c.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return c
}

// run executes code as cell i of rec and fails the test on a client error.
func run(t *testing.T, c *jupyter.Client, rec *jupyter.Recorder, i int, code string) *jupyter.ExecuteReply {
	t.Helper()
	// The first cell of a cold Go build cache takes about 30 s.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	r, err := c.Execute(ctx, code, rec.Cell(i))
	if err != nil {
		t.Fatalf("cell %d: %v", i, err)
	}
	t.Logf("cell %d: %s in %v", i, r.Status, time.Since(start).Round(time.Millisecond))
	return r
}

func html(o jupyter.Output) string { s, _ := o.Data["text/html"].(string); return s }

func TestGoNB(t *testing.T) {
	var commMu sync.Mutex
	var comms []*jupyter.Message
	c := startGoNB(t, jupyter.ClientOptions{
		AnswerGoNBComms: true,
		OnComm: func(m *jupyter.Message) {
			commMu.Lock()
			comms = append(comms, m)
			commMu.Unlock()
		},
	})
	rec := jupyter.NewRecorder()
	cell := 0
	next := func() int { cell++; return cell }
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	t.Run("KernelInfo", func(t *testing.T) {
		info, err := c.KernelInfo(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.Implementation != "gonb" || info.LanguageInfo.Name != "go" {
			t.Errorf("kernel_info = %+v, want implementation gonb, language go", info)
		}
		if err := c.Heartbeat(ctx); err != nil {
			t.Errorf("heartbeat: %v", err)
		}
	})

	t.Run("Stream", func(t *testing.T) {
		i := next()
		r := run(t, c, rec, i, "%%\nfmt.Println(\"hello\")\nfmt.Println(\"world\")")
		if r.Status != "ok" {
			t.Fatalf("status %q: %s %s", r.Status, r.EName, r.EValue)
		}
		outs := rec.Outputs(i)
		if len(outs) != 1 || outs[0].OutputType != "stream" || outs[0].Name != "stdout" || outs[0].Text != "hello\nworld\n" {
			t.Errorf("outputs = %+v, want one stdout stream \"hello\\nworld\\n\"", outs)
		}
	})

	// Cells import gonbui from the GoNB version this module requires; GoNB's automatic
	// "go get" would ask the module proxy for the latest, which is refused here.
	if r := run(t, c, rec, next(), harness.GoNBSetupCell); r.Status != "ok" {
		t.Fatalf("go get gonb: %s %s %+v", r.EName, r.EValue, rec.Outputs(cell))
	}

	t.Run("DisplayAndUpdate", func(t *testing.T) {
		id := fmt.Sprintf("liveplot-test-%d", time.Now().UnixNano())
		first := next()
		r := run(t, c, rec, first, fmt.Sprintf(`import "github.com/janpfeifer/gonb/gonbui"
%%%%
gonbui.UpdateHTML(%q, "<b>one</b>")
gonbui.DisplayHTML("<i>other</i>")
gonbui.UpdateHTML(%q, "<b>two</b>")
gonbui.Sync() // the program must not exit before the kernel has published everything
`, id, id))
		if r.Status != "ok" {
			t.Fatalf("status %q: %s %s %v", r.Status, r.EName, r.EValue, rec.Outputs(first))
		}
		outs := rec.Outputs(first)
		if len(outs) != 2 || html(outs[0]) != "<b>two</b>" || outs[0].DisplayID != id || html(outs[1]) != "<i>other</i>" {
			t.Fatalf("outputs = %+v, want the updated <b>two</b> then <i>other</i>", outs)
		}
		// A later cell updates the earlier cell's output, as in a notebook.
		second := next()
		run(t, c, rec, second, fmt.Sprintf("import \"github.com/janpfeifer/gonb/gonbui\"\n%%%%\ngonbui.UpdateHTML(%q, \"<b>three</b>\")\ngonbui.Sync()\n", id))
		if outs := rec.Outputs(first); html(outs[0]) != "<b>three</b>" {
			t.Errorf("after a later update, first output = %q, want <b>three</b>", html(outs[0]))
		}
		if outs := rec.Outputs(second); len(outs) != 0 {
			t.Errorf("the updating cell has outputs %+v, want none", outs)
		}
	})

	t.Run("Error", func(t *testing.T) {
		i := next()
		r := run(t, c, rec, i, "%%\nfmt.Println(\"before\")\npanic(\"liveplot boom\")")
		if r.Status != "error" {
			t.Errorf("status %q, want error", r.Status)
		}
		outs := rec.Outputs(i)
		var got *jupyter.Output
		for j := range outs {
			if outs[j].OutputType == "error" {
				got = &outs[j]
			}
		}
		if got == nil || len(got.Traceback) == 0 {
			t.Fatalf("outputs = %+v, want an error output with a traceback", outs)
		}
		all := strings.Join(got.Traceback, "\n") + got.EValue
		for _, o := range outs {
			all += o.Text // GoNB writes the panic to stderr and reports the exit status as the error
		}
		if !strings.Contains(all, "liveplot boom") {
			t.Errorf("error output does not mention the panic: %+v", outs)
		}
	})

	t.Run("Interrupt", func(t *testing.T) {
		i := next()
		started := make(chan struct{})
		var once sync.Once
		type result struct {
			r   *jupyter.ExecuteReply
			err error
		}
		done := make(chan result, 1)
		go func() {
			r, err := c.Execute(ctx, "%%\nfmt.Println(\"looping\")\nfor {\n\ttime.Sleep(10 * time.Millisecond)\n}", func(m *jupyter.Message) {
				rec.Record(i, m)
				if m.Type() == "stream" {
					once.Do(func() { close(started) })
				}
			})
			done <- result{r, err}
		}()
		select {
		case <-started:
		case res := <-done:
			t.Fatalf("the loop cell ended before the interrupt: %+v %v", res.r, res.err)
		case <-time.After(time.Minute):
			t.Fatal("the loop cell did not start within a minute")
		}
		start := time.Now()
		if err := c.Interrupt(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case res := <-done:
			if res.err != nil {
				t.Fatal(res.err)
			}
			t.Logf("interrupted cell ended with %q %v after the interrupt", res.r.Status, time.Since(start).Round(time.Millisecond))
		case <-time.After(15 * time.Second):
			t.Fatal("the cell did not end within 15 s of the interrupt")
		}
		if r := run(t, c, rec, next(), "%%\nfmt.Println(\"still alive\")"); r.Status != "ok" {
			t.Errorf("the cell after the interrupt: status %q", r.Status)
		}
	})

	t.Run("Comms", func(t *testing.T) {
		// GoNB sends a comm_msg only once a front end answered its comm_open within 3 s
		// (internal/comms.InstallWebSocket); otherwise the send fails and the value is lost
		// (TestGoNBCommsWithoutAnswer). That the three values arrive shows the answer came in time.
		i := next()
		var got []jupyter.Comm
		r, err := c.Execute(ctx, `import (
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/comms"
)
%%
comms.Send("/liveplot/test/int", 42)
comms.Send("/liveplot/test/floats", []float64{1.5, 2.5})
comms.Send("/liveplot/test/string", "hi")
gonbui.Sync()
`, func(m *jupyter.Message) {
			rec.Record(i, m)
			if m.Type() == "comm_msg" {
				cm, err := m.Comm()
				if err != nil {
					t.Error(err)
				}
				if a, _ := cm.Data["address"].(string); strings.HasPrefix(a, "/liveplot/") {
					got = append(got, cm)
				}
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != "ok" {
			t.Fatalf("status %q: %s %s %+v", r.Status, r.EName, r.EValue, rec.Outputs(i))
		}
		want := []string{"/liveplot/test/int=42", "/liveplot/test/floats=[1.5 2.5]", "/liveplot/test/string=hi"}
		var have []string
		for _, cm := range got {
			have = append(have, fmt.Sprintf("%v=%v", cm.Data["address"], cm.Data["value"]))
		}
		if strings.Join(have, ";") != strings.Join(want, ";") {
			t.Errorf("comm_msg payloads = %q, want %q", have, want)
		}
		commMu.Lock()
		n := len(comms)
		commMu.Unlock()
		if n < len(want) {
			t.Errorf("OnComm saw %d comm messages, want at least %d", n, len(want))
		}
		if n, last := c.Rejected(); n != 0 {
			t.Errorf("%d messages rejected, last: %v", n, last)
		}
	})

	t.Run("Connect", func(t *testing.T) {
		c2, err := jupyter.Connect(ctx, c.ConnectionFile(), jupyter.ClientOptions{})
		if err != nil {
			t.Fatal(err)
		}
		defer c2.Close()
		if c2.KernelID() != c.KernelID() || c2.KernelID() == "" {
			t.Errorf("kernel id %q from the connection file name, want %q", c2.KernelID(), c.KernelID())
		}
		rec2 := jupyter.NewRecorder()
		r, err := c2.Execute(ctx, "%%\nfmt.Println(\"second client\")", rec2.Cell(0))
		if err != nil {
			t.Fatal(err)
		}
		if outs := rec2.Outputs(0); r.Status != "ok" || len(outs) != 1 || outs[0].Text != "second client\n" {
			t.Errorf("status %q outputs %+v", r.Status, outs)
		}
	})
}

// TestGoNBDeadKernel kills the kernel process under a running cell: the client must return
// ErrKernelDead promptly, not hang.
func TestGoNBDeadKernel(t *testing.T) {
	c := startGoNB(t, jupyter.ClientOptions{})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Execute(ctx, "%%\nfor {\n\ttime.Sleep(time.Second)\n}", nil)
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := syscall.Kill(c.Pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		t.Logf("Execute returned after %v: %v", time.Since(start).Round(time.Millisecond), err)
		if !errors.Is(err, jupyter.ErrKernelDead) {
			t.Errorf("Execute error = %v, want ErrKernelDead", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Execute still waits 5 s after the kernel was killed")
	}
	if _, err := c.KernelInfo(ctx); !errors.Is(err, jupyter.ErrKernelDead) {
		t.Errorf("KernelInfo on a dead kernel: %v, want ErrKernelDead", err)
	}
	if !errors.Is(c.Err(), jupyter.ErrKernelDead) {
		t.Errorf("Err() = %v, want ErrKernelDead", c.Err())
	}
}

// TestGoNBHungKernel stops (SIGSTOP) the kernel: only the heartbeat can tell, and it must.
func TestGoNBHungKernel(t *testing.T) {
	c := startGoNB(t, jupyter.ClientOptions{HeartbeatInterval: 200 * time.Millisecond, HeartbeatTimeout: time.Second})
	if err := syscall.Kill(c.Pid(), syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(c.Pid(), syscall.SIGCONT) })
	// SIGSTOP is asynchronous: wait until Linux reports the process stopped ("T"), or it could
	// still answer the request below.
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.Pid()))
		if err != nil {
			break // not Linux: the sleep below has to do
		}
		if f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:])); len(f) > 0 && f[0] == "T" {
			break
		}
	}
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	start := time.Now()
	_, err := c.KernelInfo(ctx)
	t.Logf("KernelInfo returned after %v: %v", time.Since(start).Round(time.Millisecond), err)
	if !errors.Is(err, jupyter.ErrKernelDead) {
		t.Errorf("KernelInfo on a stopped kernel: %v, want ErrKernelDead from the heartbeat", err)
	}
}

// TestGoNBCommsWithoutAnswer shows what AnswerGoNBComms saves: without a front end answering
// GoNB's comm_open, a cell's comms.Send waits 3 s and then fails, and its value is lost.
func TestGoNBCommsWithoutAnswer(t *testing.T) {
	if testing.Short() {
		t.Skip("spends GoNB's 3 s comm wait")
	}
	var mu sync.Mutex
	var sent []string
	c := startGoNB(t, jupyter.ClientOptions{OnComm: func(m *jupyter.Message) {
		if cm, err := m.Comm(); err == nil {
			if a, _ := cm.Data["address"].(string); strings.HasPrefix(a, "/liveplot/") {
				mu.Lock()
				sent = append(sent, a)
				mu.Unlock()
			}
		}
	}})
	rec := jupyter.NewRecorder()
	run(t, c, rec, 0, harness.GoNBSetupCell)
	r := run(t, c, rec, 1, "import (\n\t\"github.com/janpfeifer/gonb/gonbui\"\n\t\"github.com/janpfeifer/gonb/gonbui/comms\"\n)\n%%\ncomms.Send(\"/liveplot/test/int\", 1)\ngonbui.Sync()\n")
	if r.Status != "ok" {
		t.Fatalf("status %q: %s %s", r.Status, r.EName, r.EValue)
	}
	// Execute returned after the kernel went idle: it has published all it will for the cell.
	mu.Lock()
	defer mu.Unlock()
	if len(sent) != 0 {
		t.Errorf("without an answer to comm_open the kernel still sent %q: GoNB no longer drops the value, and TestGoNB/Comms proves nothing", sent)
	}
}

// TestGoNBKilledKernelLeavesNoTemporaryDirectory: GoNB keeps its Go code, its builds and
// liveplot's state in a directory under $TMPDIR that it removes only when it shuts down
// cleanly. StartKernel gives the kernel a $TMPDIR of its own, removed when the kernel is
// stopped, killed or found dead; before, each killed or frozen kernel left a /tmp/gonb_*.
func TestGoNBKilledKernelLeavesNoTemporaryDirectory(t *testing.T) {
	c := startGoNB(t, jupyter.ClientOptions{})
	rec := jupyter.NewRecorder()
	if r := run(t, c, rec, 0, `!echo "$GONB_TMP_DIR"`); r.Status != "ok" {
		t.Fatalf("cell: %+v", r)
	}
	outs := rec.Outputs(0)
	if len(outs) != 1 {
		t.Fatalf("outputs %+v, want GoNB's directory", outs)
	}
	dir := strings.TrimSpace(outs[0].Text)
	if _, err := os.Stat(dir); err != nil || !strings.Contains(dir, "gonb_") {
		t.Fatalf("GoNB's directory %q: %v", dir, err)
	}
	if err := syscall.Kill(c.Pid(), syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("GoNB's directory %s is still there after the kernel was killed (%v)", dir, err)
		os.RemoveAll(dir)
	}
}
