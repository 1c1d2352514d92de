package approvalsui

import (
	"context"
	"net/http"

	"github.com/okuri/okuri/audit"
)

// emit records a UI event by user from the request's IP. The store writes
// the events of state changes itself; these are the events only the UI
// knows about (logins, views, downloads, admin actions).
func (s *Server) emit(ctx context.Context, r *http.Request, typ, user string, ev audit.Event) {
	ev.Type = typ
	ev.Time = s.now()
	ev.Actor = audit.Actor{Kind: audit.ActorUser, User: user, IP: clientIP(r)}
	if err := s.o.Audit.Emit(ctx, ev); err != nil {
		s.log.Error("ui: audit", "type", typ, "err", err)
	}
}
