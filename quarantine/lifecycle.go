package quarantine

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/okuri/okuri/audit"
)

// Sentinel errors; check with errors.Is.
var (
	ErrNotFound          = errors.New("quarantine: message not found")
	ErrExists            = errors.New("quarantine: message id already exists")
	ErrConflict          = errors.New("quarantine: message is not in the expected state")
	ErrIllegalTransition = errors.New("quarantine: illegal transition")
	ErrSelfApproval      = errors.New("quarantine: a sender cannot approve or release their own message")
	// ErrExpired means a self-check or approval came after the hold's
	// deadline; the sweeper will expire the message.
	ErrExpired     = errors.New("quarantine: hold deadline passed")
	ErrUnconfirmed = errors.New("quarantine: self-check must confirm every recipient")
	ErrLeaseLost   = errors.New("quarantine: delivery lease lost to another instance")
	ErrPurged      = errors.New("quarantine: message body purged")
	// ErrStorageFull means the spool or database is out of space; the
	// gateway answers 452 4.3.1 (RFC 3463 "mail system full").
	ErrStorageFull = errors.New("quarantine: insufficient storage")
	// ErrUnavailable means the backend cannot be reached; the gateway answers 451.
	ErrUnavailable = errors.New("quarantine: store unavailable")
)

// TransitionError is returned by Store.Transition when the message is not in
// the state the caller expected (Is ErrConflict) or the lifecycle has no
// edge between the states (Is ErrIllegalTransition). It names both states.
type TransitionError struct {
	ID      string
	Current State // the state the message is in
	From    State // the state the caller expected
	To      State // the state the caller asked for
	illegal bool
}

func (e *TransitionError) Error() string {
	if e.illegal {
		return fmt.Sprintf("transition %s: no transition from %s to %s", e.ID, e.From, e.To)
	}
	return fmt.Sprintf("transition %s: message is %s, not %s (wanted %s)", e.ID, e.Current, e.From, e.To)
}

// Is makes errors.Is match ErrConflict or ErrIllegalTransition.
func (e *TransitionError) Is(target error) bool {
	if e.illegal {
		return target == ErrIllegalTransition
	}
	return target == ErrConflict
}

// transitions is the lifecycle: from → to → audit event type.
var transitions = map[State]map[State]string{
	StateQueued:        {StateDelivered: audit.TypeMessageDelivered, StateFailed: audit.TypeMessageFailed},
	StateHeldDelay:     {StateQueued: audit.TypeMessageReleased, StateCancelled: audit.TypeMessageCancelled},
	StateHeldSelfCheck: {StateQueued: audit.TypeMessageSelfChecked, StateCancelled: audit.TypeMessageCancelled, StateExpired: audit.TypeMessageExpired},
	StateHeldApproval:  {StateQueued: audit.TypeMessageApproved, StateRejected: audit.TypeMessageRejected, StateExpired: audit.TypeMessageExpired},
	StateQuarantined:   {StateQueued: audit.TypeMessageReleased, StateDeleted: audit.TypeMessageDeleted},
}

// CanTransition reports whether the lifecycle has an edge from → to.
func CanTransition(from, to State) bool {
	_, ok := transitions[from][to]
	return ok
}

// Change is a compare-and-set state change requested by a person (through
// the UI) or the system (sweeper).
type Change struct {
	From    State  // the state the caller saw; the change fails with ErrConflict otherwise
	To      State  // the new state
	Actor   Actor  // who; for an approval Actor.User must not be the message's sender
	Comment string // free text kept in the history and the audit event
	// Checked is what the sender confirmed in a self-check; required for
	// held_selfcheck → queued, and it must list every envelope recipient.
	Checked *audit.SelfCheck
	// Via is the door a person used ("ui", "api", "link" for a signed
	// notice link without a sign-in), kept in the audit event so that a
	// link action is not mistaken for a signed-in one.
	Via string
}

// newEvent returns the audit event of type typ about m. It carries kinds
// and counts of findings, never detected values.
func newEvent(typ string, m *Message, now time.Time, a Actor) audit.Event {
	ev := audit.Event{
		Type: typ, MessageID: m.ID, Time: now, Actor: a.audit(),
		Sender: m.From, Recipients: m.To, Rule: m.Decision.Rule, Decision: m.Decision.Action,
		Size: m.Size, State: string(m.State),
	}
	if a.Kind != ActorSystem && a.Kind != "" {
		ev.Attrs = map[string]string{"role": a.Kind}
	}
	if len(m.Decision.Findings) > 0 {
		ev.Findings = map[string]int{}
		for _, f := range m.Decision.Findings {
			ev.Findings[f.Kind] += f.Count
		}
	}
	return ev
}

// audit returns the actor as the audit log records it.
func (a Actor) audit() audit.Actor {
	if a.Kind == ActorSystem || a.Kind == "" {
		return audit.System
	}
	return audit.Actor{Kind: audit.ActorUser, User: a.User, IP: a.IP}
}

// isSender reports whether user is the sender of m (authenticated user or
// envelope sender, compared case-insensitively).
func (m *Message) isSender(user string) bool {
	user = strings.ToLower(strings.TrimSpace(user))
	return user != "" && slices.Contains(m.senders(), user)
}

// applyTransition changes m according to ch and returns the audit event.
func applyTransition(m *Message, ch Change, now time.Time) (audit.Event, error) {
	if m.State != ch.From {
		return audit.Event{}, &TransitionError{ID: m.ID, Current: m.State, From: ch.From, To: ch.To}
	}
	typ, ok := transitions[ch.From][ch.To]
	if !ok {
		return audit.Event{}, &TransitionError{ID: m.ID, Current: m.State, From: ch.From, To: ch.To, illegal: true}
	}
	if ch.From == StateHeldSelfCheck && ch.To == StateQueued {
		if ch.Checked == nil {
			return audit.Event{}, fmt.Errorf("transition %s: %w", m.ID, ErrUnconfirmed)
		}
		for _, r := range m.To {
			if !slices.ContainsFunc(ch.Checked.Recipients, func(c string) bool { return strings.EqualFold(c, r) }) {
				return audit.Event{}, fmt.Errorf("transition %s: a recipient was not confirmed: %w", m.ID, ErrUnconfirmed)
			}
		}
	}
	if err := checkPerson(m, ch, now); err != nil {
		return audit.Event{}, err
	}
	m.State = ch.To
	m.History = append(m.History, HistoryEntry{Time: now, Actor: ch.Actor, What: typ, From: ch.From, To: ch.To, Comment: ch.Comment})
	enterState(m, now)
	ev := newEvent(typ, m, now, ch.Actor)
	ev.PrevState, ev.Comment, ev.Checked = string(ch.From), ch.Comment, ch.Checked
	if ch.Via != "" && ev.Attrs != nil {
		ev.Attrs["via"] = ch.Via
	}
	return ev, nil
}

// checkPerson enforces the rules on people sending a held message, inside
// the compare-and-set so that no caller can skip them: an approval or a
// quarantine release needs a named person who is not the sender (whatever
// roles they hold), and a self-check or approval after the hold's deadline
// is refused even when the sweeper has not expired the message yet. A
// delayed send past its deadline is sent anyway, so "send now" stays.
func checkPerson(m *Message, ch Change, now time.Time) error {
	if ch.To != StateQueued {
		return nil
	}
	switch ch.From {
	case StateHeldApproval, StateQuarantined:
		if ch.Actor.User == "" || ch.Actor.Kind == ActorSystem {
			return fmt.Errorf("transition %s: sending it needs a named approver: %w", m.ID, ErrIllegalTransition)
		}
		if m.isSender(ch.Actor.User) {
			return fmt.Errorf("transition %s: %w", m.ID, ErrSelfApproval)
		}
	}
	if (ch.From == StateHeldApproval || ch.From == StateHeldSelfCheck) && !m.HoldUntil.IsZero() && !now.Before(m.HoldUntil) {
		return fmt.Errorf("transition %s: deadline %s: %w", m.ID, m.HoldUntil.UTC().Format(time.RFC3339), ErrExpired)
	}
	return nil
}

// enterState sets the bookkeeping fields for m's (new) state.
func enterState(m *Message, now time.Time) {
	switch {
	case m.State == StateQueued:
		m.HoldUntil = time.Time{}
		if m.QueuedAt.IsZero() {
			m.QueuedAt = now
		}
		if m.NextAttempt.IsZero() {
			m.NextAttempt = now
		}
		if len(m.Recipients) == 0 {
			for _, r := range m.To {
				m.Recipients = append(m.Recipients, Recipient{Addr: r, Status: RcptPending})
			}
		}
	case m.State.Terminal():
		m.HoldUntil = time.Time{}
		m.NextAttempt = time.Time{}
		m.LeaseOwner, m.LeaseUntil = "", time.Time{}
		m.TerminalAt = now
	}
}

// ixEntry is one entry of a secondary index: a member of a sorted set.
// Members sort lexically; time-ordered sets prefix the id with a fixed-width
// timestamp, the others are the bare ULID (which sorts by receive time).
type ixEntry struct {
	set    string
	member string
}

// Index set names.
const (
	ixAll   = "all"
	ixState = "st:"  // + state
	ixSend  = "snd:" // + lower-cased sender
	ixGroup = "grp:" // + group
	ixGS    = "gs:"  // + group + ixSep + state
	ixSS    = "ss:"  // + lower-cased sender + ixSep + state
	ixSep   = "\x1f"
	ixDue   = "due"  // queued messages by next attempt (or lease expiry)
	ixHold  = "hold" // held_* messages by deadline
	ixTerm  = "term" // terminal messages with a body, by terminal time
	ixTomb  = "tomb" // tombstones, by terminal time
	// ixNotice: messages whose notices are still to be queued, by
	// receive time.
	ixNotice = "notice"
)

func tsMember(t time.Time, id string) string {
	ms := max(t.UnixMilli(), 0)
	return fmt.Sprintf("%013d|%s", ms, id)
}

// memberID returns the id in an index member.
func memberID(member string) string {
	if i := strings.LastIndexByte(member, '|'); i >= 0 {
		return member[i+1:]
	}
	return member
}

// indexEntries returns every index entry for m.
func indexEntries(m *Message) []ixEntry {
	l := []ixEntry{{ixAll, m.ID}, {ixState + string(m.State), m.ID}}
	for _, s := range m.senders() {
		l = append(l, ixEntry{ixSend + s, m.ID}, ixEntry{ixSS + s + ixSep + string(m.State), m.ID})
	}
	if m.Group != "" {
		l = append(l, ixEntry{ixGroup + m.Group, m.ID}, ixEntry{ixGS + m.Group + ixSep + string(m.State), m.ID})
	}
	if m.NoticeDue {
		l = append(l, ixEntry{ixNotice, tsMember(m.Received, m.ID)})
	}
	switch {
	case m.State == StateQueued && !m.Purged:
		t := m.NextAttempt
		if m.LeaseUntil.After(t) {
			t = m.LeaseUntil
		}
		l = append(l, ixEntry{ixDue, tsMember(t, m.ID)})
	case m.State.Held() && !m.HoldUntil.IsZero():
		l = append(l, ixEntry{ixHold, tsMember(m.HoldUntil, m.ID)})
	case m.State.Terminal() && !m.Purged:
		l = append(l, ixEntry{ixTerm, tsMember(m.TerminalAt, m.ID)})
	case m.State.Terminal() && m.Purged:
		l = append(l, ixEntry{ixTomb, tsMember(m.TerminalAt, m.ID)})
	}
	return l
}

// diffIndex returns the entries to remove and to add to go from old to new.
// old may be nil (create), new may be nil (delete).
func diffIndex(old, new *Message) (rem, add []ixEntry) {
	var o, n []ixEntry
	if old != nil {
		o = indexEntries(old)
	}
	if new != nil {
		n = indexEntries(new)
	}
	for _, e := range o {
		if !slices.Contains(n, e) {
			rem = append(rem, e)
		}
	}
	for _, e := range n {
		if !slices.Contains(o, e) {
			add = append(add, e)
		}
	}
	return rem, add
}
