package audit

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
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

	instanceJSON []byte // canonical JSON of instance, for sealRaw

	nc        *nats.Conn
	js        jetstream.JetStream
	ready     bool           // stream ensured on this connection
	ackPrefix string         // reply subject prefix of this connection's acks
	ackCh     chan *nats.Msg // acks
	ackSub    *nats.Subscription
	round     uint64 // publish round, part of reply subjects

	failing    bool // last step failed (log once per outage)
	pendingAck int  // acknowledged events not yet removed from the outbox
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
		return 0, err
	}
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
			ev = Event{Type: "audit.invalid_event", Actor: System, Reason: "undecodable outbox entry",
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
		js, err := jetstream.New(nc)
		if err != nil {
			nc.Close()
			return fmt.Errorf("audit: jetstream: %w", err)
		}
		prefix := nats.NewInbox() + "."
		ch := make(chan *nats.Msg, 2*max(p.batch, 1))
		sub, err := nc.ChanSubscribe(prefix+">", ch)
		if err != nil {
			nc.Close()
			return fmt.Errorf("audit: subscribe to acks: %w", err)
		}
		p.nc, p.js, p.ready = nc, js, false
		p.ackPrefix, p.ackCh, p.ackSub = prefix, ch, sub
	}
	if !p.ready {
		cctx, cancel := context.WithTimeout(ctx, p.ackTimeout)
		defer cancel()
		if _, err := EnsureStream(cctx, p.js, p.stream); err != nil {
			p.m.connected.Set(0)
			return err
		}
		p.ready = true
		p.m.connected.Set(1)
	}
	return nil
}

// publish sends items in order with their event ids as Nats-Msg-Id and
// waits for JetStream's acks. It uses core NATS requests with one reply
// subscription per connection (cheaper than a future per message); the
// reply subject carries the round and the item index. It returns how many
// leading items were acknowledged.
func (p *publisher) publish(ctx context.Context, items [][]byte) (int, error) {
	p.round++
	round := strconv.FormatUint(p.round, 10)
	var perr error
	sent := 0
	for i, it := range items {
		id, ok1 := topString(it, "id")
		typ, ok2 := topString(it, "type")
		if !ok1 || !ok2 {
			var hdr struct{ ID, Type string }
			if err := json.Unmarshal(it, &hdr); err != nil {
				perr = fmt.Errorf("audit: chained outbox entry %d is not JSON: %w", i, err)
				break
			}
			id, typ = hdr.ID, hdr.Type
		}
		if id == "" || validType(typ) != nil {
			// Cannot happen for entries this package chained.
			perr = fmt.Errorf("audit: chained outbox entry without id/type")
			break
		}
		msg := &nats.Msg{
			Subject: SubjectName(typ),
			Reply:   p.ackPrefix + round + "." + strconv.Itoa(i),
			Header:  nats.Header{nats.MsgIdHdr: []string{id}, nats.ExpectedStreamHdr: []string{p.stream.Name}},
			Data:    it,
		}
		if err := p.nc.PublishMsg(msg); err != nil {
			perr = fmt.Errorf("audit: publish: %w", err)
			break
		}
		sent++
	}
	if sent == 0 {
		return 0, perr
	}
	acked := make([]bool, sent)
	prefix, got, done := p.ackPrefix+round+".", 0, 0
	timer := time.NewTimer(p.ackTimeout)
	defer timer.Stop()
	for got < sent {
		var m *nats.Msg
		select {
		case m = <-p.ackCh:
		case <-timer.C:
			return done, errors.Join(fmt.Errorf("audit: %d of %d acks missing after %s", sent-got, sent, p.ackTimeout), perr)
		case <-ctx.Done():
			return done, errors.Join(ctx.Err(), perr)
		}
		idxStr, ok := strings.CutPrefix(m.Subject, prefix)
		if !ok {
			continue // a late ack of an earlier round
		}
		idx, err := strconv.Atoi(idxStr)
		if err != nil || idx >= sent || acked[idx] {
			continue
		}
		if len(m.Data) == 0 {
			// 503 no responders: the stream does not exist (yet).
			return done, errors.Join(fmt.Errorf("audit: publish: no stream takes %s (status %s)", StreamSubjects, m.Header.Get("Status")), perr)
		}
		if bytes.Contains(m.Data, []byte(`"error"`)) {
			return done, errors.Join(fmt.Errorf("audit: publish rejected: %s", m.Data), perr)
		}
		acked[idx] = true
		got++
		for done < sent && acked[done] {
			done++
		}
	}
	return done, perr
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
