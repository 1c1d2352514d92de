package approvalsui

import (
	"context"
	"errors"
	"slices"

	"github.com/okuri/okuri/quarantine"
)

// Access rules for one message, the single place where roles meet
// messages outside Store.List's scope:
//
//	sender   own messages (authenticated user or one of their addresses): view;
//	         held_selfcheck → self-check or cancel; held_delay → send now or cancel
//	approver held_approval messages of the groups they approve, never their own:
//	         view, approve, reject
//	auditor  every message: view, download; quarantined → release (never
//	         their own: the store refuses it too) or delete
//
// A message outside these rules is "not found" (404), so its id is not
// confirmed; a visible message with a forbidden action is 403.

// Errors of actions, mapped to HTTP statuses by the handlers.
var (
	errNotFound  = errors.New("not found")
	errForbidden = errors.New("forbidden")
	errUnchecked = errors.New("unchecked")
	errComment   = errors.New("comment")
)

// isSender reports whether p sent m.
func (p *principal) isSender(m *quarantine.Message) bool {
	if lower(m.AuthUser) == p.Addr {
		return true
	}
	return m.AuthUser == "" && m.From != "" && p.user != nil && p.user.Owns(m.From)
}

// approves reports whether p may decide on m as an approver: an approver
// of m's group, or a fallback approver for a message without a group;
// never the sender.
func (p *principal) approves(m *quarantine.Message) bool {
	mine := m.Group != "" && slices.Contains(p.Groups, m.Group) || m.Group == "" && p.Fallback
	return mine && !p.isSender(m)
}

// canView reports whether p may open m. Nobody opens okuri's own notices
// and DSNs: a notice's signed link would let the reader act as its
// recipient (an auditor self-checking as the sender).
func (p *principal) canView(m *quarantine.Message) bool {
	if m.Own() {
		return false
	}
	return p.Auditor || p.isSender(m) || p.approves(m) && (m.State == quarantine.StateHeldApproval || decidedBy(m, p.Addr))
}

// decidedBy reports whether user acted on m (an approver keeps seeing
// what they approved or rejected).
func decidedBy(m *quarantine.Message, user string) bool {
	for _, h := range m.History {
		if lower(h.Actor.User) == user {
			return true
		}
	}
	return false
}

// action names and the transition each makes.
type actionRule struct {
	from, to quarantine.State
	kind     string // quarantine actor kind
	allowed  func(p *principal, m *quarantine.Message) bool
}

var actionRules = map[string][]actionRule{
	"selfcheck": {{quarantine.StateHeldSelfCheck, quarantine.StateQueued, quarantine.ActorSender, (*principal).isSender}},
	"cancel": {
		{quarantine.StateHeldSelfCheck, quarantine.StateCancelled, quarantine.ActorSender, (*principal).isSender},
		{quarantine.StateHeldDelay, quarantine.StateCancelled, quarantine.ActorSender, (*principal).isSender},
	},
	"sendnow": {{quarantine.StateHeldDelay, quarantine.StateQueued, quarantine.ActorSender, (*principal).isSender}},
	"approve": {{quarantine.StateHeldApproval, quarantine.StateQueued, quarantine.ActorApprover, (*principal).approves}},
	"reject":  {{quarantine.StateHeldApproval, quarantine.StateRejected, quarantine.ActorApprover, (*principal).approves}},
	"release": {{quarantine.StateQuarantined, quarantine.StateQueued, quarantine.ActorSecurity, releases}},
	"delete":  {{quarantine.StateQuarantined, quarantine.StateDeleted, quarantine.ActorSecurity, isAuditor}},
}

func isAuditor(p *principal, _ *quarantine.Message) bool { return p.Auditor }

// releases reports whether p may release m from quarantine: an auditor,
// not its sender.
func releases(p *principal, m *quarantine.Message) bool { return p.Auditor && !p.isSender(m) }

// allowedActions lists what p may do with m now (for the page's buttons).
func (p *principal) allowedActions(m *quarantine.Message) map[string]bool {
	out := map[string]bool{}
	for name, rules := range actionRules {
		for _, r := range rules {
			if m.State == r.from && r.allowed(p, m) {
				out[name] = true
			}
		}
	}
	return out
}

// load returns message id if p may view it, else errNotFound.
func (s *Server) load(ctx context.Context, p *principal, id string) (*quarantine.Message, error) {
	m, err := s.st.Get(ctx, id)
	if errors.Is(err, quarantine.ErrNotFound) {
		return nil, errNotFound
	}
	if err != nil {
		return nil, err
	}
	if !p.canView(m) {
		return nil, errNotFound
	}
	return m, nil
}

// scopes returns the store scope of each list tab p may open. The scope
// is the authorization: List returns nothing outside it.
func (p *principal) scopes() map[string]quarantine.Query {
	q := map[string]quarantine.Query{"mine": {Scope: quarantine.Scope{Sender: p.Addr}, Sender: p.Addr}}
	switch {
	case p.Fallback:
		q["approve"] = quarantine.Query{Scope: quarantine.Scope{Groups: p.Groups, NoGroup: true}, State: quarantine.StateHeldApproval}
	case p.Approver():
		q["approve"] = quarantine.Query{Scope: quarantine.Scope{Groups: p.Groups}, State: quarantine.StateHeldApproval}
	}
	if p.Auditor {
		q["all"] = quarantine.Query{Scope: quarantine.Scope{All: true}}
	}
	return q
}
