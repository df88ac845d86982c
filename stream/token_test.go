package stream

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestNewTokenIsRandomAndURLSafe(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b {
		t.Fatalf("two tokens are equal: %q", a)
	}
	if !regexp.MustCompile(`^[a-z2-7]{16}$`).MatchString(a) {
		t.Fatalf("token %q is not 16 base32 characters", a)
	}
}

func TestTokenForIsStablePerName(t *testing.T) {
	if TokenFor("temperature") != TokenFor("temperature") {
		t.Fatal("TokenFor gives different tokens for one name")
	}
	if TokenFor("temperature") == TokenFor("pressure") {
		t.Fatal("TokenFor gives one token for two names")
	}
}

func TestTokensReadsStreamIDs(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PLOTLY_DIR", dir)
	creds := `{"username": "u", "api_key": "k", "stream_ids": ["abc", " ", "def"]}`
	if err := os.WriteFile(filepath.Join(dir, ".credentials"), []byte(creds), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := Tokens()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, ",") != "abc,def" {
		t.Fatalf("Tokens() = %q, want [abc def]", got)
	}
}

func TestTokensExplainsMissingAndMalformedFiles(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("PLOTLY_DIR", dir)
	path := filepath.Join(dir, ".credentials")
	_, err := Tokens()
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"stream_ids"`) {
		t.Fatalf("missing file: error %v should name %s and say what to put there", err, path)
	}
	for _, content := range []string{`{not json`, `{"stream_ids": []}`} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Tokens()
		if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), `"stream_ids"`) {
			t.Fatalf("file %q: error %v should name %s and say what to put there", content, err, path)
		}
	}
}
