package policy

import (
	"slices"
	"strings"
	"time"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy/rewrite"
)

// Built-in rule names used when no configured rule decided.
const (
	RuleOnError     = "builtin.on_error"    // facts had errors: policy.on_error
	RuleUnscannable = "builtin.unscannable" // unscannable content to external: at least self-check
)

// Decision is the outcome of Decide. It is plain data: store it with a
// held message (JSON) and act on it when the message is released.
type Decision struct {
	// Action is pass, delay, hold_selfcheck, hold_approval, quarantine or
	// reject.
	Action Action `json:"action"`
	// Rule is the deciding rule: the first enforced rule with the
	// strongest action ("" when no rule matched and the message passes).
	Rule string `json:"rule,omitempty"`
	// Hold is how long a held message waits: the delay, or the self-check,
	// approval or quarantine deadline (policy.holds). Deadline = receive
	// time + Hold.
	Hold time.Duration `json:"hold,omitempty"`
	// Approvers may approve a hold_approval message: the approvers of the
	// sender's groups, else directory.fallback_approvers, never the
	// sender. ApproverGroup is the group they approve for ("" for the
	// fallback approvers).
	Approvers     []string `json:"approvers,omitempty"`
	ApproverGroup string   `json:"approver_group,omitempty"`
	// Rewrite is applied to every delivery, now or after release.
	Rewrite Rewrite `json:"rewrite"`
	// Notify are addresses to inform about this message (notify rules).
	Notify []string `json:"notify,omitempty"`
	// Monitored lists what monitor-mode rules would have done.
	Monitored []Monitored `json:"monitored,omitempty"`
	// Verdict is the scan verdict, and Kinds/Records the findings summary,
	// for the quarantine record and audit events (kinds and counts only).
	Verdict string         `json:"verdict"`
	Kinds   map[string]int `json:"kinds,omitempty"`
	Records int            `json:"records,omitempty"`
	// Errors are the facts errors that made the message held.
	Errors []string `json:"errors,omitempty"`
	// Explanation is every rule evaluated, matched or not, and why.
	Explanation Explanation `json:"explanation"`
}

// Rewrite is the header rewrite of a decision.
type Rewrite struct {
	ForceBCC bool `json:"force_bcc,omitempty"`
	Split    bool `json:"split,omitempty"`
	// HideInternal: split deliveries hide internal To/Cc addresses too.
	HideInternal bool `json:"hide_internal,omitempty"`
	// Internal and InternalSubdomains are the internal domains at decision
	// time, so that a message released later is rewritten as decided.
	Internal           []string           `json:"internal,omitempty"`
	InternalSubdomains bool               `json:"internal_subdomains,omitempty"`
	Add                []rewrite.AddField `json:"add,omitempty"`
}

// Monitored is one monitor-mode rule that matched.
type Monitored struct {
	Rule   string `json:"rule"`
	Action Action `json:"action"`
}

// Decide evaluates every rule in order against f and returns the decision.
// It is pure and deterministic.
func (p *Policy) Decide(f Facts) Decision {
	d := Decision{
		Action:  Pass,
		Verdict: f.Content.Verdict,
		Records: f.Content.Records,
		Errors:  slices.Clone(f.Errors),
		Rewrite: Rewrite{Internal: slices.Clone(p.internal), InternalSubdomains: p.internalSub, HideInternal: p.splitHideInt},
	}
	if len(f.Content.Kinds) > 0 {
		d.Kinds = make(map[string]int, len(f.Content.Kinds))
		for k, n := range f.Content.Kinds {
			d.Kinds[k] = n
		}
	}
	ex := Explanation{Facts: summarizeFacts(&f)}
	var delay time.Duration
	passRule := ""
	for _, r := range p.rules {
		cs := p.conditions(r, &f)
		matched := true
		for _, c := range cs {
			matched = matched && c.OK
		}
		rr := RuleResult{Index: r.index, Name: r.Name, Description: r.Description, Mode: r.Mode, Action: r.action, Matched: matched, Conditions: cs}
		switch {
		case !matched:
			rr.Effect = "not matched"
		case r.Mode == config.ModeMonitor:
			rr.Effect = "monitor: would " + string(r.action) + ", did nothing"
			d.Monitored = append(d.Monitored, Monitored{Rule: r.Name, Action: r.action})
		default:
			rr.Effect = "applied"
			switch r.action {
			case Pass:
				if passRule == "" {
					passRule = r.Name
				}
			case ForceBCC:
				d.Rewrite.ForceBCC = true
			case Split:
				d.Rewrite.Split = true
			case AddHeader:
				af := rewrite.AddField{Name: r.Header.Name, Value: r.Header.Value}
				if !slices.Contains(d.Rewrite.Add, af) {
					d.Rewrite.Add = append(d.Rewrite.Add, af)
				}
			case Notify:
				to := lowerAll(r.Notify)
				if len(to) == 0 {
					to = p.security
				}
				for _, a := range to {
					if !slices.Contains(d.Notify, a) {
						d.Notify = append(d.Notify, a)
					}
				}
			case Delay:
				delay = max(delay, r.Delay.D())
			}
			if r.action.Rank() > d.Action.Rank() {
				d.Action, d.Rule = r.action, r.Name
			}
		}
		ex.Rules = append(ex.Rules, rr)
	}
	if d.Action == Pass && passRule != "" {
		d.Rule = passRule
	}
	if d.Action == Delay && delay == 0 {
		d.Action = Pass
		ex.Notes = append(ex.Notes, "delay of 0 minutes: delivered at once")
	}
	// Fail closed: whatever the rules say, these floors hold.
	if f.Content.Unscannable && f.External > 0 && d.Action.Rank() < HoldSelfCheck.Rank() {
		d.Action, d.Rule = HoldSelfCheck, RuleUnscannable
		ex.Notes = append(ex.Notes, "content that could not be fully scanned goes outside: held for the sender's self-check whatever the rules say")
	}
	if len(f.Errors) > 0 && d.Action.Rank() < p.onError.Rank() {
		d.Action, d.Rule = p.onError, RuleOnError
		ex.Notes = append(ex.Notes, "the message could not be fully checked ("+strings.Join(f.Errors, "; ")+"): "+string(p.onError))
	}
	switch d.Action {
	case Delay:
		d.Hold = delay
	case HoldSelfCheck, HoldApproval, Quarantine:
		d.Hold = p.holds[d.Action]
	}
	if d.Action == HoldApproval {
		d.Approvers, d.ApproverGroup = p.approvers(f.Sender)
		if len(d.Approvers) == 0 {
			d.Action, d.Hold = Quarantine, p.holds[Quarantine]
			ex.Notes = append(ex.Notes, "nobody can approve for this sender (no group approvers, no fallback approvers): quarantined for the security team instead")
		}
	}
	if d.Action == Reject {
		d.Rewrite = Rewrite{}
	}
	ex.Action, ex.Rule = d.Action, d.Rule
	d.Explanation = ex
	return d
}

// approvers returns the approvers of the sender's groups (first group
// with approvers named), else the fallback approvers; never the sender.
func (p *Policy) approvers(s Sender) ([]string, string) {
	self := func(a string) bool { return a == s.User || a == s.Address }
	var out []string
	group := ""
	for _, g := range p.groups {
		if !slices.Contains(s.Groups, g.Name) {
			continue
		}
		for _, a := range lowerAll(g.Approvers) {
			if !self(a) && !slices.Contains(out, a) {
				out = append(out, a)
				if group == "" {
					group = g.Name
				}
			}
		}
	}
	if len(out) > 0 {
		return out, group
	}
	for _, a := range p.fallback {
		if !self(a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out, ""
}

// ReplyReason is a short ASCII text for the SMTP reply of a held message:
// "250 2.0.0 Ok: held as <id> (<reason>)".
func (d *Decision) ReplyReason() string {
	switch d.Action {
	case Delay:
		return "delayed send, rule " + d.Rule
	case HoldSelfCheck:
		return "sender self-check required, rule " + d.Rule
	case HoldApproval:
		return "supervisor approval required, rule " + d.Rule
	case Quarantine:
		return "quarantined, rule " + d.Rule
	}
	return string(d.Action) + ", rule " + d.Rule
}

// RejectReply is the SMTP reply of a rejected message: ASCII English
// naming the rule (config validation keeps rule names ASCII).
func (d *Decision) RejectReply() (code int, enhanced, text string) {
	return 550, "5.7.1", "Message rejected by policy rule " + d.Rule
}

// Deadline is when a held message expires or, for a delay, is sent.
func (d *Decision) Deadline(received time.Time) time.Time { return received.Add(d.Hold) }
