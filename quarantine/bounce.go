package quarantine

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/okuri/okuri/quarantine/dsn"
	"github.com/okuri/okuri/relay"
)

// DSNOptions configure the delivery status notifications okuri sends.
type DSNOptions struct {
	ReportingMTA string // our host name, e.g. "okuri.office.example"
	Postmaster   string // From address of notices; default MAILER-DAEMON@ReportingMTA
}

// Bounce describes recipients the upstream refused permanently.
type Bounce struct {
	// ID of the notice to store; empty for a new one. The worker derives it
	// from the original so a retried attempt cannot queue a second notice.
	ID       string
	Sender   string    // envelope sender of the original; "" means no notice (never bounce a bounce)
	Arrival  time.Time // when the original was received
	RefID    string    // okuri id of the original, if it was stored
	Subject  string    // decoded subject of the original, for the text part
	Failed   []*relay.RecipientError
	Original io.Reader // the original message; only its header section is read
	Now      time.Time // zero: the store's clock
}

// QueueDSN stores a delivery status notification for b.Failed as a queued
// message (null reverse path, to b.Sender) which the worker delivers like
// any other, with retries. The gateway calls it for recipients the upstream
// refused permanently on the synchronous pass path, before answering the
// client. It returns "" and no error when there is nobody to notify.
func QueueDSN(ctx context.Context, st Store, o DSNOptions, b Bounce) (string, error) {
	if b.Sender == "" || len(b.Failed) == 0 {
		return "", nil
	}
	var hdr []byte
	if b.Original != nil {
		h, err := dsn.ReadHeader(b.Original, dsn.MaxHeader)
		if err != nil {
			return "", fmt.Errorf("queue dsn: %w", err)
		}
		hdr = h
	}
	p := dsn.Params{
		ReportingMTA: o.ReportingMTA, Postmaster: o.Postmaster, To: b.Sender,
		Date: b.Now, Arrival: b.Arrival, Reference: b.RefID, Subject: b.Subject, Headers: hdr,
	}
	for _, f := range b.Failed {
		p.Recipients = append(p.Recipients, dsn.Recipient{Addr: f.Rcpt, Status: f.Enhanced.String(), Code: f.Code, Diagnostic: f.Message, LastTry: b.Now})
	}
	msg, err := dsn.Compose(p)
	if err != nil {
		return "", fmt.Errorf("queue dsn: %w", err)
	}
	m := &Message{
		ID:       b.ID,
		Received: b.Now,
		From:     "",
		To:       []string{b.Sender},
		Headers:  Headers{From: "Mail Delivery System", To: b.Sender, Subject: "配信不能のお知らせ / Undelivered Mail Returned to Sender"},
		Decision: Decision{Action: "dsn", Explanation: "delivery status notification for " + b.RefID},
		State:    StateQueued,
	}
	err = st.Put(ctx, m, bytes.NewReader(msg))
	if errors.Is(err, ErrExists) && b.ID != "" {
		return b.ID, nil // queued by an earlier try of the same attempt
	}
	if err != nil {
		return "", fmt.Errorf("queue dsn: %w", err)
	}
	return m.ID, nil
}

// dsnID derives the id of the notice for attempt n of message id: same
// inputs, same id, so the notice is stored at most once per attempt.
func dsnID(id string, n int) string {
	orig, err := ulid.ParseStrict(id)
	if err != nil {
		return ""
	}
	h := sha256.Sum256(fmt.Appendf(nil, "dsn:%s:%d", id, n))
	var u ulid.ULID
	u.SetTime(orig.Time())
	copy(u[6:], h[:10])
	return u.String()
}
