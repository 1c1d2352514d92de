// Package sink is a discard SMTP server for benchmarks: the upstream that
// okuri and Postfix relay to while they are measured.
//
// It listens on a loopback address only, accepts every envelope, reads
// each message to the end, counts it and throws it away, so that it costs
// as little CPU as possible and answers 250 at once. Optionally it offers
// STARTTLS and requires AUTH PLAIN, so that a load generator's TLS and
// AUTH path can be tested against it.
package sink

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Config configures a Sink.
type Config struct {
	Addr string // loopback host:port; port 0 picks a free one
	// TLS, when set, makes the sink offer STARTTLS.
	TLS *tls.Config
	// User and Password, when User is set, make AUTH PLAIN mandatory
	// before MAIL. AUTH is offered over plaintext too (loopback only).
	User, Password string
	// ErrorLog receives go-smtp's connection errors; nil discards them.
	ErrorLog *log.Logger
}

// Sink is a running discard SMTP server.
type Sink struct {
	srv      *smtp.Server
	ln       net.Listener
	done     chan error
	close    sync.Once
	closeErr error
	messages atomic.Int64
	bytes    atomic.Int64
	sessions atomic.Int64
}

// Start listens on cfg.Addr and serves until Close.
func Start(cfg Config) (*Sink, error) {
	if err := checkLoopback(cfg.Addr); err != nil {
		return nil, fmt.Errorf("sink: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("sink listen %s: %w", cfg.Addr, err)
	}
	s := &Sink{ln: ln, done: make(chan error, 1)}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		s.sessions.Add(1)
		sess := &session{sink: s, needs: cfg.User != ""}
		if cfg.User != "" {
			return &authSession{session: sess, user: cfg.User, password: cfg.Password}, nil
		}
		return sess, nil
	}))
	s.srv.Domain = "sink.okuri-bench.invalid"
	s.srv.TLSConfig = cfg.TLS
	s.srv.AllowInsecureAuth = true
	s.srv.MaxMessageBytes = 64 << 20
	s.srv.MaxRecipients = 1000
	s.srv.ReadTimeout = time.Minute
	s.srv.WriteTimeout = time.Minute
	s.srv.ErrorLog = cfg.ErrorLog
	if s.srv.ErrorLog == nil {
		s.srv.ErrorLog = log.New(io.Discard, "", 0)
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// Addr is the address the sink listens on.
func (s *Sink) Addr() string { return s.ln.Addr().String() }

// Messages is the number of messages received so far.
func (s *Sink) Messages() int64 { return s.messages.Load() }

// Bytes is the number of message bytes received so far.
func (s *Sink) Bytes() int64 { return s.bytes.Load() }

// Sessions is the number of SMTP sessions (connections that got past the
// greeting) so far: with Messages it shows whether a relay reuses its
// upstream connections.
func (s *Sink) Sessions() int64 { return s.sessions.Load() }

// Close stops listening and closes every open connection. Calling it
// again returns the first call's result.
func (s *Sink) Close() error {
	s.close.Do(func() {
		// Serve may not have registered the listener with the server
		// yet, so close it here too; either close may find it closed.
		srvErr := s.srv.Close()
		lnErr := s.ln.Close()
		var errs []error
		for _, err := range []error{srvErr, lnErr, <-s.done} {
			if err != nil && !errors.Is(err, net.ErrClosed) {
				errs = append(errs, err)
			}
		}
		if err := errors.Join(errs...); err != nil {
			s.closeErr = fmt.Errorf("sink close: %w", err)
		}
	})
	return s.closeErr
}

// session accepts any envelope and discards the message.
type session struct {
	sink   *Sink
	authed bool
	needs  bool // AUTH required before MAIL
}

func (s *session) Reset()        {}
func (s *session) Logout() error { return nil }

func (s *session) Mail(string, *smtp.MailOptions) error {
	if s.needs && !s.authed {
		return smtp.ErrAuthRequired
	}
	return nil
}

func (s *session) Rcpt(string, *smtp.RcptOptions) error { return nil }

func (s *session) Data(r io.Reader) error {
	n, err := io.Copy(io.Discard, r)
	if err != nil {
		return fmt.Errorf("sink read data: %w", err)
	}
	s.sink.bytes.Add(n)
	s.sink.messages.Add(1)
	return nil
}

// authSession is a session that offers and requires AUTH PLAIN.
type authSession struct {
	*session
	user, password string
}

func (s *authSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *authSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.user || pass != s.password {
			return smtp.ErrAuthFailed
		}
		s.authed = true
		return nil
	}), nil
}

// checkLoopback returns an error unless addr's host is a loopback IP.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("parse address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("address %q: only loopback IP addresses are allowed", addr)
	}
	return nil
}
