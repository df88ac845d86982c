package randid

import (
	"bytes"
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

func TestBytes(t *testing.T) {
	var seen [][]byte
	for range 100 {
		b := Bytes(10)
		if len(b) != 10 {
			t.Fatalf("Bytes(10) = %x: %d bytes, want 10", b, len(b))
		}
		for _, s := range seen {
			if bytes.Equal(s, b) {
				t.Fatalf("Bytes(10) repeated %x", b)
			}
		}
		seen = append(seen, b)
	}
	if b := Bytes(0); len(b) != 0 {
		t.Fatalf("Bytes(0) = %x", b)
	}
}
