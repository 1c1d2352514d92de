package quarantine

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"go.etcd.io/bbolt"

	"github.com/okuri/okuri/audit"
)

// EmbeddedOptions configure the embedded backend.
type EmbeddedOptions struct {
	// Dir holds the database (quarantine.db, unless DB is set) and the
	// spool of message bodies (spool/msg, spool/tmp). Required.
	Dir string
	// DB is an open bbolt database to share (e.g. with the audit outbox);
	// when nil the store opens Dir/quarantine.db and closes it on Close.
	DB *bbolt.DB
	// NoSync skips the fsyncs of bodies and the spool directory, and of
	// the database when the store opens it (a shared DB keeps its own
	// setting). Only for tests and benchmarks: with it an acknowledged
	// message can be lost on power failure.
	NoSync bool
	// InlineMax is the largest body kept in the database rather than in a
	// file of its own (default DefaultInlineMax; negative: always a file).
	// Inline bodies save a file create, an fsync and a directory fsync
	// per message; the database file grows by what they take and reuses
	// the space of purged ones (it does not shrink).
	InlineMax int
	// Outbox (*audit.BoltOutbox on DB) writes the audit events of each
	// change in the store's transaction. Nil drops the events (tests only; logged at open).
	Outbox BoltOutbox
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultInlineMax is the default EmbeddedOptions.InlineMax: most office
// mail, with a small attachment, fits.
const DefaultInlineMax = 256 << 10

// Bucket names, prefixed because the DB may be shared.
var (
	bkMsg   = []byte("quarantine.msg")   // id → JSON Message
	bkIx    = []byte("quarantine.ix")    // set 0x00 member → nil
	bkCnt   = []byte("quarantine.cnt")   // state → uint64 count
	bkKnown = []byte("quarantine.known") // "a:addr"/"d:domain" → first, last (unix ns)
	bkSess  = []byte("quarantine.sess")  // key → expiry (unix ns) + value
	bkText  = []byte("quarantine.txt")   // id → search text (lower-cased subject and addresses)
	bkBody  = []byte("quarantine.body")  // id → body, for bodies up to InlineMax
)

// Embedded is the bbolt + spool directory backend. A body up to
// InlineMax bytes is stored in the database, in the transaction of its
// record: one group commit makes both durable. A larger body is a file
// written temp → fsync → link into spool/msg → fsync dir (once per group
// commit) → commit the record; removal commits the record first and then
// removes the file, and the recovery pass at open removes bodies without a
// live record. So a crash at any point leaves neither a record without
// its body nor a body that is never removed.
type Embedded struct {
	core
	db      *bbolt.DB
	ownDB   bool
	msgDir  string
	tmpDir  string
	noSync  bool
	inline  int // largest body kept in bkBody; <= 0: none
	outbox  BoltOutbox
	log     *slog.Logger
	newTemp func(dir string) (spoolFile, error) // replaced by tests to simulate a full disk

	gmu        sync.Mutex // guards pending and committing (group commit)
	pending    []*commitReq
	committing bool
}

// spoolFile is the part of *os.File the spool writes to.
type spoolFile interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

var _ Store = (*Embedded)(nil)

// OpenEmbedded opens (creating if needed) the embedded store and runs the
// recovery pass.
func OpenEmbedded(opts EmbeddedOptions) (*Embedded, error) {
	if opts.Dir == "" {
		return nil, errors.New("open embedded store: Dir is required")
	}
	e := &Embedded{
		msgDir: filepath.Join(opts.Dir, "spool", "msg"),
		tmpDir: filepath.Join(opts.Dir, "spool", "tmp"),
		noSync: opts.NoSync,
		outbox: opts.Outbox,
		inline: opts.InlineMax,
		log:    opts.Logger,
		newTemp: func(dir string) (spoolFile, error) {
			return os.CreateTemp(dir, "body-*")
		},
	}
	if e.inline == 0 {
		e.inline = DefaultInlineMax
	}
	e.core = core{b: e, now: opts.Now}
	if e.log == nil {
		e.log = slog.Default()
	}
	for _, d := range []string{e.msgDir, e.tmpDir} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("open embedded store: %w", err)
		}
	}
	e.db = opts.DB
	if e.db == nil {
		db, err := bbolt.Open(filepath.Join(opts.Dir, "quarantine.db"), 0o600, &bbolt.Options{Timeout: 5 * time.Second, NoSync: opts.NoSync})
		if err != nil {
			return nil, fmt.Errorf("open embedded store: %w", err)
		}
		e.db, e.ownDB = db, true
	}
	err := e.db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bkMsg, bkIx, bkCnt, bkKnown, bkSess, bkText, bkBody} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("open embedded store: %w", err)
	}
	if e.outbox == nil {
		e.log.Warn("quarantine: no audit outbox configured, state changes are not audited")
	}
	if err := e.recover(); err != nil {
		e.Close()
		return nil, fmt.Errorf("open embedded store: recovery: %w", err)
	}
	return e, nil
}

// DB returns the bbolt database, for sharing with the audit outbox.
func (e *Embedded) DB() *bbolt.DB { return e.db }

// Close closes the database if the store opened it.
func (e *Embedded) Close() error {
	if e.ownDB && e.db != nil {
		return e.db.Close()
	}
	return nil
}

// recover removes temp files and bodies without a live record (left by a
// crash between writing a body and committing its record, or between
// committing a purge and removing the file), and logs records whose body
// is missing, which the write order should make impossible.
func (e *Embedded) recover() error {
	tmps, err := os.ReadDir(e.tmpDir)
	if err != nil {
		return err
	}
	for _, t := range tmps {
		os.Remove(filepath.Join(e.tmpDir, t.Name()))
	}
	files, err := os.ReadDir(e.msgDir)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	var orphans []string
	err = e.db.View(func(tx *bbolt.Tx) error {
		b := tx.Bucket(bkMsg)
		for _, f := range files {
			v := b.Get([]byte(f.Name()))
			var m Message
			if v == nil || json.Unmarshal(v, &m) != nil || m.Purged {
				orphans = append(orphans, f.Name())
				continue
			}
			have[f.Name()] = true
		}
		dangling := 0
		inline := tx.Bucket(bkBody)
		b.ForEach(func(k, v []byte) error {
			if !have[string(k)] && inline.Get(k) == nil {
				var m Message
				if json.Unmarshal(v, &m) == nil && !m.Purged {
					dangling++
				}
			}
			return nil
		})
		if dangling > 0 {
			e.log.Error("quarantine: records without body found at start", "count", dangling)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, name := range orphans {
		if err := os.Remove(filepath.Join(e.msgDir, name)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	if len(orphans) > 0 {
		e.log.Info("quarantine: removed orphan bodies at start", "count", len(orphans))
		return e.syncDir(e.msgDir)
	}
	return nil
}

// storageErr maps out-of-space errors to ErrStorageFull.
func storageErr(err error) error {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return fmt.Errorf("%w: %v", ErrStorageFull, err)
	}
	return err
}

func (e *Embedded) syncDir(dir string) error {
	if e.noSync {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

func (e *Embedded) bodyPath(id string) string { return filepath.Join(e.msgDir, id) }

// writeBody writes body to a temp file, syncs it and links it to its final
// name (failing with ErrExists if the id has a body). The directory entry
// is made durable by the group commit that stores the record
// (groupCreate).
func (e *Embedded) writeBody(id string, body io.Reader) (int64, error) {
	f, err := e.newTemp(e.tmpDir)
	if err != nil {
		return 0, storageErr(err)
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	n, err := io.Copy(f, body)
	if err == nil && !e.noSync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, storageErr(fmt.Errorf("write body: %w", err))
	}
	if err := os.Link(tmp, e.bodyPath(id)); err != nil {
		if os.IsExist(err) {
			return 0, ErrExists
		}
		return 0, storageErr(err)
	}
	return n, nil
}

func (e *Embedded) create(ctx context.Context, m *Message, body io.Reader, evs []audit.Event) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	head, body, err := e.inlineBody(body)
	if err != nil {
		return 0, err
	}
	inline := body == nil
	n := int64(len(head))
	if !inline {
		if n, err = e.writeBody(m.ID, body); err != nil {
			return 0, err
		}
	}
	m.Size = n
	data, err := json.Marshal(m)
	if err != nil {
		if !inline {
			os.Remove(e.bodyPath(m.ID))
		}
		return 0, err
	}
	put := func(tx *bbolt.Tx) error {
		b := tx.Bucket(bkMsg)
		if b.Get([]byte(m.ID)) != nil {
			return ErrExists
		}
		if err := b.Put([]byte(m.ID), data); err != nil {
			return err
		}
		if inline {
			if err := tx.Bucket(bkBody).Put([]byte(m.ID), head); err != nil {
				return err
			}
		}
		if err := tx.Bucket(bkText).Put([]byte(m.ID), []byte(m.searchText())); err != nil {
			return err
		}
		_, add := diffIndex(nil, m)
		return e.writeEffects(tx, nil, add, &effects{events: evs}, m.ID)
	}
	if inline {
		err = e.groupUpdate(put)
	} else {
		err = e.groupCreate(put)
	}
	if err != nil {
		if !inline && !errors.Is(err, ErrExists) {
			os.Remove(e.bodyPath(m.ID)) // if this fails too, recovery removes it
		}
		return 0, storageErr(err)
	}
	return n, nil
}

// inlineBody returns the whole body when it fits inline (rest nil), or the
// reader of the whole body for a file. A reader that knows its size (the
// gateway's spool) is read once into an exact buffer, or not at all when
// too large; any other is read up to one byte past InlineMax.
func (e *Embedded) inlineBody(body io.Reader) (head []byte, rest io.Reader, err error) {
	if e.inline <= 0 {
		return nil, body, nil
	}
	if s, ok := body.(interface{ Size() int64 }); ok {
		if s.Size() > int64(e.inline) {
			return nil, body, nil
		}
		head = make([]byte, s.Size())
		if _, err := io.ReadFull(body, head); err != nil {
			return nil, nil, fmt.Errorf("read body: %w", err)
		}
		return head, nil, nil
	}
	head, err = io.ReadAll(io.LimitReader(body, int64(e.inline)+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read body: %w", err)
	}
	if len(head) <= e.inline {
		return head, nil, nil
	}
	return nil, io.MultiReader(bytes.NewReader(head), body), nil
}

// writeEffects applies index changes, counts, known recipients and audit
// events inside tx.
func (e *Embedded) writeEffects(tx *bbolt.Tx, rem, add []ixEntry, eff *effects, id string) error {
	ix, cnt := tx.Bucket(bkIx), tx.Bucket(bkCnt)
	adjust := func(set string, d int64) error {
		if len(set) <= len(ixState) || set[:len(ixState)] != ixState {
			return nil
		}
		k := []byte(set[len(ixState):])
		var n int64
		if v := cnt.Get(k); len(v) == 8 {
			n = int64(binary.BigEndian.Uint64(v))
		}
		return cnt.Put(k, binary.BigEndian.AppendUint64(nil, uint64(max(n+d, 0))))
	}
	for _, x := range rem {
		if err := ix.Delete(ixKey(x.set, x.member)); err != nil {
			return err
		}
		if err := adjust(x.set, -1); err != nil {
			return err
		}
	}
	for _, x := range add {
		if err := ix.Put(ixKey(x.set, x.member), nil); err != nil {
			return err
		}
		if err := adjust(x.set, 1); err != nil {
			return err
		}
	}
	if len(eff.known) > 0 {
		when := e.clock()
		if len(eff.events) > 0 {
			when = eff.events[0].Time
		}
		if err := putKnown(tx, knownKeys(eff.known), when); err != nil {
			return err
		}
	}
	if len(eff.events) > 0 && e.outbox != nil {
		if err := e.outbox.AppendTx(tx, eff.events...); err != nil {
			return fmt.Errorf("audit outbox: %w", err)
		}
	}
	return nil
}

func ixKey(set, member string) []byte {
	k := make([]byte, 0, len(set)+1+len(member))
	k = append(k, set...)
	k = append(k, 0)
	return append(k, member...)
}

// putKnown records a delivery at when for each known-recipient key.
func putKnown(tx *bbolt.Tx, keys []string, when time.Time) error {
	kb := tx.Bucket(bkKnown)
	now := when.UnixNano()
	for _, k := range keys {
		first := now
		if v := kb.Get([]byte(k)); len(v) == 16 {
			first = min(int64(binary.BigEndian.Uint64(v)), now)
		}
		v := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, uint64(first)), uint64(now))
		if err := kb.Put([]byte(k), v); err != nil {
			return err
		}
	}
	return nil
}

func (e *Embedded) noteKnown(ctx context.Context, keys []string, when time.Time) error {
	return storageErr(e.groupUpdate(func(tx *bbolt.Tx) error { return putKnown(tx, keys, when) }))
}

// InlineBodies returns how many bodies are stored in the database rather
// than in spool/msg (for consistency checks: every live record has
// exactly one body, inline or a file).
func (e *Embedded) InlineBodies() (n int, err error) {
	err = e.db.View(func(tx *bbolt.Tx) error {
		n = tx.Bucket(bkBody).Stats().KeyN
		return nil
	})
	return n, err
}
