package quarantine

import (
	"context"
	"io"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/relay"
)

// Store keeps every message okuri is responsible for. Both backends
// (*Embedded and *Redis) implement it and pass the same conformance suite.
//
// Every method that changes a message writes the audit events of the change
// in the same atomic step (bbolt transaction or Lua script), through the
// Outbox given in the backend's Options.
type Store interface {
	// Put stores a new message durably: the body is read from body to its
	// end, the record is created in m.State, which must be a hold state,
	// StateQuarantined or StateQueued, and a "message.held" or
	// "message.queued" event is written. When Put returns nil the message
	// survives a crash and the gateway may answer 250. Put assigns m.ID
	// (a ULID) when empty, and sets m.Received (when zero), m.Size,
	// m.Version and the delivery fields. ErrStorageFull means out of space.
	// A queued message whose recipients were partly delivered already (the
	// synchronous pass path after a temporary failure) is stored with To
	// and Recipients filled in: delivered ones RcptDelivered, the rest
	// RcptPending; with Recipients empty every recipient is pending.
	// Events in before (e.g. the gateway's message.received and
	// message.decided) are written ahead of the store's own event in the
	// same transaction: a held message and the record of why it was held
	// become durable together, with one commit instead of two.
	Put(ctx context.Context, m *Message, body io.Reader, before ...audit.Event) error

	// Get returns the record of a message (also of a purged tombstone).
	Get(ctx context.Context, id string) (*Message, error)

	// Open returns the stored bytes of a message; the caller closes them.
	// ErrPurged after retention removed the body.
	Open(ctx context.Context, id string) (io.ReadCloser, error)

	// Transition moves a message from ch.From to ch.To if, and only if, it is
	// in ch.From and the lifecycle allows it (*TransitionError otherwise,
	// matching ErrConflict or ErrIllegalTransition); an approval by the
	// message's own sender fails with ErrSelfApproval, a self-check that
	// does not confirm every recipient (Change.Checked) with
	// ErrUnconfirmed. It returns the changed record.
	Transition(ctx context.Context, id string, ch Change) (*Message, error)

	// List returns messages matching q inside q.Scope, newest first, one
	// page at a time.
	List(ctx context.Context, q Query) (*Page, error)

	// Counts returns the number of messages per state (tombstones included).
	Counts(ctx context.Context) (map[State]int, error)

	// CountScope returns the number of messages per state inside scope
	// (e.g. messages waiting for an approver's groups), for the given
	// states or all. O(1) per state for Scope{All: true}, otherwise
	// proportional to the messages counted.
	CountScope(ctx context.Context, scope Scope, states ...State) (map[State]int, error)

	// Acquire leases up to limit queued messages due at now to owner until
	// now+lease. A message leased by one owner is returned to no other
	// owner until the lease expires or is released with Complete.
	Acquire(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]*Message, error)

	// Complete records a delivery attempt by the lease owner, releases the
	// lease, and ends the message (delivered/failed) when no recipient is
	// pending. ErrLeaseLost when another owner holds the message now.
	Complete(ctx context.Context, id, owner string, a Attempt) (*Message, error)

	// NextDue returns the earliest time a queued message is due (or its
	// lease expires); ok is false when nothing is queued.
	NextDue(ctx context.Context) (t time.Time, ok bool, err error)

	// DueHolds returns ids of held messages whose deadline is at or before now.
	DueHolds(ctx context.Context, now time.Time, limit int) ([]string, error)

	// NoticesDue returns ids of messages stored with NoticeDue set before
	// t whose notices were not reported queued yet (NoticesQueued), oldest
	// first.
	NoticesDue(ctx context.Context, before time.Time, limit int) ([]string, error)

	// NoticesQueued clears a message's NoticeDue: its notices are queued.
	// A message without NoticeDue is left as it is.
	NoticesQueued(ctx context.Context, id string) error

	// PurgeBodies removes the bodies of up to limit terminal messages that
	// ended before t, keeping their records as tombstones.
	PurgeBodies(ctx context.Context, before time.Time, limit int) (int, error)

	// DeleteTombstones removes up to limit tombstones of messages that
	// ended before t.
	DeleteTombstones(ctx context.Context, before time.Time, limit int) (int, error)

	// NoteDelivered records deliveries made outside the worker (the
	// gateway's synchronous pass path) in the known-recipient history.
	NoteDelivered(ctx context.Context, when time.Time, addrs ...string) error

	// Known reports whether mail was delivered to addr (an address with
	// "@") or domain before, and when first and last.
	Known(ctx context.Context, addrOrDomain string) (KnownRecipient, bool, error)

	// SessionPut, SessionGet and SessionDelete are a small key/value
	// facility with expiry, for the approvals UI's sessions.
	SessionPut(ctx context.Context, key string, value []byte, ttl time.Duration) error
	SessionGet(ctx context.Context, key string) ([]byte, error) // ErrNotFound when missing or expired
	SessionDelete(ctx context.Context, key string) error
	// SessionSwap is compare-and-set on a value that never expires (the
	// shared account state): it stores new under key only if the current
	// value equals old (old nil: only if there is none) and reports
	// whether it did. SessionGet reads it; SessionDelete removes it.
	SessionSwap(ctx context.Context, key string, old, new []byte) (bool, error)
	// SessionAdd adds delta to the counter under key atomically and
	// returns the new value; a new (or expired) counter starts at 0 and
	// lives for ttl from then. Counters are read with delta 0 and live
	// apart from the other values (SessionDelete removes one).
	SessionAdd(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error)

	Close() error
}

// Scope is what the person asking may see; List returns nothing outside
// it, so a handler that forgets a check cannot leak another group's mail.
// The zero Scope sees nothing.
type Scope struct {
	All    bool     // security team, auditors
	Groups []string // approver of these groups: their messages
	Sender string   // a sender: messages they sent (user or envelope sender)
	// NoGroup adds the messages without a group: what fallback approvers
	// decide on (senders in no group, or in one without approvers).
	NoGroup bool
}

// Allows reports whether m is inside the scope (for single-message pages).
func (s Scope) Allows(m *Message) bool {
	if s.All {
		return true
	}
	if m.Group != "" && slices.Contains(s.Groups, m.Group) || m.Group == "" && s.NoGroup {
		return true
	}
	return s.Sender != "" && m.isSender(s.Sender)
}

// Query selects messages for List. Zero fields other than Scope do not
// filter.
type Query struct {
	Scope  Scope // required: who is asking
	State  State
	Sender string    // authenticated user or envelope sender, case-insensitive
	Group  string    // approver group
	Since  time.Time // received at or after
	Until  time.Time // received before
	Text   string    // case-insensitive substring of subject or any address
	Before string    // cursor: only messages older than this id (Page.Next)
	Limit  int       // page size; default 50, at most 1000
	// WithOwn also lists okuri's own mail (notices, DSNs); without it
	// lists hold people's mail only. Notices carry signed self-check
	// links, so they are for the delivery worker, not for reading.
	WithOwn bool
}

// Page is one page of List results.
type Page struct {
	Messages []*Message
	Next     string // cursor for Query.Before; empty on the last page
}

// Attempt is the outcome of one delivery attempt, computed by the worker.
type Attempt struct {
	Time        time.Time
	Delivered   []string                // accepted by the upstream
	Failed      []*relay.RecipientError // refused permanently (or lifetime over)
	Deferred    []*relay.RecipientError // refused temporarily; stay pending
	Err         string                  // whole-delivery failure summary (no recipient reached), for the UI
	NextAttempt time.Time               // when pending recipients are tried again
	DSN         string                  // id of the DSN queued for Failed, if any
}

// KnownRecipient is the delivery history of one address or domain.
type KnownRecipient struct {
	First, Last time.Time
}

// Outbox types: *audit.BoltOutbox and *audit.RedisOutbox implement them;
// the store writes audit events in its own transaction through them.
type (
	// BoltOutbox appends events inside the embedded store's transaction.
	BoltOutbox interface {
		AppendTx(tx *bbolt.Tx, evs ...audit.Event) error
	}
	// RedisOutbox names the list the Redis store's Lua script RPUSHes
	// audit.Marshal payloads to, atomically with the change.
	RedisOutbox interface {
		ListKey() string
	}
)
