package approvalsui

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// Brute-force state lives in the store's key/value facility so every
// instance counts the same failures. Get-then-put is not atomic across
// instances; two racing failures may count once, which only makes the
// limit a little softer, never stricter for the honest user.

type failures struct {
	Count       int       `json:"count"`
	First       time.Time `json:"first"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

func acctKey(user string) string { return "ui:fail:a:" + lower(user) }
func ipKey(ip string) string     { return "ui:fail:ip:" + ip }

func (s *Server) getFailures(ctx context.Context, key string) failures {
	var f failures
	if b, err := s.st.SessionGet(ctx, key); err == nil {
		json.Unmarshal(b, &f)
	}
	return f
}

// locked reports whether the account or the IP is locked now.
func (s *Server) locked(ctx context.Context, user, ip string) bool {
	now := s.now()
	return s.getFailures(ctx, acctKey(user)).LockedUntil.After(now) ||
		s.getFailures(ctx, ipKey(ip)).LockedUntil.After(now)
}

// noteFailure counts a failed password or code for the account and the
// IP and locks them when over the limit; it reports whether it locked.
func (s *Server) noteFailure(ctx context.Context, user, ip string) bool {
	ui := s.conf().UI
	lockedNow := false
	for _, k := range []struct {
		key   string
		limit int
	}{{acctKey(user), ui.MaxFailures()}, {ipKey(ip), ui.MaxFailuresPerIP()}} {
		now := s.now()
		f := s.getFailures(ctx, k.key)
		if now.Sub(f.First) > ui.LockoutWindow() {
			f = failures{First: now}
		}
		f.Count++
		if f.Count >= k.limit && !f.LockedUntil.After(now) {
			f.LockedUntil = now.Add(ui.LockoutDuration())
			lockedNow = true
		}
		b, _ := json.Marshal(f)
		s.st.SessionPut(ctx, k.key, b, max(ui.LockoutWindow(), ui.LockoutDuration()))
	}
	return lockedNow
}

// clearFailures resets the account's counter after a full login or an
// admin unlock.
func (s *Server) clearFailures(ctx context.Context, user string) {
	s.st.SessionDelete(ctx, acctKey(user))
}

// totpLastStep and setTOTPStep remember the last accepted TOTP step per
// user, so a code (or a replay of it) works once.
func (s *Server) totpLastStep(ctx context.Context, user string) uint64 {
	b, err := s.st.SessionGet(ctx, "ui:totp:"+lower(user))
	if err != nil {
		return 0
	}
	n, _ := strconv.ParseUint(string(b), 10, 64)
	return n
}

func (s *Server) setTOTPStep(ctx context.Context, user string, step uint64) {
	s.st.SessionPut(ctx, "ui:totp:"+lower(user), []byte(strconv.FormatUint(step, 10)), 10*time.Minute)
}
