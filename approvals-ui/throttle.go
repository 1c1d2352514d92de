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
		ip    bool
	}{{acctKey(user), ui.MaxFailures(), false}, {ipKey(ip), ui.MaxFailuresPerIP(), true}} {
		now := s.now()
		f := s.getFailures(ctx, k.key)
		if now.Sub(f.First) > ui.LockoutWindow() {
			f = failures{First: now}
		}
		f.Count++
		if f.Count >= k.limit && !f.LockedUntil.After(now) {
			f.LockedUntil = now.Add(ui.LockoutDuration())
			lockedNow = true
			if k.ip {
				s.indexLockedIP(ctx, ip, true)
			}
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

// lockedIPsKey lists the IPs that were locked, so the admin page can show
// and unlock them (the store's key/value facility cannot list by prefix).
const lockedIPsKey = "ui:fail:locked-ips"

type lockedIP struct {
	IP    string
	Until time.Time
}

// lockedIPs returns the IPs locked now (the index may still list expired
// locks; indexLockedIP prunes them).
func (s *Server) lockedIPs(ctx context.Context) []lockedIP {
	var out []lockedIP
	now := s.now()
	for _, ip := range s.lockedIPIndex(ctx) {
		if u := s.getFailures(ctx, ipKey(ip)).LockedUntil; u.After(now) {
			out = append(out, lockedIP{IP: ip, Until: u})
		}
	}
	return out
}

func (s *Server) lockedIPIndex(ctx context.Context) []string {
	var ips []string
	if b, err := s.st.SessionGet(ctx, lockedIPsKey); err == nil {
		json.Unmarshal(b, &ips)
	}
	return ips
}

// indexLockedIP adds or removes ip in the index and drops IPs whose lock
// ran out. Like the counters it is get-then-put: two instances locking
// two IPs at once may drop one from the list, and that lock then simply
// runs out at its time.
func (s *Server) indexLockedIP(ctx context.Context, ip string, add bool) {
	var ips []string
	for _, l := range s.lockedIPs(ctx) {
		if l.IP != ip {
			ips = append(ips, l.IP)
		}
	}
	if add {
		ips = append(ips, ip)
	}
	b, _ := json.Marshal(ips)
	ui := s.conf().UI
	s.st.SessionPut(ctx, lockedIPsKey, b, max(ui.LockoutWindow(), ui.LockoutDuration()))
}

// unlockIP is the admin unlock of an IP.
func (s *Server) unlockIP(ctx context.Context, ip string) {
	s.st.SessionDelete(ctx, ipKey(ip))
	s.indexLockedIP(ctx, ip, false)
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
