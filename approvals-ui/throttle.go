package approvalsui

import (
	"context"
	"encoding/json"
	"strconv"
	"time"
)

// Brute-force limits. Every sign-in step (password, code, enrolment
// code, the current password of a change) is counted for the account and
// the client IP *before* it is checked, with atomic counters in the shared
// store, so concurrent guesses on any number of instances get the limit
// between them, not one each. The account's count and lock are
// directory.Accounts', shared with SMTP AUTH; the IP's are the UI's own.
// A step that succeeds takes its count back from the IP, so an office
// behind one address is not locked by its own sign-ins.

type failures struct {
	Count       int       `json:"count"`
	First       time.Time `json:"first"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
}

func ipKey(ip string) string      { return "ui:fail:ip:" + ip }
func ipCountKey(ip string) string { return "ui:try:ip:" + ip }

func (s *Server) getFailures(ctx context.Context, key string) failures {
	var f failures
	if b, err := s.st.SessionGet(ctx, key); err == nil {
		json.Unmarshal(b, &f)
	}
	return f
}

// attempt counts one sign-in step of user from ip and reports whether it
// may be checked: not when the IP or the account is locked or this step
// is over a limit. A store error refuses (fail closed).
func (s *Server) attempt(ctx context.Context, user, ip string) bool {
	ui := s.conf().UI
	if s.getFailures(ctx, ipKey(ip)).LockedUntil.After(s.now()) {
		return false
	}
	n, err := s.st.SessionAdd(ctx, ipCountKey(ip), 1, ui.LockoutWindow())
	if err != nil {
		s.log.Error("ui: count attempt", "err", err)
		return false
	}
	if n > int64(ui.MaxFailuresPerIP()) {
		s.lockIP(ctx, ip, int(n))
		return false
	}
	ok, err := s.accounts.Begin(ctx, user)
	if err != nil {
		s.log.Error("ui: count attempt", "err", err)
	}
	return ok
}

// stepOK gives a succeeded step's count back to the IP.
func (s *Server) stepOK(ctx context.Context, ip string) {
	s.st.SessionAdd(ctx, ipCountKey(ip), -1, s.conf().UI.LockoutWindow())
}

// noteFailure notes that a counted step failed and locks the account or
// the IP when it reached its limit; it reports whether it locked.
func (s *Server) noteFailure(ctx context.Context, user, ip string) bool {
	ui := s.conf().UI
	locked, err := s.accounts.Failed(ctx, user)
	if err != nil {
		s.log.Error("ui: note failure", "err", err)
	}
	if n, err := s.st.SessionAdd(ctx, ipCountKey(ip), 0, ui.LockoutWindow()); err == nil && n >= int64(ui.MaxFailuresPerIP()) {
		locked = s.lockIP(ctx, ip, int(n)) || locked
	}
	return locked
}

// lockIP locks ip unless it is locked already; it reports whether it did.
func (s *Server) lockIP(ctx context.Context, ip string, n int) bool {
	ui, now := s.conf().UI, s.now()
	if s.getFailures(ctx, ipKey(ip)).LockedUntil.After(now) {
		return false
	}
	b, _ := json.Marshal(failures{Count: n, First: now, LockedUntil: now.Add(ui.LockoutDuration())})
	s.st.SessionPut(ctx, ipKey(ip), b, ui.LockoutDuration())
	s.indexLockedIP(ctx, ip, true)
	return true
}

// clearFailures resets the account's count after a full login.
func (s *Server) clearFailures(ctx context.Context, user string) {
	if err := s.accounts.Succeeded(ctx, user); err != nil {
		s.log.Error("ui: clear failures", "err", err)
	}
}

// accountLocked reports whether user's account is locked now.
func (s *Server) accountLocked(ctx context.Context, user string) bool {
	until, err := s.accounts.LockedUntil(ctx, user)
	return err != nil || !until.IsZero()
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
	s.st.SessionDelete(ctx, ipCountKey(ip))
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
