package quarantine

import (
	"fmt"
	"slices"

	"go.etcd.io/bbolt"
)

// commitReq is one write waiting for a group commit.
type commitReq struct {
	fn      func(*bbolt.Tx) error
	syncDir bool // a body was linked into the message directory for it
	err     error
	done    chan struct{}
}

// groupUpdate runs fn in a read-write transaction shared with the writes
// that arrive while another commit is in progress: the first writer
// commits at once (no timer, unlike bbolt's Batch, whose 10 ms delay would
// be added to every lone SMTP transaction), and everything that queued up
// meanwhile shares the next commit and its fsync. If a shared transaction
// fails, each write is retried in a transaction of its own, so one bad
// write cannot fail the others; fn must therefore be safe to run twice.
func (e *Embedded) groupUpdate(fn func(*bbolt.Tx) error) error {
	return e.groupCommit(&commitReq{fn: fn})
}

// groupCreate is groupUpdate for a write whose body file was just linked
// into the message directory: the directory is fsynced once per group,
// before the commit, so that no record can be durable without its body,
// and concurrent messages share that fsync as they share the commit's.
func (e *Embedded) groupCreate(fn func(*bbolt.Tx) error) error {
	return e.groupCommit(&commitReq{fn: fn, syncDir: true})
}

func (e *Embedded) groupCommit(req *commitReq) error {
	req.done = make(chan struct{})
	e.gmu.Lock()
	e.pending = append(e.pending, req)
	lead := !e.committing
	e.committing = true
	e.gmu.Unlock()
	if lead {
		e.commitPending()
	}
	<-req.done
	return req.err
}

// commitPending commits the waiting writes as one group. Writes that
// arrived during the commit are committed by a new goroutine, so the
// leader's caller returns after its own group.
func (e *Embedded) commitPending() {
	e.gmu.Lock()
	reqs := e.pending
	e.pending = nil
	e.gmu.Unlock()
	if slices.ContainsFunc(reqs, func(r *commitReq) bool { return r.syncDir }) {
		if err := e.syncDir(e.msgDir); err != nil {
			// Those writes fail (their bodies may not survive a crash);
			// the others still commit.
			reqs = slices.DeleteFunc(reqs, func(r *commitReq) bool {
				if r.syncDir {
					r.err = fmt.Errorf("sync %s: %w", e.msgDir, err)
					close(r.done)
				}
				return r.syncDir
			})
		}
	}
	err := e.db.Update(func(tx *bbolt.Tx) error {
		for _, r := range reqs {
			if err := r.fn(tx); err != nil {
				return err
			}
		}
		return nil
	})
	for _, r := range reqs {
		if err != nil && len(reqs) > 1 {
			r.err = e.db.Update(r.fn)
		} else {
			r.err = err
		}
		close(r.done)
	}
	e.gmu.Lock()
	defer e.gmu.Unlock()
	if len(e.pending) == 0 {
		e.committing = false
		return
	}
	go e.commitPending()
}
