package gateway

import (
	"encoding/json"
	"strconv"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/scan"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/smtpd"
)

// submitter is the actor of a message's arrival: the authenticated user,
// or the system for a trusted network, with the client's IP.
func submitter(m *smtpd.Message) audit.Actor {
	if m.User != "" {
		return audit.Actor{Kind: audit.ActorUser, User: m.User, IP: m.ClientIP.String()}
	}
	return audit.Actor{Kind: audit.ActorSystem, IP: m.ClientIP.String()}
}

func base(typ string, m *smtpd.Message) audit.Event {
	return audit.Event{Type: typ, MessageID: m.QueueID, Actor: audit.System, Sender: m.From,
		Recipients: m.To}
}

func receivedEvent(m *smtpd.Message, hdr quarantine.Headers, res *scan.Result) audit.Event {
	ev := base(audit.TypeMessageReceived, m)
	ev.Actor = submitter(m)
	ev.Size = m.Body.Size()
	ev.Subject = &audit.Subject{Text: hdr.Subject} // Emit applies the subject policy (hash by default)
	if res != nil {
		for _, p := range res.Parts {
			if p.Attachment {
				ev.Attachments++
			}
		}
	}
	return ev
}

func decidedEvent(m *smtpd.Message, d *policy.Decision) audit.Event {
	ev := base(audit.TypeMessageDecided, m)
	ev.Decision, ev.Rule, ev.Findings = string(d.Action), d.Rule, d.Kinds
	// The rewrite every delivery gets, now or after release (a released
	// message's delivery writes no message.rewritten of its own).
	if d.Rewrite.Split {
		ev.Rewrite = &audit.Rewrite{Kind: "split"}
	} else if d.Rewrite.ForceBCC {
		ev.Rewrite = &audit.Rewrite{Kind: "bcc"}
	}
	// The structured explanation names rules, conditions, kinds and
	// counts; never detected values, subjects or recipients' local parts.
	if b, err := json.Marshal(d.Explanation); err == nil {
		ev.Explanation = string(b)
	}
	if len(d.Monitored) > 0 || len(d.Errors) > 0 {
		ev.Attrs = map[string]string{}
		for _, mo := range d.Monitored {
			ev.Attrs["monitor."+mo.Rule] = string(mo.Action)
		}
		if len(d.Errors) > 0 {
			ev.Attrs["errors"] = jsonString(d.Errors)
		}
	}
	return ev
}

func rejectedEvent(m *smtpd.Message, d *policy.Decision) audit.Event {
	ev := base(audit.TypeMessageRejected, m)
	ev.Decision, ev.Rule, ev.Findings = string(d.Action), d.Rule, d.Kinds
	ev.Reason = "policy"
	return ev
}

// attemptEvent says the gateway is about to hand the message to the
// upstream (first attempt, the pass path) for its recipients in parts
// deliveries. Written with message.received and message.decided, in the
// same append, so it costs no extra commit.
func attemptEvent(m *smtpd.Message, d *policy.Decision, parts int) audit.Event {
	ev := base(audit.TypeMessageDeliveryAttempted, m)
	ev.Decision, ev.Rule = string(d.Action), d.Rule
	ev.Upstream = &audit.Upstream{Attempt: 1}
	if parts > 1 {
		ev.Attrs = map[string]string{"parts": strconv.Itoa(parts)}
	}
	return ev
}

func deliveredEvents(m *smtpd.Message, d *policy.Decision, parts int, out *outcome) []audit.Event {
	var evs []audit.Event
	if d.Rewrite.ForceBCC || d.Rewrite.Split {
		ev := base(audit.TypeMessageRewritten, m)
		ev.Rule = d.Rule
		ev.Rewrite = &audit.Rewrite{Kind: "bcc", Parts: parts}
		if d.Rewrite.Split {
			ev.Rewrite.Kind = "split"
		}
		evs = append(evs, ev)
	}
	ev := base(audit.TypeMessageDelivered, m)
	ev.Recipients = out.accepted
	ev.Upstream = &audit.Upstream{Accepted: len(out.accepted), Refused: len(out.permanent) + len(out.temporary), Code: 250}
	if len(out.replies) > 0 {
		ev.Upstream.Reply = out.replies[0]
	}
	return append(evs, ev)
}

func failedEvent(m *smtpd.Message, out *outcome) audit.Event {
	ev := base(audit.TypeMessageFailed, m)
	ev.Upstream = &audit.Upstream{Refused: len(out.permanent)}
	if len(out.permanent) > 0 {
		ev.Upstream.Code, ev.Upstream.Enhanced = out.permanent[0].Code, out.permanent[0].Enhanced
	}
	return ev
}

func jsonString(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
