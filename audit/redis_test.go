package audit

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okuri/okuri/internal/testenv"
)

func newRedisOutbox(t testing.TB, instance string, oo OutboxOptions) (*redis.Client, *RedisOutbox, string) {
	t.Helper()
	rdb := redis.NewClient(&redis.Options{Addr: testenv.RedisAddr(t)})
	prefix := testenv.UniqueName(t, "audit") + ":"
	ob := NewRedisOutbox(rdb, prefix, instance, oo)
	t.Cleanup(func() {
		ob.Close()
		ctx := context.Background()
		keys, _ := rdb.Keys(ctx, prefix+"*").Result()
		if len(keys) > 0 {
			rdb.Del(ctx, keys...)
		}
		rdb.Close()
	})
	return rdb, ob, prefix
}

// holdScript stands for a quarantine Lua script: it changes a message's
// state and pushes the event recording it in the same script.
var holdScript = redis.NewScript(`
redis.call('SET', KEYS[1], ARGV[1])
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1
`)

func TestRedisOutboxEndToEnd(t *testing.T) {
	url, js, stream := externalJS(t)
	rdb, ob, prefix := newRedisOutbox(t, "redis-1", OutboxOptions{})
	ctx := context.Background()

	// Events pushed by a store script before the publisher runs, and
	// concurrent mail-path Appends.
	for i := 0; i < 10; i++ {
		p, err := Marshal(Event{Type: TypeMessageHeld, MessageID: "h" + strconv.Itoa(i), State: "held_approval", Reason: "personal_data"})
		if err != nil {
			t.Fatal(err)
		}
		if err := holdScript.Run(ctx, rdb, []string{prefix + "msg:h" + strconv.Itoa(i), ob.ListKey()}, "held_approval", p).Err(); err != nil {
			t.Fatal(err)
		}
	}
	l, err := Open(ctx, fastOptions(Options{NATSURL: url, Stream: stream, Instance: "redis-1"}), ob, nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(ctx)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				if err := l.Emit(ctx, mailEvents(3, "r")...); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	waitDrained(t, ob, 20*time.Second)
	msgs := readAll(t, js, stream)
	checkStream(t, msgs, "redis-1", 10+4*25*3)
}

func TestRedisOutboxBound(t *testing.T) {
	_, ob, _ := newRedisOutbox(t, "redis-b", OutboxOptions{Max: 10})
	ctx := context.Background()
	for i := 0; i < 15; i++ {
		if err := ob.Append(ctx, mailEvents(1, "b")...); err != nil {
			t.Fatal(err)
		}
	}
	if d, _ := ob.depth(ctx); d != 10 {
		t.Errorf("depth %d, want 10", d)
	}
	l, err := ob.lost(ctx)
	if err != nil || l == nil || l.Count != 5 || l.ByType[TypeMessageDelivered] != 5 {
		t.Fatalf("loss record %+v, %v", l, err)
	}
	_, rej, _ := newRedisOutbox(t, "redis-r", OutboxOptions{Max: 2, Overflow: OverflowReject})
	if err := rej.Append(ctx, mailEvents(3, "b")...); err != ErrOutboxFull {
		t.Errorf("append over the bound: %v", err)
	}
}

func TestRedisSecondPublisherOfAnInstanceIsRefused(t *testing.T) {
	rdb, a, prefix := newRedisOutbox(t, "dup", OutboxOptions{})
	b := NewRedisOutbox(rdb, prefix, "dup", OutboxOptions{})
	defer b.Close()
	ctx := context.Background()
	if err := a.lease(ctx); err != nil {
		t.Fatal(err)
	}
	if err := a.lease(ctx); err != nil {
		t.Fatalf("renewal: %v", err)
	}
	if err := b.lease(ctx); err != ErrPublisherElsewhere {
		t.Fatalf("second publisher: %v", err)
	}
	if err := a.unlease(ctx); err != nil {
		t.Fatal(err)
	}
	if err := b.lease(ctx); err != nil {
		t.Fatalf("after the first gave the lease up: %v", err)
	}
	other := NewRedisOutbox(rdb, prefix, "other", OutboxOptions{})
	defer other.Close()
	if err := other.lease(ctx); err != nil {
		t.Fatalf("another instance: %v", err)
	}
	rdb.Del(ctx, other.keys()...)
}
