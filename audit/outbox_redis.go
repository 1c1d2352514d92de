package audit

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisOutbox is the outbox of the Redis store backend. Unchained payloads
// live in a Redis list (ListKey) that the quarantine store's Lua scripts
// RPUSH onto atomically with their state change; Append pushes mail-path
// events in one script call per group commit. The chained list, the chain
// head and the loss record live next to it.
//
// All keys share the prefix and instance: "<prefix>audit:<instance>:…".
// In Redis Cluster, put a hash tag in the prefix that matches the keys the
// quarantine scripts touch, so one script can write both.
type RedisOutbox struct {
	rdb      redis.UniversalClient
	opts     OutboxOptions
	optsErr  error
	instance string
	kRaw     string
	kChained string
	kHead    string
	kLost    string
	kLease   string
	token    string // this process's publisher lease token
	c        *committer
	kickc    chan struct{}
}

// NewRedisOutbox returns the outbox of one gateway instance. instance must
// be unique among the gateways sharing the Redis: each instance has its
// own chain. Close it before closing rdb.
func NewRedisOutbox(rdb redis.UniversalClient, prefix, instance string, opts OutboxOptions) *RedisOutbox {
	opts, err := opts.withDefaults()
	base := prefix + "audit:" + instance + ":"
	o := &RedisOutbox{
		rdb: rdb, opts: opts, optsErr: err, instance: instance,
		kRaw: base + "raw", kChained: base + "chained", kHead: base + "head", kLost: base + "lost",
		kLease: base + "publisher", token: NewID(),
		kickc: make(chan struct{}, 1),
	}
	o.c = newCommitter(opts.MaxBatch, o.flush)
	return o
}

// ListKey is the Redis list of unchained events. A Lua script may RPUSH
// Marshal(ev) payloads onto it atomically with a state change; such pushes
// are not bounded by OutboxOptions.Max. Nothing but the publisher may
// remove from it.
func (o *RedisOutbox) ListKey() string { return o.kRaw }

// Close stops the group committer after pending Appends are written. It
// does not close the client.
func (o *RedisOutbox) Close() error {
	o.c.close()
	return nil
}

// Append stores events not tied to a store transaction. Concurrent calls
// share one script call (one round trip).
func (o *RedisOutbox) Append(ctx context.Context, evs ...Event) error {
	if o.optsErr != nil {
		return o.optsErr
	}
	if len(evs) == 0 {
		return nil
	}
	payloads, types, err := marshalAll(evs)
	if err != nil {
		return err
	}
	return o.c.submit(ctx, &appendReq{payloads: payloads, types: types})
}

func (o *RedisOutbox) queue() queue { return o }

func (o *RedisOutbox) kick() <-chan struct{} { return o.kickc }

// appendScript pushes each request's payloads unless the bound is reached;
// then it either counts the loss (drop) or refuses (reject). It returns
// one status per request: 1 stored, 0 dropped, -1 rejected.
var appendScript = redis.NewScript(`
local max = tonumber(ARGV[1])
local drop = ARGV[2] == '1'
local now = ARGV[3]
local depth = redis.call('LLEN', KEYS[1]) + redis.call('LLEN', KEYS[2])
local res = {}
local i = 4
while i <= #ARGV do
  local n = tonumber(ARGV[i])
  i = i + 1
  if max > 0 and depth + n > max then
    if drop then
      for j = 0, n - 1 do
        redis.call('HINCRBY', KEYS[3], 't:' .. ARGV[i + 2 * j], 1)
      end
      redis.call('HINCRBY', KEYS[3], 'n', n)
      redis.call('HSETNX', KEYS[3], 'first', now)
      redis.call('HSET', KEYS[3], 'last', now)
      res[#res + 1] = 0
    else
      res[#res + 1] = -1
    end
  else
    for j = 0, n - 1 do
      redis.call('RPUSH', KEYS[1], ARGV[i + 2 * j + 1])
    end
    depth = depth + n
    res[#res + 1] = 1
  end
  i = i + 2 * n
end
return res
`)

func (o *RedisOutbox) flush(reqs []*appendReq) error {
	drop := "0"
	if o.opts.Overflow == OverflowDrop {
		drop = "1"
	}
	args := []any{o.opts.Max, drop, time.Now().UTC().Format(time.RFC3339Nano)}
	for _, r := range reqs {
		args = append(args, len(r.payloads))
		for i := range r.payloads {
			args = append(args, r.types[i], r.payloads[i])
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	res, err := appendScript.Run(ctx, o.rdb, []string{o.kRaw, o.kChained, o.kLost}, args...).Int64Slice()
	if err != nil {
		return fmt.Errorf("audit: redis outbox append: %w", err)
	}
	if len(res) != len(reqs) {
		return fmt.Errorf("audit: redis outbox append: %d results for %d requests", len(res), len(reqs))
	}
	stored := false
	for i, r := range reqs {
		r.status = int(res[i])
		stored = stored || r.status == 1
	}
	if stored {
		select {
		case o.kickc <- struct{}{}:
		default:
		}
	}
	return nil
}

func (o *RedisOutbox) head(ctx context.Context) (uint64, string, error) {
	vals, err := o.rdb.HMGet(ctx, o.kHead, "seq", "hash").Result()
	if err != nil {
		return 0, "", fmt.Errorf("audit: redis chain head: %w", err)
	}
	var seq uint64
	var hash string
	if s, ok := vals[0].(string); ok {
		seq, _ = strconv.ParseUint(s, 10, 64)
	}
	if h, ok := vals[1].(string); ok {
		hash = h
	}
	return seq, hash, nil
}

func lrange(ctx context.Context, rdb redis.UniversalClient, key string, n int) ([][]byte, error) {
	vals, err := rdb.LRange(ctx, key, 0, int64(n)-1).Result()
	if err != nil {
		return nil, fmt.Errorf("audit: redis read %s: %w", key, err)
	}
	out := make([][]byte, len(vals))
	for i, v := range vals {
		out[i] = []byte(v)
	}
	return out, nil
}

func (o *RedisOutbox) raw(ctx context.Context, n int) ([][]byte, error) {
	return lrange(ctx, o.rdb, o.kRaw, n)
}

func (o *RedisOutbox) chained(ctx context.Context, n int) ([][]byte, error) {
	return lrange(ctx, o.rdb, o.kChained, n)
}

func (o *RedisOutbox) lost(ctx context.Context) (*Lost, error) {
	m, err := o.rdb.HGetAll(ctx, o.kLost).Result()
	if err != nil {
		return nil, fmt.Errorf("audit: redis loss record: %w", err)
	}
	n, _ := strconv.Atoi(m["n"])
	if n <= 0 {
		return nil, nil
	}
	l := &Lost{Count: n, ByType: map[string]int{}}
	l.First, _ = time.Parse(time.RFC3339Nano, m["first"])
	l.Last, _ = time.Parse(time.RFC3339Nano, m["last"])
	for k, v := range m {
		if t, ok := strings.CutPrefix(k, "t:"); ok {
			l.ByType[t], _ = strconv.Atoi(v)
		}
	}
	return l, nil
}

// chainScript moves nRaw entries from raw to chained (as their chained
// payloads), sets the head after checking it, and subtracts reported loss.
// KEYS: raw, chained, head, lost. ARGV: nAck, nRaw, prevSeq, headSeq,
// headHash, nLost, nTypes, type, count, …, payload, ….
var chainScript = redis.NewScript(`
local cur = redis.call('HGET', KEYS[3], 'seq') or '0'
if cur ~= ARGV[3] then
  return redis.error_reply('chain head moved: ' .. cur .. ' ~= ' .. ARGV[3])
end
local nAck = tonumber(ARGV[1])
if nAck > 0 then
  redis.call('LTRIM', KEYS[2], nAck, -1)
end
local nRaw = tonumber(ARGV[2])
if nRaw > 0 then
  redis.call('LTRIM', KEYS[1], nRaw, -1)
end
local nLost = tonumber(ARGV[6])
local nTypes = tonumber(ARGV[7])
local i = 8
if nLost > 0 then
  local left = redis.call('HINCRBY', KEYS[4], 'n', -nLost)
  for j = 1, nTypes do
    redis.call('HINCRBY', KEYS[4], 't:' .. ARGV[i], -tonumber(ARGV[i + 1]))
    i = i + 2
  end
  if left <= 0 then
    redis.call('DEL', KEYS[4])
  end
else
  i = i + 2 * nTypes
end
while i <= #ARGV do
  redis.call('RPUSH', KEYS[2], ARGV[i])
  i = i + 1
end
redis.call('HSET', KEYS[3], 'seq', ARGV[4], 'hash', ARGV[5])
return 1
`)

func (o *RedisOutbox) chain(ctx context.Context, nAck, nRaw int, prevSeq uint64, chained [][]byte, headSeq uint64, headHash string, taken *Lost) error {
	args := []any{nAck, nRaw, strconv.FormatUint(prevSeq, 10), strconv.FormatUint(headSeq, 10), headHash}
	if taken != nil {
		args = append(args, taken.Count, len(taken.ByType))
		for t, n := range taken.ByType {
			args = append(args, t, n)
		}
	} else {
		args = append(args, 0, 0)
	}
	for _, p := range chained {
		args = append(args, p)
	}
	err := chainScript.Run(ctx, o.rdb, []string{o.kRaw, o.kChained, o.kHead, o.kLost}, args...).Err()
	if err != nil {
		return fmt.Errorf("audit: redis chain: %w", err)
	}
	return nil
}

func (o *RedisOutbox) ack(ctx context.Context, n int) error {
	if err := o.rdb.LTrim(ctx, o.kChained, int64(n), -1).Err(); err != nil {
		return fmt.Errorf("audit: redis ack: %w", err)
	}
	return nil
}

func (o *RedisOutbox) depth(ctx context.Context) (int, error) {
	p := o.rdb.Pipeline()
	a := p.LLen(ctx, o.kRaw)
	b := p.LLen(ctx, o.kChained)
	if _, err := p.Exec(ctx); err != nil {
		return 0, fmt.Errorf("audit: redis depth: %w", err)
	}
	return int(a.Val() + b.Val()), nil
}

// leaseTTL is how long a publisher lease lasts without renewal.
const leaseTTL = time.Minute

var leaseScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if cur == false or cur == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
`)

// ErrPublisherElsewhere means another process publishes this instance's
// chain (two gateways configured with the same instance name).
var ErrPublisherElsewhere = errors.New("audit: another process publishes this instance's events (instance names must be unique)")

// lease takes or renews the publisher lease of this instance: two
// publishers of one chain would remove each other's unpublished events.
func (o *RedisOutbox) lease(ctx context.Context) error {
	ok, err := leaseScript.Run(ctx, o.rdb, []string{o.kLease}, o.token, leaseTTL.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("audit: redis publisher lease: %w", err)
	}
	if ok != 1 {
		return ErrPublisherElsewhere
	}
	return nil
}

var unleaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
end
return 1
`)

// unlease gives the lease up at an orderly stop, so a restarted gateway
// publishes at once (after a crash it waits up to leaseTTL).
func (o *RedisOutbox) unlease(ctx context.Context) error {
	return unleaseScript.Run(ctx, o.rdb, []string{o.kLease}, o.token).Err()
}

// keys lists every key the outbox uses (for tests and cleanup).
func (o *RedisOutbox) keys() []string {
	return []string{o.kRaw, o.kChained, o.kHead, o.kLost, o.kLease}
}

func (o *RedisOutbox) bound() int { return o.opts.Max }
