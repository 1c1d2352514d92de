package audit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// StreamSubjects is the subject filter of the audit stream.
const StreamSubjects = "okuri.audit.>"

// embedded runs an in-process NATS server with JetStream in a directory.
// It listens on TCP only when Listen is set (e.g. 127.0.0.1:4222, so that
// `okuri audit tail` can read the stream of a running gateway).
type embedded struct {
	dir    string
	listen string
	sync   time.Duration
	name   string
	logger *slog.Logger
	// tokenFile, with listen set, holds the token clients must present
	// (see nats_auth.go); token is its content once started.
	tokenFile string
	token     string

	mu      sync.Mutex
	ns      *server.Server
	release func()    // store lock
	healed  time.Time // last restart by heal (publisher goroutine only)
}

func (e *embedded) start() error {
	if e.release == nil {
		release, err := lockDir(e.dir)
		if err != nil {
			return err
		}
		e.release = release
	}
	opts := &server.Options{
		ServerName:   e.name,
		JetStream:    true,
		StoreDir:     e.dir,
		SyncInterval: e.sync,
		NoSigs:       true,
		NoLog:        true,
		DontListen:   e.listen == "",
	}
	if e.listen != "" {
		host, port, err := net.SplitHostPort(e.listen)
		if err != nil {
			return fmt.Errorf("audit: embedded NATS listen %q: %w", e.listen, err)
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			// Loopback only as well as the token: the token is a
			// local file, and the connection is not encrypted.
			return fmt.Errorf("audit: embedded NATS listen %q: only loopback addresses (use an external NATS cluster with credentials otherwise)", e.listen)
		}
		opts.Host = host
		if opts.Port, err = strconv.Atoi(port); err != nil {
			return fmt.Errorf("audit: embedded NATS listen %q: %w", e.listen, err)
		}
		if e.tokenFile == "" {
			return fmt.Errorf("audit: embedded NATS listen %q: no token file", e.listen)
		}
		if e.token, err = embeddedToken(e.tokenFile); err != nil {
			return err
		}
		opts.Authorization = e.token
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return fmt.Errorf("audit: embedded NATS: %w", err)
	}
	go ns.Start()
	if !ns.ReadyForConnections(30 * time.Second) {
		ns.Shutdown()
		return fmt.Errorf("audit: embedded NATS in %s did not start", e.dir)
	}
	e.mu.Lock()
	e.ns = ns
	e.mu.Unlock()
	e.logger.Info("audit: embedded NATS JetStream started", "dir", e.dir, "listen", e.listen)
	return nil
}

func (e *embedded) stop() {
	e.mu.Lock()
	ns := e.ns
	e.ns = nil
	e.mu.Unlock()
	if ns != nil {
		ns.Shutdown()
		ns.WaitForShutdown()
	}
}

// close stops the server and releases the store lock.
func (e *embedded) close() {
	e.stop()
	if e.release != nil {
		e.release()
		e.release = nil
	}
}

// ErrStoreInUse is returned by OpenEmbeddedStore while a gateway holds
// the store.
var ErrStoreInUse = errors.New("store in use")

// OpenEmbeddedStore starts a NATS server on the JetStream store of a
// stopped gateway's data directory (DataDir/nats) and returns a client
// connection to it, for the CLI. It fails while a gateway holds the store.
// close stops the server.
func OpenEmbeddedStore(dataDir string) (nc *nats.Conn, close func(), err error) {
	e := &embedded{dir: filepath.Join(dataDir, "nats"), sync: time.Second, name: "okuri-audit-cli",
		logger: slog.New(slog.DiscardHandler)}
	if err := e.start(); err != nil {
		if e.release != nil {
			e.release()
		}
		return nil, nil, err
	}
	nc, err = e.dial(context.Background())
	if err != nil {
		e.close()
		return nil, nil, err
	}
	return nc, func() { nc.Close(); e.close() }, nil
}

func (e *embedded) server() *server.Server {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.ns
}

// dialer opens a fresh connection to NATS; the publisher calls it again
// when the previous connection closed.
type dialer func(ctx context.Context) (*nats.Conn, error)

func (e *embedded) dial(ctx context.Context) (*nats.Conn, error) {
	ns := e.server()
	if ns == nil || !ns.Running() {
		return nil, errors.New("audit: embedded NATS not running")
	}
	// No reconnects: if the server goes away the connection closes and
	// the publisher dials again.
	opts := []nats.Option{nats.InProcessServer(ns), nats.Name("okuri-audit"), nats.MaxReconnects(0), nats.ReconnectBufSize(-1)}
	if e.token != "" {
		opts = append(opts, nats.Token(e.token))
	}
	nc, err := nats.Connect("", opts...)
	if err != nil {
		return nil, fmt.Errorf("audit: connect embedded NATS: %w", err)
	}
	return nc, nil
}

func urlDialer(url string, extra []nats.Option) dialer {
	return func(ctx context.Context) (*nats.Conn, error) {
		opts := append([]nats.Option{
			nats.Name("okuri-audit"),
			nats.Timeout(5 * time.Second),
			nats.MaxReconnects(-1),
			nats.ReconnectWait(time.Second),
			// Fail publishes while disconnected instead of buffering them:
			// the outbox is the buffer.
			nats.ReconnectBufSize(-1),
		}, extra...)
		nc, err := nats.Connect(url, opts...)
		if err != nil {
			return nil, fmt.Errorf("audit: connect %s: %w", redactURL(url), err)
		}
		return nc, nil
	}
}

// redactURL drops credentials from a NATS URL for logs and errors.
func redactURL(u string) string {
	for i := 0; i+2 < len(u); i++ {
		if u[i:i+3] == "://" {
			rest := u[i+3:]
			for j := 0; j < len(rest); j++ {
				if rest[j] == '@' {
					return u[:i+3] + "***@" + rest[j+1:]
				}
				if rest[j] == '/' {
					break
				}
			}
			break
		}
	}
	return u
}

// StreamConfig is the JetStream configuration of the audit stream.
type StreamConfig struct {
	Name            string
	MaxAge          time.Duration
	Replicas        int
	DuplicateWindow time.Duration
	// AllowDelete permits deleting and purging messages through the API.
	// Off by default: the stream is created with deny_delete and
	// deny_purge, so a JetStream user cannot remove audit events (only
	// age-based retention removes them).
	AllowDelete bool
}

// EnsureStream creates the audit stream or updates it to cfg.
func EnsureStream(ctx context.Context, js jetstream.JetStream, cfg StreamConfig) (jetstream.Stream, error) {
	sc := jetstream.StreamConfig{
		Name:        cfg.Name,
		Description: "okuri audit log (hash-chained events, see docs/AUDIT.md)",
		Subjects:    []string{StreamSubjects},
		Storage:     jetstream.FileStorage,
		Retention:   jetstream.LimitsPolicy,
		MaxAge:      cfg.MaxAge,
		Replicas:    cfg.Replicas,
		Duplicates:  cfg.DuplicateWindow,
		Discard:     jetstream.DiscardOld,
		DenyDelete:  !cfg.AllowDelete,
		DenyPurge:   !cfg.AllowDelete,
		AllowDirect: true,
	}
	s, err := js.CreateOrUpdateStream(ctx, sc)
	if err != nil {
		return nil, fmt.Errorf("audit: create or update stream %s: %w", cfg.Name, err)
	}
	return s, nil
}
