package approvalsui

import (
	"os"
	"sync"
	"time"

	"github.com/okuri/okuri/directory"
)

// userFile serves the directory, re-reading the users file when its size
// or modification time changed: the UI writes it itself (enrolment,
// resets) and must see its own writes before the next SIGHUP.
type userFile struct {
	path     string
	fallback func() *directory.Directory

	mu    sync.Mutex
	dir   *directory.Directory
	mtime time.Time
	size  int64
}

// current returns the freshest directory snapshot.
func (f *userFile) current() *directory.Directory {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fi, err := os.Stat(f.path); err == nil && f.path != "" {
		if f.dir == nil || !fi.ModTime().Equal(f.mtime) || fi.Size() != f.size {
			if d, err := directory.Load(f.path); err == nil {
				f.dir, f.mtime, f.size = d, fi.ModTime(), fi.Size()
			}
		}
	}
	if f.dir == nil && f.fallback != nil {
		return f.fallback()
	}
	if f.dir == nil {
		d, _ := directory.Load(os.DevNull)
		return d
	}
	return f.dir
}

func (f *userFile) lookup(addr string) (*directory.User, bool) {
	return f.current().Lookup(addr)
}
