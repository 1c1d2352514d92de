package approvalsui

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/quarantine"
)

type tabLink struct {
	Key, Label string
	Active     bool
}

type listPage struct {
	Base
	Tab       string
	Tabs      []tabLink
	Rows      []*holdView
	Next      string
	Bulk      bool
	F         listFilter
	States    []string
	NextQuery string
}

type listFilter struct {
	State, Sender, Group, Text, Since, Until string
}

// listQuery builds the store query for a tab and filters. The tab's scope
// is the authorization; filters only narrow inside it.
func (s *Server) listQuery(p *principal, v url.Values) (string, quarantine.Query, listFilter, bool) {
	scopes := p.scopes()
	tab := v.Get("tab")
	if tab == "" {
		tab = "mine"
		if _, ok := scopes["approve"]; ok {
			tab = "approve"
		}
	}
	q, ok := scopes[tab]
	if !ok {
		return tab, q, listFilter{}, false
	}
	f := listFilter{State: v.Get("state"), Sender: v.Get("sender"), Group: v.Get("group"), Text: v.Get("q"),
		Since: v.Get("since"), Until: v.Get("until")}
	if st := quarantine.State(f.State); st.Valid() && q.State == "" {
		q.State = st
	}
	if q.Sender == "" {
		q.Sender = f.Sender
	}
	q.Group, q.Text, q.Before = f.Group, f.Text, v.Get("before")
	if t, err := time.ParseInLocation("2006-01-02", f.Since, jst); err == nil {
		q.Since = t
	}
	if t, err := time.ParseInLocation("2006-01-02", f.Until, jst); err == nil {
		q.Until = t.Add(24 * time.Hour)
	}
	q.Limit = 50
	return tab, q, f, true
}

func (s *Server) list(ctx context.Context, lang, tab string, q quarantine.Query, p *principal) ([]*holdView, string, error) {
	page, err := s.st.List(ctx, q)
	if err != nil {
		return nil, "", err
	}
	var rows []*holdView
	for _, m := range page.Messages {
		if !p.canView(m) { // belt and braces: the scope already limits
			continue
		}
		if m.Decision.Action == "notice" { // okuri's own mail is not held mail
			continue
		}
		if tab == "approve" && !p.approves(m) { // never their own, which no store scope says
			continue
		}
		rows = append(rows, s.summary(ctx, lang, m))
	}
	// The store pages by id; a row shows when it was received, so that is
	// the order people read (newest first).
	slices.SortStableFunc(rows, func(a, b *holdView) int { return b.received.Compare(a.received) })
	return rows, page.Next, nil
}

func (s *Server) holdList(w http.ResponseWriter, r *http.Request, p *principal) {
	tab, q, f, ok := s.listQuery(p, r.URL.Query())
	if !ok {
		s.fail(w, r, http.StatusForbidden, "forbidden")
		return
	}
	page := &listPage{Base: s.base(r, p, "holds"), Tab: tab, F: f, Bulk: tab == "all" && p.Auditor}
	rows, next, err := s.list(r.Context(), page.Lang, tab, q, p)
	if err != nil {
		s.log.Error("ui: list", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	page.Rows, page.Next = rows, next
	s.emit(r.Context(), r, audit.TypeUIViewed, p.Addr, audit.Event{Attrs: map[string]string{"page": "holds", "tab": tab, "count": itoa(len(rows))}})
	for _, k := range []string{"mine", "approve", "all"} {
		if _, ok := p.scopes()[k]; ok {
			page.Tabs = append(page.Tabs, tabLink{Key: k, Label: page.T("tab." + k), Active: k == tab})
		}
	}
	for _, st := range quarantine.States {
		page.States = append(page.States, string(st))
	}
	if next != "" {
		v := r.URL.Query()
		v.Set("before", next)
		page.NextQuery = v.Encode()
	}
	s.render(w, r, "list", page)
}
