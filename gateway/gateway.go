// Package gateway wires one accepted message through okuri: smtpd hands it
// over; the gateway scans it, asks the policy for a decision, and then
// relays it (with the decided header rewrite), stores it as held, or
// rejects it — and records every step as an audit event.
//
// Invariants this package owns:
//   - The client gets 250 only when the upstream accepted the message for
//     at least one recipient, or the message is durably stored (held, or
//     queued for the delivery worker when the upstream failed for now).
//   - A scan or policy error never passes a message: the policy turns it
//     into a hold (quarantine by default); when even storing fails, 451.
//   - Upstream and internal error texts never reach the client: every
//     reply comes from replyFor (reply.go), generic with the queue id as
//     reference; details go to the log.
//   - The audit trail names a delivery attempt before the upstream is
//     called (message.delivery_attempted, written with received and
//     decided), so no copy the upstream accepted goes unrecorded.
//   - Logs and metrics carry ids, counts, outcomes and domains, never
//     recipient local parts, subjects or content.
package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/scan"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
	"github.com/okuri/okuri/smtpd"
)

// Auditor records audit events; *audit.Log implements it.
type Auditor interface {
	Emit(ctx context.Context, evs ...audit.Event) error
	// Prepare applies what Emit applies (the subject policy) to events the
	// store writes in its own transaction.
	Prepare(evs ...audit.Event) []audit.Event
}

// Notifier tells people about held mail (the approvals UI's notices). It
// gets the record only: what it says comes from what was stored.
type Notifier interface {
	// Held is called after a message was stored as held or quarantined
	// (with NoticeDue set), after the client got its reply. It returns
	// nil once every notice is queued; it may be called again for the
	// same message (quarantine.SweeperOptions.OnNoticeDue) and must then
	// queue nothing twice.
	Held(ctx context.Context, m *quarantine.Message) error
	// Rejected is called after a message was refused by a reject rule;
	// m was not stored.
	Rejected(ctx context.Context, m *quarantine.Message)
}

// Options configures a Gateway. Relay, Scanner, Policy and Store are required.
type Options struct {
	Relay   relay.Sender
	Scanner *scan.Scanner
	// Policy returns the current policy; it changes on SIGHUP.
	Policy func() *policy.Policy
	Store  quarantine.Store
	// Kick wakes the delivery worker after a message was queued.
	Kick     func()
	Audit    Auditor  // nil: no audit events (tests only)
	Notifier Notifier // nil: no notices
	DSN      quarantine.DSNOptions
	Logger   *slog.Logger
	// Registerer for metrics; nil: a private registry.
	Registerer prometheus.Registerer
}

// Gateway implements smtpd.Handler.
type Gateway struct {
	o       Options
	log     *slog.Logger
	metrics *metrics
	bg      sync.WaitGroup // work finishing after a reply; Wait before closing the store
}

// New returns a Gateway.
func New(o Options) (*Gateway, error) {
	if o.Relay == nil || o.Scanner == nil || o.Policy == nil || o.Store == nil {
		return nil, errors.New("gateway: relay, scanner, policy and store are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Registerer == nil {
		o.Registerer = prometheus.NewRegistry()
	}
	if o.Kick == nil {
		o.Kick = func() {}
	}
	m, err := newMetrics(o.Registerer)
	if err != nil {
		return nil, err
	}
	return &Gateway{o: o, log: o.Logger, metrics: m}, nil
}

// Handle implements smtpd.Handler.
func (g *Gateway) Handle(ctx context.Context, m *smtpd.Message) smtpd.Reply {
	start := time.Now()
	log := g.log.With("queue_id", m.QueueID, "user", m.User, "client_ip", m.ClientIP.String(),
		"rcpts", len(m.To), "size", m.Body.Size())
	// A header that cannot be read leaves Header nil: the policy reads
	// it again from Message and records the error (fail closed).
	h, _ := readHeader(m.Body)
	hdr := displayHeaders(h)

	res, scanErr := g.scan(ctx, m)
	pol := g.o.Policy()
	facts := pol.Facts(ctx, policy.Input{
		MailFrom: m.From, RcptTo: m.To, User: m.User,
		Header: h, Message: m.Body.Reader(), Scan: res, ScanErr: scanErr,
		History: policy.KnownFunc(func(ctx context.Context, s string) (bool, error) {
			_, ok, err := g.o.Store.Known(ctx, s)
			return ok, err
		}),
	})
	d := pol.Decide(facts)
	g.metrics.scanSeconds.Observe(time.Since(start).Seconds())
	log = log.With("verdict", d.Verdict, "action", string(d.Action), "rule", d.Rule)

	if d.Action.Held() {
		return g.hold(ctx, m, hdr, res, &d, log, receivedEvent(m, hdr, res), decidedEvent(m, &d))
	}
	evs := []audit.Event{receivedEvent(m, hdr, res), decidedEvent(m, &d)}
	var deliveries []policy.Delivery
	if d.Action != policy.Reject {
		deliveries = d.Deliveries(m.From, m.To)
		evs = append(evs, attemptEvent(m, &d, len(deliveries)))
	}
	if err := g.emit(ctx, evs...); err != nil {
		// No decision is acted on without its audit record: the client
		// keeps the message and retries.
		log.Error("audit log refused the message's events", "err", err)
		g.metrics.outcome("tempfail")
		return replyFor(resAuditFailed, replyInfo{Ref: m.QueueID, Err: err})
	}
	if d.Action == policy.Reject {
		return g.reject(ctx, m, hdr, res, &d, log)
	}
	return g.deliver(ctx, m, h, hdr, res, &d, deliveries, log)
}

// scan runs the scanner; a panic in an extractor becomes a scan error, so
// the policy holds the message instead of the process dying or the
// message passing.
func (g *Gateway) scan(ctx context.Context, m *smtpd.Message) (res *scan.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			g.log.Error("scanner panicked", "queue_id", m.QueueID, "panic", fmt.Sprint(r))
			res, err = nil, fmt.Errorf("scanner panic: %v", r)
		}
	}()
	return g.o.Scanner.Scan(ctx, m.Body, m.Body.Size())
}

// background runs fn after the reply, detached from the session's context
// (the client may hang up) but bounded in time.
func (g *Gateway) background(ctx context.Context, fn func(ctx context.Context)) {
	g.bg.Add(1)
	go func() {
		defer g.bg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		fn(ctx)
	}()
}

// Wait waits for work still running after replies (audit events of
// deliveries); call it after the SMTP server stopped and before the store
// and audit log close.
func (g *Gateway) Wait() { g.bg.Wait() }

func (g *Gateway) emit(ctx context.Context, evs ...audit.Event) error {
	if g.o.Audit == nil {
		return nil
	}
	return g.o.Audit.Emit(ctx, evs...)
}

// storeEvents prepares mail-path events to be written by the store in its
// transaction, as Emit would. Without an audit log there are none, as
// with emit.
func (g *Gateway) storeEvents(evs ...audit.Event) []audit.Event {
	if g.o.Audit == nil {
		return nil
	}
	return g.o.Audit.Prepare(evs...)
}
