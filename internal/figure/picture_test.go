package figure

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/liveplot/liveplot/kernelext"
	"github.com/liveplot/liveplot/kernelext/kerneltest"
)

// picturePage is a frontend whose page draws pictures: Picture answers png at once, or, when png
// is nil, never (it waits for ctx, as a closed page makes GoNB's wait), recording each wait.
type picturePage struct {
	kerneltest.Recorder
	png   []byte
	mu    sync.Mutex
	asked []string        // figure IDs, in order
	waits []time.Duration // how long each unanswered ask was allowed to wait
}

func (p *picturePage) Picture(ctx context.Context, id string) []byte {
	p.mu.Lock()
	p.asked = append(p.asked, id)
	p.mu.Unlock()
	if p.png != nil {
		return p.png
	}
	deadline, _ := ctx.Deadline()
	start := time.Now()
	<-ctx.Done()
	p.mu.Lock()
	p.waits = append(p.waits, deadline.Sub(start))
	p.mu.Unlock()
	return nil
}

var _ kernelext.Picturer = (*picturePage)(nil)

// resetLater forgets the pictures asked in the background by earlier tests.
func resetLater(t *testing.T) {
	t.Helper()
	if err := WaitPictures(context.Background()); err != nil {
		t.Fatal(err)
	}
	later.Lock()
	later.asked = 0
	later.Unlock()
}

func showStatic(t *testing.T, page kernelext.Frontend, tree map[string]any) string {
	t.Helper()
	id, err := Register(context.Background(), tree, page)
	if err != nil {
		t.Fatal(err)
	}
	AddPictureLater(context.Background(), id)
	return id
}

func staticTree() map[string]any {
	return map[string]any{"data": []any{map[string]any{"type": "bar", "y": []any{3.0, 1.0, 2.0}}}, "layout": map[string]any{}}
}

func TestAddPictureLaterShowsTheFigureAgainWithThePicture(t *testing.T) {
	resetLater(t)
	page := &picturePage{png: []byte("\x89PNG picture")}
	id := showStatic(t, page, staticTree())
	if err := WaitPictures(context.Background()); err != nil {
		t.Fatal(err)
	}
	outs := page.Outputs()
	if len(outs) != 1 || outs[0].ID != id || string(outs[0].Data["image/png"]) != string(page.png) {
		t.Fatalf("after WaitPictures the page got %d outputs (%+v), want the figure %s once, with the picture", len(outs), outs, id)
	}

	// A figure with a stream gets its picture when the stream closes: nothing is asked here.
	tree := staticTree()
	tree["data"].([]any)[0].(map[string]any)["stream"] = map[string]any{"token": "picture-later-stream"}
	showStatic(t, page, tree)
	if err := WaitPictures(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(page.asked) != 1 {
		t.Errorf("the page was asked for %d pictures, want 1: none for the figure with a stream", len(page.asked))
	}
}

func TestAddPictureLaterAsksAtMost20(t *testing.T) {
	resetLater(t)
	page := &picturePage{png: []byte("\x89PNG")}
	for range 25 {
		showStatic(t, page, staticTree())
	}
	if err := WaitPictures(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(page.asked) != maxLaterPictures {
		t.Errorf("25 static figures: %d pictures asked, want %d", len(page.asked), maxLaterPictures)
	}
}

// TestAddPictureLaterWaitsLessOnceOneMissed runs in a synctest bubble, where the waits of a page
// that never answers pass at once: the first ask may wait 30 s, and once it missed, the next asks
// of the kernel session (a later cell: the hint is in the session's state folder) 5 s, until a
// picture comes again.
func TestAddPictureLaterWaitsLessOnceOneMissed(t *testing.T) {
	t.Setenv("GONB_PIPE", "test")
	t.Setenv("GONB_TMP_DIR", t.TempDir())
	synctest.Test(t, func(t *testing.T) {
		resetLater(t)
		page := &picturePage{}
		showStatic(t, page, staticTree())
		if err := WaitPictures(context.Background()); err != nil {
			t.Fatal(err)
		}
		showStatic(t, page, staticTree())
		if err := WaitPictures(context.Background()); err != nil {
			t.Fatal(err)
		}
		if want := []time.Duration{laterWait, missedWait}; len(page.waits) != 2 || page.waits[0] != want[0] || page.waits[1] != want[1] {
			t.Fatalf("a page that never answers: waits %v, want %v", page.waits, want)
		}
		page.png = []byte("\x89PNG")
		showStatic(t, page, staticTree())
		if err := WaitPictures(context.Background()); err != nil {
			t.Fatal(err)
		}
		page.png = nil
		showStatic(t, page, staticTree())
		if err := WaitPictures(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := page.waits[len(page.waits)-1]; got != laterWait {
			t.Errorf("after a picture came, the next wait is %v, want %v again", got, laterWait)
		}
	})
}

func TestWaitPicturesHonoursItsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		resetLater(t)
		page := &picturePage{}
		showStatic(t, page, staticTree())
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := WaitPictures(ctx); err == nil {
			t.Error("WaitPictures returned no error when its context ended before the picture's wait")
		}
		if err := WaitPictures(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
