package gonbenv

import (
	"path/filepath"
	"testing"
)

// TestStateDir: a directory under GONB_TMP_DIR inside a GoNB cell only (GONB_PIPE set).
func TestStateDir(t *testing.T) {
	tmp := t.TempDir()
	for _, tt := range []struct {
		pipe, tmp string
		in        bool
		want      string
	}{
		{"", "", false, ""},
		{"", tmp, false, ""}, // not a cell: GONB_TMP_DIR alone says nothing
		{"/tmp/gonb-pipe", "", true, ""},
		{"/tmp/gonb-pipe", tmp, true, filepath.Join(tmp, "liveplot")},
	} {
		t.Setenv("GONB_PIPE", tt.pipe)
		t.Setenv("GONB_TMP_DIR", tt.tmp)
		if got := InCell(); got != tt.in {
			t.Errorf("GONB_PIPE=%q: InCell() = %v, want %v", tt.pipe, got, tt.in)
		}
		if got := StateDir(); got != tt.want {
			t.Errorf("GONB_PIPE=%q GONB_TMP_DIR=%q: StateDir() = %q, want %q", tt.pipe, tt.tmp, got, tt.want)
		}
	}
}
