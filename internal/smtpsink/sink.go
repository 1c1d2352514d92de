// Package smtpsink is a real SMTP server for tests: the upstream that okuri
// relays to. It records every message behind a mutex and can refuse chosen
// recipients with 4xx/5xx, or be down entirely.
package smtpsink

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the sink accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	TLS  bool
	User string // AUTH identity, if any
}

// Sink is a running SMTP server on 127.0.0.1.
type Sink struct {
	Addr string
	srv  *smtp.Server
	ln   net.Listener

	mu      sync.Mutex
	msgs    []Message
	refuse  map[string]*smtp.SMTPError // by recipient
	dataErr *smtp.SMTPError
	conns   map[*smtp.Conn]bool
	arrived chan struct{}
}

// Options configures a Sink.
type Options struct {
	TLS      *tls.Config // offered via STARTTLS when set
	Implicit bool        // serve implicit TLS instead (needs TLS)
	Username string      // require AUTH PLAIN with these credentials when set
	Password string
	Addr     string // listen address; default 127.0.0.1:0
}

// Start runs a sink until the test ends.
func Start(t testing.TB, opts Options) *Sink {
	t.Helper()
	s := &Sink{refuse: map[string]*smtp.SMTPError{}, conns: map[*smtp.Conn]bool{}, arrived: make(chan struct{}, 1<<16)}
	srv := smtp.NewServer(backend{s, opts})
	srv.Domain = "sink.test"
	srv.TLSConfig = opts.TLS
	srv.AllowInsecureAuth = opts.TLS == nil
	srv.MaxMessageBytes = 200 << 20
	srv.MaxLineLength = 10000
	srv.ErrorLog = discardLogger{}
	addr := opts.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	var ln net.Listener
	var err error
	if opts.Implicit {
		ln, err = tls.Listen("tcp", addr, opts.TLS)
	} else {
		ln, err = net.Listen("tcp", addr)
	}
	if err != nil {
		t.Fatalf("smtpsink: listen: %v", err)
	}
	s.Addr = ln.Addr().String()
	s.srv, s.ln = srv, ln
	go srv.Serve(ln)
	t.Cleanup(func() { s.stop() })
	return s
}

// Close stops the sink; later connections are refused.
func (s *Sink) Close() { s.stop() }

// stop shuts down gracefully before closing: go-smtp's Server.Close
// closes connections while their goroutines may still be in a command,
// which the race detector reports (a go-smtp issue, not okuri's).
func (s *Sink) stop() {
	// Serve registers the listener with the server only once it runs: a
	// sink stopped right after Start would otherwise keep accepting.
	s.ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
	}
}

// Refuse makes the sink answer RCPT TO:<rcpt> with code (e.g. 550 or 450).
func (s *Sink) Refuse(rcpt string, code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[strings.ToLower(rcpt)] = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1}, Message: "sink refuses <" + rcpt + "> (internal detail 10.1.2.3)"}
}

// FailData makes the sink answer the end of DATA with code; 0 clears it.
func (s *Sink) FailData(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if code == 0 {
		s.dataErr = nil
		return
	}
	s.dataErr = &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 0, 0}, Message: "sink data failure"}
}

// Messages returns copies of the accepted messages so far.
func (s *Sink) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Connections returns how many connections sent EHLO to the sink.
func (s *Sink) Connections() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// Wait blocks until n messages arrived in total or timeout passes, and
// returns the messages.
func (s *Sink) Wait(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.After(timeout)
	for {
		if m := s.Messages(); len(m) >= n {
			return m
		}
		select {
		case <-s.arrived:
		case <-deadline:
			t.Fatalf("smtpsink: %d messages arrived, want %d", len(s.Messages()), n)
		}
	}
}

type backend struct {
	s    *Sink
	opts Options
}

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.conns[c] = true
	b.s.mu.Unlock()
	_, isTLS := c.TLSConnectionState()
	return &session{s: b.s, opts: b.opts, msg: Message{TLS: isTLS}}, nil
}

type session struct {
	s      *Sink
	opts   Options
	msg    Message
	authed bool
}

func (se *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (se *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if user != se.opts.Username || pass != se.opts.Password {
			return errors.New("bad credentials")
		}
		se.authed = true
		se.msg.User = user
		return nil
	}), nil
}

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	if se.opts.Username != "" && !se.authed {
		return smtp.ErrAuthRequired
	}
	se.msg.From = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	se.s.mu.Lock()
	err := se.s.refuse[strings.ToLower(to)]
	se.s.mu.Unlock()
	if err != nil {
		return err
	}
	se.msg.To = append(se.msg.To, to)
	return nil
}

func (se *session) Data(r io.Reader) error {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return err
	}
	se.s.mu.Lock()
	defer se.s.mu.Unlock()
	if se.s.dataErr != nil {
		return se.s.dataErr
	}
	m := se.msg
	m.Data = buf.Bytes()
	se.s.msgs = append(se.s.msgs, m)
	se.msg = Message{TLS: m.TLS, User: m.User}
	select {
	case se.s.arrived <- struct{}{}:
	default:
	}
	return nil
}

func (se *session) Reset() { se.msg = Message{TLS: se.msg.TLS, User: se.msg.User} }

func (se *session) Logout() error { return nil }

type discardLogger struct{}

func (discardLogger) Printf(string, ...any) {}
func (discardLogger) Println(...any)        {}
