package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/oklog/ulid/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	approvalsui "github.com/okuri/okuri/approvals-ui"
	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/gateway"
	"github.com/okuri/okuri/monitor"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/scan"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
	"github.com/okuri/okuri/smtpd"
	"github.com/okuri/okuri/spool"
)

func cmdRun(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration file")
	if err := fs.Parse(args); err != nil || *path == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: okuri run -config FILE")
		return 1
	}
	cfg, err := loadConfig(*path, stderr)
	if err != nil {
		return 1
	}
	level := new(slog.LevelVar)
	log := newLogger(cfg.Log, level, stderr)
	a, err := start(cfg, log)
	if err != nil {
		log.Error("start failed", "err", err)
		return 1
	}
	log.Info("okuri started", "version", version, "instance", cfg.Instance, "config", *path)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	for sig := range sigs {
		if sig == syscall.SIGHUP {
			a.reload(*path, level)
			continue
		}
		log.Info("shutting down", "signal", sig.String(), "grace", a.cfg.SMTP.Limits.ShutdownGrace.D().String())
		ctx, cancel := context.WithTimeout(context.Background(), a.cfg.SMTP.Limits.ShutdownGrace.D())
		err := a.shutdown(ctx)
		cancel()
		if err != nil {
			log.Warn("shutdown deadline passed; open sessions were closed", "err", err)
		}
		log.Info("okuri stopped")
		return 0
	}
	return 0
}

// app is one running okuri: the pieces built from a config.
type app struct {
	cfg     *config.Config
	log     *slog.Logger
	smtp    *smtpd.Server
	monitor *monitor.Server
	backend *backend
	gateway *gateway.Gateway
	ui      *approvalsui.Server
	policy  atomic.Pointer[policy.Policy]
	dir     atomic.Pointer[directory.Directory] // current users, for the UI
	lockout atomic.Pointer[directory.Limits]    // current per-account lockout
	stop    context.CancelFunc                  // stops the worker and sweeper
	loops   sync.WaitGroup
	closers []func() error
}

func start(cfg *config.Config, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: log}
	ctx := context.Background()
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))

	for _, dir := range []string{cfg.DataDir, filepath.Join(cfg.DataDir, "spool")} {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
	}
	serverTLS, err := serverTLSConfig(cfg, log)
	if err != nil {
		return nil, err
	}
	pol, err := policy.New(cfg)
	if err != nil {
		return nil, err
	}
	a.policy.Store(pol)
	scanner, err := scan.New(scanOptions(cfg))
	if err != nil {
		return nil, err
	}
	sender, err := newSender(cfg, log, reg)
	if err != nil {
		return nil, err
	}
	if a.backend, err = openBackend(ctx, cfg, log, reg); err != nil {
		return nil, err
	}
	st := a.backend.store
	worker, err := quarantine.NewWorker(quarantine.WorkerOptions{
		Store: st, Sender: sender, Lease: cfg.Queue.Lease.D(), SendTimeout: sendTimeout(cfg),
		BackoffBase: cfg.Queue.BackoffBase.D(), BackoffMax: cfg.Queue.BackoffMax.D(),
		MaxLifetime: cfg.Queue.MaxLifetime.D(), Concurrency: cfg.Queue.Concurrency,
		DSN:     quarantine.DSNOptions{ReportingMTA: cfg.SMTP.Hostname},
		Prepare: gateway.Prepare, Audit: a.backend.audit, Logger: log, Registerer: reg,
	})
	if err != nil {
		a.close()
		return nil, err
	}
	settings, err := smtpSettings(cfg)
	if err != nil {
		a.close()
		return nil, err
	}
	a.dir.Store(settings.Directory)
	a.lockout.Store(lockoutLimits(cfg))
	// One sign-in state for the UI and SMTP AUTH, in the shared store.
	accounts, err := directory.NewAccounts(directory.AccountsOptions{KV: st, NotFound: quarantine.ErrNotFound,
		Users: directory.NewFileSource(cfg.Dir.UsersFile, a.dir.Load).Current, Limits: func() directory.Limits { return *a.lockout.Load() }})
	if err != nil {
		a.close()
		return nil, err
	}
	var notifier gateway.Notifier
	var onExpired func(context.Context, *quarantine.Message)
	var onNoticeDue func(context.Context, *quarantine.Message) error
	if cfg.UI.Listen != "" {
		a.ui, err = approvalsui.New(approvalsui.Options{
			Config: cfg, Store: st, Audit: a.backend.audit, AuditLog: a.backend.audit, Directory: a.dir.Load, Accounts: accounts,
			TLS: serverTLS, Kick: worker.Kick, Logger: log, Registerer: reg,
		})
		if err != nil {
			a.close()
			return nil, err
		}
		notifier, onExpired, onNoticeDue = a.ui, a.ui.OnExpired, a.ui.Held
	}
	sweeper, err := quarantine.NewSweeper(quarantine.SweeperOptions{
		Store: st, BodyRetention: cfg.Retention.Bodies.D(), RecordRetention: cfg.Retention.Records.D(),
		OnQueued: worker.Kick, OnExpired: onExpired, OnNoticeDue: onNoticeDue, Logger: log,
	})
	if err != nil {
		a.close()
		return nil, err
	}
	runCtx, stop := context.WithCancel(ctx)
	a.stop = stop
	a.loops.Add(2)
	go func() { defer a.loops.Done(); worker.Run(runCtx) }()
	go func() { defer a.loops.Done(); sweeper.Run(runCtx) }()

	a.gateway, err = gateway.New(gateway.Options{
		Relay: sender, Scanner: scanner, Policy: a.policy.Load, Store: st, Kick: worker.Kick,
		Audit: a.backend.audit, Notifier: notifier, DSN: quarantine.DSNOptions{ReportingMTA: cfg.SMTP.Hostname},
		Logger: log, Registerer: reg,
	})
	if err != nil {
		a.close()
		return nil, err
	}
	l := cfg.SMTP.Limits
	a.smtp, err = smtpd.New(smtpd.Options{
		Hostname: cfg.SMTP.Hostname, Listen: cfg.SMTP.Listen, ListenTLS: cfg.SMTP.ListenTLS,
		TLS: serverTLS, AllowPlaintextLoopback: cfg.SMTP.Auth.AllowPlaintextLoopback,
		Limits: smtpd.Limits{
			MaxMessageBytes: int64(l.MaxMessageBytes), MaxRecipients: l.MaxRecipients,
			MaxLineLength: l.MaxLineLength, MaxHeaderBytes: int64(l.MaxHeaderBytes),
			CommandTimeout: l.CommandTimeout.D(), DataTimeout: l.DataTimeout.D(),
			MaxConnections: l.MaxConnections, MaxConnectionsPerIP: l.MaxConnectionsPerIP,
		},
		Spool:      spool.New(filepath.Join(cfg.DataDir, "spool"), int64(l.SpoolMemoryBytes)),
		Accounts:   accounts,
		Logger:     log,
		Registerer: reg,
		NewQueueID: func() string { return ulid.Make().String() },
	}, settings, a.gateway)
	if err != nil {
		a.close()
		return nil, err
	}
	if cfg.Metrics.Listen != "" {
		if a.monitor, err = monitor.Listen(cfg.Metrics.Listen, reg, cfg.Metrics.Pprof, log); err != nil {
			a.close()
			return nil, err
		}
		a.closers = append(a.closers, a.monitor.Close)
	}
	if err := a.smtp.Start(); err != nil {
		a.close()
		return nil, err
	}
	if a.ui != nil {
		if err := a.ui.Start(); err != nil {
			a.close()
			return nil, err
		}
	}
	if a.monitor != nil {
		a.monitor.SetCheck("store", func(ctx context.Context) error {
			_, err := st.Counts(ctx)
			return err
		})
		// Not ready while audit events cannot reach JetStream for longer
		// than a short outage (issue 12 item 15); mail keeps flowing.
		a.monitor.SetCheck("audit", a.backend.audit.Ready)
	}
	a.emit(audit.Event{Type: audit.TypeGatewayStarted, Actor: audit.System, Attrs: map[string]string{"version": version}})
	return a, nil
}

// sendTimeout bounds one delivery attempt: a few upstream command
// timeouts, but always well inside the lease (config ensures the lease is
// at least twice relay.timeout), or a slow attempt could be taken over by
// another instance and sent twice.
func sendTimeout(cfg *config.Config) time.Duration {
	return min(5*cfg.Relay.Timeout.D(), cfg.Queue.Lease.D()/2)
}

func (a *app) emit(evs ...audit.Event) {
	if err := a.backend.audit.Emit(context.Background(), evs...); err != nil {
		a.log.Error("audit event not recorded", "type", evs[0].Type, "err", err)
	}
}

func serverTLSConfig(cfg *config.Config, log *slog.Logger) (*tls.Config, error) {
	hosts := []string{cfg.SMTP.Hostname, "localhost", "127.0.0.1", "::1"}
	cert, generated, err := certs.Load(cfg.SMTP.TLS.CertFile, cfg.SMTP.TLS.KeyFile, cfg.DataDir, hosts)
	if err != nil {
		return nil, err
	}
	if generated {
		log.Warn("generated a self-signed TLS certificate; configure smtp.tls for production",
			"dir", filepath.Join(cfg.DataDir, "tls"))
	}
	minTLS := uint16(tls.VersionTLS12)
	if cfg.SMTP.TLS.MinVersion == "1.3" {
		minTLS = tls.VersionTLS13
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: minTLS}, nil
}

func newSender(cfg *config.Config, log *slog.Logger, reg prometheus.Registerer) (relay.Sender, error) {
	if dir, ok := strings.CutPrefix(cfg.Relay.Upstream, "dir:"); ok {
		log.Warn("development upstream: messages are written to a folder, not sent", "dir", dir)
		return relay.NewDirSender(dir)
	}
	password, err := cfg.Relay.Password.Value()
	if err != nil {
		return nil, fmt.Errorf("relay.password: %w", err)
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12, InsecureSkipVerify: cfg.Relay.InsecureSkipVerify}
	if cfg.Relay.CAFile != "" {
		pem, err := os.ReadFile(cfg.Relay.CAFile)
		if err != nil {
			return nil, fmt.Errorf("relay.ca_file: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, errors.New("relay.ca_file: no PEM certificates found")
		}
		tc.RootCAs = pool
	}
	if cfg.Relay.InsecureSkipVerify {
		log.Warn("relay.insecure_skip_verify is set: the upstream certificate is not checked")
	}
	cl, err := relay.NewClient(relay.Options{
		Upstream: cfg.Relay.Upstream, StartTLSOpportunistic: cfg.Relay.StartTLS == "opportunistic",
		TLS: tc, Username: cfg.Relay.Username, Password: password, Helo: cfg.Relay.HeloName,
		Timeout: cfg.Relay.Timeout.D(), PoolSize: cfg.Relay.PoolSize, PoolIdle: cfg.Relay.PoolIdle.D(),
		Logger: log,
	})
	if err != nil {
		return nil, err
	}
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "okuri_relay_pool_idle_connections", Help: "Idle upstream connections kept for reuse.",
	}, func() float64 { return float64(cl.Idle()) }))
	return cl, nil
}

// lockoutLimits is the per-account lockout shared by the UI and SMTP
// AUTH (configured under ui.lockout).
func lockoutLimits(cfg *config.Config) *directory.Limits {
	return &directory.Limits{MaxFailures: cfg.UI.MaxFailures(), Window: cfg.UI.LockoutWindow(), Duration: cfg.UI.LockoutDuration()}
}

// smtpSettings builds the reloadable part of smtpd's configuration.
func smtpSettings(cfg *config.Config) (*smtpd.Settings, error) {
	dir, err := directory.Load(cfg.Dir.UsersFile)
	if err != nil {
		return nil, err
	}
	st := &smtpd.Settings{
		Directory:       dir,
		AuthMaxFailures: cfg.SMTP.Auth.MaxFailures,
		AuthWindow:      cfg.SMTP.Auth.FailureWindow.D(),
	}
	for _, tn := range cfg.SMTP.TrustedNetworks {
		p, err := netip.ParsePrefix(tn.CIDR)
		if err != nil {
			return nil, fmt.Errorf("smtp.trusted_networks: %w", err)
		}
		st.Trusted = append(st.Trusted, smtpd.TrustedNetwork{Prefix: p.Masked(), SenderDomains: tn.SenderDomains})
	}
	return st, nil
}

// reload applies the reloadable parts of a changed config: the users file,
// trusted networks, AUTH limits and the log level. A broken file is
// refused and the running configuration stays.
func (a *app) reload(path string, level *slog.LevelVar) {
	cfg, err := config.Load(path)
	if err != nil {
		var ps config.Problems
		if errors.As(err, &ps) {
			for _, p := range ps {
				a.log.Error("config reload refused", "problem", p.String())
			}
		} else {
			a.log.Error("config reload refused", "err", err)
		}
		return
	}
	st, err := smtpSettings(cfg)
	if err != nil {
		a.log.Error("config reload refused", "err", err)
		return
	}
	pol, err := policy.New(cfg)
	if err != nil {
		a.log.Error("config reload refused", "err", err)
		return
	}
	for _, key := range restartOnly(a.cfg, cfg) {
		a.log.Warn("config change needs a restart to take effect", "key", key)
	}
	a.smtp.SetSettings(st)
	a.dir.Store(st.Directory)
	a.lockout.Store(lockoutLimits(cfg))
	a.policy.Store(pol)
	if a.ui != nil {
		a.ui.SetConfig(cfg)
	}
	level.Set(parseLevel(cfg.Log.Level))
	a.log.Info("config reloaded", "users", st.Directory.Len(), "trusted_networks", len(st.Trusted), "rules", len(pol.Rules()))
	a.emit(audit.Event{Type: audit.TypeConfigReloaded, Actor: audit.System})
}

// restartOnly lists changed keys that a reload does not apply.
func restartOnly(old, cur *config.Config) []string {
	var keys []string
	diff := func(key string, a, b any) {
		if !reflect.DeepEqual(a, b) {
			keys = append(keys, key)
		}
	}
	diff("smtp.listen", old.SMTP.Listen, cur.SMTP.Listen)
	diff("smtp.listen_tls", old.SMTP.ListenTLS, cur.SMTP.ListenTLS)
	diff("smtp.tls", old.SMTP.TLS, cur.SMTP.TLS)
	diff("smtp.limits", old.SMTP.Limits, cur.SMTP.Limits)
	diff("smtp.hostname", old.SMTP.Hostname, cur.SMTP.Hostname)
	diff("smtp.auth.allow_plaintext_loopback", old.SMTP.Auth.AllowPlaintextLoopback, cur.SMTP.Auth.AllowPlaintextLoopback)
	diff("relay", old.Relay, cur.Relay)
	diff("data_dir", old.DataDir, cur.DataDir)
	diff("metrics", old.Metrics, cur.Metrics)
	diff("store", old.Store, cur.Store)
	diff("queue", old.Queue, cur.Queue)
	diff("retention", old.Retention, cur.Retention)
	diff("audit", old.Audit, cur.Audit)
	diff("scan", old.Scan, cur.Scan)
	diff("domains", old.Domains, cur.Domains)
	// The rest of ui (roles, timeouts, lockout, base URL, expiry) applies
	// through a.ui.SetConfig.
	diff("ui.listen", old.UI.Listen, cur.UI.Listen)
	diff("ui.client_ca_file", old.UI.ClientCAFile, cur.UI.ClientCAFile)
	diff("log.format", old.Log.Format, cur.Log.Format)
	return keys
}

func (a *app) shutdown(ctx context.Context) error {
	err := a.smtp.Shutdown(ctx)
	a.emit(audit.Event{Type: audit.TypeGatewayStopped, Actor: audit.System})
	a.close()
	return err
}

// close stops everything in reverse order of start: listeners, then the
// worker and sweeper, then the audit publisher (which flushes what it can)
// and the store.
func (a *app) close() {
	if a.smtp != nil {
		a.smtp.Close()
	}
	if a.ui != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		a.ui.Shutdown(ctx)
		cancel()
	}
	if a.gateway != nil {
		a.gateway.Wait()
	}
	for _, c := range a.closers {
		c()
	}
	if a.stop != nil {
		a.stop()
		a.loops.Wait()
	}
	if a.backend != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		a.backend.close(ctx)
		cancel()
	}
}

func newLogger(c config.Log, level *slog.LevelVar, w io.Writer) *slog.Logger {
	level.Set(parseLevel(c.Level))
	opts := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func parseLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return slog.LevelInfo
	}
	return l
}
