package quarantine

import (
	"context"
	"encoding/binary"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// swapScript: KEYS[1] value key; ARGV[1] "1" when an old value is
// expected, ARGV[2] the old value, ARGV[3] the new entry (expiry prefix +
// value). The expiry prefix of the current entry is skipped in the
// comparison; swapped values never expire.
var swapScript = redis.NewScript(`
local cur = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if not cur or string.sub(cur, 9) ~= ARGV[2] then return 0 end
elseif cur then
  return 0
end
redis.call('SET', KEYS[1], ARGV[3])
return 1
`)

// addScript: KEYS[1] counter hash; ARGV[1] delta, ARGV[2] now (unix ms),
// ARGV[3] expiry of a new counter (unix ms), ARGV[4] Redis TTL (ms) of a
// new counter. Expiry follows the store's clock (tests use a fake one);
// the Redis TTL only cleans up.
var addScript = redis.NewScript(`
local exp = tonumber(redis.call('HGET', KEYS[1], 'exp') or '0')
if exp <= tonumber(ARGV[2]) then
  redis.call('DEL', KEYS[1])
  redis.call('HSET', KEYS[1], 'exp', ARGV[3])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
end
return redis.call('HINCRBY', KEYS[1], 'n', ARGV[1])
`)

func (r *Redis) sessionSwap(ctx context.Context, key string, old, new []byte) (bool, error) {
	want := "0"
	if old != nil {
		want = "1"
	}
	entry := append(binary.BigEndian.AppendUint64(nil, uint64(noExpiry)), new...)
	n, err := swapScript.Run(ctx, r.rdb, []string{r.sessKey(key)}, want, old, entry).Int()
	if err != nil {
		return false, redisErr(err)
	}
	return n == 1, nil
}

func (r *Redis) sessionAdd(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	now := r.clock()
	n, err := addScript.Run(ctx, r.rdb, []string{r.sessKey(counterKey(key))}, delta,
		strconv.FormatInt(now.UnixMilli(), 10), strconv.FormatInt(now.Add(ttl).UnixMilli(), 10),
		strconv.FormatInt((ttl+time.Minute).Milliseconds(), 10)).Int64()
	if err != nil {
		return 0, redisErr(err)
	}
	return n, nil
}
