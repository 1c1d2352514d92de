package gateway

import (
	"errors"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/internal/smtpcode"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/smtpd"
)

// result is how the handling of one message ended. replyFor turns each
// into the one SMTP reply the client gets.
type result int

const (
	resDelivered         result = iota // upstream accepted it for every recipient
	resPartial                         // accepted for some; the rest queued (QueuedID) or bounced by DSN
	resQueued                          // upstream unavailable for now; stored as queued
	resHeld                            // stored in a hold state
	resRejected                        // a reject rule refused it
	resRefusedRecipients               // upstream refused every recipient for good
	resRefusedMessage                  // upstream refused the message for good (after DATA)
	resAuditFailed                     // the audit log did not take the message's events
	resStoreFailed                     // the store did not take the message
)

// replyInfo is what a reply may name: okuri's own ids and the policy's
// words, never an upstream's text or an internal error.
type replyInfo struct {
	Ref      string           // queue id: the reference in okuri's log
	HeldID   string           // resHeld
	QueuedID string           // resQueued, resPartial
	Decision *policy.Decision // resHeld, resRejected
	Err      error            // resAuditFailed, resStoreFailed: chooses 452 or 451
}

// replyFor is the gateway's only source of SMTP replies (maddy's shape):
// every outcome and error maps to a code, an RFC 3463 enhanced code and a
// fixed ASCII text with the queue id as reference. Out of storage — a
// full disk or Redis, or an audit outbox at its limit — is 452 4.3.1; any
// other failure of okuri's own is 451 4.3.0, so the client keeps the
// message and retries.
func replyFor(r result, in replyInfo) smtpd.Reply {
	ref := " (ref " + in.Ref + ")"
	switch r {
	case resDelivered:
		return smtpd.Reply{Code: 250, Enhanced: smtpcode.Enhanced{2, 0, 0}, Text: "Ok: delivered as " + in.Ref}
	case resPartial:
		text := "Ok: delivered as " + in.Ref
		if in.QueuedID != "" {
			text += ", queued for the rest as " + in.QueuedID
		}
		return smtpd.Reply{Code: 250, Enhanced: smtpcode.Enhanced{2, 0, 0}, Text: text}
	case resQueued:
		return smtpd.Reply{Code: 250, Enhanced: smtpcode.Enhanced{2, 0, 0}, Text: "Ok: queued as " + in.QueuedID + " (upstream busy, okuri will retry)"}
	case resHeld:
		text := "Ok: held as " + in.HeldID
		if in.Decision != nil {
			text += " (" + in.Decision.ReplyReason() + ")"
		}
		return smtpd.Reply{Code: 250, Enhanced: smtpcode.Enhanced{2, 0, 0}, Text: text}
	case resRejected:
		if in.Decision == nil {
			return smtpd.Reply{Code: 550, Enhanced: smtpcode.Enhanced{5, 7, 1}, Text: "Message rejected by policy" + ref}
		}
		code, enh, text := in.Decision.RejectReply()
		e, err := smtpcode.Parse(enh)
		if err != nil || code/100 != 5 || e[0] != 5 {
			code, e = 550, smtpcode.Enhanced{5, 7, 1}
		}
		return smtpd.Reply{Code: code, Enhanced: e, Text: text + ref}
	case resRefusedRecipients:
		return smtpd.Reply{Code: 550, Enhanced: smtpcode.Enhanced{5, 1, 0}, Text: "Upstream refused every recipient" + ref}
	case resRefusedMessage:
		return smtpd.Reply{Code: 554, Enhanced: smtpcode.Enhanced{5, 0, 0}, Text: "Upstream refused the message" + ref}
	case resAuditFailed, resStoreFailed:
		if storageFull(in.Err) {
			return smtpd.Reply{Code: 452, Enhanced: smtpcode.Enhanced{4, 3, 1}, Text: "Insufficient system storage, try again later" + ref}
		}
		if r == resAuditFailed {
			return smtpd.Reply{Code: 451, Enhanced: smtpcode.Enhanced{4, 3, 0}, Text: "Audit log unavailable, try again later" + ref}
		}
		return smtpd.Reply{Code: 451, Enhanced: smtpcode.Enhanced{4, 3, 0}, Text: "Temporary storage failure, try again later" + ref}
	}
	// An outcome without a mapping is a bug; the client retries.
	return smtpd.Reply{Code: 451, Enhanced: smtpcode.Enhanced{4, 3, 0}, Text: "Local error, try again later" + ref}
}

func storageFull(err error) bool {
	return errors.Is(err, quarantine.ErrStorageFull) || errors.Is(err, audit.ErrOutboxFull) || audit.IsStorageFull(err)
}
