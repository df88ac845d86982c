// Package atomicfile writes files so that a reader, or a crash, sees the old content or the new,
// never a part: the data goes to a temporary file in the same directory, is synced, and is then
// renamed over the target. On any error the target is untouched and the temporary file removed.
package atomicfile

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to path atomically, creating path's directory if needed (mode 0700).
// A new file gets perm; a file that exists keeps its permission bits.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write calls fill with a writer to a temporary file beside path and, when fill and the writes
// succeed, renames it over path. A new file gets perm; a file that exists keeps its permission
// bits. Errors name path and wrap their cause.
func Write(path string, perm os.FileMode, fill func(io.Writer) error) error {
	return write(path, perm, fill, os.Rename)
}

// WriteNew writes data to path atomically unless path exists, in which case it fails with an
// error that wraps fs.ErrExist and leaves path alone: of several processes that race to create
// path, exactly one succeeds, and none ever sees the file half written.
func WriteNew(path string, data []byte, perm os.FileMode) error {
	return write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	}, func(tmp, path string) error {
		if err := os.Link(tmp, path); err != nil {
			return err
		}
		return os.Remove(tmp)
	})
}

// write fills a temporary file beside path and then commits it (renames or links it to path).
func write(path string, perm os.FileMode, fill func(io.Writer) error, commit func(tmp, path string) error) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if st, err := os.Stat(path); err == nil {
		perm = st.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("writing %s: %w", path, err)
		}
	}()
	if err := fill(tmp); err != nil {
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return commit(tmp.Name(), path)
}
