package figure

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// storeFigure is a figure with one streamed trace, as Show saves it.
func storeFigure(token string) map[string]any {
	return map[string]any{"data": []any{map[string]any{"type": "scatter", "y": []any{1.0}, "stream": map[string]any{"token": token}}}}
}

// TestStoreRefusesIDsOutsideIt plants a token index that names a figure outside the state
// directory: load refuses it, and nothing outside is read or written.
func TestStoreRefusesIDsOutsideIt(t *testing.T) {
	root := t.TempDir()
	s := figureStore{dir: filepath.Join(root, "state", "liveplot"), maxFigures: 10}
	if err := s.save(context.Background(), "liveplot-0123456789abcdef", storeFigure("good")); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(root, "outside.json")
	if err := os.WriteFile(outside, []byte(`{"data":[{"stream":{"token":"evil"}}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"../../outside", "../figures/liveplot-0123456789abcdef", "liveplot-0123456789abcdef/..", "", "liveplot-0123456789ABCDEF"} {
		if err := os.WriteFile(s.tokenPath("evil"), []byte(id), 0o600); err != nil {
			t.Fatal(err)
		}
		_, _, ok, err := s.load("evil")
		if err == nil || ok || !strings.Contains(err.Error(), "damaged") {
			t.Errorf("token index holding %q: load = %v, %v; want an error that the index is damaged", id, ok, err)
		}
	}
	if _, _, ok, err := s.load("good"); !ok || err != nil {
		t.Fatalf("the good figure: %v, %v", ok, err)
	}
}

// TestStoreDoesNotFollowSymlinks replaces the store's files and folders with symbolic links to
// files outside it: reads and writes through them are refused.
func TestStoreDoesNotFollowSymlinks(t *testing.T) {
	const id = "liveplot-0123456789abcdef"
	setup := func(t *testing.T) (figureStore, string) {
		root := t.TempDir()
		s := figureStore{dir: filepath.Join(root, "liveplot"), maxFigures: 10}
		if err := s.save(context.Background(), id, storeFigure("tok")); err != nil {
			t.Fatal(err)
		}
		outside := filepath.Join(root, "outside")
		if err := os.MkdirAll(outside, 0o700); err != nil {
			t.Fatal(err)
		}
		return s, outside
	}
	link := func(t *testing.T, target, path string) {
		t.Helper()
		if err := os.RemoveAll(path); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, path); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("figure file", func(t *testing.T) {
		s, outside := setup(t)
		secret := filepath.Join(outside, "secret.json")
		os.WriteFile(secret, []byte(`{"data":[]}`), 0o600)
		link(t, secret, s.figurePath(id))
		if _, _, ok, err := s.load("tok"); ok || err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("load through a linked figure file = %v, %v; want refused", ok, err)
		}
	})
	t.Run("token file", func(t *testing.T) {
		s, outside := setup(t)
		planted := filepath.Join(outside, "id")
		os.WriteFile(planted, []byte(id), 0o600)
		link(t, planted, s.tokenPath("tok"))
		if _, _, ok, err := s.load("tok"); ok || err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("load through a linked token file = %v, %v; want refused", ok, err)
		}
	})
	t.Run("figures folder", func(t *testing.T) {
		s, outside := setup(t)
		link(t, outside, filepath.Join(s.dir, "figures"))
		if err := s.save(context.Background(), id, storeFigure("tok")); err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("save into a linked figures folder = %v; want refused", err)
		}
		if entries, _ := os.ReadDir(outside); len(entries) != 0 {
			t.Errorf("save wrote %d files through the link", len(entries))
		}
		if _, _, ok, err := s.load("tok"); ok || err == nil {
			t.Errorf("load through a linked figures folder = %v, %v; want refused", ok, err)
		}
	})
	t.Run("state folder", func(t *testing.T) {
		s, outside := setup(t)
		link(t, outside, s.dir)
		if err := s.save(context.Background(), id, storeFigure("tok")); err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("save into a linked state folder = %v; want refused", err)
		}
		if entries, _ := os.ReadDir(outside); len(entries) != 0 {
			t.Errorf("save wrote %d files through the link", len(entries))
		}
	})
}

// TestStoreIsBounded saves more figures than the store keeps: the oldest go, with their token
// files, and a figure that a later cell loaded counts as recent.
func TestStoreIsBounded(t *testing.T) {
	s := figureStore{dir: filepath.Join(t.TempDir(), "liveplot"), maxFigures: 10}
	id := func(i int) string { return fmt.Sprintf("liveplot-%016x", i) }
	tok := func(i int) string { return fmt.Sprintf("tok-%d", i) }
	// Modification times a second apart, oldest first, as a session of cells would leave them.
	base := time.Now().Add(-time.Hour)
	age := func(i int) {
		t.Helper()
		when := base.Add(time.Duration(i) * time.Second)
		if err := os.Chtimes(s.figurePath(id(i)), when, when); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 10 {
		if err := s.save(context.Background(), id(i), storeFigure(tok(i))); err != nil {
			t.Fatal(err)
		}
		age(i)
	}
	// A later cell streams into figure 0, the oldest: it becomes recent.
	if _, _, ok, err := s.load(tok(0)); !ok || err != nil {
		t.Fatalf("loading figure 0: %v, %v", ok, err)
	}
	for i := 10; i < 30; i++ {
		if err := s.save(context.Background(), id(i), storeFigure(tok(i))); err != nil {
			t.Fatal(err)
		}
		age(i)
		// Saving a figure again (UpdateTrace, Close) does not prune it or another.
		if err := s.save(context.Background(), id(i), storeFigure(tok(i))); err != nil {
			t.Fatal(err)
		}
		age(i)
	}
	count := func(sub string) int {
		entries, err := os.ReadDir(filepath.Join(s.dir, sub))
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	if f, k := count("figures"), count("tokens"); f > 10 || k > 10 {
		t.Fatalf("%d figure files and %d token files after 30 figures, want at most 10 each", f, k)
	}
	for i := 21; i < 30; i++ {
		if _, _, ok, err := s.load(tok(i)); !ok || err != nil {
			t.Errorf("recent figure %d: %v, %v; want kept", i, ok, err)
		}
	}
	if _, _, ok, err := s.load(tok(0)); !ok || err != nil {
		t.Errorf("figure 0, loaded by a later cell: %v, %v; want kept", ok, err)
	}
	if _, _, ok, _ := s.load(tok(1)); ok {
		t.Errorf("figure 1, the oldest, was kept")
	}
}
