package approvalsui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/quarantine"
)

// actionInput is what a person sends with an action.
type actionInput struct {
	Comment     string   `json:"comment"`
	Recipients  []string `json:"recipients"`  // self-check: the recipients ticked
	Attachments []int    `json:"attachments"` // self-check: the attachments ticked, by index
	via         string   // "ui", "api" or "link", for the evidence
}

// maxComment bounds a comment kept in the history and audit log.
const maxComment = 2000

// perform is the one implementation of every action on a held message,
// shared by the pages, the API and signed links: load inside p's access
// rules, check the action is allowed for p in the message's state, check
// the self-check boxes, and make the compare-and-set transition. The
// store writes the audit event of the change.
func (s *Server) perform(ctx context.Context, r *http.Request, p *principal, id, action string, in actionInput) (*quarantine.Message, error) {
	rules, ok := actionRules[action]
	if !ok {
		return nil, errNotFound
	}
	m, err := s.load(ctx, p, id)
	if err != nil {
		return nil, err
	}
	var rule *actionRule
	for i := range rules {
		if rules[i].from == m.State && rules[i].allowed(p, m) {
			rule = &rules[i]
		}
	}
	if rule == nil {
		// Not for this person, or not in this state: forbidden either way.
		// ErrConflict (409) is kept for a lost race in Transition.
		return nil, errForbidden
	}
	comment := strings.TrimSpace(in.Comment)
	if len(comment) > maxComment {
		comment = comment[:maxComment]
	}
	if action == "reject" && comment == "" {
		return nil, errComment
	}
	var checked *audit.SelfCheck
	if action == "selfcheck" {
		ck, ev, err := s.selfCheckEvidence(ctx, r, p, m, in)
		if err != nil {
			if !errors.Is(err, errUnchecked) {
				s.log.Error("ui: self-check", "id", m.ID, "err", err)
			}
			return nil, err
		}
		comment, checked = ev, ck
	}
	ch := quarantine.Change{From: rule.from, To: rule.to, Comment: comment, Checked: checked, Via: in.via,
		Actor: quarantine.Actor{Kind: rule.kind, User: p.Addr, IP: clientIP(r)}}
	nm, err := s.st.Transition(ctx, m.ID, ch)
	result := "ok"
	switch {
	case errors.Is(err, quarantine.ErrConflict), errors.Is(err, quarantine.ErrIllegalTransition):
		result = "conflict"
	case errors.Is(err, quarantine.ErrUnconfirmed):
		result, err = "unchecked", errUnchecked
	case errors.Is(err, quarantine.ErrSelfApproval):
		result, err = "forbidden", errForbidden
	case errors.Is(err, quarantine.ErrExpired):
		result = "expired"
	case err != nil:
		result = "error"
	}
	s.actions.WithLabelValues(action, result).Inc()
	if err != nil {
		if result == "error" {
			s.log.Error("ui: action", "action", action, "id", m.ID, "err", err)
		}
		return nil, fmt.Errorf("%s %s: %w", action, m.ID, err)
	}
	s.log.Info("ui: action", "action", action, "id", m.ID, "state", nm.State)
	if nm.State == quarantine.StateQueued && s.o.Kick != nil {
		s.o.Kick()
	}
	if nm.State.Terminal() || nm.State == quarantine.StateQueued {
		s.notifyOutcome(ctx, nm)
	}
	return nm, nil
}

// selfCheckEvidence refuses unless every recipient and every attachment
// was ticked, and returns the evidence kept in the history and the audit
// event: which boxes (Checked), who, when, from where, through what. The
// store checks the recipients again (ErrUnconfirmed). Internal
// recipients are listed too: the store wants every envelope recipient
// confirmed, and a wrong colleague is a mis-send as well.
func (s *Server) selfCheckEvidence(ctx context.Context, r *http.Request, p *principal, m *quarantine.Message, in actionInput) (*audit.SelfCheck, string, error) {
	v, err := s.detail(ctx, "en", nil, m)
	if err != nil {
		return nil, "", err
	}
	checked := &audit.SelfCheck{}
	for _, rc := range v.Recipients {
		if !slices.ContainsFunc(in.Recipients, func(x string) bool { return strings.EqualFold(x, rc.Addr) }) {
			return nil, "", errUnchecked
		}
		checked.Recipients = append(checked.Recipients, rc.Addr)
	}
	for _, a := range v.Attachments {
		if !slices.Contains(in.Attachments, a.Index) {
			return nil, "", errUnchecked
		}
		checked.Attachments = append(checked.Attachments, a.Index)
	}
	idx := make([]string, len(checked.Attachments))
	for i, a := range checked.Attachments {
		idx[i] = strconv.Itoa(a)
	}
	return checked, fmt.Sprintf("self-check: recipients checked [%s]; attachments checked [%s]; by %s from %s at %s via %s",
		strings.Join(checked.Recipients, ", "), strings.Join(idx, ","), p.Addr, clientIP(r),
		s.now().UTC().Format(time.RFC3339), in.via), nil
}

// status maps an action error to an HTTP status and an error key.
func status(err error) (int, string) {
	switch {
	case errors.Is(err, errNotFound):
		return http.StatusNotFound, "notfound"
	case errors.Is(err, errForbidden):
		return http.StatusForbidden, "forbidden"
	case errors.Is(err, errUnchecked):
		return http.StatusBadRequest, "unchecked"
	case errors.Is(err, errComment):
		return http.StatusBadRequest, "comment"
	case errors.Is(err, quarantine.ErrConflict), errors.Is(err, quarantine.ErrIllegalTransition):
		return http.StatusConflict, "conflict"
	case errors.Is(err, quarantine.ErrExpired):
		return http.StatusConflict, "deadline"
	}
	return http.StatusInternalServerError, "internal"
}

func itoa(n int) string { return strconv.Itoa(n) }
