package gateway

import (
	"context"
	"log/slog"

	"github.com/oklog/ulid/v2"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/scan"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/smtpd"
)

var heldStates = map[policy.Action]quarantine.State{
	policy.Delay:         quarantine.StateHeldDelay,
	policy.HoldSelfCheck: quarantine.StateHeldSelfCheck,
	policy.HoldApproval:  quarantine.StateHeldApproval,
	policy.Quarantine:    quarantine.StateQuarantined,
}

// hold stores the message durably in its hold state and only then answers
// 250 with the hold id (DESIGN: "250 2.0.0 Ok: held as <id> (<reason>)").
// evs are the message's events not recorded yet; they go into the store's
// transaction, so one commit makes the held message and its audit record
// durable together.
func (g *Gateway) hold(ctx context.Context, m *smtpd.Message, hdr quarantine.Headers, res *scan.Result, d *policy.Decision, log *slog.Logger, evs ...audit.Event) smtpd.Reply {
	rec := record(m, hdr, res, d, heldStates[d.Action])
	rec.HoldUntil = d.Deadline(m.Received)
	// The duty to notify commits with the hold (outbox): if okuri stops
	// before the notices below are queued, the sweeper queues them.
	rec.NoticeDue = g.o.Notifier != nil
	if err := g.o.Store.Put(ctx, rec, m.Body.Reader(), g.storeEvents(evs...)...); err != nil {
		return g.storeFailed(m, err, log)
	}
	g.metrics.outcome("held")
	log.Info("message held", "id", rec.ID, "state", string(rec.State), "deadline", rec.HoldUntil)
	if g.o.Notifier != nil {
		g.background(ctx, func(ctx context.Context) { g.notify(ctx, rec, log) })
	}
	return replyFor(resHeld, replyInfo{Ref: m.QueueID, HeldID: rec.ID, Decision: d})
}

// notify queues the notices of a held message and then clears its
// NoticeDue. It runs after the reply: the hold is durable and so is the
// duty to notify, which the sweeper takes over when this fails.
func (g *Gateway) notify(ctx context.Context, rec *quarantine.Message, log *slog.Logger) {
	if err := g.o.Notifier.Held(ctx, rec); err != nil {
		log.Warn("notices not queued yet; the sweeper retries", "id", rec.ID, "err", err)
		return
	}
	if err := g.o.Store.NoticesQueued(ctx, rec.ID); err != nil {
		log.Warn("notices queued but not marked; the sweeper may queue them again (same ids)", "id", rec.ID, "err", err)
	}
}

func (g *Gateway) reject(ctx context.Context, m *smtpd.Message, hdr quarantine.Headers, res *scan.Result, d *policy.Decision, log *slog.Logger) smtpd.Reply {
	g.metrics.outcome("rejected")
	log.Info("message rejected by policy", "rule", d.Rule)
	if err := g.emit(ctx, rejectedEvent(m, d)); err != nil {
		log.Error("audit: rejection event not recorded", "err", err)
	}
	if g.o.Notifier != nil {
		g.o.Notifier.Rejected(ctx, record(m, hdr, res, d, quarantine.StateRejected))
	}
	return replyFor(resRejected, replyInfo{Ref: m.QueueID, Decision: d})
}

// storeFailed answers when a message could not be stored: 452 4.3.1 when
// out of space (RFC 3463), else 451. The client keeps the message.
func (g *Gateway) storeFailed(m *smtpd.Message, err error, log *slog.Logger) smtpd.Reply {
	g.metrics.outcome("tempfail")
	log.Error("storing the message failed", "err", err)
	return replyFor(resStoreFailed, replyInfo{Ref: m.QueueID, Err: err})
}

// record builds the quarantine record of a message and its decision.
func record(m *smtpd.Message, hdr quarantine.Headers, res *scan.Result, d *policy.Decision, st quarantine.State) *quarantine.Message {
	rec := &quarantine.Message{
		ID: storeID(m.QueueID), Received: m.Received, From: m.From, To: append([]string(nil), m.To...),
		Headers: hdr, AuthUser: m.User, ClientIP: m.ClientIP.String(),
		Group: d.ApproverGroup, State: st,
		Decision: quarantine.Decision{
			Action: string(d.Action), Rule: d.Rule, Verdict: d.Verdict,
			Explanation: d.Text(), Findings: findings(res), Rewrite: storedPlan(d.Rewrite), Explain: explain(d, m),
		},
		Parts: parts(res),
	}
	if res != nil {
		rec.Preview, rec.PreviewTruncated = res.Preview, res.PreviewTruncated
	}
	return rec
}

// storeID keeps the queue id as the stored message's id, so that the
// audit events written before the store (message.received, …) and after
// it (message.held, …) name the same message, as does the 250 reply. An
// id that is not a ULID (tests) lets the store assign one.
func storeID(qid string) string {
	if _, err := ulid.ParseStrict(qid); err != nil {
		return ""
	}
	return qid
}

// findings summarises the scan's findings for the record: kinds, counts,
// where, and the detector's masked samples — never values.
func findings(res *scan.Result) []quarantine.Finding {
	if res == nil {
		return nil
	}
	fs := make([]quarantine.Finding, 0, len(res.Findings))
	for _, f := range res.Findings {
		where := f.Where.Path
		if where == "" {
			where = "part " + f.Where.Part
		}
		if f.Where.Sheet != "" {
			where += " / " + f.Where.Sheet
		}
		fs = append(fs, quarantine.Finding{Kind: f.Kind, Count: f.Count, Samples: f.Samples, Where: where,
			Records: f.Records, Column: f.Where.Column})
	}
	return fs
}

// parts copies the scanner's part list into the record: the self-check
// confirms what was scanned, not what a second parser finds (issue 14).
func parts(res *scan.Result) []quarantine.Part {
	if res == nil {
		return nil
	}
	ps := make([]quarantine.Part, 0, len(res.Parts))
	for _, p := range res.Parts {
		ps = append(ps, quarantine.Part{Path: p.Path, Name: p.Name, Type: p.ContentType, Size: p.Size,
			Attachment: p.Attachment, Verdict: string(p.Verdict)})
	}
	return ps
}
