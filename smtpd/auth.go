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
