package plotly

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/liveplot/liveplot/internal/atomicfile"

	"github.com/liveplot/liveplot/kernelext"
)

// figureStore keeps shown figures on disk, in a directory that the processes of one kernel
// session share (kernelext.StateDir): inside GoNB every cell is a new process, and a later cell
// must find the figure an earlier cell showed. With no such directory it does nothing.
type figureStore struct{ dir string }

func defaultStore() figureStore { return figureStore{dir: kernelext.StateDir()} }

func (s figureStore) enabled() bool { return s.dir != "" }

func (s figureStore) figurePath(id string) string {
	return filepath.Join(s.dir, "figures", id+".json")
}

// tokenPath names a token's file by its hash: a token from a credentials file may hold any byte.
func (s figureStore) tokenPath(token string) string {
	sum := sha256.Sum256([]byte(token))
	return filepath.Join(s.dir, "tokens", hex.EncodeToString(sum[:16]))
}

// save writes the figure and the index of its stream tokens. It stops when ctx is done, and
// then leaves the files as they were.
func (s figureStore) save(ctx context.Context, id string, tree map[string]any) error {
	if !s.enabled() {
		return nil
	}
	err := atomicfile.Write(s.figurePath(id), 0o600, func(w io.Writer) error {
		return writeTreeJSON(ctx, w, tree)
	})
	if err != nil {
		return fmt.Errorf("plotly: saving figure %s: %w", id, err)
	}
	for _, tok := range streamTokens(tree) {
		if err := atomicfile.WriteFile(s.tokenPath(tok), []byte(id), 0o600); err != nil {
			return fmt.Errorf("plotly: saving the stream token index: %w", err)
		}
	}
	return nil
}

// load finds the figure whose trace has the stream token; ok is false when none was saved.
func (s figureStore) load(token string) (id string, tree map[string]any, ok bool, err error) {
	if !s.enabled() {
		return "", nil, false, nil
	}
	rawID, err := os.ReadFile(s.tokenPath(token))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("plotly: reading the stream token index: %w", err)
	}
	id = string(rawID)
	raw, err := os.ReadFile(s.figurePath(id))
	if err != nil {
		return "", nil, false, fmt.Errorf("plotly: reading figure %s shown by an earlier cell: %w", id, err)
	}
	if err := json.Unmarshal(raw, &tree); err != nil {
		return "", nil, false, fmt.Errorf("plotly: figure %s saved by an earlier cell is damaged (show it again): %w", id, err)
	}
	return id, tree, true, nil
}
