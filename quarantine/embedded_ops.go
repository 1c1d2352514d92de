package quarantine

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"go.etcd.io/bbolt"
)

func getMsg(tx *bbolt.Tx, id string) (*Message, error) {
	v := tx.Bucket(bkMsg).Get([]byte(id))
	if v == nil {
		return nil, ErrNotFound
	}
	var m Message
	if err := json.Unmarshal(v, &m); err != nil {
		return nil, fmt.Errorf("decode record: %w", err)
	}
	return &m, nil
}

func (e *Embedded) load(ctx context.Context, id string) (m *Message, err error) {
	err = e.db.View(func(tx *bbolt.Tx) error {
		m, err = getMsg(tx, id)
		return err
	})
	return m, err
}

func (e *Embedded) loadMany(ctx context.Context, ids []string) ([]*Message, error) {
	l := make([]*Message, 0, len(ids))
	err := e.db.View(func(tx *bbolt.Tx) error {
		for _, id := range ids {
			m, err := getMsg(tx, id)
			if err == ErrNotFound {
				continue
			} else if err != nil {
				return err
			}
			l = append(l, m)
		}
		return nil
	})
	return l, err
}

func (e *Embedded) update(ctx context.Context, id string, fn func(m *Message) (*effects, error)) (*Message, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out *Message
	var eff *effects
	// Shares commits (and fsyncs) with concurrent writers; fn reads the
	// record afresh if it runs again.
	err := e.groupUpdate(func(tx *bbolt.Tx) error {
		old, err := getMsg(tx, id)
		if err != nil {
			return err
		}
		m := old.clone()
		eff, err = fn(m)
		if err != nil {
			return err
		}
		m.Version++
		b := tx.Bucket(bkMsg)
		if eff.purgeBody || eff.delete {
			if err := tx.Bucket(bkBody).Delete([]byte(id)); err != nil {
				return err
			}
		}
		if eff.delete {
			rem, _ := diffIndex(old, nil)
			if err := b.Delete([]byte(id)); err != nil {
				return err
			}
			if err := tx.Bucket(bkText).Delete([]byte(id)); err != nil {
				return err
			}
			out = m
			return e.writeEffects(tx, rem, nil, eff, id)
		}
		data, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(id), data); err != nil {
			return err
		}
		rem, add := diffIndex(old, m)
		out = m
		return e.writeEffects(tx, rem, add, eff, id)
	})
	if err != nil {
		return nil, storageErr(err)
	}
	if eff.purgeBody || eff.delete {
		// The record no longer points at the body; a crash before this
		// removal is repaired by the recovery pass.
		if err := os.Remove(e.bodyPath(id)); err != nil && !os.IsNotExist(err) {
			e.log.Error("quarantine: removing purged body", "id", id, "err", err)
		}
	}
	return out, nil
}

func (e *Embedded) scanRev(ctx context.Context, set, hi, lo string, batch int, fn func([]string) (bool, error)) error {
	prefix := ixKey(set, "")
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		var members []string
		e.db.View(func(tx *bbolt.Tx) error {
			c := tx.Bucket(bkIx).Cursor()
			var k []byte
			if hi == "" {
				k, _ = c.Seek([]byte(set + "\x01"))
				if k == nil {
					k, _ = c.Last()
				} else {
					k, _ = c.Prev()
				}
			} else {
				k, _ = c.Seek(ixKey(set, hi))
				if k == nil {
					k, _ = c.Last()
				} else {
					k, _ = c.Prev()
				}
			}
			for ; k != nil && bytes.HasPrefix(k, prefix) && len(members) < batch; k, _ = c.Prev() {
				mem := string(k[len(prefix):])
				if hi != "" && mem >= hi {
					continue
				}
				if mem < lo {
					break
				}
				members = append(members, mem)
			}
			return nil
		})
		if len(members) == 0 {
			return nil
		}
		more, err := fn(members)
		if err != nil || !more || len(members) < batch {
			return err
		}
		hi = members[len(members)-1]
	}
}

func (e *Embedded) textScan(ctx context.Context, set, hi, lo, text string, batch int, fn func([]string) (bool, error)) error {
	return e.scanRev(ctx, set, hi, lo, batch, func(members []string) (bool, error) {
		var matches []string
		e.db.View(func(tx *bbolt.Tx) error {
			b := tx.Bucket(bkText)
			for _, id := range members {
				if bytes.Contains(b.Get([]byte(id)), []byte(text)) {
					matches = append(matches, id)
				}
			}
			return nil
		})
		if len(matches) == 0 {
			return true, nil
		}
		return fn(matches)
	})
}

func (e *Embedded) scanAsc(ctx context.Context, set, hi string, limit int) ([]string, error) {
	var l []string
	prefix := ixKey(set, "")
	err := e.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bkIx).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(l) < limit; k, _ = c.Next() {
			mem := string(k[len(prefix):])
			if mem > hi {
				break
			}
			l = append(l, mem)
		}
		return nil
	})
	return l, err
}

func (e *Embedded) first(ctx context.Context, set string) (string, bool, error) {
	l, err := e.scanAsc(ctx, set, "\xff", 1)
	if err != nil || len(l) == 0 {
		return "", false, err
	}
	return l[0], true, nil
}

func (e *Embedded) counts(ctx context.Context) (map[State]int, error) {
	n := map[State]int{}
	err := e.db.View(func(tx *bbolt.Tx) error {
		return tx.Bucket(bkCnt).ForEach(func(k, v []byte) error {
			if len(v) == 8 && binary.BigEndian.Uint64(v) > 0 {
				n[State(k)] = int(binary.BigEndian.Uint64(v))
			}
			return nil
		})
	})
	return n, err
}

func (e *Embedded) openBody(ctx context.Context, id string) (io.ReadCloser, error) {
	var m *Message
	var inline []byte
	err := e.db.View(func(tx *bbolt.Tx) (err error) {
		if m, err = getMsg(tx, id); err != nil {
			return err
		}
		if v := tx.Bucket(bkBody).Get([]byte(id)); v != nil {
			inline = bytes.Clone(v) // valid only during the transaction
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if m.Purged {
		return nil, ErrPurged
	}
	if inline != nil || m.Size == 0 {
		return io.NopCloser(bytes.NewReader(inline)), nil
	}
	f, err := os.Open(e.bodyPath(id))
	if os.IsNotExist(err) {
		// Purged between load and open.
		return nil, ErrPurged
	}
	return f, err
}

func (e *Embedded) known(ctx context.Context, key string) (k KnownRecipient, ok bool, err error) {
	err = e.db.View(func(tx *bbolt.Tx) error {
		v := tx.Bucket(bkKnown).Get([]byte(key))
		if len(v) != 16 {
			return nil
		}
		ok = true
		k.First = time.Unix(0, int64(binary.BigEndian.Uint64(v[:8])))
		k.Last = time.Unix(0, int64(binary.BigEndian.Uint64(v[8:])))
		return nil
	})
	return k, ok, err
}

func (e *Embedded) sessionPut(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	exp := e.clock().Add(ttl).UnixNano()
	v := append(binary.BigEndian.AppendUint64(nil, uint64(exp)), value...)
	return storageErr(e.db.Update(func(tx *bbolt.Tx) error {
		return tx.Bucket(bkSess).Put([]byte(key), v)
	}))
}

func (e *Embedded) sessionGet(ctx context.Context, key string) (v []byte, err error) {
	err = e.db.View(func(tx *bbolt.Tx) error {
		x := tx.Bucket(bkSess).Get([]byte(key))
		if len(x) < 8 || int64(binary.BigEndian.Uint64(x[:8])) <= e.clock().UnixNano() {
			return ErrNotFound
		}
		v = append([]byte(nil), x[8:]...)
		return nil
	})
	return v, err
}

func (e *Embedded) sessionDelete(ctx context.Context, key string) error {
	return e.db.Update(func(tx *bbolt.Tx) error {
		if err := tx.Bucket(bkSess).Delete([]byte(key)); err != nil {
			return err
		}
		return tx.Bucket(bkSess).Delete([]byte(counterKey(key)))
	})
}

// sweepSessions removes expired sessions; called by the sweeper.
func (e *Embedded) sweepSessions(ctx context.Context, now time.Time) (int, error) {
	n := 0
	err := e.db.Update(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bkSess).Cursor()
		for k, v := c.First(); k != nil; {
			if len(v) < 8 || int64(binary.BigEndian.Uint64(v[:8])) <= now.UnixNano() {
				if err := c.Delete(); err != nil {
					return err
				}
				n++
				k, v = c.Seek(k)
				continue
			}
			k, v = c.Next()
		}
		return nil
	})
	return n, err
}
