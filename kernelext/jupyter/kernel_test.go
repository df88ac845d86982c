package jupyter_test

import (
	"context"
	"testing"
	"time"

	"github.com/liveplot/liveplot/internal/testenv"
	"github.com/liveplot/liveplot/kernelext/jupyter"
)

// startGoNB starts the real GoNB kernel for one test; it is shut down when the test ends.
func startGoNB(t *testing.T, opts jupyter.ClientOptions) *jupyter.Client {
	t.Helper()
	dataDir := testenv.GoNBKernel(t)
	spec, err := jupyter.FindKernelSpec("gonb", dataDir)
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

func TestSmoke(t *testing.T) {
	c := startGoNB(t, jupyter.ClientOptions{AnswerGoNBComms: true})
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	info, err := c.KernelInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v", info)
	rec := jupyter.NewRecorder()
	start := time.Now()
	r, err := c.Execute(ctx, "%%\nfmt.Println(\"hello\")", func(m *jupyter.Message) { t.Logf("%s %s", m.Type(), m.Content); rec.Record(0, m) })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%+v in %v: %+v", r, time.Since(start), rec.Outputs(0))
}
