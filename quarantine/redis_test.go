package quarantine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okuri/okuri/internal/testenv"
)

func TestRedisPersistenceCheck(t *testing.T) {
	addr := testenv.RedisAddr(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	conf, err := rdb.ConfigGet(ctx, "append*").Result()
	if err != nil {
		t.Skipf("CONFIG GET not allowed: %v", err)
	}
	durable := conf["appendonly"] == "yes" && conf["appendfsync"] == "always"
	prefix := testenv.UniqueName(t, "q")
	r, err := OpenRedis(ctx, RedisOptions{Client: rdb, Prefix: prefix, RequireDurable: true, Logger: quietLog()})
	if durable && err != nil {
		t.Fatalf("durable server refused: %v", err)
	}
	if !durable && (err == nil || !strings.Contains(err.Error(), "appendfsync")) {
		t.Fatalf("server with appendonly=%s appendfsync=%s accepted with RequireDurable: %v", conf["appendonly"], conf["appendfsync"], err)
	}
	if r != nil {
		r.Close()
	}
	// Without RequireDurable it opens (and logs an error).
	r, err = OpenRedis(ctx, RedisOptions{Client: rdb, Prefix: prefix, Logger: quietLog()})
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
}

func TestRedisWaitAOFVersion(t *testing.T) {
	addr := testenv.RedisAddr(t)
	ctx := context.Background()
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	info, err := rdb.Info(ctx, "server").Result()
	if err != nil {
		t.Fatal(err)
	}
	v := infoField(info, "redis_version")
	r, err := OpenRedis(ctx, RedisOptions{Client: rdb, Prefix: testenv.UniqueName(t, "q"), WaitAOF: true, Logger: quietLog()})
	if versionAtLeast(v, 7, 2) != (err == nil) {
		t.Fatalf("redis %s with WaitAOF: %v", v, err)
	}
	if r != nil {
		r.Close()
	}
	if !versionAtLeast("7.2.4", 7, 2) || versionAtLeast("7.0.15", 7, 2) || !versionAtLeast("8.0.0", 7, 2) {
		t.Fatal("versionAtLeast")
	}
}

func TestRedisUnavailable(t *testing.T) {
	_, err := OpenRedis(context.Background(), RedisOptions{URL: "redis://127.0.0.1:1/0", Logger: quietLog()})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("open against a closed port: %v", err)
	}
}

// TestRedisPrefixIsolation: two stores with different prefixes on one
// Redis do not see each other's messages.
func TestRedisPrefixIsolation(t *testing.T) {
	_, a := openRedisT(t, nil, "")
	_, b := openRedisT(t, nil, "")
	ctx := context.Background()
	m := put(t, a, newMsg(StateQuarantined, "taro"), "body")
	if _, err := b.Get(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("other prefix sees the message: %v", err)
	}
	if n, _ := b.Counts(ctx); len(n) != 0 {
		t.Fatalf("other prefix counts %v", n)
	}
}

// TestRedisAbandonedBody: a body streamed by a writer that died before
// the record was created is in a temp key with an expiry, so it cannot
// leak.
func TestRedisAbandonedBody(t *testing.T) {
	r, s := openRedisT(t, nil, "")
	ctx := context.Background()
	cctx, cancel := context.WithCancel(ctx)
	body := &cancelAfter{n: 3 * bodyChunk, cancel: cancel}
	err := s.Put(cctx, newMsg(StateQuarantined, "taro"), body)
	if err == nil {
		t.Fatal("put with a cancelled context succeeded")
	}
	keys, _ := r.rdb.Keys(ctx, r.p+"*").Result()
	for _, k := range keys {
		if strings.Contains(k, ":tmp:") {
			if ttl, _ := r.rdb.TTL(ctx, k).Result(); ttl <= 0 || ttl > time.Hour {
				t.Fatalf("temp body %s without expiry (%v)", k, ttl)
			}
		} else if strings.Contains(k, ":m:") || strings.Contains(k, ":b:") {
			t.Fatalf("record or body stored: %s", k)
		}
	}
}

// cancelAfter yields n bytes and cancels a context when they are read.
type cancelAfter struct {
	n      int
	cancel func()
}

func (c *cancelAfter) Read(p []byte) (int, error) {
	if c.n <= 0 {
		c.cancel()
		return 0, errors.New("client went away")
	}
	k := min(len(p), c.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	c.n -= k
	return k, nil
}
