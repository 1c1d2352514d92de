package approvalsui

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/quarantine"
)

// Emitter records audit events; *audit.Log implements it.
type Emitter interface {
	Emit(ctx context.Context, evs ...audit.Event) error
}

// AuditReader reads the audit stream (audit.Log.Read).
type AuditReader interface {
	Read(ctx context.Context, ro audit.ReadOptions, fn func(audit.Event) error) error
}

// Options configure the Server. Config, Store and Audit are required.
type Options struct {
	Config *config.Config
	Store  quarantine.Store
	Audit  Emitter
	// Directory returns the current users snapshot (it changes on SIGHUP);
	// the server also re-reads Config.Dir.UsersFile when it changed on
	// disk (`okuri user add`). The UI never writes that file: sign-in
	// state is in Accounts.
	Directory func() *directory.Directory
	// TLS is the server's TLS configuration (certificate); nil: certs.Load
	// with smtp.tls's files or the generated certificate in data_dir.
	TLS *tls.Config
	// AuditLog, when set, lets auditors search the audit trail at /audit
	// (the running process's *audit.Log).
	AuditLog AuditReader
	// Accounts is the users' shared sign-in state (also used by SMTP
	// AUTH); nil: built on Store with the users file as its seed.
	Accounts *directory.Accounts
	// Kick wakes the delivery worker after a message was queued (release,
	// approval, self-check, notices); nil: the worker's poll finds it.
	Kick func()
	// Listener, if set, is used instead of listening on ui.listen (tests).
	Listener   net.Listener
	Logger     *slog.Logger
	Registerer prometheus.Registerer
	// Clock; nil means time.Now.
	Clock func() time.Time
}

// Server is the approvals UI.
type Server struct {
	o     Options
	cfg   atomic.Pointer[config.Config]
	st    quarantine.Store
	log   *slog.Logger
	now   func() time.Time
	pages *pages
	users *directory.FileSource // the users file, re-read when it changes
	// accounts holds passwords, 2FA and lockouts, shared by every
	// instance and by SMTP AUTH.
	accounts *directory.Accounts
	links    *linkSigner
	http     *http.Server
	ln       net.Listener

	actions *prometheus.CounterVec
	logins  *prometheus.CounterVec

	mu      sync.Mutex
	cancel  context.CancelFunc
	stopped chan struct{}
}

// New checks the options, loads the TLS configuration and templates, and
// returns a server that is not yet listening.
func New(o Options) (*Server, error) {
	if o.Config == nil || o.Store == nil || o.Audit == nil {
		return nil, errors.New("approvals ui: Config, Store and Audit are required")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Registerer == nil {
		o.Registerer = prometheus.NewRegistry()
	}
	s := &Server{o: o, st: o.Store, log: o.Logger.With("component", "ui"), now: o.Clock}
	s.cfg.Store(o.Config)
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.users = directory.NewFileSource(o.Config.Dir.UsersFile, o.Directory)
	if s.accounts = o.Accounts; s.accounts == nil {
		if s.accounts, err = directory.NewAccounts(directory.AccountsOptions{KV: o.Store, NotFound: quarantine.ErrNotFound,
			Users: s.users.Current, Limits: s.lockoutLimits, Now: o.Clock}); err != nil {
			return nil, err
		}
	}
	if s.links, err = loadLinkSigner(o.Config.DataDir); err != nil {
		return nil, err
	}
	tc, err := s.tlsConfig()
	if err != nil {
		return nil, err
	}
	f := promauto.With(o.Registerer)
	s.actions = f.NewCounterVec(prometheus.CounterOpts{Name: "okuri_ui_actions_total",
		Help: "Actions on held mail through the UI and API, by action and result."}, []string{"action", "result"})
	s.logins = f.NewCounterVec(prometheus.CounterOpts{Name: "okuri_ui_logins_total",
		Help: "UI login steps, by result (ok, failed, locked)."}, []string{"result"})
	s.http = &http.Server{
		Handler:           s.routes(),
		TLSConfig:         tc,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	return s, nil
}

// lockoutLimits is the per-account lockout of the current configuration.
func (s *Server) lockoutLimits() directory.Limits {
	ui := s.conf().UI
	return directory.Limits{MaxFailures: ui.MaxFailures(), Window: ui.LockoutWindow(), Duration: ui.LockoutDuration()}
}

// conf returns the current configuration.
func (s *Server) conf() *config.Config { return s.cfg.Load() }

// SetConfig switches to a reloaded configuration (SIGHUP): roles, groups,
// timeouts and lockout limits apply from the next request. Listen
// address, TLS and the client CA stay as started.
func (s *Server) SetConfig(cfg *config.Config) {
	if cfg != nil {
		s.cfg.Store(cfg)
	}
}

// tlsConfig returns the server's TLS settings: TLS 1.2+, the given or
// loaded certificate, and a required client certificate when a client
// CA is configured.
func (s *Server) tlsConfig() (*tls.Config, error) {
	var tc *tls.Config
	if s.o.TLS != nil {
		tc = s.o.TLS.Clone()
	} else {
		t := s.conf().SMTP.TLS
		cert, _, err := certs.Load(t.CertFile, t.KeyFile, s.conf().DataDir, []string{"localhost", "127.0.0.1"})
		if err != nil {
			return nil, fmt.Errorf("approvals ui: %w", err)
		}
		tc = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	if tc.MinVersion < tls.VersionTLS12 {
		tc.MinVersion = tls.VersionTLS12
	}
	tc.NextProtos = []string{"h2", "http/1.1"}
	if f := s.conf().UI.ClientCAFile; f != "" {
		pem, err := os.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("approvals ui: client CA: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("approvals ui: client CA %s: no certificates", f)
		}
		tc.ClientCAs, tc.ClientAuth = pool, tls.RequireAndVerifyClientCert
	}
	return tc, nil
}

// Start listens on ui.listen (or Options.Listener) and serves HTTPS in the
// background; it also starts the deadline-reminder loop.
func (s *Server) Start() error {
	ln := s.o.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", s.conf().UI.Listen); err != nil {
			return fmt.Errorf("approvals ui: %w", err)
		}
	}
	s.ln = ln
	ctx, cancel := context.WithCancel(context.Background())
	s.mu.Lock()
	s.cancel, s.stopped = cancel, make(chan struct{})
	s.mu.Unlock()
	go func() {
		defer close(s.stopped)
		var wg sync.WaitGroup
		wg.Go(func() { s.reminderLoop(ctx) })
		wg.Go(func() { s.digestLoop(ctx) })
		wg.Wait()
	}()
	go func() {
		err := s.http.Serve(tls.NewListener(ln, s.http.TLSConfig))
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("ui: serve", "err", err)
		}
	}()
	s.log.Info("ui listening", "addr", ln.Addr().String())
	return nil
}

// Addr returns the listening address (after Start).
func (s *Server) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Handler returns the HTTP handler (for tests over httptest).
func (s *Server) Handler() http.Handler { return s.http.Handler }

// Shutdown stops accepting requests and waits for running ones until ctx ends.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	cancel, stopped := s.cancel, s.stopped
	s.mu.Unlock()
	if cancel != nil {
		cancel()
		<-stopped
	}
	return s.http.Shutdown(ctx)
}
