package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// publisher is the single loop per instance that chains outbox entries and
// publishes them to JetStream in order. It never blocks emitters: it only
// reads from and deletes in the outbox.
type publisher struct {
	q          queue
	dial       dialer
	stream     StreamConfig
	instance   string
	signKey    ed25519.PrivateKey
	batch      int
	ackTimeout time.Duration
	backoffMin time.Duration
	backoffMax time.Duration
	poll       time.Duration
	m          *metrics
	logger     *slog.Logger
	health     *health

	instanceJSON []byte // canonical JSON of instance, for sealRaw

	nc    *nats.Conn
	js    jetstream.JetStream
	ready bool // stream ensured on this connection
	// heal, when set, may repair the server after a failed step (the
	// embedded server, see embedded.heal); it reports a restart.
	heal func(err error) bool

	failing bool // last step failed (log once per outage)
	// refused is set while JetStream refuses publishes: ensuring the
	// stream again does not show the connection as good, only a taken
	// publish does (the gauge would flicker 0/1 between retries).
	refused    bool
	pendingAck int // acknowledged events not yet removed from the outbox
	linger     time.Duration
}

func (p *publisher) run(ctx context.Context) {
	backoff := p.backoffMin
	for {
		n, err := p.step(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			p.m.publishErrors.Inc()
			p.health.failed(err)
			p.m.stalled.Set(1)
			if p.heal != nil && p.heal(err) {
				// The server was just restarted with room again: try at
				// once, not after the backoff the outage built up.
				backoff = p.backoffMin
			}
			if !p.failing {
				p.logger.Warn("audit: publishing paused, events wait in the outbox", "err", err, "retry_in", backoff)
				p.failing = true
			} else {
				p.logger.Debug("audit: publish retry failed", "err", err)
			}
			if !sleepCtx(ctx, backoff) {
				return
			}
			backoff = min(backoff*2, p.backoffMax)
			continue
		}
		if p.failing {
			p.logger.Info("audit: publishing resumed")
			p.failing = false
			p.health.ok()
			p.m.stalled.Set(0)
		}
		backoff = p.backoffMin
		if n >= p.batch {
			continue // more is waiting
		}
		if n > 0 {
			// Let a few more events arrive: fewer, larger outbox
			// transactions (each one fsyncs). Mail flow does not wait.
			if !sleepCtx(ctx, p.linger) {
				return
			}
			continue
		}
		t := time.NewTimer(p.poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-p.q.kick():
		case <-t.C:
		}
		t.Stop()
	}
}

// health is what the publisher tells Log.Ready: since when publishing
// fails, and why. Shared between the publisher loop and readiness checks.
type health struct {
	mu    sync.Mutex
	since time.Time
	cause error
}

func (h *health) failed(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.since.IsZero() {
		h.since = time.Now()
	}
	h.cause = err
}

func (h *health) ok() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.since, h.cause = time.Time{}, nil
}

// stall returns since when publishing fails (zero: it does not) and the
// last error.
func (h *health) stall() (time.Time, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.since, h.cause
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// step chains what is waiting and publishes one batch. It returns how
// many events it chained or published (0: idle).
func (p *publisher) step(ctx context.Context) (int, error) {
	if err := p.q.lease(ctx); err != nil {
		return 0, err
	}
	n, err := p.chainPending(ctx)
	if err != nil {
		return 0, err
	}
	p.updateGauges(ctx)
	items, err := p.q.chained(ctx, p.batch)
	if err != nil {
		return n, err
	}
	if len(items) == 0 {
		return n, nil
	}
	if err := p.connect(ctx); err != nil {
		return 0, err
	}
	acked, err := p.publish(ctx, items)
	if acked > 0 {
		// Removed from the outbox together with the next chaining (one
		// transaction instead of two); a crash before that re-publishes
		// them and JetStream drops the duplicates.
		p.pendingAck = acked
		p.m.published.Add(float64(acked))
	}
	if err != nil {
		p.ready = false // re-check the stream on the next attempt
		p.refused = true
		p.m.connected.Set(0)
		return 0, err
	}
	p.refused = false
	p.m.connected.Set(1)
	return max(n, acked), nil
}

// flushAck removes acknowledged events from the outbox when there is
// nothing to chain them with.
func (p *publisher) flushAck(ctx context.Context) error {
	if p.pendingAck == 0 {
		return nil
	}
	if err := p.q.ack(ctx, p.pendingAck); err != nil {
		return fmt.Errorf("audit: remove published events from outbox: %w", err)
	}
	p.pendingAck = 0
	return nil
}

// chainPending turns up to one batch of raw entries (plus a pending loss
// record) into chained entries, in one outbox transaction.
func (p *publisher) chainPending(ctx context.Context) (int, error) {
	raws, err := p.q.raw(ctx, p.batch)
	if err != nil {
		return 0, err
	}
	lost, err := p.q.lost(ctx)
	if err != nil {
		return 0, err
	}
	if lost != nil && p.q.bound() > 0 {
		// Report the loss once there is room again: while the outbox is
		// full the record keeps accumulating in the store instead of
		// adding one event per round.
		if d, err := p.q.depth(ctx); err != nil {
			return 0, err
		} else if d >= p.q.bound() {
			lost = nil
		}
	}
	if len(raws) == 0 && lost == nil {
		return 0, p.flushAck(ctx)
	}
	seq, prev, err := p.q.head(ctx)
	if err != nil {
		return 0, err
	}
	startSeq := seq
	out := make([][]byte, 0, len(raws)+2)
	add := func(ev Event) error {
		ev.Instance, ev.Seq, ev.Prev, ev.Hash, ev.Sig = p.instance, seq+1, prev, "", ""
		b, h, err := p.seal(ev)
		if err != nil {
			return err
		}
		seq, prev = seq+1, h
		out = append(out, b)
		return nil
	}
	if seq == 0 {
		start := Event{Type: TypeAuditChainRestarted, Actor: System, Attrs: map[string]string{"instance": p.instance}}
		if p.signKey != nil {
			start.Attrs["ed25519_public_key"] = base64.StdEncoding.EncodeToString(p.signKey.Public().(ed25519.PublicKey))
		}
		if err := prepare(&start); err != nil {
			return 0, err
		}
		if err := add(start); err != nil {
			return 0, err
		}
	}
	if lost != nil {
		ev := Event{Type: TypeAuditEventsLost, Actor: System, Lost: lost,
			Reason: "outbox_full"}
		if err := prepare(&ev); err != nil {
			return 0, err
		}
		if err := add(ev); err != nil {
			return 0, err
		}
	}
	for _, r := range raws {
		if b, h, ok := p.sealRaw(r, seq+1, prev); ok {
			seq, prev = seq+1, h
			out = append(out, b)
			continue
		}
		ev, err := Unmarshal(r)
		if err == nil {
			err = prepare(&ev)
		}
		if err != nil {
			// A corrupt entry must not wedge the chain: record that it
			// existed, without its content.
			ev = Event{Type: TypeAuditInvalidEvent, Actor: System, Reason: "undecodable outbox entry",
				Attrs: map[string]string{"bytes": fmt.Sprint(len(r))}}
			_ = prepare(&ev)
		}
		if err := add(ev); err != nil {
			return 0, err
		}
	}
	if err := p.q.chain(ctx, p.pendingAck, len(raws), startSeq, out, seq, prev, lost); err != nil {
		return 0, fmt.Errorf("audit: chain events: %w", err)
	}
	p.pendingAck = 0
	if lost != nil {
		p.m.lost.Add(float64(lost.Count))
		p.logger.Warn("audit: events were lost because the outbox was full", "count", lost.Count, "first", lost.First, "last", lost.Last)
	}
	p.m.chainHead.Set(float64(seq))
	return len(out), nil
}

// seal computes hash (and signature) of an event whose seq and prev are
// set and returns its final payload.
func (p *publisher) seal(ev Event) ([]byte, string, error) {
	ev.Hash, ev.Sig = "", ""
	b, ok, err := canonicalFast(&ev)
	if err != nil {
		return nil, "", fmt.Errorf("audit: marshal %s: %w", ev.Type, err)
	}
	if !ok {
		if b, err = Canonical(b); err != nil {
			return nil, "", err
		}
	}
	sum := sha256.Sum256(b)
	h := hex.EncodeToString(sum[:])
	ev.Hash = h
	if p.signKey != nil {
		if ev.Sig, err = SignHash(p.signKey, h); err != nil {
			return nil, "", err
		}
	}
	b, _, err = canonicalFast(&ev)
	if err != nil {
		return nil, "", fmt.Errorf("audit: marshal %s: %w", ev.Type, err)
	}
	return b, h, nil
}

func (p *publisher) connect(ctx context.Context) error {
	if p.nc != nil && p.nc.IsClosed() {
		p.nc, p.js, p.ready = nil, nil, false
	}
	if p.nc == nil {
		nc, err := p.dial(ctx)
		if err != nil {
			p.m.connected.Set(0)
			return err
		}
		js, err := jetstream.New(nc,
			jetstream.WithPublishAsyncMaxPending(2*max(p.batch, 1)),
			jetstream.WithPublishAsyncTimeout(p.ackTimeout))
		if err != nil {
			nc.Close()
			return fmt.Errorf("audit: jetstream: %w", err)
		}
		p.nc, p.js, p.ready = nc, js, false
	}
	if !p.ready {
		cctx, cancel := context.WithTimeout(ctx, p.ackTimeout)
		defer cancel()
		if _, err := EnsureStream(cctx, p.js, p.stream); err != nil {
			p.m.connected.Set(0)
			return err
		}
		p.ready = true
		if !p.refused {
			p.m.connected.Set(1)
		}
	}
	return nil
}

// publish sends items in order with their event ids as Nats-Msg-Id
// (JetStream drops a re-published duplicate) through the client's
// asynchronous publish, then waits for the acks in order. It returns how
// many leading items were acknowledged.
func (p *publisher) publish(ctx context.Context, items [][]byte) (int, error) {
	futs := make([]jetstream.PubAckFuture, 0, len(items))
	var perr error
	for i, it := range items {
		id, typ, err := idType(it)
		if err != nil {
			perr = fmt.Errorf("audit: chained outbox entry %d: %w", i, err)
			break
		}
		// The headers jetstream.WithMsgID and WithExpectStream would set,
		// without the per-message option closures.
		msg := &nats.Msg{Subject: SubjectName(typ), Data: it,
			Header: nats.Header{nats.MsgIdHdr: []string{id}, nats.ExpectedStreamHdr: []string{p.stream.Name}}}
		f, err := p.js.PublishMsgAsync(msg)
		if err != nil {
			perr = fmt.Errorf("audit: publish: %w", err)
			break
		}
		futs = append(futs, f)
	}
	done := 0
	for _, f := range futs {
		select {
		case <-f.Ok():
			done++
		case err := <-f.Err():
			// The library times a future out after ackTimeout.
			return done, errors.Join(fmt.Errorf("audit: publish %d of %d: %w", done+1, len(futs), err), perr)
		case <-ctx.Done():
			return done, errors.Join(ctx.Err(), perr)
		}
	}
	return done, perr
}

// idType reads the id and type of a chained entry (fast path first).
func idType(it []byte) (id, typ string, err error) {
	id, ok1 := topString(it, "id")
	typ, ok2 := topString(it, "type")
	if !ok1 || !ok2 {
		var hdr struct{ ID, Type string }
		if err := json.Unmarshal(it, &hdr); err != nil {
			return "", "", fmt.Errorf("not JSON: %w", err)
		}
		id, typ = hdr.ID, hdr.Type
	}
	if id == "" || validType(typ) != nil {
		// Cannot happen for entries this package chained.
		return "", "", errors.New("no id or type")
	}
	return id, typ, nil
}

func (p *publisher) updateGauges(ctx context.Context) {
	d, err := p.q.depth(ctx)
	if err != nil {
		return
	}
	p.m.depth.Set(float64(d))
	age := 0.0
	if d > 0 {
		if first := p.oldest(ctx); !first.IsZero() {
			age = time.Since(first).Seconds()
		}
	}
	p.m.oldestAge.Set(age)
}

func (p *publisher) oldest(ctx context.Context) time.Time {
	items, err := p.q.chained(ctx, 1)
	if err != nil {
		return time.Time{}
	}
	if len(items) == 0 {
		if items, err = p.q.raw(ctx, 1); err != nil || len(items) == 0 {
			return time.Time{}
		}
	}
	var t struct {
		Time time.Time `json:"time"`
	}
	_ = json.Unmarshal(items[0], &t)
	return t.Time
}

func (p *publisher) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := p.flushAck(ctx); err != nil {
		p.logger.Warn("audit: could not remove published events; they are re-published (and deduplicated) on restart", "err", err)
	}
	if u, ok := p.q.(interface{ unlease(context.Context) error }); ok {
		_ = u.unlease(ctx)
	}
	if p.nc != nil {
		p.nc.Close()
		p.nc = nil
	}
	p.m.connected.Set(0)
}
