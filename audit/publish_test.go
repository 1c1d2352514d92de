package audit

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	bolt "go.etcd.io/bbolt"
)

// checkStream asserts the stream holds exactly the want events of
// instance (plus the chain start), in seq order, each once, chain valid.
func checkStream(t *testing.T, msgs []streamMsg, instance string, want int) {
	t.Helper()
	rep := verifyMsgs(msgs)
	if !rep.OK() {
		for _, p := range rep.Problems {
			t.Errorf("verify: %s", p)
		}
	}
	ids := map[string]bool{}
	var seq uint64
	n := 0
	for _, m := range msgs {
		if m.ev.Instance != instance {
			continue
		}
		if ids[m.ev.ID] {
			t.Errorf("duplicate event %s (seq %d) in stream", m.ev.ID, m.ev.Seq)
		}
		ids[m.ev.ID] = true
		if m.ev.Seq != seq+1 {
			t.Errorf("stream order: seq %d after %d", m.ev.Seq, seq)
		}
		seq = m.ev.Seq
		if m.ev.Type != TypeAuditChainRestarted {
			n++
		}
	}
	if n != want {
		t.Errorf("stream holds %d events of %s, want %d", n, instance, want)
	}
}

func TestEmbeddedPublishesInOrderWithValidChain(t *testing.T) {
	db := openBolt(t)
	ob := newBoltOutbox(t, db, OutboxOptions{})
	reg := prometheus.NewRegistry()
	l, err := Open(context.Background(), fastOptions(Options{DataDir: t.TempDir()}), ob, reg, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close(context.Background())
	ctx := context.Background()

	// Mail-path events through Emit, concurrently; state-change events
	// through AppendTx inside the caller's transaction.
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if err := l.Emit(ctx, mailEvents(3, "g"+strconv.Itoa(g))...); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for i := 0; i < 20; i++ {
		err := db.Update(func(tx *bolt.Tx) error {
			return ob.AppendTx(tx, Event{Type: TypeMessageApproved, MessageID: "h" + strconv.Itoa(i),
				Actor: Actor{Kind: ActorUser, User: "boss", IP: "192.0.2.1"}, State: "queued", PrevState: "held_approval"})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// A rolled-back transaction leaves no event.
	_ = db.Update(func(tx *bolt.Tx) error {
		if err := ob.AppendTx(tx, Event{Type: TypeMessageRejected, MessageID: "rolled-back"}); err != nil {
			t.Fatal(err)
		}
		return errRollback
	})
	wg.Wait()
	waitDrained(t, ob, 20*time.Second)

	msgs := readAll(t, embeddedJS(t, l), "OKURI_AUDIT")
	checkStream(t, msgs, "test-1", 8*50*3+20)
	for _, m := range msgs {
		if m.ev.MessageID == "rolled-back" {
			t.Error("event of a rolled-back transaction was published")
		}
		if want := SubjectName(m.ev.Type); m.ev.Type == "" || want == "" {
			t.Error("event without type")
		}
	}
	if got := metricValue(t, reg, "okuri_audit_published_events_total"); got != float64(len(msgs)) {
		t.Errorf("published metric %v, want %d", got, len(msgs))
	}
	if got := metricValue(t, reg, "okuri_audit_outbox_events"); got != 0 {
		t.Errorf("depth metric %v after drain", got)
	}
}
