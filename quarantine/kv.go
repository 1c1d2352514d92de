package quarantine

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"time"

	"go.etcd.io/bbolt"
)

// The compare-and-set and counter parts of the key/value facility. Values
// carry their expiry (unix ns) in front, like sessions; a value that
// never expires carries math.MaxInt64. Counters live under a "#" prefix
// so a counter and a value never share a key.

const noExpiry = math.MaxInt64

func counterKey(key string) string { return "#" + key }

func (c *core) SessionSwap(ctx context.Context, key string, old, new []byte) (bool, error) {
	ok, err := c.b.sessionSwap(ctx, key, old, new)
	if err != nil {
		return false, fmt.Errorf("session swap: %w", err)
	}
	return ok, nil
}

func (c *core) SessionAdd(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	if ttl <= 0 {
		return 0, fmt.Errorf("session add: ttl must be positive")
	}
	n, err := c.b.sessionAdd(ctx, key, delta, ttl)
	if err != nil {
		return 0, fmt.Errorf("session add: %w", err)
	}
	return n, nil
}

// liveValue returns the value part of a stored session entry, or nil
// when there is none or it expired at now.
func liveValue(x []byte, now time.Time) []byte {
	if len(x) < 8 || int64(binary.BigEndian.Uint64(x[:8])) <= now.UnixNano() {
		return nil
	}
	return x[8:]
}

func (e *Embedded) sessionSwap(ctx context.Context, key string, old, new []byte) (bool, error) {
	swapped := false
	err := e.db.Update(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bkSess)
		cur := liveValue(b.Get([]byte(key)), e.clock())
		if (old == nil) != (cur == nil) || old != nil && !bytes.Equal(cur, old) {
			return nil
		}
		swapped = true
		return b.Put([]byte(key), append(binary.BigEndian.AppendUint64(nil, uint64(noExpiry)), new...))
	})
	return swapped, storageErr(err)
}

func (e *Embedded) sessionAdd(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	var n int64
	err := e.db.Update(func(tx *bbolt.Tx) error {
		b, k, now := tx.Bucket(bkSess), []byte(counterKey(key)), e.clock()
		x := b.Get(k)
		exp := now.Add(ttl).UnixNano()
		if v := liveValue(x, now); len(v) == 8 {
			n, exp = int64(binary.BigEndian.Uint64(v)), int64(binary.BigEndian.Uint64(x[:8]))
		}
		n += delta
		v := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, uint64(exp)), uint64(n))
		return b.Put(k, v)
	})
	return n, storageErr(err)
}
