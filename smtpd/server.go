// Package smtpd owns okuri's SMTP submission listeners: TLS, AUTH, sender
// binding, limits and spooling. It hands each accepted message to a
// Handler and knows nothing about rules.
//
// Invariants kept here:
//   - AUTH happens only over TLS, except on loopback when configured.
//   - The envelope sender and every header From address belong to the
//     authenticated user (own address or alias); hosts in a trusted network
//     may send without AUTH only from their configured domains.
//   - DATA containing a bare CR or LF is refused after the real end of data
//     (CRLF.CRLF), never ended early: the SMTP smuggling class of 2023.
//   - The message is preserved byte for byte; only a Received header is
//     prepended.
//   - The reply to DATA is the Handler's: 250 only when the Handler says
//     the message was delivered or durably stored.
package smtpd

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/internal/smtpcode"
	"github.com/okuri/okuri/spool"
)

// Message is one accepted message handed to the Handler.
type Message struct {
	QueueID  string
	Received time.Time
	ClientIP netip.Addr
	Helo     string
	User     string // authenticated login; "" when sent from a trusted network
	TLS      bool
	From     string   // envelope sender
	To       []string // envelope recipients
	Body     *spool.Body
}

// Reply is the Handler's answer to DATA. Text is ASCII English (RFC 5321).
type Reply struct {
	Code     int
	Enhanced smtpcode.Enhanced
	Text     string
}

// Handler decides what happens to a message. It must not return a 2xx
// Reply unless the message was delivered upstream or durably stored. The
// Body is valid only until Handle returns.
type Handler interface {
	Handle(ctx context.Context, m *Message) Reply
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, m *Message) Reply

// Handle calls f.
func (f HandlerFunc) Handle(ctx context.Context, m *Message) Reply { return f(ctx, m) }

// Limits bound sessions. Zero values are not defaults: config supplies them.
type Limits struct {
	MaxMessageBytes     int64
	MaxRecipients       int
	MaxLineLength       int
	MaxHeaderBytes      int64
	CommandTimeout      time.Duration
	DataTimeout         time.Duration
	MaxConnections      int
	MaxConnectionsPerIP int
}

// TrustedNetwork may send without AUTH from SenderDomains.
type TrustedNetwork struct {
	Prefix        netip.Prefix
	SenderDomains []string
}

// Settings is the reloadable part of the configuration. Each session uses
// the snapshot current at its start.
type Settings struct {
	Directory       *directory.Directory
	Trusted         []TrustedNetwork
	AuthMaxFailures int
	AuthWindow      time.Duration
}

// Options configures a Server; these need a restart to change.
type Options struct {
	Hostname               string
	Listen                 string // submission with STARTTLS; "" for none
	ListenTLS              string // implicit TLS; "" for none
	TLS                    *tls.Config
	AllowPlaintextLoopback bool
	Limits                 Limits
	Spool                  *spool.Spool
	// Accounts, when set, is the shared sign-in state and per-account
	// lockout (the UI's); AUTH then checks passwords there, not in
	// Settings.Directory. See auth.go.
	Accounts   *directory.Accounts
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// NewQueueID returns the id a message is logged and tracked under.
	NewQueueID func() string
}

// Server runs the listeners.
type Server struct {
	opts     Options
	handler  Handler
	settings atomic.Pointer[Settings]
	metrics  *metrics
	authFail *failureLimiter
	conns    *connLimiter

	mu      sync.Mutex
	servers []*smtp.Server
	addrs   []net.Addr
	ctx     context.Context // cancelled on Shutdown deadline: aborts handlers
	cancel  context.CancelFunc
}

// New returns a Server; Start opens its listeners.
func New(opts Options, settings *Settings, h Handler) (*Server, error) {
	if opts.TLS == nil {
		return nil, errors.New("smtpd: a TLS configuration is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Registerer == nil {
		opts.Registerer = prometheus.NewRegistry()
	}
	m, err := newMetrics(opts.Registerer)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Server{
		opts: opts, handler: h, metrics: m,
		authFail: newFailureLimiter(),
		conns:    newConnLimiter(opts.Limits.MaxConnections, opts.Limits.MaxConnectionsPerIP),
		ctx:      ctx, cancel: cancel,
	}
	s.settings.Store(settings)
	return s, nil
}

// SetSettings replaces the reloadable settings for new sessions.
func (s *Server) SetSettings(st *Settings) { s.settings.Store(st) }

// Start listens on the configured addresses and serves in the background.
func (s *Server) Start() error {
	type lst struct {
		addr     string
		implicit bool
	}
	var ls []lst
	if s.opts.Listen != "" {
		ls = append(ls, lst{s.opts.Listen, false})
	}
	if s.opts.ListenTLS != "" {
		ls = append(ls, lst{s.opts.ListenTLS, true})
	}
	for _, l := range ls {
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			s.Close()
			return fmt.Errorf("smtpd: listen %s: %w", l.addr, err)
		}
		if l.implicit {
			ln = tls.NewListener(ln, s.opts.TLS)
		}
		srv := s.newSMTPServer(ln.Addr(), l.implicit)
		s.mu.Lock()
		s.servers = append(s.servers, srv)
		s.addrs = append(s.addrs, ln.Addr())
		s.mu.Unlock()
		limited := &limitListener{Listener: ln, limits: s.conns, hostname: s.opts.Hostname, metrics: s.metrics}
		go func() {
			if err := srv.Serve(limited); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
				s.opts.Logger.Error("smtp listener stopped", "addr", ln.Addr().String(), "err", err)
			}
		}()
		s.opts.Logger.Info("smtp listening", "addr", ln.Addr().String(), "implicit_tls", l.implicit)
	}
	return nil
}

func (s *Server) newSMTPServer(addr net.Addr, implicit bool) *smtp.Server {
	srv := smtp.NewServer(&backend{s: s, implicit: implicit})
	srv.Domain = s.opts.Hostname
	srv.TLSConfig = s.opts.TLS
	if implicit {
		srv.TLSConfig = nil // already TLS: STARTTLS is not offered again
	}
	l := s.opts.Limits
	srv.MaxMessageBytes = l.MaxMessageBytes
	srv.MaxRecipients = l.MaxRecipients
	srv.MaxLineLength = l.MaxLineLength
	srv.ReadTimeout = l.CommandTimeout
	srv.WriteTimeout = l.CommandTimeout
	// go-smtp decides per listener whether AUTH is offered without TLS;
	// the session re-checks that the client is loopback too.
	srv.AllowInsecureAuth = s.opts.AllowPlaintextLoopback && isLoopback(addr)
	srv.ErrorLog = slogLogger{s.opts.Logger}
	return srv
}

// Addrs returns the listening addresses (useful with port 0 in tests).
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]net.Addr(nil), s.addrs...)
}

// Shutdown stops accepting, lets sessions finish until ctx is done, then
// closes what is left. Handlers still running then see their context
// cancelled.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	servers := append([]*smtp.Server(nil), s.servers...)
	s.mu.Unlock()
	var wg sync.WaitGroup
	errs := make([]error, len(servers))
	for i, srv := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = srv.Shutdown(ctx)
		}()
	}
	wg.Wait()
	s.cancel()
	if err := errors.Join(errs...); err != nil {
		s.conns.closeAll()
		return fmt.Errorf("smtpd: shutdown: %w", err)
	}
	return nil
}

// Close stops everything at once.
func (s *Server) Close() error {
	s.cancel()
	defer s.conns.closeAll()
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, srv := range s.servers {
		if err := srv.Close(); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func isLoopback(a net.Addr) bool {
	ap, err := netip.ParseAddrPort(a.String())
	return err == nil && ap.Addr().Unmap().IsLoopback()
}

type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Printf(format string, v ...any) { s.l.Warn("smtp: " + fmt.Sprintf(format, v...)) }
func (s slogLogger) Println(v ...any)               { s.l.Warn("smtp: " + fmt.Sprint(v...)) }
