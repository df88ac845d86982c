package stream

import "testing"

// TestDecimateKeepsExtremes: a long window is cut to at most previewPoints+1 indices, in order,
// keeping each bucket's least and greatest y and the last value.
func TestDecimateKeepsExtremes(t *testing.T) {
	const n = 10_000
	y := &array{col: newColumn(0)}
	for i := range n {
		v := float64(i % 7)
		if i == 4321 {
			v = 1e6 // a spike the preview must show
		}
		y.col.pushFloat(v)
	}
	keep := decimate(n, y)
	if len(keep) > previewPoints+1 {
		t.Fatalf("%d indices kept, want at most %d", len(keep), previewPoints+1)
	}
	spike := false
	for i, j := range keep {
		if i > 0 && j <= keep[i-1] {
			t.Fatalf("indices not increasing at %d: %d after %d", i, j, keep[i-1])
		}
		spike = spike || j == 4321
	}
	if !spike || keep[len(keep)-1] != n-1 {
		t.Fatalf("kept the spike: %v, last index %d; want the spike and %d", spike, keep[len(keep)-1], n-1)
	}
}
