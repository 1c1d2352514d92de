package quarantine

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okuri/okuri/audit"
)

// commitScript applies one change atomically.
//
// KEYS: 1 message hash, 2 body, 3 temp body, 4 audit list, 5 known-first
// hash, 6 known-last hash.
// ARGV: 1 mode (create|update|delete), 2 expected version, 3 new version,
// 4 data, 5 search text, 6 index key prefix, 7 purge body (0|1), 8 inline
// body (create without a temp key), then
// counted lists: removed (set, member) pairs, added pairs, audit payloads,
// known keys followed by the timestamp.
var commitScript = redis.NewScript(`
local mode = ARGV[1]
if mode == 'create' then
  if redis.call('EXISTS', KEYS[1]) == 1 then return redis.error_reply('EXISTS') end
  if redis.call('EXISTS', KEYS[3]) == 1 then
    redis.call('RENAME', KEYS[3], KEYS[2])
    redis.call('PERSIST', KEYS[2])
  else
    redis.call('SET', KEYS[2], ARGV[8])
  end
else
  local v = redis.call('HGET', KEYS[1], 'ver')
  if not v then return redis.error_reply('NOTFOUND') end
  if v ~= ARGV[2] then return redis.error_reply('CONFLICT') end
end
local i = 9
local n = tonumber(ARGV[i]); i = i + 1
for j = 1, n do redis.call('ZREM', ARGV[6] .. ARGV[i], ARGV[i+1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for j = 1, n do redis.call('ZADD', ARGV[6] .. ARGV[i], 0, ARGV[i+1]); i = i + 2 end
n = tonumber(ARGV[i]); i = i + 1
for j = 1, n do redis.call('RPUSH', KEYS[4], ARGV[i]); i = i + 1 end
n = tonumber(ARGV[i]); i = i + 1
local ts = ARGV[i + n]
for j = 1, n do
  redis.call('HSETNX', KEYS[5], ARGV[i], ts)
  redis.call('HSET', KEYS[6], ARGV[i], ts)
  i = i + 1
end
if ARGV[7] == '1' then redis.call('DEL', KEYS[2]) end
if mode == 'delete' then
  redis.call('DEL', KEYS[1], KEYS[2])
else
  redis.call('HSET', KEYS[1], 'data', ARGV[4], 'txt', ARGV[5], 'ver', ARGV[3])
end
return 1
`)

// commit runs commitScript for m.
func (r *Redis) commit(ctx context.Context, mode string, m *Message, oldVer string, rem, add []ixEntry, eff *effects) error {
	keys, args, err := r.commitArgs(mode, m, oldVer, rem, add, eff)
	if err != nil {
		return err
	}
	return redisErr(commitScript.Run(ctx, r.rdb, keys, args...).Err())
}

// commitArgs returns the keys and arguments of commitScript for a change.
func (r *Redis) commitArgs(mode string, m *Message, oldVer string, rem, add []ixEntry, eff *effects) ([]string, []any, error) {
	data, err := json.Marshal(m)
	if err != nil {
		return nil, nil, err
	}
	purge := "0"
	if eff.purgeBody {
		purge = "1"
	}
	args := []any{mode, oldVer, strconv.FormatInt(m.Version, 10), data, m.searchText(), r.p + "ix:", purge, eff.body}
	args = append(args, len(rem))
	for _, x := range rem {
		args = append(args, x.set, x.member)
	}
	args = append(args, len(add))
	for _, x := range add {
		args = append(args, x.set, x.member)
	}
	var payloads []any
	if r.outbox != nil {
		for _, ev := range eff.events {
			b, err := audit.Marshal(ev)
			if err != nil {
				return nil, nil, fmt.Errorf("audit marshal: %w", err)
			}
			payloads = append(payloads, b)
		}
	}
	args = append(args, len(payloads))
	args = append(args, payloads...)
	keys := knownKeys(eff.known)
	args = append(args, len(keys))
	for _, k := range keys {
		args = append(args, k)
	}
	ts := r.clock()
	if len(eff.events) > 0 {
		ts = eff.events[0].Time
	}
	args = append(args, strconv.FormatInt(ts.UnixNano(), 10))
	kk := []string{r.msgKey(m.ID), r.bodyKey(m.ID), r.tmpKey(m.ID), r.auditKey(), r.p + "known:first", r.p + "known:last"}
	return kk, args, nil
}

func decodeMsg(data string) (*Message, error) {
	var m Message
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		return nil, fmt.Errorf("decode record: %w", err)
	}
	return &m, nil
}

func (r *Redis) load(ctx context.Context, id string) (*Message, error) {
	data, err := r.rdb.HGet(ctx, r.msgKey(id), "data").Result()
	if err == redis.Nil {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, redisErr(err)
	}
	return decodeMsg(data)
}

func (r *Redis) loadMany(ctx context.Context, ids []string) ([]*Message, error) {
	pipe := r.rdb.Pipeline()
	cmds := make([]*redis.StringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HGet(ctx, r.msgKey(id), "data")
	}
	if _, err := pipe.Exec(ctx); err != nil && err != redis.Nil {
		return nil, redisErr(err)
	}
	l := make([]*Message, 0, len(ids))
	for _, c := range cmds {
		data, err := c.Result()
		if err == redis.Nil {
			continue
		} else if err != nil {
			return nil, redisErr(err)
		}
		m, err := decodeMsg(data)
		if err != nil {
			return nil, err
		}
		l = append(l, m)
	}
	return l, nil
}

func (r *Redis) update(ctx context.Context, id string, fn func(m *Message) (*effects, error)) (*Message, error) {
	for try := 0; try < 20; try++ {
		old, err := r.load(ctx, id)
		if err != nil {
			return nil, err
		}
		m := old.clone()
		eff, err := fn(m)
		if err != nil {
			return nil, err
		}
		m.Version = old.Version + 1
		mode := "update"
		var rem, add []ixEntry
		if eff.delete {
			mode = "delete"
			rem, _ = diffIndex(old, nil)
		} else {
			rem, add = diffIndex(old, m)
		}
		err = r.commit(ctx, mode, m, strconv.FormatInt(old.Version, 10), rem, add, eff)
		if errors.Is(err, errConflictVer) {
			continue // changed under us: re-read and re-apply
		}
		if err != nil {
			return nil, err
		}
		return m, nil
	}
	return nil, fmt.Errorf("%w: too much contention", ErrConflict)
}

func (r *Redis) scanRev(ctx context.Context, set, hi, lo string, batch int, fn func([]string) (bool, error)) error {
	for {
		start, stop := "+", "-"
		if hi != "" {
			start = "(" + hi
		}
		if lo != "" {
			stop = "[" + lo
		}
		members, err := r.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{
			Key: r.setKey(set), Start: start, Stop: stop, ByLex: true, Rev: true, Count: int64(batch),
		}).Result()
		if err != nil {
			return redisErr(err)
		}
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

// textScanScript scans up to ARGV[3] members of the sorted set KEYS[1]
// between ARGV[1] and ARGV[2] (BYLEX REV) and returns the last member
// scanned, the number scanned, then the ids whose search text contains
// ARGV[4]. One call blocks the server for one short batch only.
var textScanScript = redis.NewScript(`
local ids = redis.call('ZRANGE', KEYS[1], ARGV[1], ARGV[2], 'BYLEX', 'REV', 'LIMIT', 0, tonumber(ARGV[3]))
local out = {ids[#ids] or '', tostring(#ids)}
for _, id in ipairs(ids) do
  local t = redis.call('HGET', ARGV[5] .. id, 'txt')
  if t and string.find(t, ARGV[4], 1, true) then out[#out + 1] = id end
end
return out
`)

func (r *Redis) textScan(ctx context.Context, set, hi, lo, text string, batch int, fn func([]string) (bool, error)) error {
	for {
		start, stop := "+", "-"
		if hi != "" {
			start = "(" + hi
		}
		if lo != "" {
			stop = "[" + lo
		}
		out, err := textScanScript.Run(ctx, r.rdb, []string{r.setKey(set)}, start, stop, batch, text, r.p+"m:").StringSlice()
		if err != nil {
			return redisErr(err)
		}
		if len(out) < 2 {
			return fmt.Errorf("text scan: short reply")
		}
		scanned, _ := strconv.Atoi(out[1])
		if len(out) > 2 {
			more, err := fn(out[2:])
			if err != nil || !more {
				return err
			}
		}
		if scanned < batch {
			return nil
		}
		hi = out[0]
	}
}

func (r *Redis) scanAsc(ctx context.Context, set, hi string, limit int) ([]string, error) {
	l, err := r.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{
		Key: r.setKey(set), Start: "-", Stop: "[" + hi, ByLex: true, Count: int64(limit),
	}).Result()
	return l, redisErr(err)
}

func (r *Redis) first(ctx context.Context, set string) (string, bool, error) {
	l, err := r.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: r.setKey(set), Start: "-", Stop: "+", ByLex: true, Count: 1}).Result()
	if err != nil || len(l) == 0 {
		return "", false, redisErr(err)
	}
	return l[0], true, nil
}

func (r *Redis) counts(ctx context.Context) (map[State]int, error) {
	pipe := r.rdb.Pipeline()
	cmds := make([]*redis.IntCmd, len(States))
	for i, s := range States {
		cmds[i] = pipe.ZCard(ctx, r.setKey(ixState+string(s)))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, redisErr(err)
	}
	n := map[State]int{}
	for i, c := range cmds {
		if v := c.Val(); v > 0 {
			n[States[i]] = int(v)
		}
	}
	return n, nil
}

func (r *Redis) openBody(ctx context.Context, id string) (io.ReadCloser, error) {
	m, err := r.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if m.Purged {
		return nil, ErrPurged
	}
	return &redisBodyReader{ctx: ctx, r: r, key: r.bodyKey(id), size: m.Size}, nil
}

// redisBodyReader reads a body in chunks with GETRANGE, so a large message
// is never one allocation.
type redisBodyReader struct {
	ctx  context.Context
	r    *Redis
	key  string
	off  int64
	size int64
	buf  []byte
}

func (b *redisBodyReader) Read(p []byte) (int, error) {
	if len(b.buf) == 0 {
		if b.off >= b.size {
			return 0, io.EOF
		}
		s, err := b.r.rdb.GetRange(b.ctx, b.key, b.off, b.off+bodyChunk-1).Result()
		if err != nil {
			return 0, redisErr(err)
		}
		if s == "" {
			return 0, ErrPurged
		}
		b.buf = []byte(s)
		b.off += int64(len(s))
	}
	n := copy(p, b.buf)
	b.buf = b.buf[n:]
	return n, nil
}

func (b *redisBodyReader) Close() error { return nil }

func (r *Redis) known(ctx context.Context, key string) (KnownRecipient, bool, error) {
	pipe := r.rdb.Pipeline()
	f := pipe.HGet(ctx, r.p+"known:first", key)
	l := pipe.HGet(ctx, r.p+"known:last", key)
	if _, err := pipe.Exec(ctx); err == redis.Nil {
		return KnownRecipient{}, false, nil
	} else if err != nil {
		return KnownRecipient{}, false, redisErr(err)
	}
	fi, _ := strconv.ParseInt(f.Val(), 10, 64)
	li, _ := strconv.ParseInt(l.Val(), 10, 64)
	return KnownRecipient{First: time.Unix(0, fi), Last: time.Unix(0, li)}, true, nil
}

func (r *Redis) noteKnown(ctx context.Context, keys []string, when time.Time) error {
	ts := strconv.FormatInt(when.UnixNano(), 10)
	_, err := r.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for _, k := range keys {
			p.HSetNX(ctx, r.p+"known:first", k, ts)
			p.HSet(ctx, r.p+"known:last", k, ts)
		}
		return nil
	})
	return redisErr(err)
}

func (r *Redis) sessKey(k string) string { return r.p + "sess:" + k }

// Sessions carry their expiry by the store's clock in the value (like the
// embedded backend); Redis's own TTL, a minute later, collects them.
func (r *Redis) sessionPut(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	exp := r.clock().Add(ttl).UnixNano()
	v := append(binary.BigEndian.AppendUint64(nil, uint64(exp)), value...)
	return redisErr(r.rdb.Set(ctx, r.sessKey(key), v, ttl+time.Minute).Err())
}

func (r *Redis) sessionGet(ctx context.Context, key string) ([]byte, error) {
	v, err := r.rdb.Get(ctx, r.sessKey(key)).Bytes()
	if err == redis.Nil {
		return nil, ErrNotFound
	} else if err != nil {
		return nil, redisErr(err)
	}
	if len(v) < 8 || int64(binary.BigEndian.Uint64(v[:8])) <= r.clock().UnixNano() {
		return nil, ErrNotFound
	}
	return v[8:], nil
}

func (r *Redis) sessionDelete(ctx context.Context, key string) error {
	return redisErr(r.rdb.Del(ctx, r.sessKey(key), r.sessKey(counterKey(key))).Err())
}

// deleteAll removes every key under the store's prefix (tests only).
func (r *Redis) deleteAll(ctx context.Context) error {
	iter := r.rdb.Scan(ctx, 0, r.p+"*", 1000).Iterator()
	var batch []string
	for iter.Next(ctx) {
		batch = append(batch, iter.Val())
		if len(batch) == 500 {
			if err := r.rdb.Unlink(ctx, batch...).Err(); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	if len(batch) > 0 {
		r.rdb.Unlink(ctx, batch...)
	}
	return iter.Err()
}
