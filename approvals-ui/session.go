package approvalsui

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// cookieName uses the __Host- prefix: the browser accepts it only with
// Secure, Path=/ and no Domain, so a sibling host cannot plant it.
const cookieName = "__Host-okuri_session"

// Session stages: a password-only session may do nothing but the second
// factor (or enrolment); only stageFull reaches the application.
const (
	stageTOTP  = "totp"  // password ok, code pending
	stageEnrol = "enrol" // password ok, must enrol first
	stageFull  = "full"
)

// session is what the store keeps under sha256(id); the id itself exists
// only in the cookie.
type session struct {
	User    string    `json:"user"`
	Stage   string    `json:"stage"`
	CSRF    string    `json:"csrf"`
	Created time.Time `json:"created"`
	Seen    time.Time `json:"seen"`
	// Enrol is the TOTP secret offered during enrolment, until confirmed.
	Enrol string `json:"enrol,omitempty"`
	// Next is where to go after the second login step.
	Next string `json:"next,omitempty"`

	key string // store key, not stored
}

func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sessionKey(id string) string {
	h := sha256.Sum256([]byte(id))
	return "ui:s:" + hex.EncodeToString(h[:])
}

func userIndexKey(user string) string { return "ui:us:" + lower(user) }

// newSession creates a session for user at stage and sets its cookie.
// Called at every login step, so the id changes whenever privilege does.
func (s *Server) newSession(ctx context.Context, w http.ResponseWriter, user, stage string) (*session, error) {
	id := randomToken(32)
	now := s.now()
	se := &session{User: lower(user), Stage: stage, CSRF: randomToken(24), Created: now, Seen: now, key: sessionKey(id)}
	if err := s.saveSession(ctx, se); err != nil {
		return nil, err
	}
	if err := s.indexSession(ctx, user, se.key, true); err != nil {
		return nil, err
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: id, Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode})
	return se, nil
}

// saveSession writes se with a TTL that ends it at the idle or the
// absolute timeout, whichever comes first.
func (s *Server) saveSession(ctx context.Context, se *session) error {
	ttl := min(s.conf().UI.IdleTimeout(), se.Created.Add(s.conf().UI.AbsoluteTimeout()).Sub(se.Seen))
	if ttl <= 0 {
		return errors.New("session expired")
	}
	b, _ := json.Marshal(se)
	if err := s.st.SessionPut(ctx, se.key, b, ttl); err != nil {
		return fmt.Errorf("save session: %w", err)
	}
	return nil
}

// loadSession returns the request's session, or nil when there is none
// or it timed out. It refreshes the idle timer at most once a minute.
func (s *Server) loadSession(r *http.Request) *session {
	c, err := r.Cookie(cookieName)
	if err != nil || c.Value == "" {
		return nil
	}
	key := sessionKey(c.Value)
	b, err := s.st.SessionGet(r.Context(), key)
	if err != nil {
		return nil
	}
	var se session
	if json.Unmarshal(b, &se) != nil {
		return nil
	}
	se.key = key
	now := s.now()
	if now.Sub(se.Seen) > s.conf().UI.IdleTimeout() || now.Sub(se.Created) > s.conf().UI.AbsoluteTimeout() {
		s.st.SessionDelete(r.Context(), key)
		return nil
	}
	if now.Sub(se.Seen) > time.Minute {
		se.Seen = now
		if s.saveSession(r.Context(), &se) != nil {
			return nil
		}
	}
	return &se
}

// dropSession deletes one session from the store (the cookie is about to
// be replaced by a new session's).
func (s *Server) dropSession(ctx context.Context, se *session) {
	if se != nil {
		s.st.SessionDelete(ctx, se.key)
		s.indexSession(ctx, se.User, se.key, false)
	}
}

// endSession deletes one session and clears the cookie.
func (s *Server) endSession(ctx context.Context, w http.ResponseWriter, se *session) {
	s.dropSession(ctx, se)
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/", Secure: true, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

// endAllSessions deletes every session of user ("sign out everywhere",
// and after an admin reset).
func (s *Server) endAllSessions(ctx context.Context, user string) int {
	keys := s.sessionIndex(ctx, user)
	for _, k := range keys {
		s.st.SessionDelete(ctx, k)
	}
	s.st.SessionDelete(ctx, userIndexKey(user))
	return len(keys)
}

// endOtherSessions ends every session of user except keep (after a
// password change: whoever knew the old password is signed out).
func (s *Server) endOtherSessions(ctx context.Context, user string, keep *session) {
	for _, k := range s.sessionIndex(ctx, user) {
		if k != keep.key {
			s.st.SessionDelete(ctx, k)
		}
	}
	s.indexSession(ctx, user, keep.key, true) // drops the ended ones
}

func (s *Server) sessionIndex(ctx context.Context, user string) []string {
	var keys []string
	if b, err := s.st.SessionGet(ctx, userIndexKey(user)); err == nil {
		json.Unmarshal(b, &keys)
	}
	return keys
}

// indexSession adds or removes a session key in the user's index, which
// lives as long as the longest session. Two instances updating it at the
// same moment can lose an entry; such a session still ends at its timeout.
func (s *Server) indexSession(ctx context.Context, user, key string, add bool) error {
	keys := s.sessionIndex(ctx, user)
	// Drop entries whose session is gone, so the index stays small.
	live := keys[:0]
	for _, k := range keys {
		if k == key {
			continue
		}
		if _, err := s.st.SessionGet(ctx, k); err == nil {
			live = append(live, k)
		} else if !errors.Is(err, quarantine.ErrNotFound) {
			live = append(live, k)
		}
	}
	if add {
		live = append(live, key)
	}
	live = slices.Compact(live)
	b, _ := json.Marshal(live)
	return s.st.SessionPut(ctx, userIndexKey(user), b, s.conf().UI.AbsoluteTimeout())
}

// csrfOK reports whether the request carries the session's CSRF token, in
// the form field "csrf" or the X-CSRF-Token header.
func csrfOK(r *http.Request, se *session) bool {
	tok := r.Header.Get("X-CSRF-Token")
	if tok == "" {
		tok = r.PostFormValue("csrf")
	}
	return tok != "" && subtle.ConstantTimeCompare([]byte(tok), []byte(se.CSRF)) == 1
}
