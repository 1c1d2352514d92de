package approvalsui

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/okuri/okuri/audit"
)

// The JSON API (/api/v1) does what the pages do, with the same session
// and the same rules: sign in with POST /api/v1/login (password and, when
// enrolled or required, a TOTP code in one request), keep the cookie, and
// send the returned csrf_token as X-CSRF-Token on every POST. See
// docs/UI.md.

type apiError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

type apiLoginReq struct {
	Address  string `json:"address"`
	Password string `json:"password"`
	Code     string `json:"code"`
}

// apiLogin signs in with both factors at once. A user who must enrol in
// 2FA first has to do so in the browser.
func (s *Server) apiLogin(w http.ResponseWriter, r *http.Request) {
	var req apiLoginReq
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 8<<10)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{"bad request"})
		return
	}
	ctx, addr, ip := r.Context(), lower(req.Address), clientIP(r)
	if !s.attempt(ctx, addr, ip) {
		s.emit(ctx, r, audit.TypeUILoginFailed, addr, audit.Event{Reason: "locked", Attrs: map[string]string{"via": "api"}})
		writeJSON(w, http.StatusTooManyRequests, apiError{"locked"})
		return
	}
	u, ok, err := s.accounts.Authenticate(ctx, addr, req.Password)
	if err != nil {
		s.log.Error("ui: api login", "err", err)
		writeJSON(w, http.StatusServiceUnavailable, apiError{"internal"})
		return
	}
	if !ok {
		s.loginFailed(w, r, addr, "password")
		writeJSON(w, http.StatusUnauthorized, apiError{"unauthenticated"})
		return
	}
	switch s.secondStage(u) {
	case stageEnrol:
		writeJSON(w, http.StatusForbidden, apiError{"two-factor enrolment required: sign in with a browser first"})
		return
	case stageTOTP:
		step, ok := verifyTOTP(u.TOTP, req.Code, s.now(), s.totpLastStep(ctx, u.Address))
		if !ok {
			s.loginFailed(w, r, addr, "totp")
			writeJSON(w, http.StatusUnauthorized, apiError{"unauthenticated"})
			return
		}
		s.setTOTPStep(ctx, u.Address, step)
	}
	if s.passwordExpired(u) {
		writeJSON(w, http.StatusForbidden, apiError{"password expired: change it at /account/password in a browser"})
		return
	}
	s.stepOK(ctx, ip)
	se, err := s.newSession(ctx, w, u.Address, stageFull)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{"internal"})
		return
	}
	s.loginDone(r, se.User)
	writeJSON(w, http.StatusOK, map[string]string{"csrf_token": se.CSRF, "user": se.User})
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request, p *principal) {
	writeJSON(w, http.StatusOK, map[string]any{"user": p.Addr, "name": p.Name, "admin": p.Admin,
		"auditor": p.Auditor, "approver_groups": p.Groups, "csrf_token": p.se.CSRF})
}

func (s *Server) apiHoldList(w http.ResponseWriter, r *http.Request, p *principal) {
	tab, q, _, ok := s.listQuery(p, r.URL.Query())
	if !ok {
		writeJSON(w, http.StatusForbidden, apiError{"forbidden"})
		return
	}
	rows, next, err := s.list(r.Context(), s.lang(r), tab, q, p)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{"internal"})
		return
	}
	if rows == nil {
		rows = []*holdView{}
	}
	s.emit(r.Context(), r, audit.TypeUIViewed, p.Addr, audit.Event{Attrs: map[string]string{"page": "holds", "tab": tab, "count": itoa(len(rows)), "via": "api"}})
	writeJSON(w, http.StatusOK, map[string]any{"messages": rows, "next": next})
}

func (s *Server) apiHoldShow(w http.ResponseWriter, r *http.Request, p *principal) {
	m, err := s.load(r.Context(), p, r.PathValue("id"))
	if err != nil {
		code, key := status(err)
		writeJSON(w, code, apiError{key})
		return
	}
	v, err := s.detail(r.Context(), s.lang(r), p, m)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, apiError{"internal"})
		return
	}
	s.emit(r.Context(), r, audit.TypeMessageViewed, p.Addr, audit.Event{MessageID: m.ID, State: string(m.State), Attrs: map[string]string{"via": "api"}})
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) apiHoldAction(w http.ResponseWriter, r *http.Request, p *principal) {
	var in actionInput
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&in); err != nil {
			writeJSON(w, http.StatusBadRequest, apiError{"bad request"})
			return
		}
	}
	in.via = "api"
	m, err := s.perform(r.Context(), r, p, r.PathValue("id"), r.PathValue("action"), in)
	if err != nil {
		code, key := status(err)
		writeJSON(w, code, apiError{key})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": m.ID, "state": string(m.State)})
}
