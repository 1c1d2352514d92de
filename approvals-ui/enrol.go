package approvalsui

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"strconv"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/directory"
)

type enrolPage struct {
	Base
	Secret   string
	URI      string
	QR       template.HTML // the otpauth URI as an inline SVG QR code
	Recovery []string
	Next     string
	Error    string
}

// enrolShow offers a new TOTP secret as a QR code to scan, with the key
// and otpauth URI for manual entry. It serves
// only a password-only session in stageEnrol of a user not enrolled yet:
// an enrolled user changes authenticator through an admin's 2FA reset, so
// a stolen session cannot replace the second factor.
func (s *Server) enrolShow(w http.ResponseWriter, r *http.Request, se *session) {
	if !s.mayEnrol(w, r, se) {
		return
	}
	secret, err := directory.NewTOTPSecret()
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	se.Enrol = secret
	if err := s.saveSession(r.Context(), se); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	b := s.base(r, nil, "totp.enrol")
	b.CSRF = se.CSRF
	s.render(w, r, "enrol", s.enrolForm(b, se.User, secret, ""))
}

// enrolForm is the enrolment page for secret; a QR code that cannot be
// drawn leaves the manual key, which is enough to enrol.
func (s *Server) enrolForm(b Base, user, secret, errText string) *enrolPage {
	uri := otpauthURI("okuri", user, secret)
	qr, err := qrSVG(uri)
	if err != nil {
		s.log.Warn("ui: enrol qr", "err", err)
	}
	return &enrolPage{Base: b, Secret: secret, URI: uri, QR: qr, Error: errText}
}

// enrolSubmit confirms the secret with a code from the app, stores it
// with new recovery codes, shows the codes once and starts a full session.
func (s *Server) enrolSubmit(w http.ResponseWriter, r *http.Request, se *session) {
	ctx := r.Context()
	b := s.base(r, nil, "totp.enrol")
	b.CSRF = se.CSRF
	secret := se.Enrol
	if !s.mayEnrol(w, r, se) {
		return
	}
	if secret == "" {
		http.Redirect(w, r, "/totp/enrol", http.StatusSeeOther)
		return
	}
	if !s.attempt(ctx, se.User, clientIP(r)) {
		s.endSession(ctx, w, se)
		s.render(w, r, "login", &loginPage{Base: s.base(r, nil, "login"), Error: b.T("err.locked")})
		return
	}
	step, ok := verifyTOTP(secret, r.PostFormValue("code"), s.now(), 0)
	if !ok {
		s.loginFailed(w, r, se.User, "totp_enrol")
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, "enrol", s.enrolForm(b, se.User, secret, b.T("err.code")))
		return
	}
	s.stepOK(ctx, clientIP(r))
	codes, hashes, err := directory.NewRecoveryCodes(10)
	if err == nil {
		// Compare-and-set: of two half-signed-in sessions racing, one
		// enrols; the other is refused like an enrolled user's.
		err = s.accounts.EnrolTOTP(ctx, se.User, secret, hashes)
	}
	if errors.Is(err, directory.ErrEnrolled) {
		s.refuseEnrolled(ctx, w, r, se)
		return
	}
	if err != nil {
		s.log.Error("ui: enrol", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.setTOTPStep(ctx, se.User, step)
	s.emit(ctx, r, audit.TypeUITOTPEnrolled, se.User, audit.Event{Attrs: map[string]string{"recovery_codes": strconv.Itoa(len(codes))}})
	next := safeNext(se.Next)
	// Every other session of the user ends: one opened by somebody else
	// with the password must not go on to a second factor of their own.
	s.endAllSessions(ctx, se.User)
	nse, err := s.newSession(ctx, w, se.User, stageFull)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.loginDone(r, se.User)
	b.CSRF = nse.CSRF
	s.render(w, r, "enrol", &enrolPage{Base: b, Recovery: codes, Next: next})
}

// mayEnrol lets a password-only session of a user without a second
// factor enrol; anything else is refused (an enrolled user's session
// ends, with an audit event).
func (s *Server) mayEnrol(w http.ResponseWriter, r *http.Request, se *session) bool {
	if se.Stage != stageEnrol {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return false
	}
	u, ok := s.lookupUser(r.Context(), se.User)
	if !ok || u.TOTP != "" {
		s.refuseEnrolled(r.Context(), w, r, se)
		return false
	}
	return true
}

// refuseEnrolled ends a session that tried to enrol a user who has a
// second factor now, and records it: somebody else may know the password.
func (s *Server) refuseEnrolled(ctx context.Context, w http.ResponseWriter, r *http.Request, se *session) {
	s.endSession(ctx, w, se)
	s.emit(ctx, r, audit.TypeUILoginFailed, se.User, audit.Event{Reason: "totp_enrol: already enrolled"})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
