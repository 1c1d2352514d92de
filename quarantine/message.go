package quarantine

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/okuri/okuri/internal/smtpcode"
)

// State is where a message is in its lifecycle. See the package doc for the
// transitions between states.
type State string

// The states of the lifecycle (DESIGN.md, "Message lifecycle").
const (
	StateQueued        State = "queued"         // waiting for (re)delivery by the worker
	StateDelivered     State = "delivered"      // terminal: every recipient resolved, at least one accepted
	StateFailed        State = "failed"         // terminal: no recipient accepted; DSN sent
	StateHeldDelay     State = "held_delay"     // sent after a delay unless the sender cancels
	StateHeldSelfCheck State = "held_selfcheck" // waits for the sender to confirm
	StateHeldApproval  State = "held_approval"  // waits for an approver of the sender's group
	StateQuarantined   State = "quarantined"    // waits for the security team
	StateCancelled     State = "cancelled"      // terminal: the sender cancelled
	StateExpired       State = "expired"        // terminal: nobody acted before the hold deadline
	StateRejected      State = "rejected"       // terminal: an approver rejected it
	StateDeleted       State = "deleted"        // terminal: the security team deleted it
)

// States lists every state, in a fixed order (used for counts).
var States = []State{
	StateQueued, StateDelivered, StateFailed, StateHeldDelay, StateHeldSelfCheck,
	StateHeldApproval, StateQuarantined, StateCancelled, StateExpired, StateRejected, StateDeleted,
}

// Valid reports whether s is a known state.
func (s State) Valid() bool {
	for _, x := range States {
		if s == x {
			return true
		}
	}
	return false
}

// Held reports whether s is one of the hold states with a deadline.
func (s State) Held() bool {
	return s == StateHeldDelay || s == StateHeldSelfCheck || s == StateHeldApproval
}

// Terminal reports whether no transition leaves s.
func (s State) Terminal() bool {
	return s.Valid() && len(transitions[s]) == 0
}

// Headers are the header fields kept for display in lists and pages, already
// decoded to UTF-8 by the caller.
type Headers struct {
	From      string `json:"from,omitempty"`
	To        string `json:"to,omitempty"`
	Cc        string `json:"cc,omitempty"`
	Subject   string `json:"subject,omitempty"`
	Date      string `json:"date,omitempty"`
	MessageID string `json:"message_id,omitempty"`
}

// Finding is the summary of one kind of detected personal data. Samples are
// masked by the policy package; the store never sees a matched value.
type Finding struct {
	Kind    string   `json:"kind"`
	Count   int      `json:"count"`
	Samples []string `json:"samples,omitempty"` // masked, e.g. "090-****-5678"
	Where   string   `json:"where,omitempty"`   // e.g. "attachment list.csv"
	// Records is how many people (rows, records) this finding is part of,
	// so pages count customers rather than matched cells.
	Records int `json:"records,omitempty"`
	// Column is the column header (or letter) of a table, when known.
	Column string `json:"column,omitempty"`
}

// Part is one MIME part, or one file inside a container, as the scanner
// saw it when the message was held. Pages list and confirm attachments
// from these, so a person confirms exactly what was scanned instead of
// what a second, smaller parser of the stored bytes happens to find.
type Part struct {
	// Path is the scanner's location: the MIME part number ("2", "1.3"),
	// then for files inside containers "/" and the path inside them
	// ("2/customers.zip/list.xlsx").
	Path string `json:"path"`
	Name string `json:"name,omitempty"` // decoded file or entry name
	Type string `json:"type,omitempty"` // declared MIME type, or the detected format inside containers
	Size int64  `json:"size"`           // decoded size in bytes
	// Attachment is true for parts with a file name or an attachment
	// disposition, and for files inside containers.
	Attachment bool   `json:"attachment,omitempty"`
	Verdict    string `json:"verdict,omitempty"` // of this part alone
}

// Nested reports whether p is a file inside a container (an archive, a
// PDF's embedded file) rather than a MIME part of the message.
func (p Part) Nested() bool { return strings.Contains(p.Path, "/") }

// Decision is the summary of the policy decision that put the message here.
// The policy issue fills it; the store keeps it verbatim.
type Decision struct {
	Action      string    `json:"action,omitempty"`  // "pass", "delay", "selfcheck", "approval", "quarantine", ...
	Rule        string    `json:"rule,omitempty"`    // name of the deciding rule
	Verdict     string    `json:"verdict,omitempty"` // "personal_data", "clean", "encrypted", "unscannable"
	Explanation string    `json:"explanation,omitempty"`
	Findings    []Finding `json:"findings,omitempty"`
	// Rewrite is the header rewrite the message gets on delivery, now or
	// after release; nil in records written before it was kept (read
	// them with Message.RewritePlan).
	Rewrite *RewritePlan `json:"rewrite,omitempty"`
	// Explain is why the message was held, for pages and notices; nil in
	// records written before it was kept (read them with Message.Explain).
	Explain *Explain `json:"explain,omitempty"`
	// Policy is the full policy decision (policy.Decision as JSON) that
	// records written before Rewrite and Explain carried. It is no longer
	// written; RewritePlan and Explain read it for such records.
	Policy json.RawMessage `json:"policy,omitempty"`
}

// Actor is who caused a state change.
type Actor struct {
	Kind string `json:"kind"`           // ActorSystem, ActorSender, ActorApprover, ActorSecurity
	User string `json:"user,omitempty"` // user name; empty for the system
	IP   string `json:"ip,omitempty"`   // client IP of a UI action
}

// Actor kinds.
const (
	ActorSystem   = "system"
	ActorSender   = "sender"
	ActorApprover = "approver"
	ActorSecurity = "security"
)

// System is the actor for the gateway, worker and sweeper.
var System = Actor{Kind: ActorSystem}

// HistoryEntry is one step in a message's history.
type HistoryEntry struct {
	Time    time.Time `json:"time"`
	Actor   Actor     `json:"actor"`
	What    string    `json:"what"` // audit event type, e.g. "message.approved"
	From    State     `json:"from,omitempty"`
	To      State     `json:"to,omitempty"`
	Comment string    `json:"comment,omitempty"`
}

// Recipient delivery status values.
const (
	RcptPending   = "pending"
	RcptDelivered = "delivered"
	RcptFailed    = "failed"
)

// Recipient is the delivery state of one envelope recipient.
type Recipient struct {
	Addr     string            `json:"addr"`
	Status   string            `json:"status"` // RcptPending, RcptDelivered, RcptFailed
	Code     int               `json:"code,omitempty"`
	Enhanced smtpcode.Enhanced `json:"enhanced,omitzero"`
	Reply    string            `json:"reply,omitempty"` // upstream text, for the UI and DSN only, never logged
	Attempts int               `json:"attempts,omitempty"`
	Updated  time.Time         `json:"updated,omitzero"`
}

// Message is the record of one stored message. The body is kept apart and
// read with Store.Open.
type Message struct {
	ID       string    `json:"id"` // ULID: sortable by receive time
	Received time.Time `json:"received"`

	From string   `json:"from"` // envelope reverse path; "" for a DSN
	To   []string `json:"to"`   // envelope recipients

	Headers  Headers  `json:"headers"`
	Size     int64    `json:"size"` // set by the store from the body
	AuthUser string   `json:"auth_user,omitempty"`
	ClientIP string   `json:"client_ip,omitempty"`
	Group    string   `json:"group,omitempty"` // approver group of the sender
	Decision Decision `json:"decision"`
	// Parts are the scanner's parts, in scan order; empty for records
	// written before they were kept and for okuri's own mail.
	Parts []Part `json:"parts,omitempty"`
	// Preview is the start of the body text as the scanner decoded it
	// (the first text part; HTML reduced to its text), at most
	// MaxPreview bytes; PreviewTruncated says the body went on.
	Preview          string `json:"preview,omitempty"`
	PreviewTruncated bool   `json:"preview_truncated,omitempty"`

	// NoticeDue says the notices about this message (to its sender,
	// approvers, the security team) are still to be queued. The gateway
	// sets it in the record it holds, so the obligation to tell people
	// commits with the hold (the outbox pattern): a crash after the
	// commit and before the notices were queued leaves it set, and the
	// sweeper queues them (SweeperOptions.OnNoticeDue).
	NoticeDue bool `json:"notice_due,omitempty"`

	State     State          `json:"state"`
	History   []HistoryEntry `json:"history,omitempty"`
	HoldUntil time.Time      `json:"hold_until,omitzero"` // deadline of a held_* state

	// Delivery.
	QueuedAt    time.Time   `json:"queued_at,omitzero"` // first entry into queued; max lifetime counts from here
	NextAttempt time.Time   `json:"next_attempt,omitzero"`
	Attempts    int         `json:"attempts,omitempty"`
	Recipients  []Recipient `json:"recipients,omitempty"`
	LastError   string      `json:"last_error,omitempty"` // whole-delivery error of the last attempt, for the UI
	LeaseOwner  string      `json:"lease_owner,omitempty"`
	LeaseUntil  time.Time   `json:"lease_until,omitzero"`
	DSN         string      `json:"dsn,omitempty"` // id of the DSN message sent for this one

	// Retention.
	TerminalAt time.Time `json:"terminal_at,omitzero"` // when a terminal state was entered
	Purged     bool      `json:"purged,omitempty"`     // body removed; the record is a tombstone
	PurgedAt   time.Time `json:"purged_at,omitzero"`

	Version int64 `json:"version"` // incremented by every change; for the UI's optimistic checks
}

// MaxPreview bounds Message.Preview: the page shows the start of the
// body to recognise the message, not all of it.
const MaxPreview = 32 << 10

// Pending returns the addresses still to be delivered.
func (m *Message) Pending() []string {
	var l []string
	for _, r := range m.Recipients {
		if r.Status == RcptPending {
			l = append(l, r.Addr)
		}
	}
	return l
}

// Own reports whether m is okuri's own mail — a notice to a person or a
// DSN — queued with the null reverse path and no authenticated user. Such
// mail is nobody's held message: lists leave it out (Query.WithOwn) and
// the UI shows it to no one, because a notice carries a signed link that
// acts as its recipient.
func (m *Message) Own() bool {
	return m.From == "" && m.AuthUser == "" && (m.Decision.Action == "notice" || m.Decision.Action == "dsn")
}

// senders returns the lower-cased identities a sender may appear as: the
// authenticated user and the envelope sender.
func (m *Message) senders() []string {
	var l []string
	for _, s := range []string{m.AuthUser, m.From} {
		s = strings.ToLower(strings.TrimSpace(s))
		if s != "" && (len(l) == 0 || l[0] != s) {
			l = append(l, s)
		}
	}
	return l
}

// searchText is the lower-cased text free-text queries match against:
// subject and addresses.
func (m *Message) searchText() string {
	parts := []string{m.Headers.Subject, m.Headers.From, m.Headers.To, m.Headers.Cc, m.From, m.AuthUser}
	parts = append(parts, m.To...)
	return strings.ToLower(strings.Join(parts, "\n"))
}

// clone returns a deep copy, so a failed change never leaks into the caller's value.
func (m *Message) clone() *Message {
	c := *m
	c.To = append([]string(nil), m.To...)
	c.History = append([]HistoryEntry(nil), m.History...)
	c.Recipients = append([]Recipient(nil), m.Recipients...)
	c.Decision.Findings = append([]Finding(nil), m.Decision.Findings...)
	c.Parts = append([]Part(nil), m.Parts...)
	if m.Decision.Rewrite != nil {
		p := *m.Decision.Rewrite
		p.Internal = append([]string(nil), p.Internal...)
		p.Add = append([]HeaderField(nil), p.Add...)
		c.Decision.Rewrite = &p
	}
	if m.Decision.Explain != nil {
		c.Decision.Explain = m.Decision.Explain.clone()
	}
	return &c
}
