package approvalsui

import (
	"net/http"
	"strings"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/directory"
)

type loginPage struct {
	Base
	Next    string
	Address string
	Error   string
}

func (s *Server) loginShow(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, "login", &loginPage{Base: s.base(r, nil, "login"), Next: safeNext(r.URL.Query().Get("next"))})
}

// loginSubmit is the password step. A correct password starts a
// password-only session (new id) that can do nothing but the second
// factor; the result is the same page for unknown users and wrong
// passwords.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	addr, pw, next := lower(r.PostFormValue("address")), r.PostFormValue("password"), safeNext(r.PostFormValue("next"))
	page := &loginPage{Base: s.base(r, nil, "login"), Next: next, Address: addr}
	ctx, ip := r.Context(), clientIP(r)
	if !s.attempt(ctx, addr, ip) {
		s.logins.WithLabelValues("locked").Inc()
		s.emit(r.Context(), r, audit.TypeUILoginFailed, addr, audit.Event{Reason: "locked"})
		page.Error = page.T("err.locked")
		w.WriteHeader(http.StatusTooManyRequests)
		s.render(w, r, "login", page)
		return
	}
	u, ok, err := s.accounts.Authenticate(ctx, addr, pw)
	if err != nil {
		s.log.Error("ui: login", "err", err)
		s.fail(w, r, http.StatusServiceUnavailable, "internal")
		return
	}
	if !ok {
		s.loginFailed(w, r, addr, "password")
		page.Error = page.T("err.login")
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, "login", page)
		return
	}
	s.stepOK(ctx, ip)
	stage := s.secondStage(u)
	se, err := s.newSession(ctx, w, u.Address, stage)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	if stage == stageFull {
		s.loginDone(r, se.User)
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	se.Next = next // remembered across the second step
	s.saveSession(ctx, se)
	if stage == stageEnrol {
		http.Redirect(w, r, "/totp/enrol", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/login/totp", http.StatusSeeOther)
}

// secondStage decides what follows a correct password.
func (s *Server) secondStage(u *directory.User) string {
	switch {
	case u.TOTP != "":
		return stageTOTP
	case s.principalFor(u).needsTOTP(s.conf().UI.SenderTOTP):
		return stageEnrol
	}
	return stageFull
}

func (s *Server) loginFailed(w http.ResponseWriter, r *http.Request, addr, reason string) {
	locked := s.noteFailure(r.Context(), addr, clientIP(r))
	s.logins.WithLabelValues("failed").Inc()
	if locked {
		reason += "; locked"
	}
	s.emit(r.Context(), r, audit.TypeUILoginFailed, addr, audit.Event{Reason: reason})
}

func (s *Server) loginDone(r *http.Request, user string) {
	s.clearFailures(r.Context(), user)
	s.logins.WithLabelValues("ok").Inc()
	s.emit(r.Context(), r, audit.TypeUILogin, user, audit.Event{})
}

type totpPage struct {
	Base
	Error string
}

func (s *Server) totpShow(w http.ResponseWriter, r *http.Request, se *session) {
	if se.Stage != stageTOTP {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	b := s.base(r, nil, "totp")
	b.CSRF = se.CSRF
	s.render(w, r, "totp", &totpPage{Base: b})
}

// totpSubmit is the second factor: a TOTP code (each step once) or a
// recovery code (each once). Success replaces the session with a new one.
func (s *Server) totpSubmit(w http.ResponseWriter, r *http.Request, se *session) {
	if se.Stage != stageTOTP {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	ctx, ip := r.Context(), clientIP(r)
	b := s.base(r, nil, "totp")
	b.CSRF = se.CSRF
	if !s.attempt(ctx, se.User, ip) {
		s.endSession(ctx, w, se)
		s.render(w, r, "login", &loginPage{Base: s.base(r, nil, "login"), Error: b.T("err.locked")})
		return
	}
	u, ok := s.lookupUser(ctx, se.User)
	if !ok || u.TOTP == "" {
		s.endSession(ctx, w, se)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	good := false
	if len(code) == totpDigits {
		if step, ok := verifyTOTP(u.TOTP, code, s.now(), s.totpLastStep(ctx, u.Address)); ok {
			s.setTOTPStep(ctx, u.Address, step)
			good = true
		}
	} else if code != "" {
		good = s.accounts.UseRecoveryCode(ctx, u.Address, code) == nil
	}
	if !good {
		s.loginFailed(w, r, se.User, "totp")
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, "totp", &totpPage{Base: b, Error: b.T("err.code")})
		return
	}
	s.stepOK(ctx, ip)
	next := safeNext(se.Next)
	s.dropSession(ctx, se)
	if _, err := s.newSession(ctx, w, u.Address, stageFull); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.loginDone(r, lower(u.Address))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p *principal) {
	s.endSession(r.Context(), w, p.se)
	s.emit(r.Context(), r, audit.TypeUILogout, p.Addr, audit.Event{})
	if strings.HasPrefix(r.URL.Path, "/api/") {
		writeJSON(w, http.StatusOK, map[string]string{"status": "signed out"})
		return
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

func (s *Server) logoutAll(w http.ResponseWriter, r *http.Request, p *principal) {
	n := s.endAllSessions(r.Context(), p.Addr)
	s.endSession(r.Context(), w, p.se)
	s.emit(r.Context(), r, audit.TypeUILogout, p.Addr, audit.Event{Attrs: map[string]string{"scope": "all", "sessions": itoa(n)}})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// home sends each role to its main list.
func (s *Server) home(w http.ResponseWriter, r *http.Request, p *principal) {
	tab := "mine"
	switch {
	case p.Approver():
		tab = "approve"
	case p.Auditor:
		tab = "all"
	case p.Admin:
		http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/holds?tab="+tab, http.StatusSeeOther)
}
