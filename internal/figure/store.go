package figure

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
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/liveplot/liveplot/internal/atomicfile"
	"github.com/liveplot/liveplot/internal/gonbenv"
)

// maxStoredFigures bounds the figures a kernel session keeps on disk (two small files each):
// past it, the figures least recently shown, updated or streamed into by a cell are forgotten.
const maxStoredFigures = 1000

// figureStore keeps shown figures on disk, in a directory that the processes of one kernel
// session share (gonbenv.StateDir): inside GoNB every cell is a new process, and a later cell
// must find the figure an earlier cell showed. With no such directory it does nothing.
//
// What it reads it does not trust: a figure ID from a token file must have the form outputID
// gives, and no file or folder of the store may be a symbolic link. It keeps at most maxFigures
// figures: saving a new one forgets the least recently used beyond that. A figure that a link
// still streams into is in that link's memory, and is saved again when the link closes.
type figureStore struct {
	dir        string
	maxFigures int
}

func defaultStore() figureStore {
	return figureStore{dir: gonbenv.StateDir(), maxFigures: maxStoredFigures}
}

func (s figureStore) enabled() bool { return s.dir != "" }

// picturesMissed reports whether the last picture asked in the background in this kernel session
// did not come (AddPictureLater).
func (s figureStore) picturesMissed() bool {
	if !s.enabled() {
		return false
	}
	_, err := os.Lstat(filepath.Join(s.dir, "pictures-missed"))
	return err == nil
}

// setPicturesMissed records whether the last picture asked in the background came; a hint only,
// so a failure to record it is ignored.
func (s figureStore) setPicturesMissed(missed bool) {
	if !s.enabled() {
		return
	}
	path := filepath.Join(s.dir, "pictures-missed")
	if !missed {
		os.Remove(path) //nolint:errcheck // a hint only
		return
	}
	if s.folders() == nil {
		atomicfile.WriteFile(path, nil, 0o600) //nolint:errcheck // a hint only
	}
}

// storedID is the form of the IDs outputID gives figures with streams, the only ones stored.
var storedID = regexp.MustCompile(`^liveplot-[0-9a-f]{16}$`)

func (s figureStore) figurePath(id string) string {
	return filepath.Join(s.dir, "figures", id+".json")
}

// tokenPath names a token's file by its hash: a token from a credentials file may hold any byte.
func (s figureStore) tokenPath(token string) string {
	sum := sha256.Sum256([]byte(token))
	return filepath.Join(s.dir, "tokens", hex.EncodeToString(sum[:16]))
}

// folders makes the store's folders if needed and checks that they are folders, not symbolic
// links to somewhere else.
func (s figureStore) folders() error {
	if err := os.MkdirAll(filepath.Dir(s.dir), 0o700); err != nil {
		return fmt.Errorf("plotly: making the state folder: %w", err)
	}
	for _, dir := range []string{s.dir, filepath.Join(s.dir, "figures"), filepath.Join(s.dir, "tokens")} {
		if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("plotly: making the state folder: %w", err)
		}
		if err := checkNotLink(dir, true); err != nil {
			return err
		}
	}
	return nil
}

// checkNotLink fails when path is a symbolic link, or not a folder (dir) or regular file.
func checkNotLink(path string, dir bool) error {
	st, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("plotly: state folder: %w", err)
	}
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("plotly: state folder: %s is a symbolic link; liveplot does not follow links there (remove it)", path)
	case dir && !st.IsDir(), !dir && !st.Mode().IsRegular():
		return fmt.Errorf("plotly: state folder: %s is not a regular %s (remove it)", path, map[bool]string{true: "folder", false: "file"}[dir])
	}
	return nil
}

// readFile reads a file of the store, refusing a symbolic link at any step from the store down.
func (s figureStore) readFile(path string) ([]byte, error) {
	for _, dir := range []string{s.dir, filepath.Dir(path)} {
		if err := checkNotLink(dir, true); err != nil {
			return nil, err
		}
	}
	if err := checkNotLink(path, false); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// The file opened is the one checked, not one swapped in since.
	opened, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if checked, err := os.Lstat(path); err != nil || !os.SameFile(opened, checked) {
		return nil, fmt.Errorf("plotly: state folder: %s changed while being read", path)
	}
	return io.ReadAll(f)
}

// save writes the figure and the index of its stream tokens; saving a figure that was not
// stored yet forgets the least recently used figures beyond the store's bound. It stops when ctx
// is done, and then leaves the files as they were.
func (s figureStore) save(ctx context.Context, id string, tree map[string]any) error {
	if !s.enabled() {
		return nil
	}
	if !storedID.MatchString(id) {
		return fmt.Errorf("plotly: saving figure %q: not a figure ID liveplot makes", id)
	}
	if err := s.folders(); err != nil {
		return fmt.Errorf("plotly: saving figure %s: %w", id, err)
	}
	_, statErr := os.Lstat(s.figurePath(id))
	isNew := errors.Is(statErr, fs.ErrNotExist)
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
	if isNew {
		if err := s.prune(id); err != nil {
			return fmt.Errorf("plotly: saving figure %s: %w", id, err)
		}
	}
	return nil
}

// prune forgets the least recently used figures beyond the store's bound (never keep), and the
// token files that lead to a figure no longer stored.
func (s figureStore) prune(keep string) error {
	if s.maxFigures <= 0 {
		return nil
	}
	dir := filepath.Join(s.dir, "figures")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("pruning the state folder: %w", err)
	}
	type stored struct {
		id   string
		used time.Time
	}
	var figures []stored
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || !storedID.MatchString(id) || !e.Type().IsRegular() {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		figures = append(figures, stored{id, info.ModTime()})
	}
	if len(figures) <= s.maxFigures {
		return nil
	}
	slices.SortFunc(figures, func(a, b stored) int { return a.used.Compare(b.used) })
	kept := map[string]bool{}
	for i, f := range figures {
		if i >= len(figures)-s.maxFigures || f.id == keep {
			kept[f.id] = true
			continue
		}
		if err := os.Remove(s.figurePath(f.id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pruning the state folder: %w", err)
		}
	}
	tokens := filepath.Join(s.dir, "tokens")
	entries, err = os.ReadDir(tokens)
	if err != nil {
		return fmt.Errorf("pruning the state folder: %w", err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue // a file being written
		}
		path := filepath.Join(tokens, e.Name())
		id, err := s.readFile(path)
		if err == nil && kept[string(id)] {
			continue
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pruning the state folder: %w", err)
		}
	}
	return nil
}

// load finds the figure whose trace has the stream token; ok is false when none was saved (or it
// was forgotten, among the least recently used beyond the store's bound). A figure loaded counts
// as used: the store keeps it longer.
func (s figureStore) load(token string) (id string, tree map[string]any, ok bool, err error) {
	if !s.enabled() {
		return "", nil, false, nil
	}
	rawID, err := s.readFile(s.tokenPath(token))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("plotly: reading the stream token index: %w", err)
	}
	id = string(rawID)
	if !storedID.MatchString(id) {
		return "", nil, false, fmt.Errorf("plotly: the stream token index in %s is damaged (it names figure %q); show the figure again", s.dir, id)
	}
	raw, err := s.readFile(s.figurePath(id))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, false, fmt.Errorf("plotly: reading figure %s shown by an earlier cell: %w", id, err)
	}
	if err := json.Unmarshal(raw, &tree); err != nil {
		return "", nil, false, fmt.Errorf("plotly: figure %s saved by an earlier cell is damaged (show it again): %w", id, err)
	}
	now := time.Now()
	os.Chtimes(s.figurePath(id), now, now) //nolint:errcheck // only the pruning order depends on it
	return id, tree, true, nil
}
