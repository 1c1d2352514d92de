package approvalsui

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/quarantine"
)

// Decision links let a supervisor approve or reject from the approval
// request mail. Each approver gets two links (approve, reject) sharing
// one nonce: the first one used consumes both. A link is signed with the
// self-check link key under its own purpose (so neither kind of token
// passes for the other), bound to message, approver, action and the hold
// deadline. It opens a confirmation page; only the POST from that page
// acts, through perform like every other button, so the store writes the
// same audit event (message.approved / message.rejected, via "mail").
// The POST is protected against cross-site use by CrossOriginProtection
// and by the unguessable token in its path.

// decideClaims is what a decision link binds.
type decideClaims struct {
	ID, Approver, Action, Nonce string
	Expires                     time.Time
}

func (l *linkSigner) decideMAC(payload string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte("okuri-decision-link\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (l *linkSigner) signDecide(c decideClaims) string {
	payload := strings.Join([]string{c.ID, lower(c.Approver), c.Action, strconv.FormatInt(c.Expires.Unix(), 10), c.Nonce}, "\n")
	return base64.RawURLEncoding.EncodeToString([]byte(payload)) + "." + l.decideMAC(payload)
}

func (l *linkSigner) verifyDecide(token string, now time.Time) (decideClaims, bool) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return decideClaims{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil || !hmac.Equal([]byte(sig), []byte(l.decideMAC(string(raw)))) {
		return decideClaims{}, false
	}
	f := strings.Split(string(raw), "\n")
	if len(f) != 5 || (f[2] != "approve" && f[2] != "reject") {
		return decideClaims{}, false
	}
	exp, err := strconv.ParseInt(f[3], 10, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return decideClaims{}, false
	}
	return decideClaims{ID: f[0], Approver: f[1], Action: f[2], Expires: time.Unix(exp, 0), Nonce: f[4]}, true
}

// DecideURLs returns the approve and reject links for one approver of m.
func (s *Server) DecideURLs(m *quarantine.Message, approver string) (approve, reject string) {
	nonce := randomToken(12)
	base := s.conf().UI.URL() + "/decide/"
	c := decideClaims{ID: m.ID, Approver: approver, Expires: m.HoldUntil, Nonce: nonce}
	c.Action = "approve"
	approve = base + s.links.signDecide(c)
	c.Action = "reject"
	reject = base + s.links.signDecide(c)
	return approve, reject
}

func decideUsedKey(nonce string) string { return "ui:decide:" + nonce }

// decidePrincipal checks a decision link and returns the approver with
// their configured roles, and the message, which must still await
// approval by them.
func (s *Server) decidePrincipal(ctx context.Context, token string) (*principal, *quarantine.Message, decideClaims, bool) {
	c, ok := s.links.verifyDecide(token, s.now())
	if !ok || !s.conf().UI.DecisionLinksOn() {
		return nil, nil, c, false
	}
	if _, err := s.st.SessionGet(ctx, decideUsedKey(c.Nonce)); err == nil {
		return nil, nil, c, false
	}
	u, ok := s.lookupUser(ctx, c.Approver)
	if !ok {
		return nil, nil, c, false
	}
	m, err := s.st.Get(ctx, c.ID)
	if err != nil || m.State != quarantine.StateHeldApproval {
		return nil, nil, c, false
	}
	p := s.principalFor(u)
	if !p.approves(m) {
		return nil, nil, c, false
	}
	return p, m, c, true
}

type decidePage struct {
	Base
	V        *holdView
	Decision string // "approve" or "reject"
	Action   string // the form's path
}

// decideShow is the confirmation page a decision link opens: the
// headline, recipients and attachments, a comment, one button.
func (s *Server) decideShow(w http.ResponseWriter, r *http.Request) {
	p, m, c, ok := s.decidePrincipal(r.Context(), r.PathValue("token"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, "link")
		return
	}
	page := &decidePage{Base: s.base(r, nil, "decide."+c.Action), Decision: c.Action, Action: "/decide/" + r.PathValue("token")}
	var err error
	if page.V, err = s.detail(r.Context(), page.Lang, nil, m); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	s.emit(r.Context(), r, audit.TypeMessageViewed, p.Addr, audit.Event{MessageID: m.ID, State: string(m.State), Attrs: map[string]string{"via": "mail"}})
	s.render(w, r, "decide", page)
}

// decideSubmit approves or rejects and consumes the link.
func (s *Server) decideSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, m, c, ok := s.decidePrincipal(ctx, r.PathValue("token"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, "link")
		return
	}
	in := formInput(r)
	in.via = "mail"
	if _, err := s.perform(ctx, r, p, m.ID, c.Action, in); err != nil {
		code, key := status(err)
		s.fail(w, r, code, key)
		return
	}
	s.st.SessionPut(ctx, decideUsedKey(c.Nonce), []byte(m.ID), c.Expires.Sub(s.now())+24*time.Hour)
	b := s.base(r, nil, "decide."+c.Action)
	s.render(w, r, "done", &donePage{Base: b, Message: b.T("done." + c.Action), Back: "/holds/" + m.ID})
}
