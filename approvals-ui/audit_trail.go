package approvalsui

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/audit/auditcli"
)

// The audit-trail page lets the security team search the audit stream
// itself (not the store's history): by message id, user, rule and date
// range, newest first. It reads through audit.Log.Read, so it shows what
// `okuri audit tail` shows, including events of messages long purged.

// maxAuditRows bounds one answer; narrow the search for more.
const maxAuditRows = 500

type auditFilter struct{ Msg, User, Rule, Since, Until string }

type auditRow struct {
	Time, Type, Actor, MessageID, Rule, What string
}

type auditPage struct {
	Base
	F         auditFilter
	Rows      []auditRow
	Searched  bool
	Truncated bool
	Err       string
}

// auditTrail is GET /audit (auditors only).
func (s *Server) auditTrail(w http.ResponseWriter, r *http.Request, p *principal) {
	if !p.Auditor {
		s.fail(w, r, http.StatusForbidden, "forbidden")
		return
	}
	v := r.URL.Query()
	page := &auditPage{Base: s.base(r, p, "audit"), F: auditFilter{Msg: strings.TrimSpace(v.Get("msg")), User: strings.TrimSpace(v.Get("user")),
		Rule: strings.TrimSpace(v.Get("rule")), Since: v.Get("since"), Until: v.Get("until")}}
	if s.o.AuditLog == nil {
		page.Err = page.T("audit.unavailable")
	} else if v.Has("search") {
		page.Searched = true
		rows, more, err := s.searchAudit(r.Context(), page.F)
		if err != nil {
			s.log.Error("ui: audit search", "err", err)
			page.Err = page.T("audit.unavailable")
		}
		page.Rows, page.Truncated = rows, more
	}
	s.emit(r.Context(), r, audit.TypeUIViewed, p.Addr, audit.Event{Attrs: map[string]string{"page": "audit", "count": itoa(len(page.Rows))}})
	s.render(w, r, "audit", page)
}

// searchAudit reads the stream from the start date and keeps the newest
// maxAuditRows events that match every filter given.
func (s *Server) searchAudit(ctx context.Context, f auditFilter) ([]auditRow, bool, error) {
	var since, until time.Time
	if t, err := time.ParseInLocation("2006-01-02", f.Since, jst); err == nil {
		since = t
	}
	if t, err := time.ParseInLocation("2006-01-02", f.Until, jst); err == nil {
		until = t.Add(24 * time.Hour)
	}
	user, rule := lower(f.User), lower(f.Rule)
	var rows []auditRow
	more := false
	err := s.o.AuditLog.Read(ctx, audit.ReadOptions{Since: since}, func(ev audit.Event) error {
		switch {
		case !until.IsZero() && !ev.Time.Before(until),
			f.Msg != "" && !strings.EqualFold(ev.MessageID, f.Msg),
			user != "" && !strings.Contains(lower(ev.Actor.User), user) && !strings.Contains(lower(ev.Sender), user),
			rule != "" && !strings.Contains(lower(ev.Rule), rule):
			return nil
		}
		rows = append(rows, auditRowOf(ev))
		if len(rows) > maxAuditRows {
			rows, more = rows[1:], true
		}
		return nil
	})
	slices.Reverse(rows)
	return rows, more, err
}

func auditRowOf(ev audit.Event) auditRow {
	actor := ev.Actor.User
	if actor == "" {
		actor = ev.Actor.Kind
	}
	var what []string
	for _, x := range []string{ev.Decision, ev.State, ev.Reason} {
		if x != "" {
			what = append(what, x)
		}
	}
	if ev.Comment != "" {
		what = append(what, "“"+ev.Comment+"”")
	}
	return auditRow{Time: ev.Time.In(jst).Format("2006-01-02 15:04:05"), Type: auditcli.Label(ev.Type), Actor: actor,
		MessageID: ev.MessageID, Rule: ev.Rule, What: strings.Join(what, " · ")}
}
