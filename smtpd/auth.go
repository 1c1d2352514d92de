package smtpd

import (
	"errors"
	"net/netip"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

var (
	errAuthTooMany = &smtp.SMTPError{Code: 454, EnhancedCode: smtp.EnhancedCode{4, 7, 0},
		Message: "Too many authentication failures from your address, try again later"}
	errEncryptionRequired = &smtp.SMTPError{Code: 538, EnhancedCode: smtp.EnhancedCode{5, 7, 11},
		Message: "Encryption required for requested authentication mechanism"}
	errAuthFailed = &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8},
		Message: "Authentication credentials invalid"}
	errAuthMechanism = &smtp.SMTPError{Code: 504, EnhancedCode: smtp.EnhancedCode{5, 5, 4},
		Message: "Unsupported authentication mechanism"}
)

// failureLimiter counts AUTH failures per client IP in a sliding window.
type failureLimiter struct {
	mu       sync.Mutex
	failures map[netip.Addr][]time.Time
}

func newFailureLimiter() *failureLimiter {
	return &failureLimiter{failures: map[netip.Addr][]time.Time{}}
}

// blocked reports whether ip has max or more failures within window.
func (f *failureLimiter) blocked(ip netip.Addr, max int, window time.Duration, now time.Time) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.prune(ip, window, now)) >= max
}

func (f *failureLimiter) fail(ip netip.Addr, window time.Duration, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failures[ip] = append(f.prune(ip, window, now), now)
}

func (f *failureLimiter) prune(ip netip.Addr, window time.Duration, now time.Time) []time.Time {
	ts := f.failures[ip]
	i := 0
	for i < len(ts) && now.Sub(ts[i]) > window {
		i++
	}
	ts = ts[i:]
	if len(ts) == 0 {
		delete(f.failures, ip)
		return nil
	}
	f.failures[ip] = ts
	return ts
}

// loginServer implements the LOGIN mechanism (draft-murchison-sasl-login),
// which go-sasl offers only as a client; Outlook still uses it.
type loginServer struct {
	check    func(user, pass string) error
	user     string
	step     int
	haveUser bool
}

func (s *loginServer) Next(response []byte) (challenge []byte, done bool, err error) {
	switch s.step {
	case 0:
		s.step = 1
		if response != nil {
			s.user, s.haveUser = string(response), true
			s.step = 2
			return []byte("Password:"), false, nil
		}
		return []byte("Username:"), false, nil
	case 1:
		s.user, s.haveUser = string(response), true
		s.step = 2
		return []byte("Password:"), false, nil
	case 2:
		s.step = 3
		return nil, true, s.check(s.user, string(response))
	}
	return nil, false, errors.New("unexpected client response")
}

var _ sasl.Server = (*loginServer)(nil)

var errAuthTemporary = &smtp.SMTPError{Code: 454, EnhancedCode: smtp.EnhancedCode{4, 7, 0},
	Message: "Temporary authentication failure"}

// checkLogin checks one AUTH login. With Options.Accounts it is the same
// check as the UI's: the attempt is counted for the account before the
// password is hashed, a locked account (by UI or SMTP failures) is refused
// like a wrong password, a failure counts toward the lock, and the
// password is the one in the shared store, so a change or reset in the UI
// applies at once. The per-IP limiter counts every refusal as well.
func (s *session) checkLogin(login, pass string) error {
	acc := s.s.opts.Accounts
	if acc == nil {
		u, ok := s.settings.Directory.Authenticate(login, pass)
		if !ok {
			return s.authFailed("password")
		}
		s.user = u
		return nil
	}
	ok, err := acc.Begin(s.ctx, login)
	if err != nil {
		s.s.opts.Logger.Error("smtp auth: account state", "err", err)
		return errAuthTemporary
	}
	if !ok {
		return s.authFailed("locked")
	}
	u, ok, err := acc.Authenticate(s.ctx, login, pass)
	if err != nil {
		s.s.opts.Logger.Error("smtp auth: account state", "err", err)
		return errAuthTemporary
	}
	if !ok {
		if _, err := acc.Failed(s.ctx, login); err != nil {
			s.s.opts.Logger.Error("smtp auth: count failure", "err", err)
		}
		return s.authFailed("password")
	}
	if err := acc.Succeeded(s.ctx, login); err != nil {
		s.s.opts.Logger.Error("smtp auth: clear failures", "err", err)
	}
	s.user = u
	return nil
}

// authFailed counts a refused login for the client IP and answers 535;
// the log names the reason, never the login or the password.
func (s *session) authFailed(reason string) error {
	s.s.authFail.fail(s.ip, s.settings.AuthWindow, time.Now())
	s.s.metrics.authFailures.Inc()
	s.s.opts.Logger.Warn("smtp auth failed", "client_ip", s.ip.String(), "mechanism", "PLAIN/LOGIN", "reason", reason)
	return errAuthFailed
}
