package wake

import "testing"

func TestSignalKeepsOnePendingWakeUp(t *testing.T) {
	c := make(chan struct{}, 1)
	Signal(c)
	Signal(c) // must not block
	if len(c) != 1 {
		t.Fatalf("%d pending wake-ups, want 1", len(c))
	}
	<-c
	Signal(c)
	if len(c) != 1 {
		t.Fatalf("after a receive: %d pending wake-ups, want 1", len(c))
	}
}
