package approvalsui

import (
	"net/http"

	"github.com/okuri/okuri/audit"
)

type detailPage struct {
	Base
	V      *holdView
	Action string // form action prefix: /holds/ID or /link/TOKEN
	Link   bool
}

// holdShow is the message page. Every view is an audit event.
func (s *Server) holdShow(w http.ResponseWriter, r *http.Request, p *principal) {
	m, err := s.load(r.Context(), p, r.PathValue("id"))
	if err != nil {
		code, key := status(err)
		s.fail(w, r, code, key)
		return
	}
	page := &detailPage{Base: s.base(r, p, "holds"), Action: "/holds/" + m.ID}
	if page.V, err = s.detail(r.Context(), page.Lang, p, m); err != nil {
		s.log.Error("ui: detail", "id", m.ID, "err", err)
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	if m.Headers.Subject != "" {
		page.Title = visible(m.Headers.Subject)
	}
	s.emit(r.Context(), r, audit.TypeMessageViewed, p.Addr, audit.Event{MessageID: m.ID, State: string(m.State)})
	s.render(w, r, "detail", page)
}
