package quarantine

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/internal/smtpcode"
	"github.com/okuri/okuri/relay"
)

// Delivery is one SMTP transaction made from a stored message: normally
// one per attempt, several when the decision split the message per
// recipient.
type Delivery struct {
	Env relay.Envelope
	// Rewrite turns the stored bytes into what is sent (header fields only:
	// the forced BCC rewrite); nil sends them as stored. The stored bytes
	// are never modified.
	Rewrite func(stored io.Reader) (io.Reader, error)
}

// PrepareFunc turns a stored message into its deliveries: env arrives
// filled with the message's envelope sender and its pending recipients.
// The deliveries must together cover exactly env.To. The policy package
// plugs the forced BCC and split rewrites in here.
type PrepareFunc func(ctx context.Context, m *Message, env relay.Envelope) ([]Delivery, error)

// WorkerOptions configure the delivery worker. Zero values take the
// documented defaults.
type WorkerOptions struct {
	Store  Store
	Sender relay.Sender
	// Instance names this process in leases; unique among instances sharing
	// a store. Default: host name, pid and a random suffix.
	Instance string
	// Lease is how long a taken message belongs to this instance (default
	// 10m). It must exceed SendTimeout plus the clock skew between
	// instances (leases compare each instance's own clock; run NTP), or a
	// slow delivery may be taken over and sent twice.
	Lease time.Duration
	// SendTimeout bounds one delivery attempt (default 5m).
	SendTimeout time.Duration
	// BackoffBase and BackoffMax: the n-th retry waits BackoffBase·2ⁿ⁻¹,
	// at most BackoffMax (defaults 1m and 2h).
	BackoffBase, BackoffMax time.Duration
	// MaxLifetime: a message not delivered this long after it was queued
	// fails with status 4.4.7 and a DSN (default 5 days).
	MaxLifetime time.Duration
	// Concurrency is how many deliveries run at once (default 4).
	Concurrency int
	// Poll is the longest the loop sleeps without a kick (default 30s), so
	// it notices messages queued by other instances.
	Poll time.Duration
	DSN  DSNOptions
	// Prepare maps stored bytes to the delivery; nil sends them as stored.
	Prepare PrepareFunc
	// Audit records message.delivery_attempted before each send, so a
	// crash between the upstream's 250 and Complete leaves a trace; when
	// it refuses, the delivery waits for the next attempt. Nil: no
	// attempt events (tests).
	Audit  Emitter
	Now    func() time.Time
	Logger *slog.Logger
	// Registerer for the okuri_quarantine_delivery_* metrics; nil: none.
	Registerer prometheus.Registerer
}

// Emitter records audit events; *audit.Log implements it.
type Emitter interface {
	Emit(ctx context.Context, evs ...audit.Event) error
}

// Worker delivers queued messages: one scheduler loop, woken by Kick or a
// timer set to the next due message, leases a batch, delivers it with a
// bounded number of concurrent sends, and records each outcome.
type Worker struct {
	o    WorkerOptions
	kick chan struct{}
	m    *workerMetrics
}

// NewWorker checks opts and fills in defaults.
func NewWorker(o WorkerOptions) (*Worker, error) {
	if o.Store == nil || o.Sender == nil {
		return nil, errors.New("new worker: Store and Sender are required")
	}
	if o.Instance == "" {
		host, _ := os.Hostname()
		var b [4]byte
		rand.Read(b[:])
		o.Instance = fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b[:]))
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&o.Lease, 10*time.Minute)
	def(&o.SendTimeout, 5*time.Minute)
	def(&o.BackoffBase, time.Minute)
	def(&o.BackoffMax, 2*time.Hour)
	def(&o.MaxLifetime, 5*24*time.Hour)
	def(&o.Poll, 30*time.Second)
	if o.SendTimeout >= o.Lease {
		return nil, fmt.Errorf("new worker: send timeout %v must be shorter than the lease %v", o.SendTimeout, o.Lease)
	}
	if o.Concurrency <= 0 {
		o.Concurrency = 4
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Prepare == nil {
		o.Prepare = func(_ context.Context, _ *Message, env relay.Envelope) ([]Delivery, error) {
			return []Delivery{{Env: env}}, nil
		}
	}
	return &Worker{o: o, kick: make(chan struct{}, 1), m: newWorkerMetrics(o.Registerer)}, nil
}

// Kick wakes the loop: call it after queueing or releasing a message.
func (w *Worker) Kick() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// Run delivers until ctx is done.
func (w *Worker) Run(ctx context.Context) error {
	for {
		if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
			w.o.Logger.Error("quarantine: delivery pass", "err", err)
		}
		wait := w.o.Poll
		if next, ok, err := w.o.Store.NextDue(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(w.o.Now()), 10*time.Millisecond))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-w.kick:
		case <-t.C:
		}
		t.Stop()
	}
}

// RunOnce delivers every message due now and returns how many attempts it
// made.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		batch, err := w.o.Store.Acquire(ctx, w.o.Instance, w.o.Now(), w.o.Lease, w.o.Concurrency)
		if err != nil {
			return n, err
		}
		if len(batch) == 0 {
			return n, nil
		}
		var wg sync.WaitGroup
		for _, m := range batch {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.deliver(ctx, m)
			}()
		}
		wg.Wait()
		n += len(batch)
	}
	return n, ctx.Err()
}

// deliver makes one attempt for m, which this instance has leased.
func (w *Worker) deliver(ctx context.Context, m *Message) {
	log := w.o.Logger.With("id", m.ID, "attempt", m.Attempts+1)
	pending := m.Pending()
	start := time.Now()
	a := w.attempt(ctx, m, pending, log)
	if len(a.Failed) > 0 && m.From != "" {
		a.DSN = w.bounce(ctx, m, a, log)
	}
	w.m.observe(a, time.Since(start))
	// Record even if ctx was cancelled mid-send: the upstream may have the
	// message, and forgetting that would send it again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	got, cerr := w.o.Store.Complete(rctx, m.ID, w.o.Instance, a)
	switch {
	case errors.Is(cerr, ErrLeaseLost):
		log.Error("quarantine: lease lost during delivery; lease shorter than delivery time?")
	case cerr != nil:
		log.Error("quarantine: record delivery attempt", "err", cerr)
	default:
		log.Info("quarantine: delivery attempt", "state", got.State, "delivered", len(a.Delivered), "failed", len(a.Failed), "deferred", len(a.Deferred))
	}
}

// attempt runs every delivery of the message and merges their outcomes
// into one Attempt.
func (w *Worker) attempt(ctx context.Context, m *Message, pending []string, log *slog.Logger) Attempt {
	dls, err := w.o.Prepare(ctx, m, relay.Envelope{From: m.From, To: pending, ID: m.ID})
	if err != nil {
		return w.outcome(m, pending, nil, fmt.Errorf("prepare: %w", err), w.o.Now())
	}
	var a Attempt
	covered := map[string]bool{}
	for _, dl := range dls {
		res, err := w.send(ctx, m, dl)
		part := w.outcome(m, dl.Env.To, res, err, w.o.Now())
		for _, r := range dl.Env.To {
			covered[strings.ToLower(r)] = true
		}
		a.Time, a.NextAttempt = part.Time, part.NextAttempt
		a.Delivered = append(a.Delivered, part.Delivered...)
		a.Failed = append(a.Failed, part.Failed...)
		a.Deferred = append(a.Deferred, part.Deferred...)
		if part.Err != "" {
			a.Err = part.Err
		}
	}
	var missed []string
	for _, r := range pending {
		if !covered[strings.ToLower(r)] {
			missed = append(missed, r)
		}
	}
	if len(missed) > 0 || len(dls) == 0 {
		log.Error("quarantine: prepared deliveries do not cover every pending recipient", "missed", len(missed))
		part := w.outcome(m, missed, nil, errors.New("recipient not covered by the prepared deliveries"), w.o.Now())
		a.Time, a.NextAttempt = part.Time, part.NextAttempt
		a.Deferred = append(a.Deferred, part.Deferred...)
		a.Failed = append(a.Failed, part.Failed...)
	}
	return a
}

// send opens the stored bytes afresh for one delivery, rewrites them and
// hands them to the relay.
func (w *Worker) send(ctx context.Context, m *Message, dl Delivery) (*relay.Result, error) {
	body, err := w.o.Store.Open(ctx, m.ID)
	if err != nil {
		return nil, fmt.Errorf("open body: %w", err)
	}
	defer body.Close()
	var r io.Reader = body
	if dl.Rewrite != nil {
		if r, err = dl.Rewrite(body); err != nil {
			return nil, fmt.Errorf("prepare: %w", err)
		}
	}
	if err := w.recordAttempt(ctx, m, dl.Env); err != nil {
		return nil, &relay.Error{Op: "audit", Temporary: true, Err: err}
	}
	sctx, cancel := context.WithTimeout(ctx, w.o.SendTimeout)
	defer cancel()
	return w.o.Sender.Send(sctx, dl.Env, r)
}

// recordAttempt writes message.delivery_attempted for one delivery of m.
func (w *Worker) recordAttempt(ctx context.Context, m *Message, env relay.Envelope) error {
	if w.o.Audit == nil {
		return nil
	}
	ev := newEvent(audit.TypeMessageDeliveryAttempted, m, w.o.Now(), Actor{Kind: ActorSystem})
	ev.Recipients = env.To
	ev.Upstream = &audit.Upstream{Attempt: m.Attempts + 1}
	if err := w.o.Audit.Emit(ctx, ev); err != nil {
		return fmt.Errorf("record attempt: %w", err)
	}
	return nil
}

// outcome classifies the relay's answer per recipient, applies the maximum
// lifetime and computes the next attempt.
func (w *Worker) outcome(m *Message, pending []string, res *relay.Result, err error, now time.Time) Attempt {
	a := Attempt{Time: now}
	seen := map[string]bool{}
	refused := func(l []*relay.RecipientError) {
		for _, e := range l {
			seen[strings.ToLower(e.Rcpt)] = true
			if e.Temporary {
				a.Deferred = append(a.Deferred, e)
			} else {
				a.Failed = append(a.Failed, e)
			}
		}
	}
	if err == nil && res != nil {
		for _, r := range res.Accepted {
			seen[strings.ToLower(r)] = true
			a.Delivered = append(a.Delivered, r)
		}
		refused(res.Refused)
	} else {
		var re *relay.Error
		temp := relay.IsTemporary(err)
		code, enh := 451, smtpcode.Enhanced{4, 4, 1}
		if errors.As(err, &re) {
			refused(re.Refused)
			if re.Code != 0 {
				code = re.Code
			}
			a.Err = fmt.Sprintf("%s: %d", re.Op, re.Code)
		} else {
			a.Err = "delivery error"
		}
		if !temp {
			if code < 500 {
				code = 554
			}
			enh = smtpcode.Enhanced{5, 0, 0}
		}
		for _, r := range pending {
			if !seen[strings.ToLower(r)] {
				seen[strings.ToLower(r)] = true
				e := &relay.RecipientError{Rcpt: r, Code: code, Enhanced: enh, Message: a.Err, Temporary: temp}
				refused([]*relay.RecipientError{e})
			}
		}
	}
	for _, r := range pending {
		if !seen[strings.ToLower(r)] {
			a.Deferred = append(a.Deferred, &relay.RecipientError{Rcpt: r, Code: 451, Enhanced: smtpcode.Enhanced{4, 4, 0}, Message: "no answer for recipient", Temporary: true})
		}
	}
	if len(a.Deferred) > 0 && !now.Before(m.QueuedAt.Add(w.o.MaxLifetime)) {
		for _, e := range a.Deferred {
			x := *e
			x.Enhanced, x.Temporary = smtpcode.Enhanced{4, 4, 7}, false
			x.Message = "delivery time expired; last error: " + e.Message
			a.Failed = append(a.Failed, &x)
		}
		a.Deferred = nil
	}
	back := w.o.BackoffBase << min(m.Attempts, 30)
	if back <= 0 || back > w.o.BackoffMax {
		back = w.o.BackoffMax
	}
	a.NextAttempt = now.Add(back)
	return a
}

// bounce queues the DSN for a.Failed and returns its id ("" on failure,
// logged: the attempt is recorded anyway so delivered recipients are not
// sent the message again).
func (w *Worker) bounce(ctx context.Context, m *Message, a Attempt, log *slog.Logger) string {
	body, err := w.o.Store.Open(ctx, m.ID)
	if err != nil {
		log.Error("quarantine: dsn: open original", "err", err)
		return ""
	}
	defer body.Close()
	id, err := QueueDSN(ctx, w.o.Store, w.o.DSN, Bounce{
		ID: dsnID(m.ID, m.Attempts), Sender: m.From, Arrival: m.Received, RefID: m.ID,
		Subject: m.Headers.Subject, Failed: a.Failed, Original: body, Now: a.Time,
	})
	if err != nil {
		log.Error("quarantine: dsn not queued", "err", err)
		return ""
	}
	w.Kick()
	return id
}
