package directory

import (
	"os"
	"sync"
	"time"
)

// FileSource serves the users file, re-reading it when its size or
// modification time changed, so a user added or changed with `okuri user`
// counts at the next sign-in on the UI and on SMTP AUTH, not only after a
// SIGHUP. A file that cannot be read or parsed keeps the last good
// snapshot (or the fallback's).
type FileSource struct {
	path     string
	fallback func() *Directory

	mu    sync.Mutex
	dir   *Directory
	mtime time.Time
	size  int64
}

// NewFileSource returns a source for path; fallback (may be nil) gives
// the snapshot to use before the file was read once.
func NewFileSource(path string, fallback func() *Directory) *FileSource {
	return &FileSource{path: path, fallback: fallback}
}

// Current returns the freshest snapshot.
func (f *FileSource) Current() *Directory {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fi, err := os.Stat(f.path); err == nil && f.path != "" {
		if f.dir == nil || !fi.ModTime().Equal(f.mtime) || fi.Size() != f.size {
			if d, err := Load(f.path); err == nil {
				f.dir, f.mtime, f.size = d, fi.ModTime(), fi.Size()
			}
		}
	}
	if f.dir == nil && f.fallback != nil {
		return f.fallback()
	}
	if f.dir == nil {
		d, _ := Load(os.DevNull)
		return d
	}
	return f.dir
}
