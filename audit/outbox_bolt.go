package audit

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Bucket layout inside a shared bbolt DB. Everything lives under one
// top-level bucket so the owner of the DB can tell audit data apart.
var (
	boltTop     = []byte("okuri_audit_outbox")
	boltRaw     = []byte("raw")     // big-endian counter → unchained payload
	boltChained = []byte("chained") // big-endian chain seq → chained payload
	boltMeta    = []byte("meta")    // head_seq, head_hash, lost
)

// BoltOutbox is the outbox of the embedded store. It keeps its buckets in
// a bbolt DB that the caller may share with its own data, so a state
// change and the event recording it commit in one transaction (AppendTx).
type BoltOutbox struct {
	db    *bolt.DB
	opts  OutboxOptions
	c     *committer
	kickc chan struct{}
}

// NewBoltOutbox creates the audit buckets in db if needed and starts the
// group committer used by Append. The caller keeps ownership of db and
// must Close the outbox before closing db.
func NewBoltOutbox(db *bolt.DB, opts OutboxOptions) (*BoltOutbox, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		top, err := tx.CreateBucketIfNotExists(boltTop)
		if err != nil {
			return err
		}
		for _, name := range [][]byte{boltRaw, boltChained, boltMeta} {
			if _, err := top.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit: create outbox buckets: %w", err)
	}
	o := &BoltOutbox{db: db, opts: opts, kickc: make(chan struct{}, 1)}
	o.c = newCommitter(opts.MaxBatch, o.flush)
	return o, nil
}

// Close stops the group committer after pending Appends are written. It
// does not close the DB.
func (o *BoltOutbox) Close() error {
	o.c.close()
	return nil
}

// AppendTx appends events inside the caller's read-write transaction, so
// they are durable exactly when the caller's state change is. It does not
// apply the outbox bound: events recording state changes of stored mail
// are few and each one must exist. The publisher is woken when tx commits.
func (o *BoltOutbox) AppendTx(tx *bolt.Tx, evs ...Event) error {
	payloads, _, err := marshalAll(evs)
	if err != nil {
		return err
	}
	raw := boltBucket(tx, boltRaw)
	if raw == nil {
		return fmt.Errorf("audit: outbox buckets missing (NewBoltOutbox not called on this DB?)")
	}
	if err := putRaw(raw, payloads); err != nil {
		return err
	}
	tx.OnCommit(o.notify)
	return nil
}

// Append stores events that are not tied to a store transaction (mail-path
// events, logins, config reloads). Concurrent calls share one transaction.
func (o *BoltOutbox) Append(ctx context.Context, evs ...Event) error {
	if len(evs) == 0 {
		return nil
	}
	payloads, types, err := marshalAll(evs)
	if err != nil {
		return err
	}
	return o.c.submit(ctx, &appendReq{payloads: payloads, types: types})
}

func (o *BoltOutbox) queue() queue { return o }

func (o *BoltOutbox) notify() {
	select {
	case o.kickc <- struct{}{}:
	default:
	}
}

func (o *BoltOutbox) kick() <-chan struct{} { return o.kickc }

func (o *BoltOutbox) flush(reqs []*appendReq) error {
	stored := false
	err := o.db.Update(func(tx *bolt.Tx) error {
		raw, chained, meta := boltBucket(tx, boltRaw), boltBucket(tx, boltChained), boltBucket(tx, boltMeta)
		depth := seqDepth(raw) + seqDepth(chained)
		var lost *Lost
		now := time.Now().UTC()
		for _, r := range reqs {
			if o.opts.Max > 0 && depth+len(r.payloads) > o.opts.Max {
				if o.opts.Overflow == OverflowReject {
					r.status = -1
					continue
				}
				if lost == nil {
					l, err := getLost(meta)
					if err != nil {
						return err
					}
					lost = l
				}
				lost = addLoss(lost, r.types, now)
				r.status = 0
				continue
			}
			if err := putRaw(raw, r.payloads); err != nil {
				return err
			}
			depth += len(r.payloads)
			r.status = 1
			stored = true
		}
		if lost != nil {
			return putLost(meta, lost)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("audit: outbox append: %w", err)
	}
	if stored {
		o.notify()
	}
	return nil
}

func boltBucket(tx *bolt.Tx, name []byte) *bolt.Bucket {
	top := tx.Bucket(boltTop)
	if top == nil {
		return nil
	}
	return top.Bucket(name)
}

func putRaw(raw *bolt.Bucket, payloads [][]byte) error {
	raw.FillPercent = 1.0 // append-only keys
	for _, p := range payloads {
		n, err := raw.NextSequence()
		if err != nil {
			return fmt.Errorf("audit: outbox sequence: %w", err)
		}
		if err := raw.Put(u64key(n), p); err != nil {
			return fmt.Errorf("audit: outbox put: %w", err)
		}
	}
	return nil
}

func u64key(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

// seqDepth counts the entries of a bucket whose keys are contiguous
// big-endian integers, in O(log n).
func seqDepth(b *bolt.Bucket) int {
	c := b.Cursor()
	first, _ := c.First()
	if first == nil {
		return 0
	}
	last, _ := c.Last()
	return int(binary.BigEndian.Uint64(last)-binary.BigEndian.Uint64(first)) + 1
}

func getLost(meta *bolt.Bucket) (*Lost, error) {
	v := meta.Get([]byte("lost"))
	if v == nil {
		return nil, nil
	}
	var l Lost
	if err := json.Unmarshal(v, &l); err != nil {
		return nil, fmt.Errorf("audit: decode loss record: %w", err)
	}
	if l.ByType == nil {
		l.ByType = map[string]int{}
	}
	return &l, nil
}

func putLost(meta *bolt.Bucket, l *Lost) error {
	if l == nil || l.Count <= 0 {
		return meta.Delete([]byte("lost"))
	}
	b, err := json.Marshal(l)
	if err != nil {
		return err
	}
	return meta.Put([]byte("lost"), b)
}

func (o *BoltOutbox) head(ctx context.Context) (seq uint64, hash string, err error) {
	err = o.db.View(func(tx *bolt.Tx) error {
		seq, hash = boltHead(boltBucket(tx, boltMeta))
		return nil
	})
	return seq, hash, err
}

func boltHead(meta *bolt.Bucket) (uint64, string) {
	s, _ := strconv.ParseUint(string(meta.Get([]byte("head_seq"))), 10, 64)
	return s, string(meta.Get([]byte("head_hash")))
}

func firstN(b *bolt.Bucket, n int) [][]byte {
	var out [][]byte
	c := b.Cursor()
	for k, v := c.First(); k != nil && len(out) < n; k, v = c.Next() {
		out = append(out, bytes.Clone(v))
	}
	return out
}

func (o *BoltOutbox) raw(ctx context.Context, n int) (out [][]byte, err error) {
	err = o.db.View(func(tx *bolt.Tx) error {
		out = firstN(boltBucket(tx, boltRaw), n)
		return nil
	})
	return out, err
}

func (o *BoltOutbox) chained(ctx context.Context, n int) (out [][]byte, err error) {
	err = o.db.View(func(tx *bolt.Tx) error {
		out = firstN(boltBucket(tx, boltChained), n)
		return nil
	})
	return out, err
}

func (o *BoltOutbox) lost(ctx context.Context) (l *Lost, err error) {
	err = o.db.View(func(tx *bolt.Tx) error {
		l, err = getLost(boltBucket(tx, boltMeta))
		return err
	})
	return l, err
}

var errHeadMoved = errors.New("audit: chain head moved (two publishers for one instance?)")

func (o *BoltOutbox) chain(ctx context.Context, nAck, nRaw int, prevSeq uint64, chained [][]byte, headSeq uint64, headHash string, taken *Lost) error {
	return o.db.Update(func(tx *bolt.Tx) error {
		raw, ch, meta := boltBucket(tx, boltRaw), boltBucket(tx, boltChained), boltBucket(tx, boltMeta)
		if s, _ := boltHead(meta); s != prevSeq {
			return errHeadMoved
		}
		if err := deleteFirst(ch, nAck); err != nil {
			return err
		}
		if err := deleteFirst(raw, nRaw); err != nil {
			return err
		}
		ch.FillPercent = 1.0
		seq := prevSeq
		for _, p := range chained {
			seq++
			if err := ch.Put(u64key(seq), p); err != nil {
				return err
			}
		}
		if seq != headSeq {
			return fmt.Errorf("audit: chain: %d payloads do not end at seq %d", len(chained), headSeq)
		}
		if err := meta.Put([]byte("head_seq"), []byte(strconv.FormatUint(headSeq, 10))); err != nil {
			return err
		}
		if err := meta.Put([]byte("head_hash"), []byte(headHash)); err != nil {
			return err
		}
		if taken != nil {
			cur, err := getLost(meta)
			if err != nil {
				return err
			}
			return putLost(meta, subtractLoss(cur, taken))
		}
		return nil
	})
}

func deleteFirst(b *bolt.Bucket, n int) error {
	// Re-seek the first key after each delete: bbolt cursors may skip
	// an item when Next follows Delete.
	c := b.Cursor()
	for k, _ := c.First(); k != nil && n > 0; k, _ = c.First() {
		if err := c.Delete(); err != nil {
			return err
		}
		n--
	}
	return nil
}

func (o *BoltOutbox) ack(ctx context.Context, n int) error {
	return o.db.Update(func(tx *bolt.Tx) error {
		return deleteFirst(boltBucket(tx, boltChained), n)
	})
}

func (o *BoltOutbox) depth(ctx context.Context) (d int, err error) {
	err = o.db.View(func(tx *bolt.Tx) error {
		d = seqDepth(boltBucket(tx, boltRaw)) + seqDepth(boltBucket(tx, boltChained))
		return nil
	})
	return d, err
}

// subtractLoss removes what was already reported (taken) from the current
// loss record; what remains was lost after the report was built.
func subtractLoss(cur, taken *Lost) *Lost {
	if cur == nil {
		return nil
	}
	cur.Count -= taken.Count
	for t, n := range taken.ByType {
		cur.ByType[t] -= n
		if cur.ByType[t] <= 0 {
			delete(cur.ByType, t)
		}
	}
	if cur.Count <= 0 {
		return nil
	}
	if cur.First.Before(taken.Last) {
		cur.First = taken.Last
	}
	return cur
}

func (o *BoltOutbox) bound() int { return o.opts.Max }

// lease: bbolt locks its file, so only one process has the outbox.
func (o *BoltOutbox) lease(ctx context.Context) error { return nil }
