package quarantine

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/internal/addr"
	"github.com/okuri/okuri/internal/smtpcode"
	"github.com/okuri/okuri/relay"
)

// backend is what each storage implementation provides; core builds the
// Store semantics (lifecycle, leases, queries) on top of it once.
type backend interface {
	// create stores body and record and the index entries and events of m
	// atomically; ErrExists if the id is taken.
	create(ctx context.Context, m *Message, body io.Reader, evs []audit.Event) (size int64, err error)
	load(ctx context.Context, id string) (*Message, error)
	loadMany(ctx context.Context, ids []string) ([]*Message, error) // missing ids are skipped
	// update runs fn on a copy of the record and writes the result, its
	// index changes and effects atomically, only if the record did not
	// change in between.
	update(ctx context.Context, id string, fn func(m *Message) (*effects, error)) (*Message, error)
	// scanRev calls fn with batches of members of set that sort below hi
	// (exclusive; "" = no bound) and at or above lo, largest first, until fn
	// returns false.
	scanRev(ctx context.Context, set, hi, lo string, batch int, fn func(members []string) (bool, error)) error
	// textScan is scanRev restricted to ids whose search text contains
	// text (lower-cased); fn may get fewer than batch ids per call.
	textScan(ctx context.Context, set, hi, lo, text string, batch int, fn func(ids []string) (bool, error)) error
	// scanAsc returns up to limit members of set at or below hi, smallest first.
	scanAsc(ctx context.Context, set, hi string, limit int) ([]string, error)
	first(ctx context.Context, set string) (string, bool, error)
	counts(ctx context.Context) (map[State]int, error)
	openBody(ctx context.Context, id string) (io.ReadCloser, error)
	known(ctx context.Context, key string) (KnownRecipient, bool, error)
	noteKnown(ctx context.Context, keys []string, when time.Time) error
	sessionPut(ctx context.Context, key string, value []byte, ttl time.Duration) error
	sessionGet(ctx context.Context, key string) ([]byte, error)
	sessionDelete(ctx context.Context, key string) error
	sessionSwap(ctx context.Context, key string, old, new []byte) (bool, error)
	sessionAdd(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error)
}

// effects are the side effects of an update besides the record itself.
type effects struct {
	events    []audit.Event
	known     []string // recipient addresses delivered to now
	purgeBody bool     // remove the body
	delete    bool     // remove the record entirely
	body      []byte   // Redis create: a small body passed inline
}

// core implements Store on a backend.
type core struct {
	b   backend
	now func() time.Time
}

func (c *core) clock() time.Time {
	if c.now != nil {
		return c.now()
	}
	return time.Now()
}

// NewID returns a new message id (ULID) for time t.
func NewID(t time.Time) string {
	return ulid.MustNew(ulid.Timestamp(t), rand.Reader).String()
}

func (c *core) Put(ctx context.Context, m *Message, body io.Reader, before ...audit.Event) error {
	if !(m.State.Held() || m.State == StateQuarantined || m.State == StateQueued) {
		return fmt.Errorf("put: initial state %q: %w", m.State, ErrIllegalTransition)
	}
	now := c.clock()
	if m.Received.IsZero() {
		m.Received = now
	}
	if m.ID == "" {
		m.ID = NewID(m.Received)
	} else if _, err := ulid.ParseStrict(m.ID); err != nil {
		return fmt.Errorf("put %q: id is not a ulid: %v", m.ID, err)
	}
	typ := audit.TypeMessageHeld
	if m.State == StateQueued {
		typ = audit.TypeMessageQueued
	}
	m.Version = 1
	m.History = append(m.History, HistoryEntry{Time: now, Actor: System, What: typ, To: m.State, Comment: m.Decision.Rule})
	enterState(m, now)
	ev := newEvent(typ, m, now, System)
	if !m.HoldUntil.IsZero() {
		d := m.HoldUntil
		ev.Deadline = &d
	}
	evs := append(append(make([]audit.Event, 0, len(before)+1), before...), ev)
	size, err := c.b.create(ctx, m, body, evs)
	if err != nil {
		return fmt.Errorf("put %s: %w", m.ID, err)
	}
	m.Size = size
	return nil
}

func (c *core) Get(ctx context.Context, id string) (*Message, error) {
	m, err := c.b.load(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", id, err)
	}
	return m, nil
}

func (c *core) Open(ctx context.Context, id string) (io.ReadCloser, error) {
	r, err := c.b.openBody(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", id, err)
	}
	return r, nil
}

func (c *core) Transition(ctx context.Context, id string, ch Change) (*Message, error) {
	m, err := c.b.update(ctx, id, func(m *Message) (*effects, error) {
		ev, err := applyTransition(m, ch, c.clock())
		if err != nil {
			return nil, err
		}
		return &effects{events: []audit.Event{ev}}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("transition %s %s→%s: %w", id, ch.From, ch.To, err)
	}
	return m, nil
}

func (c *core) Counts(ctx context.Context) (map[State]int, error) {
	n, err := c.b.counts(ctx)
	if err != nil {
		return nil, fmt.Errorf("counts: %w", err)
	}
	return n, nil
}

func (c *core) Acquire(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*Message, error) {
	members, err := c.b.scanAsc(ctx, ixDue, tsMember(now, "~"), limit)
	if err != nil {
		return nil, fmt.Errorf("acquire: %w", err)
	}
	var l []*Message
	for _, mem := range members {
		skip := false
		m, err := c.b.update(ctx, memberID(mem), func(m *Message) (*effects, error) {
			skip = false // fn may run again (group commit retry, Redis version conflict)
			if m.State != StateQueued || m.Purged || m.NextAttempt.After(now) || m.LeaseUntil.After(now) {
				skip = true
				return nil, errSkip
			}
			m.LeaseOwner, m.LeaseUntil = owner, now.Add(lease)
			return &effects{}, nil
		})
		if skip || isNotFoundOrConflict(err) {
			continue
		} else if err != nil {
			return l, fmt.Errorf("acquire %s: %w", memberID(mem), err)
		}
		l = append(l, m)
	}
	return l, nil
}

func (c *core) Complete(ctx context.Context, id, owner string, a Attempt) (*Message, error) {
	m, err := c.b.update(ctx, id, func(m *Message) (*effects, error) {
		if m.State != StateQueued || m.LeaseOwner != owner {
			return nil, ErrLeaseLost
		}
		return applyAttempt(m, a), nil
	})
	if err != nil {
		return nil, fmt.Errorf("complete %s: %w", id, err)
	}
	return m, nil
}

// applyAttempt records a on m and returns the effects.
func applyAttempt(m *Message, a Attempt) *effects {
	set := func(addr, status string, code int, enh smtpcode.Enhanced, reply string) {
		for i := range m.Recipients {
			r := &m.Recipients[i]
			if strings.EqualFold(r.Addr, addr) && r.Status == RcptPending {
				r.Status, r.Code, r.Enhanced, r.Reply = status, code, enh, reply
				r.Attempts++
				r.Updated = a.Time
				return
			}
		}
	}
	for _, addr := range a.Delivered {
		set(addr, RcptDelivered, 250, smtpcode.Enhanced{2, 0, 0}, "")
	}
	for _, e := range a.Failed {
		set(e.Rcpt, RcptFailed, e.Code, e.Enhanced, e.Message)
	}
	for _, e := range a.Deferred {
		set(e.Rcpt, RcptPending, e.Code, e.Enhanced, e.Message)
	}
	m.Attempts++
	m.LastError = a.Err
	m.LeaseOwner, m.LeaseUntil = "", time.Time{}
	if a.DSN != "" {
		m.DSN = a.DSN
	}
	eff := &effects{known: a.Delivered}
	addEv := func(typ string, rcpts []string, refused int) {
		ev := newEvent(typ, m, a.Time, System)
		ev.Recipients = rcpts
		ev.Upstream = &audit.Upstream{Accepted: len(a.Delivered), Refused: refused, Attempt: m.Attempts}
		eff.events = append(eff.events, ev)
	}
	if len(a.Delivered) > 0 {
		addEv(audit.TypeMessageDelivered, a.Delivered, 0)
	}
	if len(a.Failed) > 0 {
		addEv(audit.TypeMessageFailed, rcptAddrs(a.Failed), len(a.Failed))
	}
	if a.DSN != "" {
		addEv(audit.TypeMessageDSNSent, rcptAddrs(a.Failed), len(a.Failed))
		eff.events[len(eff.events)-1].Attrs = map[string]string{"dsn": a.DSN}
	}
	pending := m.Pending()
	if len(pending) > 0 {
		m.NextAttempt = a.NextAttempt
		addEv(audit.TypeMessageDeferred, pending, len(a.Deferred))
		if a.Err != "" {
			eff.events[len(eff.events)-1].Reason = a.Err
		}
		return eff
	}
	to := StateFailed
	for _, r := range m.Recipients {
		if r.Status == RcptDelivered {
			to = StateDelivered
		}
	}
	m.History = append(m.History, HistoryEntry{Time: a.Time, Actor: System, What: transitions[StateQueued][to], From: StateQueued, To: to})
	m.State = to
	enterState(m, a.Time)
	return eff
}

func rcptAddrs(l []*relay.RecipientError) []string {
	var s []string
	for _, e := range l {
		s = append(s, e.Rcpt)
	}
	return s
}

func (c *core) NextDue(ctx context.Context) (time.Time, bool, error) {
	mem, ok, err := c.b.first(ctx, ixDue)
	if err != nil || !ok {
		return time.Time{}, false, err
	}
	var ms int64
	if _, err := fmt.Sscanf(mem, "%013d|", &ms); err != nil {
		return time.Time{}, false, fmt.Errorf("next due: bad index member %q", mem)
	}
	return time.UnixMilli(ms), true, nil
}

func (c *core) DueHolds(ctx context.Context, now time.Time, limit int) ([]string, error) {
	members, err := c.b.scanAsc(ctx, ixHold, tsMember(now, "~"), limit)
	if err != nil {
		return nil, fmt.Errorf("due holds: %w", err)
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = memberID(m)
	}
	return ids, nil
}

func (c *core) NoticesDue(ctx context.Context, before time.Time, limit int) ([]string, error) {
	members, err := c.b.scanAsc(ctx, ixNotice, tsMember(before, "~"), limit)
	if err != nil {
		return nil, fmt.Errorf("notices due: %w", err)
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = memberID(m)
	}
	return ids, nil
}

func (c *core) NoticesQueued(ctx context.Context, id string) error {
	_, err := c.b.update(ctx, id, func(m *Message) (*effects, error) {
		if !m.NoticeDue {
			return nil, errSkip
		}
		m.NoticeDue = false
		return &effects{}, nil
	})
	if err != nil && !errors.Is(err, errSkip) {
		return fmt.Errorf("notices queued %s: %w", id, err)
	}
	return nil
}

func (c *core) PurgeBodies(ctx context.Context, before time.Time, limit int) (int, error) {
	return c.retire(ctx, ixTerm, before, limit, func(m *Message, now time.Time) *effects {
		m.Purged, m.PurgedAt = true, now
		ev := newEvent(audit.TypeMessagePurged, m, now, System)
		return &effects{events: []audit.Event{ev}, purgeBody: true}
	})
}

func (c *core) DeleteTombstones(ctx context.Context, before time.Time, limit int) (int, error) {
	return c.retire(ctx, ixTomb, before, limit, func(m *Message, now time.Time) *effects {
		return &effects{delete: true}
	})
}

func (c *core) retire(ctx context.Context, set string, before time.Time, limit int, fn func(m *Message, now time.Time) *effects) (int, error) {
	members, err := c.b.scanAsc(ctx, set, tsMember(before, ""), limit)
	if err != nil {
		return 0, fmt.Errorf("retention %s: %w", set, err)
	}
	n := 0
	for _, mem := range members {
		_, err := c.b.update(ctx, memberID(mem), func(m *Message) (*effects, error) {
			if !m.State.Terminal() || !m.TerminalAt.Before(before) || (set == ixTerm && m.Purged) || (set == ixTomb && !m.Purged) {
				return nil, errSkip
			}
			return fn(m, c.clock()), nil
		})
		if err == errSkip || isNotFoundOrConflict(err) {
			continue
		} else if err != nil {
			return n, fmt.Errorf("retention %s: %w", memberID(mem), err)
		}
		n++
	}
	return n, nil
}

func (c *core) Known(ctx context.Context, s string) (KnownRecipient, bool, error) {
	k, ok, err := c.b.known(ctx, knownKey(s))
	if err != nil {
		return k, false, fmt.Errorf("known: %w", err)
	}
	return k, ok, nil
}

func (c *core) NoteDelivered(ctx context.Context, when time.Time, addrs ...string) error {
	if len(addrs) == 0 {
		return nil
	}
	if err := c.b.noteKnown(ctx, knownKeys(addrs), when); err != nil {
		return fmt.Errorf("note delivered: %w", err)
	}
	return nil
}

// knownKey is "a:addr" for an address and "d:domain" for a domain, both
// in internal/addr's normal form so that policy's lookups (which use it
// too) find what delivery recorded.
func knownKey(s string) string {
	if strings.Contains(s, "@") {
		return "a:" + addr.Key(s)
	}
	return "d:" + addr.NormalizeDomain(s)
}

// knownKeys returns the keys to record for delivered addresses.
func knownKeys(addrs []string) []string {
	var l []string
	for _, a := range addrs {
		l = append(l, "a:"+addr.Key(a))
		if d := addr.Domain(a); d != "" {
			if k := "d:" + d; !containsStr(l, k) {
				l = append(l, k)
			}
		}
	}
	return l
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func (c *core) SessionPut(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	if ttl <= 0 {
		return fmt.Errorf("session put: ttl must be positive")
	}
	if err := c.b.sessionPut(ctx, key, value, ttl); err != nil {
		return fmt.Errorf("session put: %w", err)
	}
	return nil
}

func (c *core) SessionGet(ctx context.Context, key string) ([]byte, error) {
	v, err := c.b.sessionGet(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("session get: %w", err)
	}
	return v, nil
}

func (c *core) SessionDelete(ctx context.Context, key string) error {
	if err := c.b.sessionDelete(ctx, key); err != nil {
		return fmt.Errorf("session delete: %w", err)
	}
	return nil
}
