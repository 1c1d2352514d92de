package audit

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// emitDuring emits batches of 3 events from 4 goroutines until stop is
// closed and returns how many events were emitted. Every Emit must
// succeed and return quickly: NATS being down must not block mail flow.
func emitDuring(t *testing.T, l *Log, stop <-chan struct{}) *atomic.Int64 {
	var n atomic.Int64
	var wg sync.WaitGroup
	var slowest atomic.Int64
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				if err := l.Emit(context.Background(), mailEvents(3, "o"+strconv.Itoa(g))...); err != nil {
					t.Error(err)
					return
				}
				if d := int64(time.Since(start)); d > slowest.Load() {
					slowest.Store(d)
				}
				n.Add(3)
				time.Sleep(time.Millisecond)
			}
		}()
	}
	t.Cleanup(func() {
		wg.Wait()
		if d := time.Duration(slowest.Load()); d > 500*time.Millisecond {
			t.Errorf("an Emit took %s while NATS was down", d)
		}
	})
	go func() { <-stop; wg.Wait() }()
	return &n
}

func TestEmbeddedServerRestartDuringTraffic(t *testing.T) {
	db := openBolt(t)
	ob := newBoltOutbox(t, db, OutboxOptions{})
	reg := prometheus.NewRegistry()
	l, err := Open(context.Background(), fastOptions(Options{DataDir: t.TempDir()}), ob, reg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(context.Background())

	stop := make(chan struct{})
	n := emitDuring(t, l, stop)
	time.Sleep(200 * time.Millisecond)
	l.emb.stop() // NATS down
	time.Sleep(500 * time.Millisecond)
	if d, _ := ob.queue().depth(context.Background()); d == 0 {
		t.Error("outbox empty while NATS was down: events cannot have been published")
	}
	if err := l.emb.start(); err != nil { // NATS back, same store
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	close(stop)
	time.Sleep(50 * time.Millisecond)
	waitDrained(t, ob, 30*time.Second)

	if metricValue(t, reg, "okuri_audit_publish_errors_total") == 0 {
		t.Error("no publish error counted during the outage")
	}
	msgs := readAll(t, embeddedJS(t, l), "OKURI_AUDIT")
	checkStream(t, msgs, "test-1", int(n.Load()))
	t.Logf("%d events, %d publish errors", n.Load(), int(metricValue(t, reg, "okuri_audit_publish_errors_total")))
}

func TestExternalNATSUnreachableDuringTraffic(t *testing.T) {
	url, js, stream := externalJS(t)
	px := newProxy(t, url[len("nats://"):])
	db := openBolt(t)
	ob := newBoltOutbox(t, db, OutboxOptions{})
	reg := prometheus.NewRegistry()
	l, err := Open(context.Background(), fastOptions(Options{NATSURL: px.url(), Stream: stream}), ob, reg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(context.Background())

	stop := make(chan struct{})
	n := emitDuring(t, l, stop)
	time.Sleep(200 * time.Millisecond)
	px.setUp(false) // NATS unreachable
	time.Sleep(700 * time.Millisecond)
	if d, _ := ob.queue().depth(context.Background()); d == 0 {
		t.Error("outbox empty while NATS was unreachable")
	}
	px.setUp(true)
	time.Sleep(300 * time.Millisecond)
	close(stop)
	time.Sleep(50 * time.Millisecond)
	waitDrained(t, ob, 30*time.Second)

	msgs := readAll(t, js, stream)
	checkStream(t, msgs, "test-1", int(n.Load()))
}

func TestOpenWithNATSDownDoesNotBlock(t *testing.T) {
	db := openBolt(t)
	ob := newBoltOutbox(t, db, OutboxOptions{})
	start := time.Now()
	l, err := Open(context.Background(), fastOptions(Options{NATSURL: "nats://127.0.0.1:1"}), ob, nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Emit(context.Background(), mailEvents(3, "x")...); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Open+Emit with NATS down took %s", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	l.Close(ctx)
	if d, _ := ob.queue().depth(context.Background()); d != 4 { // chain start + 3
		t.Errorf("outbox depth %d after Close with NATS down, want 4 kept for the next start", d)
	}
}
