package gateway

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/okuri/okuri/internal/addr"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/rewrite"
	"github.com/okuri/okuri/policy/scan"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
	"github.com/okuri/okuri/smtpd"
	"github.com/okuri/okuri/spool"
)

// outcome collects the upstream's answers over all deliveries of one
// message (several after a split).
type outcome struct {
	accepted  []string
	temporary []*relay.RecipientError // may succeed later: queued for the worker
	permanent []*relay.RecipientError // refused for good: DSN or 5xx
	rcptOnly  bool                    // every permanent failure came from RCPT
	replies   []string
}

func (o *outcome) add(env relay.Envelope, res *relay.Result, err error) {
	if err == nil {
		o.accepted = append(o.accepted, res.Accepted...)
		o.refused(res.Refused)
		o.replies = append(o.replies, res.Reply)
		return
	}
	var re *relay.Error
	if errors.As(err, &re) && len(re.Refused) > 0 {
		o.refused(re.Refused)
		return
	}
	// The whole delivery failed (connection, DATA reply): every recipient
	// of it shares the fate.
	code, temporary := 451, true
	if errors.As(err, &re) && !re.Temporary {
		code, temporary = re.Code, false
		o.rcptOnly = false
	}
	for _, r := range env.To {
		e := &relay.RecipientError{Rcpt: r, Code: code, Temporary: temporary, Message: "delivery failed"}
		if temporary {
			o.temporary = append(o.temporary, e)
		} else {
			o.permanent = append(o.permanent, e)
		}
	}
}

func (o *outcome) refused(rs []*relay.RecipientError) {
	for _, r := range rs {
		if r.Temporary {
			o.temporary = append(o.temporary, r)
		} else {
			o.permanent = append(o.permanent, r)
		}
	}
}

// apply returns the message of one delivery: the header read once (h),
// rewritten, then the body. A plan that changes nothing sends the stored
// bytes as they are; without h (its parse failed, which the policy never
// passes) the rewrite reads the header itself.
func apply(dl *policy.Delivery, h *rewrite.Header, b *spool.Body) (io.Reader, error) {
	if h == nil || dl.Plan.IsZero() {
		return dl.Apply(b.Reader())
	}
	return dl.ApplyHeader(h, io.NewSectionReader(b, h.Size(), b.Size()-h.Size()))
}

// deliver is the pass path: synchronous delivery of every Delivery of the
// decision (one, or one per recipient after a split), then the answer.
// h is the header section read in Handle, rewritten here without being
// read again.
func (g *Gateway) deliver(ctx context.Context, m *smtpd.Message, h *rewrite.Header, hdr quarantine.Headers, res *scan.Result, d *policy.Decision, deliveries []policy.Delivery, log *slog.Logger) smtpd.Reply {
	start := time.Now()
	out := outcome{rcptOnly: true}
	for i, dl := range deliveries {
		body, err := apply(&dl, h, m.Body)
		if err != nil && i == 0 {
			// The header cannot be rewritten as decided: sending it
			// unrewritten could expose recipients. Hold it instead.
			log.Error("header rewrite failed; quarantining", "err", err)
			d.Action, d.Errors = policy.Quarantine, append(d.Errors, "rewrite: "+err.Error())
			// received and decided are recorded already; the new
			// decision goes with the stored message.
			return g.hold(ctx, m, hdr, res, d, log, decidedEvent(m, d))
		}
		env := relay.Envelope{From: dl.MailFrom, To: dl.RcptTo, ID: m.QueueID}
		if err != nil {
			out.add(env, nil, &relay.Error{Op: "rewrite", Temporary: true, Err: err})
			continue
		}
		r, err := g.o.Relay.Send(ctx, env, body)
		out.add(env, r, err)
	}
	g.metrics.relaySeconds.Observe(time.Since(start).Seconds())
	log = log.With("accepted", len(out.accepted), "deferred", describe(out.temporary),
		"refused", describe(out.permanent), "upstream_ms", time.Since(start).Milliseconds())

	queuedID := ""
	if len(out.temporary) > 0 {
		rec := record(m, hdr, res, d, quarantine.StateQueued)
		rec.To = addrs(out.temporary)
		if err := g.o.Store.Put(ctx, rec, m.Body.Reader()); err != nil {
			// Nothing may be lost: the client keeps the message and
			// retries it. Recipients that already accepted it may get it
			// twice — RFC 5321 section 6.1 prefers a duplicate to a loss.
			if len(out.accepted) > 0 {
				log.Error("deferred recipients could not be queued; answering 4xx, accepted recipients may receive a duplicate",
					"accepted", len(out.accepted))
				g.metrics.outcome("duplicate_risk")
			}
			return g.storeFailed(m, err, log)
		} else {
			queuedID = rec.ID
			g.o.Kick()
		}
	}
	if len(out.accepted) > 0 {
		// The received and decided events are durable already; the
		// outcome's event and the known-recipient history are recorded
		// while the client gets its reply, sparing it two more fsyncs.
		evs := deliveredEvents(m, d, len(deliveries), &out)
		accepted := out.accepted
		g.background(ctx, func(ctx context.Context) {
			if err := g.o.Store.NoteDelivered(ctx, time.Now(), accepted...); err != nil {
				log.Warn("known-recipient history not updated", "err", err)
			}
			if err := g.emit(ctx, evs...); err != nil {
				log.Error("audit: delivery event not recorded", "err", err)
			}
		})
	}
	if len(out.permanent) > 0 && (len(out.accepted) > 0 || queuedID != "") {
		g.bounce(ctx, m, hdr, out.permanent, log)
	}
	switch {
	case len(out.accepted) > 0:
		g.metrics.outcome(map[bool]string{true: "delivered", false: "partial"}[len(out.temporary)+len(out.permanent) == 0])
		log.Info("message delivered", "queued_id", queuedID)
		if queuedID == "" && len(out.permanent) == 0 {
			return replyFor(resDelivered, replyInfo{Ref: m.QueueID})
		}
		return replyFor(resPartial, replyInfo{Ref: m.QueueID, QueuedID: queuedID})
	case queuedID != "":
		g.metrics.outcome("queued")
		log.Info("upstream unavailable; message queued", "id", queuedID)
		return replyFor(resQueued, replyInfo{Ref: m.QueueID, QueuedID: queuedID})
	}
	g.metrics.outcome("rejected")
	log.Warn("upstream refused the message")
	if err := g.emit(ctx, failedEvent(m, &out)); err != nil {
		log.Error("audit: failure event not recorded", "err", err)
	}
	if out.rcptOnly {
		return replyFor(resRefusedRecipients, replyInfo{Ref: m.QueueID})
	}
	return replyFor(resRefusedMessage, replyInfo{Ref: m.QueueID})
}

// bounce queues a DSN to the sender for recipients refused for good while
// others got the message (the client saw 250 and learns nothing else).
func (g *Gateway) bounce(ctx context.Context, m *smtpd.Message, hdr quarantine.Headers, failed []*relay.RecipientError, log *slog.Logger) {
	id, err := quarantine.QueueDSN(ctx, g.o.Store, g.o.DSN, quarantine.Bounce{
		Sender: m.From, Arrival: m.Received, RefID: m.QueueID, Subject: hdr.Subject,
		Failed: failed, Original: m.Body.Reader(),
	})
	if err != nil {
		log.Error("DSN for refused recipients not queued", "err", err)
		return
	}
	if id != "" {
		g.o.Kick()
	}
}

func addrs(rs []*relay.RecipientError) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Rcpt
	}
	return out
}

// describe names recipients by domain and code only: local parts of
// customer addresses are personal data and stay out of logs.
func describe(rs []*relay.RecipientError) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		domain := addr.Domain(r.Rcpt)
		if domain == "" {
			domain = "?" // no domain: the rest is all local part
		}
		parts[i] = "*@" + domain + ":" + strconv.Itoa(r.Code)
	}
	return strings.Join(parts, ",")
}
