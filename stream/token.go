package stream

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/liveplot/liveplot/internal/randid"
)

// tokenEncoding writes tokens in lower-case base32 without padding: URL-safe, and safe as an
// HTML ID or a file name.
var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewToken returns a new random stream token (16 characters, 80 random bits).
//
// Inside GoNB, package-level variables are set again in every cell, so
// `var tok = stream.NewToken()` gives each cell a different token: use a const, TokenFor or
// Tokens for a token that must stay the same across cells.
func NewToken() string {
	return tokenEncoding.EncodeToString(randid.Bytes(10))
}

// TokenFor returns the stream token for name: the same token for the same name, in every cell and
// every process.
func TokenFor(name string) string {
	sum := sha256.Sum256([]byte("liveplot stream token\x00" + name))
	return tokenEncoding.EncodeToString(sum[:10])
}

// Tokens returns the stream tokens listed as stream_ids in Plotly's credentials file,
// ~/.plotly/.credentials (the environment variable PLOTLY_DIR names another directory).
func Tokens() ([]string, error) {
	path, err := credentialsPath()
	if err != nil {
		return nil, err
	}
	const want = `{"username": "...", "api_key": "...", "stream_ids": ["token1", "token2"]}`
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("stream: reading stream tokens: %w (create it holding %s, or set PLOTLY_DIR to the directory that holds .credentials)", err, want)
	}
	var creds struct {
		StreamIDs []string `json:"stream_ids"`
	}
	if err := json.Unmarshal(raw, &creds); err != nil {
		return nil, fmt.Errorf("stream: reading stream tokens from %s: %w (it should hold %s)", path, err, want)
	}
	var tokens []string
	for _, id := range creds.StreamIDs {
		if id = strings.TrimSpace(id); id != "" {
			tokens = append(tokens, id)
		}
	}
	if len(tokens) == 0 {
		return nil, fmt.Errorf("stream: %s lists no stream_ids: add them, as in %s", path, want)
	}
	return tokens, nil
}

// credentialsPath returns where Plotly keeps its credentials file.
func credentialsPath() (string, error) {
	if dir := os.Getenv("PLOTLY_DIR"); dir != "" {
		return filepath.Join(dir, ".credentials"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.Join(errors.New("stream: finding ~/.plotly/.credentials (or set PLOTLY_DIR)"), err)
	}
	return filepath.Join(home, ".plotly", ".credentials"), nil
}
