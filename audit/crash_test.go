package audit

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// A publisher that dies after JetStream stored some events but before it
// removed them from the outbox: the next start re-publishes the identical
// chained bytes with the same Nats-Msg-Id and JetStream drops them.
func TestCrashBetweenPublishAndAckIsDeduplicated(t *testing.T) {
	url, js, stream := externalJS(t)
	px := newProxy(t, url[len("nats://"):])
	px.setUp(false)
	db := openBolt(t)
	ob := newBoltOutbox(t, db, OutboxOptions{})
	opts := fastOptions(Options{NATSURL: px.url(), Stream: stream})

	// First life: events are chained while NATS is unreachable.
	l, err := Open(context.Background(), opts, ob, nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Emit(context.Background(), mailEvents(20, "c")...); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		raw, _ := ob.raw(context.Background(), 1)
		if len(raw) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("events not chained")
		}
		time.Sleep(10 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	l.Close(ctx)
	cancel()

	// What the dead publisher got into JetStream before dying: the first
	// 8 chained events, acks never processed.
	if _, err := EnsureStream(context.Background(), js, StreamConfig{Name: stream, MaxAge: time.Hour, Replicas: 1, DuplicateWindow: opts.withDefaultsMust().DuplicateWindow}); err != nil {
		t.Fatal(err)
	}
	chained, err := ob.chained(context.Background(), 8)
	if err != nil || len(chained) != 8 {
		t.Fatalf("chained: %d, %v", len(chained), err)
	}
	for _, c := range chained {
		var h struct{ ID, Type string }
		_ = json.Unmarshal(c, &h)
		if _, err := js.PublishMsg(context.Background(), &nats.Msg{Subject: SubjectName(h.Type), Data: c}, jetstream.WithMsgID(h.ID)); err != nil {
			t.Fatal(err)
		}
	}

	// Second life with NATS reachable.
	px.setUp(true)
	l, err = Open(context.Background(), opts, ob, nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(context.Background())
	waitDrained(t, ob, 20*time.Second)
	msgs := readAll(t, js, stream)
	checkStream(t, msgs, "test-1", 20)
	if len(msgs) != 21 {
		t.Errorf("stream holds %d messages, want 21 (chain start + 20, no duplicates)", len(msgs))
	}
}

// A restarted gateway continues its chain: one chain start, seq without
// gaps across the restart, for the embedded server too (same data dir).
func TestRestartContinuesChain(t *testing.T) {
	db := openBolt(t)
	ob := newBoltOutbox(t, db, OutboxOptions{})
	dir := t.TempDir()
	for life := 0; life < 3; life++ {
		l, err := Open(context.Background(), fastOptions(Options{DataDir: dir}), ob, nil, testLogger(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Emit(context.Background(), Event{Type: TypeGatewayStarted}); err != nil {
			t.Fatal(err)
		}
		if err := l.Emit(context.Background(), mailEvents(5, "r")...); err != nil {
			t.Fatal(err)
		}
		if err := l.Emit(context.Background(), Event{Type: TypeGatewayStopped}); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		l.Close(ctx) // drains the outbox first
		cancel()
		if d, _ := ob.queue().depth(context.Background()); d != 0 {
			t.Fatalf("life %d: %d events left after Close", life, d)
		}
	}
	nc, closeStore, err := OpenEmbeddedStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer closeStore()
	js, _ := jetstream.New(nc)
	msgs := readAll(t, js, "OKURI_AUDIT")
	checkStream(t, msgs, "test-1", 3*7)
	starts := 0
	for _, m := range msgs {
		if m.ev.Type == TypeAuditChainRestarted {
			starts++
		}
	}
	if starts != 1 || len(msgs) != 22 {
		t.Errorf("%d chain starts, %d messages; want 1 and 22", starts, len(msgs))
	}
}
