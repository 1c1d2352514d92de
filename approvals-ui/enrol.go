package approvalsui

import (
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
// only a password-only session in stageEnrol: an enrolled user changes
// authenticator through an admin's 2FA reset, so a stolen session cannot
// replace the second factor.
func (s *Server) enrolShow(w http.ResponseWriter, r *http.Request, se *session) {
	if se.Stage != stageEnrol {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
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
	if se.Stage != stageEnrol || secret == "" {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	step, ok := verifyTOTP(secret, r.PostFormValue("code"), s.now(), 0)
	if !ok {
		s.loginFailed(w, r, se.User, "totp_enrol")
		w.WriteHeader(http.StatusUnauthorized)
		s.render(w, r, "enrol", s.enrolForm(b, se.User, secret, b.T("err.code")))
		return
	}
	codes, hashes, err := directory.NewRecoveryCodes(10)
	if err == nil {
		err = directory.SetTOTP(s.users.path, se.User, secret, hashes)
	}
	if err != nil {
		s.log.Error("ui: enrol", "err", err)
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.setTOTPStep(ctx, se.User, step)
	s.emit(ctx, r, audit.TypeUITOTPEnrolled, se.User, audit.Event{Attrs: map[string]string{"recovery_codes": strconv.Itoa(len(codes))}})
	next := safeNext(se.Next)
	s.dropSession(ctx, se)
	nse, err := s.newSession(ctx, w, se.User, stageFull)
	if err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.loginDone(r, se.User)
	b.CSRF = nse.CSRF
	s.render(w, r, "enrol", &enrolPage{Base: b, Recovery: codes, Next: next})
}
