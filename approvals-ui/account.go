package approvalsui

import (
	"errors"
	"net/http"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/directory"
)

type passwordPage struct {
	Base
	Expired bool // the change is required before anything else
	Done    bool
	Error   string
}

// passwordExpired reports whether u must choose a new password before
// using the UI (admin reset, or ui.password_max_age passed).
func (s *Server) passwordExpired(u *directory.User) bool {
	return u.PasswordExpired(s.conf().UI.PasswordMaxAge.D(), s.now())
}

// passwordShow is the change-password form; reachable with an expired
// password, which is where auth sends such a session.
func (s *Server) passwordShow(w http.ResponseWriter, r *http.Request, p *principal) {
	s.render(w, r, "password", &passwordPage{Base: s.base(r, p, "password.change"), Expired: p.expired})
}

// passwordSubmit changes the signed-in user's own password: the current
// one, then the new one twice. Success ends every other session of the
// user (a thief's too) and keeps this one.
func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request, p *principal) {
	ctx := r.Context()
	page := &passwordPage{Base: s.base(r, p, "password.change"), Expired: p.expired}
	cur, pw := r.PostFormValue("current"), r.PostFormValue("password")
	var err error
	switch {
	case pw != r.PostFormValue("confirm"):
		err = errMismatch
	case !s.attempt(ctx, p.Addr, clientIP(r)):
		page.Error = page.T("err.locked")
		w.WriteHeader(http.StatusTooManyRequests)
		s.render(w, r, "password", page)
		return
	default:
		err = s.accounts.ChangePassword(ctx, p.Addr, cur, pw, s.now())
		if !errors.Is(err, directory.ErrWrongPassword) {
			s.stepOK(ctx, clientIP(r))
		}
	}
	if err != nil {
		if errors.Is(err, directory.ErrWrongPassword) {
			// Guessing the current password here counts like a login failure.
			s.loginFailed(w, r, p.Addr, "password_change")
		}
		page.Error = page.T(passwordErrKey(err))
		w.WriteHeader(http.StatusBadRequest)
		s.render(w, r, "password", page)
		return
	}
	s.endOtherSessions(ctx, p.Addr, p.se)
	s.emit(ctx, r, audit.TypeUIPasswordChanged, p.Addr, audit.Event{})
	page.Expired, page.Done = false, true
	s.render(w, r, "password", page)
}

var errMismatch = errors.New("passwords differ")

// passwordErrKey maps a refused change to the message people see.
func passwordErrKey(err error) string {
	switch {
	case errors.Is(err, errMismatch):
		return "err.password.mismatch"
	case errors.Is(err, directory.ErrWrongPassword):
		return "err.password.current"
	case errors.Is(err, directory.ErrPasswordReused):
		return "err.password.reused"
	case directory.IsWeakPassword(err):
		return "err.password.weak"
	}
	return "err.internal"
}
