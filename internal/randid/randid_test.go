package randid

import (
	"encoding/hex"
	"testing"
)

func TestHex(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		s := Hex(16)
		if len(s) != 32 {
			t.Fatalf("Hex(16) = %q, want 32 hex digits", s)
		}
		if _, err := hex.DecodeString(s); err != nil {
			t.Fatalf("Hex(16) = %q: %v", s, err)
		}
		if seen[s] {
			t.Fatalf("Hex(16) repeated %q", s)
		}
		seen[s] = true
	}
}
