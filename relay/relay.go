// Package relay is okuri's SMTP client to the upstream smarthost, and the
// development "dir:" upstream that writes each message as an .eml file.
//
// A Client delivers one message to many recipients and reports the
// upstream's answer per recipient, so callers can tell "delivered to some",
// "refused by all" and "try again later" apart. Upstream reply text is for
// logs only: callers must not pass it to SMTP clients verbatim.
package relay

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/okuri/okuri/internal/smtpcode"
)

// Envelope is the SMTP envelope of one delivery.
type Envelope struct {
	From string   // reverse path; "" for a bounce (DSN)
	To   []string // forward paths
	// ID is okuri's id of the message (queue id or stored id), for logs and
	// the dir: upstream's file names; never sent upstream. May be empty.
	ID string
}

// RecipientError is the upstream's refusal of one recipient.
type RecipientError struct {
	Rcpt      string
	Code      int               // SMTP reply code, e.g. 550
	Enhanced  smtpcode.Enhanced // may be zero: the upstream gave none
	Message   string            // upstream text; for logs only
	Temporary bool              // 4xx: may succeed later
}

func (e *RecipientError) Error() string {
	return fmt.Sprintf("recipient refused: %d %s %s", e.Code, e.Enhanced, e.Message)
}

// Result is the outcome of a delivery the upstream accepted for at least
// one recipient.
type Result struct {
	Accepted []string          // recipients the upstream accepted the message for
	Refused  []*RecipientError // recipients the upstream refused
	Reply    string            // upstream's final reply to DATA, for logs and audit
}

// Error is a failure of the whole delivery: no recipient got the message.
type Error struct {
	Op        string // "dial", "starttls", "auth", "mail", "rcpt", "data", "write"
	Code      int    // SMTP reply code when the upstream sent one, else 0
	Temporary bool   // worth retrying later (4xx, network errors, timeouts)
	Refused   []*RecipientError
	Err       error
}

func (e *Error) Error() string {
	if e.Code != 0 {
		return fmt.Sprintf("relay: %s: %d: %v", e.Op, e.Code, e.Err)
	}
	return fmt.Sprintf("relay: %s: %v", e.Op, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err says the delivery may succeed later.
// Errors that are not *Error are treated as temporary: failing safe means
// keeping the message and retrying, not bouncing it.
func IsTemporary(err error) bool {
	var re *Error
	if errors.As(err, &re) {
		return re.Temporary
	}
	return err != nil
}

// Sender delivers messages. *Client implements it; tests and the quarantine
// worker depend on this interface.
type Sender interface {
	// Send delivers the message read from msg to env.To. It returns a
	// Result when at least one recipient accepted it, else an *Error.
	Send(ctx context.Context, env Envelope, msg io.Reader) (*Result, error)
}
