package quarantine

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"go.etcd.io/bbolt"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/internal/testenv"
)

// everyone is the scope of the security team: every message.
var everyone = Scope{All: true}

// fakeClock is the injected clock of tests: time moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// testStore is a store under test with a way to read back the audit events
// it wrote atomically with its changes.
type testStore struct {
	Store
	events func() []audit.Event
}

func quietLog() *slog.Logger { return slog.New(slog.DiscardHandler) }

// openEmbeddedT opens an embedded store in a temp dir, with the real audit
// bbolt outbox sharing its DB. dir may be given to reopen.
func openEmbeddedT(t testing.TB, clock *fakeClock, dir string, noSync bool) (*Embedded, *testStore) {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	db, err := bbolt.Open(filepath.Join(dir, "okuri.db"), 0o600, &bbolt.Options{Timeout: time.Second, NoSync: noSync})
	if err != nil {
		t.Fatal(err)
	}
	ob, err := audit.NewBoltOutbox(db, audit.OutboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var now func() time.Time
	if clock != nil {
		now = clock.Now
	}
	e, err := OpenEmbedded(EmbeddedOptions{Dir: dir, DB: db, Outbox: ob, Now: now, NoSync: noSync, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		e.Close()
		ob.Close()
		db.Close()
	})
	events := func() []audit.Event {
		var l []audit.Event
		db.View(func(tx *bbolt.Tx) error {
			raw := tx.Bucket([]byte("okuri_audit_outbox")).Bucket([]byte("raw"))
			return raw.ForEach(func(k, v []byte) error {
				ev, err := audit.Unmarshal(v)
				if err != nil {
					t.Errorf("audit payload: %v", err)
				}
				l = append(l, ev)
				return nil
			})
		})
		return l
	}
	return e, &testStore{e, events}
}

// openRedisT opens a Redis store under a unique prefix on the test Redis,
// with the real audit Redis outbox, and deletes its keys when t ends.
func openRedisT(t testing.TB, clock *fakeClock, prefix string) (*Redis, *testStore) {
	t.Helper()
	addr := testenv.RedisAddr(t)
	if prefix == "" {
		prefix = testenv.UniqueName(t, "q")
	}
	rdb := redis.NewClient(&redis.Options{Addr: addr, PoolSize: 16})
	ob := audit.NewRedisOutbox(rdb, prefix+":", "test", audit.OutboxOptions{})
	var now func() time.Time
	if clock != nil {
		now = clock.Now
	}
	r, err := OpenRedis(context.Background(), RedisOptions{Client: rdb, Prefix: prefix, Outbox: ob, Now: now, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.deleteAll(context.Background()); err != nil {
			t.Errorf("cleanup redis keys: %v", err)
		}
		ob.Close()
		rdb.Close()
	})
	events := func() []audit.Event {
		vals, err := rdb.LRange(context.Background(), ob.ListKey(), 0, -1).Result()
		if err != nil {
			t.Fatal(err)
		}
		var l []audit.Event
		for _, v := range vals {
			ev, err := audit.Unmarshal([]byte(v))
			if err != nil {
				t.Errorf("audit payload: %v", err)
			}
			l = append(l, ev)
		}
		return l
	}
	return r, &testStore{r, events}
}

// readAll reads a stored body.
func readBody(t testing.TB, s Store, id string) string {
	t.Helper()
	rc, err := s.Open(context.Background(), id)
	if err != nil {
		t.Fatalf("open %s: %v", id, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	return string(b)
}
