package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/okuri/okuri/internal/smtpcode"
)

// SchemaVersion is the value of Event.V written by this package. Consumers
// must ignore fields they do not know; a new field never changes the
// meaning of an old one, a change that would is a new version.
const SchemaVersion = 1

// Event types. The subject an event is published on is
// "okuri.audit." + Type.
const (
	TypeMessageReceived    = "message.received"
	TypeMessageDecided     = "message.decided"
	TypeMessageRewritten   = "message.rewritten"
	TypeMessageHeld        = "message.held"
	TypeMessageSelfChecked = "message.selfchecked"
	TypeMessageApproved    = "message.approved"
	TypeMessageRejected    = "message.rejected"
	TypeMessageReleased    = "message.released"
	TypeMessageCancelled   = "message.cancelled"
	TypeMessageExpired     = "message.expired"
	TypeMessageQueued      = "message.queued"
	TypeMessageDelivered   = "message.delivered"
	// TypeMessageDeferred records recipients the upstream refused for now;
	// the message stays queued for them.
	TypeMessageDeferred = "message.deferred"
	// TypeMessageDeliveryAttempted is written before the gateway hands a
	// message to the upstream, so a crash after the upstream accepted it
	// but before message.delivered was recorded still leaves a trace.
	TypeMessageDeliveryAttempted = "message.delivery_attempted"
	TypeMessageFailed            = "message.failed"
	TypeMessageDSNSent           = "message.dsn_sent"
	TypeMessageDeleted           = "message.deleted"
	TypeMessageViewed            = "message.viewed"
	TypeMessageDownloaded        = "message.downloaded"
	TypeMessagePurged            = "message.purged"
	TypeUILogin                  = "ui.login"
	TypeUILoginFailed            = "ui.login_failed"
	TypeUILogout                 = "ui.logout"
	TypeUITOTPEnrolled           = "ui.totp_enrolled"
	TypeUIPasswordChanged        = "ui.password_changed"
	TypeUIViewed                 = "ui.viewed"
	TypeUIDownloaded             = "ui.downloaded"
	TypeAdminPrefix              = "admin." // every admin.* type below starts with it
	TypeAdminUserUnlocked        = "admin.user_unlocked"
	TypeAdminIPUnlocked          = "admin.ip_unlocked"
	TypeAdminPasswordReset       = "admin.password_reset"
	TypeAdminTOTPReset           = "admin.totp_reset"
	TypeConfigReloaded           = "config.reloaded"
	TypeGatewayStarted           = "gateway.started"
	TypeGatewayStopped           = "gateway.stopped"
	TypeAuditEventsLost          = "audit.events_lost"
	TypeAuditChainRestarted      = "audit.chain_started"
	// TypeAuditInvalidEvent stands in for an outbox entry that could not be
	// decoded, so it is recorded (by size) instead of wedging the chain.
	TypeAuditInvalidEvent = "audit.invalid_event"
)

// Actor kinds.
const (
	ActorSystem = "system"
	ActorUser   = "user"
)

// Actor is who caused an event: the gateway itself, or a person (with the
// IP address the UI request came from).
type Actor struct {
	IP   string `json:"ip,omitempty"`   // client IP of a UI action
	Kind string `json:"kind"`           // "system" | "user"
	User string `json:"user,omitempty"` // login name for "user"
}

// System is the actor of everything the gateway does on its own.
var System = Actor{Kind: ActorSystem}

// Subject is a mail's Subject header as the audit log keeps it: by default
// a keyed hash (HMAC-SHA-256, hex, first 128 bits) plus the length in
// characters, so an auditor can tell "same subject" without reading it.
// Text is set only when the operator chose to record subjects in clear.
// Callers may set Text; Log.Emit applies the configured policy.
type Subject struct {
	HMAC string `json:"hmac,omitempty"`
	Len  int    `json:"len"`
	Text string `json:"text,omitempty"`
}

// SelfCheck records which boxes a sender ticked in the self-check: the
// recipients confirmed and the attachments confirmed, by index in the
// message (attachment names can be personal data).
type SelfCheck struct {
	Attachments []int    `json:"attachments,omitempty"`
	Recipients  []string `json:"recipients,omitempty"`
}

// Rewrite describes a header rewrite (forced BCC) or a split delivery.
type Rewrite struct {
	Kind  string `json:"kind"`            // "bcc" | "split"
	Moved int    `json:"moved,omitempty"` // addresses moved from To/Cc to Bcc
	Parts int    `json:"parts,omitempty"` // deliveries after a split
}

// Upstream is the smarthost's answer to a delivery.
type Upstream struct {
	Accepted int               `json:"accepted,omitempty"` // recipients accepted
	Attempt  int               `json:"attempt,omitempty"`  // delivery attempt number
	Code     int               `json:"code,omitempty"`     // SMTP reply code
	Enhanced smtpcode.Enhanced `json:"enhanced,omitzero"`  // enhanced status code
	Refused  int               `json:"refused,omitempty"`  // recipients refused
	Reply    string            `json:"reply,omitempty"`    // upstream reply text (no message content)
}

// Lost is the payload of an audit.events_lost event: events that were not
// recorded because the outbox was full.
type Lost struct {
	ByType map[string]int `json:"by_type,omitempty"`
	Count  int            `json:"count"`
	First  time.Time      `json:"first"`
	Last   time.Time      `json:"last"`
}

// Event is one audit record. The zero values of V, ID and Time are filled
// in by Marshal; Instance, Seq, Prev, Hash and Sig are set by the
// publisher when it chains the event and must be left empty by emitters.
//
// Fields of Event and of its nested types are declared in the alphabetical
// order of their JSON names, so encoding/json (which also sorts map keys)
// writes the canonical form directly in the common case; see
// canonicalFast. Keep that order when adding fields.
type Event struct {
	Actor       Actor             `json:"actor"`
	Attachments int               `json:"attachments,omitempty"` // number of attachments
	Attrs       map[string]string `json:"attrs,omitempty"`       // type-specific extras, never personal data
	Checked     *SelfCheck        `json:"checked,omitempty"`     // message.selfchecked
	Comment     string            `json:"comment,omitempty"`     // approver's comment on approve/reject
	Deadline    *time.Time        `json:"deadline,omitempty"`    // message.held
	Decision    string            `json:"decision,omitempty"`    // pass | rewrite | delay | selfcheck | approval | quarantine | reject
	Explanation string            `json:"explanation,omitempty"` // message.decided: why, in rule terms
	Findings    map[string]int    `json:"findings,omitempty"`    // detector kind → count; never values
	Hash        string            `json:"hash,omitempty"`        // hex SHA-256 of the canonical encoding
	ID          string            `json:"id"`                    // ULID; also the Nats-Msg-Id
	Instance    string            `json:"instance,omitempty"`    // gateway instance that chained it
	Lost        *Lost             `json:"lost,omitempty"`        // audit.events_lost
	MessageID   string            `json:"message_id,omitempty"`  // okuri's id of the message (the hold id)
	Prev        string            `json:"prev,omitempty"`        // Hash of the previous event of this instance
	PrevState   string            `json:"prev_state,omitempty"`  // state before a transition
	Reason      string            `json:"reason,omitempty"`      // hold reason, failure reason, login failure reason
	Recipients  []string          `json:"recipients,omitempty"`  // envelope recipients
	Rewrite     *Rewrite          `json:"rewrite,omitempty"`     // message.rewritten
	Rule        string            `json:"rule,omitempty"`        // rule that decided
	Sender      string            `json:"sender,omitempty"`      // envelope sender (authenticated)
	Seq         uint64            `json:"seq,omitempty"`         // 1, 2, 3, … per instance, no gaps
	Sig         string            `json:"sig,omitempty"`         // base64 Ed25519 signature of the hash, optional
	Size        int64             `json:"size,omitempty"`        // message size in bytes
	State       string            `json:"state,omitempty"`       // state after a transition
	Subject     *Subject          `json:"subject,omitempty"`     // message.received
	Time        time.Time         `json:"time"`
	Type        string            `json:"type"`
	Upstream    *Upstream         `json:"upstream,omitempty"` // message.delivered / failed
	V           int               `json:"v"`
}

// NewID returns a fresh event id (a ULID: sortable by time, 26 characters).
func NewID() string { return ulid.Make().String() }

// prepare fills in the defaults of an event about to enter an outbox and
// checks what an emitter must get right.
func prepare(ev *Event) error {
	if err := validType(ev.Type); err != nil {
		return err
	}
	if ev.V == 0 {
		ev.V = SchemaVersion
	}
	if ev.ID == "" {
		ev.ID = NewID()
	}
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	ev.Time = ev.Time.UTC()
	if ev.Actor.Kind == "" {
		ev.Actor.Kind = ActorSystem
	}
	return nil
}

// Marshal returns the JSON payload of ev as it is stored in an outbox:
// unchained (no instance, seq, prev, hash, sig). It fills in V, ID and Time
// when they are zero, so two calls on the same zero-id event give two
// different events; call it once per event.
func Marshal(ev Event) ([]byte, error) {
	if err := prepare(&ev); err != nil {
		return nil, err
	}
	ev.Instance, ev.Seq, ev.Prev, ev.Hash, ev.Sig = "", 0, "", "", ""
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // canonical form keeps < > & as they are
	if err := enc.Encode(&ev); err != nil {
		return nil, fmt.Errorf("audit: marshal %s event: %w", ev.Type, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// Unmarshal decodes a stored or published event payload.
func Unmarshal(b []byte) (Event, error) {
	var ev Event
	if err := json.Unmarshal(b, &ev); err != nil {
		return Event{}, fmt.Errorf("audit: decode event: %w", err)
	}
	return ev, nil
}

// validType accepts dot-separated lowercase words: they become NATS
// subject tokens, so no wildcards, spaces or empty tokens.
func validType(t string) error { return validTypeOf(t) }

func validTypeBytes(t []byte) error { return validTypeOf(t) }

func validTypeOf[S string | []byte](t S) error {
	if len(t) == 0 {
		return fmt.Errorf("audit: event without type")
	}
	prevDot := true
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
			prevDot = false
		case c == '.' && !prevDot:
			prevDot = true
		default:
			return fmt.Errorf("audit: invalid event type %q", t)
		}
	}
	if prevDot {
		return fmt.Errorf("audit: invalid event type %q", t)
	}
	return nil
}

// SubjectName returns the NATS subject an event type is published on.
func SubjectName(typ string) string { return "okuri.audit." + typ }
