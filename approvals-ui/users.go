package approvalsui

import (
	"context"
	"errors"
	"os"
	"sync"
	"time"

	"github.com/okuri/okuri/directory"
)

// userFile serves the users file (who exists, names, aliases), re-reading
// it when its size or modification time changed, so `okuri user add` is
// seen before the next SIGHUP. Sign-in state lives in s.accounts; the UI
// never writes this file.
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

// lookupUser returns a user of the users file with their shared sign-in
// state; false when there is no such user or the store cannot be read.
func (s *Server) lookupUser(ctx context.Context, addr string) (*directory.User, bool) {
	u, err := s.accounts.Lookup(ctx, addr)
	if err != nil && !errors.Is(err, directory.ErrNoUser) {
		s.log.Error("ui: user lookup", "err", err)
	}
	return u, err == nil
}
