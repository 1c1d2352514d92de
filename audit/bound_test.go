package audit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

func TestOutboxBoundDropRecordsLoss(t *testing.T) {
	url, js, stream := externalJS(t)
	px := newProxy(t, url[len("nats://"):])
	px.setUp(false) // NATS unreachable from the start
	ob := newBoltOutbox(t, openBolt(t), OutboxOptions{Max: 20, Overflow: OverflowDrop})
	reg := prometheus.NewRegistry()
	l, err := Open(context.Background(), fastOptions(Options{NATSURL: px.url(), Stream: stream}), ob, reg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(context.Background())

	// Mail keeps flowing: every Emit succeeds although the outbox fills.
	for i := 0; i < 50; i++ {
		if err := l.Emit(context.Background(), mailEvents(1, "b")...); err != nil {
			t.Fatalf("emit %d: %v", i, err)
		}
	}
	if d, _ := ob.queue().depth(context.Background()); d > 20 {
		t.Errorf("outbox depth %d above its bound 20", d)
	}
	px.setUp(true)
	waitDrained(t, ob, 20*time.Second)
	// After the outage, events are stored again.
	if err := l.Emit(context.Background(), Event{Type: TypeConfigReloaded}); err != nil {
		t.Fatal(err)
	}
	waitDrained(t, ob, 20*time.Second)

	msgs := readAll(t, js, stream)
	if rep := verifyMsgs(msgs); !rep.OK() {
		t.Fatalf("verify: %v", rep.Problems)
	}
	stored, lost, reloaded := 0, 0, 0
	for _, m := range msgs {
		switch m.ev.Type {
		case TypeMessageDelivered:
			stored++
		case TypeAuditEventsLost:
			lost += m.ev.Lost.Count
			if m.ev.Lost.ByType[TypeMessageDelivered] != m.ev.Lost.Count || m.ev.Lost.First.IsZero() {
				t.Errorf("loss record %+v", m.ev.Lost)
			}
		case TypeConfigReloaded:
			reloaded++
		}
	}
	if lost == 0 || stored+lost != 50 || reloaded != 1 {
		t.Errorf("stored %d + lost %d != 50 emitted (reloaded %d)", stored, lost, reloaded)
	}
	if got := metricValue(t, reg, "okuri_audit_lost_events_total"); int(got) != lost {
		t.Errorf("lost metric %v, want %d", got, lost)
	}
	t.Logf("stored %d, lost %d (recorded as audit.events_lost)", stored, lost)
}

func TestOutboxBoundReject(t *testing.T) {
	ob := newBoltOutbox(t, openBolt(t), OutboxOptions{Max: 5, Overflow: OverflowReject})
	ctx := context.Background()
	if err := ob.Append(ctx, mailEvents(5, "r")...); err != nil {
		t.Fatal(err)
	}
	if err := ob.Append(ctx, mailEvents(1, "r")...); !errors.Is(err, ErrOutboxFull) {
		t.Fatalf("append over the bound: %v, want ErrOutboxFull", err)
	}
	if l, _ := ob.lost(ctx); l != nil {
		t.Errorf("reject policy recorded a loss: %+v", l)
	}
}
