// Package randid makes the random identifiers liveplot uses: page secrets, nonces, output and
// link ids. There is one way to make them, so that none ignores an error or uses a weaker source.
package randid

import (
	"crypto/rand"
	"encoding/hex"
)

// Hex returns n bytes from crypto/rand as 2n hex digits.
//
// crypto/rand.Read returns no error since Go 1.24: where the system cannot supply randomness the
// program crashes instead, so Hex has no error to return.
func Hex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
