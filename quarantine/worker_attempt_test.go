package quarantine

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/relay"
)

// emitRecorder keeps what the worker emits; fail makes Emit refuse.
type emitRecorder struct {
	mu   sync.Mutex
	evs  []audit.Event
	fail error
}

func (r *emitRecorder) Emit(_ context.Context, evs ...audit.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail != nil {
		return r.fail
	}
	r.evs = append(r.evs, evs...)
	return nil
}

type sendHook func(ctx context.Context, env relay.Envelope, msg io.Reader) (*relay.Result, error)

func (f sendHook) Send(ctx context.Context, env relay.Envelope, msg io.Reader) (*relay.Result, error) {
	return f(ctx, env, msg)
}

// The delivery worker records each attempt before the upstream can accept
// the message (issue 12 item 13): a crash between the upstream's 250 and
// Complete leaves message.delivery_attempted in the trail. When the
// attempt cannot be recorded, nothing is sent and the message waits.
func TestWorkerRecordsAttemptBeforeSending(t *testing.T) {
	c := newClock()
	_, s := openEmbeddedT(t, c, "", true)
	sink, cl := newSink(t)
	rec := &emitRecorder{}
	var atSend int
	snd := sendHook(func(ctx context.Context, env relay.Envelope, msg io.Reader) (*relay.Result, error) {
		rec.mu.Lock()
		atSend = len(rec.evs)
		rec.mu.Unlock()
		return cl.Send(ctx, env, msg)
	})
	w := newWorkerT(t, s, snd, c, "A")
	w.o.Audit = rec
	m := newMsg(StateQueued, "taro", "a@one.example", "b@two.example")
	put(t, s, m, testBody)

	rec.fail = errors.New("audit: outbox closed")
	runOnce(t, w)
	if n := len(sink.Messages()); n != 0 {
		t.Fatalf("sent %d messages although the attempt was not recorded", n)
	}
	if g, _ := s.Get(context.Background(), m.ID); g.State != StateQueued || len(g.Pending()) != 2 {
		t.Fatalf("after an unrecorded attempt: %s, pending %v", g.State, g.Pending())
	}

	rec.fail = nil
	c.Advance(time.Minute)
	runOnce(t, w)
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("sink got %d messages", n)
	}
	if atSend != 1 || rec.evs[0].Type != audit.TypeMessageDeliveryAttempted || rec.evs[0].MessageID != m.ID ||
		len(rec.evs[0].Recipients) != 2 || rec.evs[0].Upstream == nil || rec.evs[0].Upstream.Attempt != 2 {
		t.Fatalf("events at send %d: %+v", atSend, rec.evs)
	}
}
