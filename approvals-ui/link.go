package approvalsui

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/quarantine"
)

// linkSigner signs self-check links with a key generated once in
// data_dir (ui-link.key, 0600). Instances sharing a store must share
// data_dir's key file too, or links work only on the instance that
// mailed them.
type linkSigner struct{ key []byte }

func loadLinkSigner(dataDir string) (*linkSigner, error) {
	path := filepath.Join(dataDir, "ui-link.key")
	key, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key = make([]byte, 32)
		rand.Read(key)
		if err := os.MkdirAll(dataDir, 0o700); err != nil {
			return nil, fmt.Errorf("approvals ui: link key: %w", err)
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) { // another instance won the race
			return loadLinkSigner(dataDir)
		}
		if err != nil {
			return nil, fmt.Errorf("approvals ui: link key: %w", err)
		}
		_, err = f.Write(key)
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("approvals ui: link key: %w", err)
		}
		return &linkSigner{key: key}, nil
	}
	if err != nil || len(key) < 32 {
		return nil, fmt.Errorf("approvals ui: link key %s: unreadable or short: %v", path, err)
	}
	return &linkSigner{key: key}, nil
}

// linkClaims is what a link binds: the message, its sender and the hold
// deadline; Nonce makes each link single-use.
type linkClaims struct {
	ID, Sender, Nonce string
	Expires           time.Time
}

func (l *linkSigner) mac(payload string) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte("okuri-selfcheck-link\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// sign returns the token for c.
func (l *linkSigner) sign(c linkClaims) string {
	payload := strings.Join([]string{c.ID, lower(c.Sender), strconv.FormatInt(c.Expires.Unix(), 10), c.Nonce}, "\n")
	p := base64.RawURLEncoding.EncodeToString([]byte(payload))
	return p + "." + l.mac(payload)
}

// verify checks the signature and the expiry of token.
func (l *linkSigner) verify(token string, now time.Time) (linkClaims, bool) {
	p, sig, ok := strings.Cut(token, ".")
	if !ok {
		return linkClaims{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil || !hmac.Equal([]byte(sig), []byte(l.mac(string(raw)))) {
		return linkClaims{}, false
	}
	f := strings.Split(string(raw), "\n")
	if len(f) != 4 {
		return linkClaims{}, false
	}
	exp, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil || !now.Before(time.Unix(exp, 0)) {
		return linkClaims{}, false
	}
	return linkClaims{ID: f[0], Sender: f[1], Expires: time.Unix(exp, 0), Nonce: f[3]}, true
}

// SelfCheckURL returns a signed single-use self-check link for m's sender.
func (s *Server) SelfCheckURL(m *quarantine.Message) string {
	sender := m.AuthUser
	if sender == "" {
		sender = m.From
	}
	tok := s.links.sign(linkClaims{ID: m.ID, Sender: sender, Expires: m.HoldUntil, Nonce: randomToken(12)})
	return s.conf().UI.URL() + "/link/" + tok
}

func linkUsedKey(nonce string) string { return "ui:link:" + nonce }

// linkPrincipal checks a link and returns the sender as a principal with
// no role but "sender", and the message, which must still wait for the
// self-check.
func (s *Server) linkPrincipal(ctx context.Context, token string) (*principal, *quarantine.Message, linkClaims, bool) {
	c, ok := s.links.verify(token, s.now())
	if !ok {
		return nil, nil, c, false
	}
	if _, err := s.st.SessionGet(ctx, linkUsedKey(c.Nonce)); err == nil {
		return nil, nil, c, false
	}
	m, err := s.st.Get(ctx, c.ID)
	if err != nil || m.State != quarantine.StateHeldSelfCheck {
		return nil, nil, c, false
	}
	p := &principal{Addr: c.Sender}
	if u, ok := s.lookupUser(ctx, c.Sender); ok {
		p.user, p.Name = u, u.Name
	}
	if !p.isSender(m) {
		return nil, nil, c, false
	}
	return p, m, c, true
}

// linkShow opens the self-check of one message from a notice link,
// without a login. Nothing else is reachable with it.
func (s *Server) linkShow(w http.ResponseWriter, r *http.Request) {
	p, m, _, ok := s.linkPrincipal(r.Context(), r.PathValue("token"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, "link")
		return
	}
	page := &detailPage{Base: s.base(r, nil, "selfcheck"), Action: "/link/" + r.PathValue("token"), Link: true}
	var err error
	if page.V, err = s.detail(r.Context(), page.Lang, p, m); err != nil {
		s.fail(w, r, http.StatusInternalServerError, "internal")
		return
	}
	page.V.Actions = map[string]bool{"selfcheck": true, "cancel": true}
	s.emit(r.Context(), r, audit.TypeMessageViewed, p.Addr, audit.Event{MessageID: m.ID, State: string(m.State), Attrs: map[string]string{"via": "link"}})
	s.render(w, r, "detail", page)
}

// linkSubmit performs the self-check (or cancel) and consumes the link.
func (s *Server) linkSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p, m, c, ok := s.linkPrincipal(ctx, r.PathValue("token"))
	if !ok {
		s.fail(w, r, http.StatusNotFound, "link")
		return
	}
	action := r.PostFormValue("action")
	if action != "selfcheck" && action != "cancel" {
		s.fail(w, r, http.StatusForbidden, "forbidden")
		return
	}
	in := formInput(r)
	in.via = "link"
	if _, err := s.perform(ctx, r, p, m.ID, action, in); err != nil {
		code, key := status(err)
		s.fail(w, r, code, key)
		return
	}
	s.st.SessionPut(ctx, linkUsedKey(c.Nonce), []byte(m.ID), time.Until(c.Expires)+24*time.Hour)
	b := s.base(r, nil, "selfcheck")
	msg := b.T("done.selfcheck")
	if action == "cancel" {
		msg = b.T("done.cancel")
	}
	s.render(w, r, "done", &donePage{Base: b, Message: msg, Back: "/login"})
}
