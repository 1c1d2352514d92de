package quarantine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okuri/okuri/audit"
)

// RedisOptions configure the Redis backend.
//
// Persistence: an acknowledged message must survive a Redis restart, so the
// server needs "appendonly yes" with "appendfsync always", or, on Redis 7.2
// and later, "appendonly yes" and WaitAOF (the store then waits with WAITAOF
// until the write is fsync'd before Put returns). "appendfsync everysec"
// can lose up to a second of acknowledged mail on a power failure. At open
// the store reads CONFIG GET appendonly/appendfsync and logs an error or,
// with RequireDurable, refuses to start.
//
// The backend needs a standalone Redis (or Sentinel); its Lua scripts touch
// index keys they compute, which Redis Cluster does not allow.
type RedisOptions struct {
	// Client to use; when nil the store connects to URL and closes the
	// connection on Close.
	Client redis.UniversalClient
	// URL like redis://[:password@]host:6379/0, used when Client is nil.
	URL string
	// Prefix of every key (default "okuri:q"), so a shared Redis is fine.
	Prefix string
	// RequireDurable refuses to open when the server's persistence could
	// lose acknowledged mail; otherwise that is logged as an error.
	RequireDurable bool
	// StartWhenDown opens the store even when Redis is unreachable: Put
	// then fails with ErrUnavailable (the gateway answers 451) until the
	// server is back and its persistence has been checked.
	StartWhenDown bool
	// WaitAOF makes Put wait until the write is in the local AOF (WAITAOF
	// 1 0, Redis ≥ 7.2) — durable with appendfsync everysec.
	WaitAOF bool
	// Outbox: see EmbeddedOptions.Outbox (*audit.RedisOutbox). Its ListKey
	// must be in the same Redis.
	Outbox RedisOutbox
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger; nil means slog.Default().
	Logger *slog.Logger
}

// Redis is the Redis backend: a hash per message (data = JSON record, ver,
// txt = search text), bodies as string keys, indexes as lexically sorted
// sets, and every change applied by one Lua script that compares the
// record's version, so concurrent instances never both win.
type Redis struct {
	core
	rdb     redis.UniversalClient
	ownRDB  bool
	p       string // prefix with trailing ':'
	outbox  RedisOutbox
	waitAOF bool
	log     *slog.Logger
	bufs    sync.Pool // *[]byte of bodyChunk bytes

	requireDurable bool
	cmu            sync.Mutex  // serializes the persistence check
	checked        atomic.Bool // persistence checked (and acceptable or warned)
}

var _ Store = (*Redis)(nil)

// OpenRedis connects, checks persistence, and returns the store.
func OpenRedis(ctx context.Context, opts RedisOptions) (*Redis, error) {
	r := &Redis{rdb: opts.Client, outbox: opts.Outbox, waitAOF: opts.WaitAOF, log: opts.Logger}
	r.core = core{b: r, now: opts.Now}
	if r.log == nil {
		r.log = slog.Default()
	}
	if opts.Prefix == "" {
		opts.Prefix = "okuri:q"
	}
	r.p = strings.TrimSuffix(opts.Prefix, ":") + ":"
	if r.rdb == nil {
		o, err := redis.ParseURL(opts.URL)
		if err != nil {
			return nil, fmt.Errorf("open redis store: %w", err)
		}
		r.rdb, r.ownRDB = redis.NewClient(o), true
	}
	r.requireDurable = opts.RequireDurable
	if err := r.rdb.Ping(ctx).Err(); err != nil {
		if !opts.StartWhenDown {
			r.Close()
			return nil, fmt.Errorf("open redis store: %w: %v", ErrUnavailable, err)
		}
		r.log.Error("quarantine: redis unreachable at start; storing fails (451) until it is back", "err", err)
	} else if err := r.ready(ctx); err != nil {
		r.Close()
		return nil, fmt.Errorf("open redis store: %w", err)
	}
	if r.outbox == nil {
		r.log.Warn("quarantine: no audit outbox configured, state changes are not audited")
	}
	return r, nil
}

// ready checks the server's persistence once per store; until that
// succeeded, Put fails with ErrUnavailable.
func (r *Redis) ready(ctx context.Context) error {
	if r.checked.Load() {
		return nil
	}
	r.cmu.Lock()
	defer r.cmu.Unlock()
	if r.checked.Load() {
		return nil
	}
	if err := r.checkPersistence(ctx, r.requireDurable); err != nil {
		if errors.Is(err, ErrUnavailable) {
			return err
		}
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	r.checked.Store(true)
	return nil
}

// checkPersistence reads the server's AOF settings.
func (r *Redis) checkPersistence(ctx context.Context, require bool) error {
	conf, err := r.rdb.ConfigGet(ctx, "append*").Result()
	if e := redisErr(err); errors.Is(e, ErrUnavailable) {
		return e
	}
	if err != nil {
		if require {
			return fmt.Errorf("cannot verify redis persistence (CONFIG GET failed: %v)", err)
		}
		r.log.Error("quarantine: cannot verify redis persistence; acknowledged mail may be lost on a redis restart", "err", err)
		return nil
	}
	if r.waitAOF {
		info, err := r.rdb.Info(ctx, "server").Result()
		if err != nil {
			return fmt.Errorf("WaitAOF: cannot read server version: %w", redisErr(err))
		}
		if v := infoField(info, "redis_version"); !versionAtLeast(v, 7, 2) {
			return fmt.Errorf("WaitAOF needs redis 7.2 or later, server is %q", v)
		}
	}
	aof, fsync := conf["appendonly"], conf["appendfsync"]
	ok := aof == "yes" && (fsync == "always" || r.waitAOF)
	if ok {
		return nil
	}
	if require {
		return fmt.Errorf("redis persistence appendonly=%q appendfsync=%q would lose acknowledged mail; need appendonly yes and appendfsync always (or WaitAOF)", aof, fsync)
	}
	r.log.Error("quarantine: REDIS PERSISTENCE WOULD LOSE ACKNOWLEDGED MAIL; set appendonly yes and appendfsync always",
		"appendonly", aof, "appendfsync", fsync)
	return nil
}

// Close closes the connection if the store opened it.
func (r *Redis) Close() error {
	if r.ownRDB {
		return r.rdb.Close()
	}
	return nil
}

// Client returns the Redis client, for sharing with the audit outbox.
func (r *Redis) Client() redis.UniversalClient { return r.rdb }

func (r *Redis) msgKey(id string) string  { return r.p + "m:" + id }
func (r *Redis) bodyKey(id string) string { return r.p + "b:" + id }
func (r *Redis) tmpKey(id string) string  { return r.p + "tmp:" + id }
func (r *Redis) setKey(set string) string { return r.p + "ix:" + set }
func (r *Redis) auditKey() string {
	if r.outbox != nil {
		return r.outbox.ListKey()
	}
	return r.p + "noaudit"
}

// redisErr maps Redis errors to the store's sentinels.
func redisErr(err error) error {
	if err == nil {
		return nil
	}
	s := err.Error()
	switch {
	case strings.Contains(s, "CONFLICT"):
		return errConflictVer
	case strings.Contains(s, "NOTFOUND"):
		return ErrNotFound
	case strings.Contains(s, "EXISTS"):
		return ErrExists
	case strings.HasPrefix(s, "OOM"):
		return fmt.Errorf("%w: %v", ErrStorageFull, err)
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, redis.ErrClosed) || strings.Contains(s, "connection refused") {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return err
}

// errConflictVer: the record changed between read and write; retried.
var errConflictVer = errors.New("version conflict")

const bodyChunk = 256 << 10

func (r *Redis) create(ctx context.Context, m *Message, body io.Reader, evs []audit.Event) (int64, error) {
	if err := r.ready(ctx); err != nil {
		return 0, err
	}
	// A body that fits in one chunk goes to the script inline; a larger
	// one is streamed into a temporary key that expires if we die before
	// the script renames it into place.
	tmp := r.tmpKey(m.ID)
	bp, _ := r.bufs.Get().(*[]byte)
	if bp == nil {
		b := make([]byte, bodyChunk)
		bp = &b
	}
	defer r.bufs.Put(bp)
	buf := *bp
	var n int64
	var inline []byte
	for first := true; ; first = false {
		k, err := io.ReadFull(body, buf)
		last := err == io.EOF || err == io.ErrUnexpectedEOF
		if err != nil && !last {
			r.rdb.Del(context.WithoutCancel(ctx), tmp)
			return 0, fmt.Errorf("read body: %w", err)
		}
		n += int64(k)
		if first && last {
			inline = buf[:k]
			break
		}
		if k > 0 {
			pipe := r.rdb.Pipeline()
			pipe.Append(ctx, tmp, string(buf[:k]))
			pipe.Expire(ctx, tmp, time.Hour)
			if _, err := pipe.Exec(ctx); err != nil {
				r.rdb.Del(context.WithoutCancel(ctx), tmp)
				return 0, redisErr(err)
			}
		}
		if last {
			break
		}
	}
	m.Size = n
	_, add := diffIndex(nil, m)
	if err := r.commit(ctx, "create", m, "", nil, add, &effects{events: evs, body: inline}); err != nil {
		r.rdb.Del(context.WithoutCancel(ctx), tmp)
		return 0, err
	}
	if r.waitAOF {
		// The record exists now; failing here makes the gateway answer 451
		// and the client retry, which can store the message twice but
		// never acknowledges one that is not on disk.
		res, err := r.rdb.Do(ctx, "WAITAOF", 1, 0, 5000).Int64Slice()
		if err != nil {
			return 0, fmt.Errorf("waitaof: %w", redisErr(err))
		}
		if len(res) < 1 || res[0] < 1 {
			return 0, fmt.Errorf("waitaof: write not fsync'd to the local AOF: %w", ErrUnavailable)
		}
	}
	return n, nil
}

// infoField returns a field of an INFO reply.
func infoField(info, name string) string {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+":"); ok {
			return v
		}
	}
	return ""
}

// versionAtLeast reports whether a "major.minor.patch" version is at
// least major.minor.
func versionAtLeast(v string, major, minor int) bool {
	var a, b int
	if _, err := fmt.Sscanf(v, "%d.%d", &a, &b); err != nil {
		return false
	}
	return a > major || (a == major && b >= minor)
}
