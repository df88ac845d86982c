// Package randid makes the random identifiers liveplot uses: page secrets, nonces, output and
// link ids, stream tokens, Jupyter message ids and connection keys. There is one way to make
// them, so that none ignores an error or uses a weaker source.
package randid

import (
	"crypto/rand"
	"encoding/hex"
)

// Bytes returns n bytes from crypto/rand.
//
// crypto/rand.Read returns no error since Go 1.24: where the system cannot supply randomness the
// program crashes instead, so Bytes has no error to return.
func Bytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// Hex returns n bytes from crypto/rand as 2n hex digits.
func Hex(n int) string {
	return hex.EncodeToString(Bytes(n))
}
