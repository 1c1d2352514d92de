package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
)

// Subject policies: how a mail's Subject header appears in events.
const (
	SubjectHash = "hash" // HMAC-SHA-256 (keyed) plus length; the default
	SubjectText = "text" // the subject in clear (only if the operator chose it)
	SubjectOmit = "omit" // nothing
)

// Options configure the audit log. The zero value of every field has a
// sensible default; the lead's YAML config maps onto it.
type Options struct {
	// NATSURL is the URL (list) of an external NATS cluster, e.g.
	// "nats://a:4222,nats://b:4222". Empty: start an embedded NATS server
	// with JetStream in DataDir/nats.
	NATSURL string
	// NATSOptions carry credentials and TLS for an external cluster
	// (nats.UserCredentials, nats.ClientCert, nats.RootCAs, …).
	NATSOptions []nats.Option
	// DataDir is okuri's data directory: the embedded JetStream store
	// (DataDir/nats) and the generated subject HMAC key live there.
	DataDir string
	// EmbeddedListen makes the embedded server listen on TCP (e.g.
	// "127.0.0.1:4222") so the CLI can read the stream. Empty: no port.
	EmbeddedListen string
	// EmbeddedSync is how often the embedded JetStream fsyncs. Default 1s.
	EmbeddedSync time.Duration

	// Stream is the JetStream stream name. Default "OKURI_AUDIT".
	Stream string
	// MaxAge is the retention of events in the stream. Default 400 days.
	MaxAge time.Duration
	// Replicas is the stream's replica count: 1 embedded, 3 in a cluster.
	// Default 1.
	Replicas int
	// DuplicateWindow is how long JetStream remembers event ids to drop
	// re-published duplicates. Default 20 minutes. A publish whose ack was
	// lost and that is retried after the window would be stored twice
	// (identical bytes; verify reports it as a duplicate, not as tampering).
	DuplicateWindow time.Duration
	// AllowDelete creates the stream without deny_delete/deny_purge. Only
	// for tests and deliberate maintenance.
	AllowDelete bool

	// Outbox bounds the outbox. Open does not use it: pass it to
	// NewBoltOutbox / NewRedisOutbox, which the store owner constructs.
	Outbox OutboxOptions

	// SigningKeyFile is a PEM "PRIVATE KEY" (PKCS #8 Ed25519, e.g. from
	// `openssl genpkey -algorithm ed25519`). Empty: events are not signed.
	SigningKeyFile string
	// Instance names this gateway's chain; unique per running instance
	// sharing a stream. Default: the host name.
	Instance string

	// SubjectPolicy is SubjectHash (default), SubjectText or SubjectOmit.
	SubjectPolicy string
	// SubjectHMACKey keys the subject hash. Instances that should produce
	// comparable hashes share it. Empty: read or create
	// DataDir/audit-subject-hmac.key (32 random bytes).
	SubjectHMACKey []byte

	// PublishBatch is how many events the publisher chains and publishes
	// per round. Default 256.
	PublishBatch int
	// AckTimeout bounds the wait for JetStream acks. Default 10s.
	AckTimeout time.Duration
	// BackoffMin and BackoffMax bound the retry delay while NATS is
	// unreachable. Defaults 200ms and 30s.
	BackoffMin, BackoffMax time.Duration
	// PollInterval is how often the publisher looks for events pushed by
	// Lua scripts (which cannot wake it). Default 250ms.
	PollInterval time.Duration
	// PublishLinger is how long the publisher waits after a partial round
	// so that the next one is larger (fewer outbox transactions). It
	// delays audit delivery, never mail. Default 10ms.
	PublishLinger time.Duration
	// StallAfter is how long publishing may fail while events wait before
	// Ready reports the log not ready. Short outages (a NATS restart) stay
	// ready; mail keeps flowing either way. Default 1m.
	StallAfter time.Duration
}

func (o Options) withDefaults() (Options, error) {
	if o.Stream == "" {
		o.Stream = "OKURI_AUDIT"
	}
	if o.MaxAge == 0 {
		o.MaxAge = 400 * 24 * time.Hour
	}
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	if o.DuplicateWindow == 0 {
		o.DuplicateWindow = 20 * time.Minute
	}
	if o.EmbeddedSync == 0 {
		o.EmbeddedSync = time.Second
	}
	if o.Instance == "" {
		h, err := os.Hostname()
		if err != nil {
			return o, fmt.Errorf("audit: instance name: %w", err)
		}
		o.Instance = h
	}
	if o.SubjectPolicy == "" {
		o.SubjectPolicy = SubjectHash
	}
	switch o.SubjectPolicy {
	case SubjectHash, SubjectText, SubjectOmit:
	default:
		return o, fmt.Errorf("audit: unknown subject policy %q (want hash, text or omit)", o.SubjectPolicy)
	}
	if o.PublishBatch <= 0 {
		o.PublishBatch = 256
	}
	if o.AckTimeout <= 0 {
		o.AckTimeout = 10 * time.Second
	}
	if o.BackoffMin <= 0 {
		o.BackoffMin = 200 * time.Millisecond
	}
	if o.BackoffMax <= 0 {
		o.BackoffMax = 30 * time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 250 * time.Millisecond
	}
	if o.PublishLinger <= 0 {
		o.PublishLinger = 10 * time.Millisecond
	}
	if o.StallAfter <= 0 {
		o.StallAfter = time.Minute
	}
	if o.NATSURL == "" && o.DataDir == "" {
		return o, errors.New("audit: embedded NATS needs a data directory (or set a NATS URL)")
	}
	return o, nil
}

// Log is the audit log of one gateway instance: the way the rest of okuri
// emits events, and the owner of the publisher (and of the embedded NATS
// server when no URL is configured).
type Log struct {
	opts    Options
	outbox  Outbox
	hmacKey []byte
	logger  *slog.Logger
	m       *metrics
	emb     *embedded
	health  *health

	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// Open starts the audit log: the embedded NATS server if no URL is set,
// and the publisher loop that drains outbox into JetStream. Open does not
// wait for NATS: with NATS down, events wait in the outbox. Metrics are
// registered on reg (nil: not exported).
func Open(ctx context.Context, opts Options, outbox Outbox, reg prometheus.Registerer, logger *slog.Logger) (*Log, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if outbox == nil {
		return nil, errors.New("audit: Open without an outbox")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	l := &Log{opts: opts, outbox: outbox, logger: logger, m: newMetrics(reg), done: make(chan struct{}), health: &health{}}
	if opts.SubjectPolicy == SubjectHash {
		if l.hmacKey, err = loadHMACKey(opts); err != nil {
			return nil, err
		}
	}
	var key ed25519.PrivateKey
	if opts.SigningKeyFile != "" {
		if key, err = LoadSigningKey(opts.SigningKeyFile); err != nil {
			return nil, err
		}
	}
	var dial dialer
	if opts.NATSURL == "" {
		l.emb = &embedded{dir: filepath.Join(opts.DataDir, "nats"), listen: opts.EmbeddedListen,
			sync: opts.EmbeddedSync, name: "okuri-audit-" + opts.Instance, logger: logger,
			tokenFile: EmbeddedTokenFile(opts.DataDir)}
		if err := l.emb.start(); err != nil {
			l.emb.close()
			return nil, err
		}
		dial = l.emb.dial
	} else {
		dial = urlDialer(opts.NATSURL, opts.NATSOptions)
	}
	p := &publisher{
		q: outbox.queue(), dial: dial, instance: opts.Instance, signKey: key,
		stream: StreamConfig{Name: opts.Stream, MaxAge: opts.MaxAge, Replicas: opts.Replicas,
			DuplicateWindow: opts.DuplicateWindow, AllowDelete: opts.AllowDelete},
		batch: opts.PublishBatch, ackTimeout: opts.AckTimeout,
		backoffMin: opts.BackoffMin, backoffMax: opts.BackoffMax, poll: opts.PollInterval, linger: opts.PublishLinger,
		m: l.m, logger: logger, health: l.health,
	}
	if l.emb != nil {
		p.heal = l.emb.heal
	}
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	l.cancel = cancel
	go func() {
		defer close(l.done)
		defer p.close()
		p.run(pctx)
	}()
	return l, nil
}

// Emit records events: it applies the subject policy and appends them to
// the outbox (durable when Emit returns nil). It does not wait for NATS.
// The error is ErrOutboxFull under OverflowReject, or a storage failure;
// under OverflowDrop a full outbox is not an error (the loss is recorded).
func (l *Log) Emit(ctx context.Context, evs ...Event) error {
	evs = l.Prepare(evs...)
	err := l.outbox.Append(ctx, evs...)
	if err != nil && !errors.Is(err, ErrOutboxFull) {
		l.logger.Error("audit: cannot record events", "err", err)
	}
	return err
}

// Prepare applies the subject policy to events, as Emit does, for events
// that reach the outbox another way (written by the quarantine store in
// its transaction). The caller's slice is not modified.
func (l *Log) Prepare(evs ...Event) []Event {
	for i := range evs {
		if evs[i].Subject != nil && evs[i].Subject.Text != "" {
			evs = append([]Event(nil), evs...)
			for j := i; j < len(evs); j++ {
				l.applySubjectPolicy(&evs[j])
			}
			break
		}
	}
	return evs
}

// Subject returns the representation of a mail subject under the
// configured policy (nil for SubjectOmit). Use it for events written with
// AppendTx or a Lua script, which bypass Emit.
func (l *Log) Subject(s string) *Subject {
	switch l.opts.SubjectPolicy {
	case SubjectText:
		return &Subject{Text: s, Len: utf8.RuneCountInString(s)}
	case SubjectOmit:
		return nil
	}
	mac := hmac.New(sha256.New, l.hmacKey)
	mac.Write([]byte(s))
	return &Subject{HMAC: hex.EncodeToString(mac.Sum(nil)[:16]), Len: utf8.RuneCountInString(s)}
}

func (l *Log) applySubjectPolicy(ev *Event) {
	if ev.Subject == nil || ev.Subject.Text == "" {
		return
	}
	ev.Subject = l.Subject(ev.Subject.Text)
}

// Pending returns how many events wait in the outbox (not yet
// acknowledged by JetStream), for health checks and tests.
func (l *Log) Pending(ctx context.Context) (int, error) {
	return l.outbox.queue().depth(ctx)
}

// Ready reports whether audit events reach JetStream: it returns an error
// saying how many events wait and why once publishing has failed for
// longer than Options.StallAfter (for /readyz). Mail flow does not depend
// on it: events wait durably in the outbox.
func (l *Log) Ready(ctx context.Context) error {
	since, cause := l.health.stall()
	if since.IsZero() || time.Since(since) < l.opts.StallAfter {
		return nil
	}
	n, err := l.Pending(ctx)
	if err != nil {
		return fmt.Errorf("audit: publishing stalled since %s and the outbox cannot be read: %w", since.Format(time.RFC3339), err)
	}
	if n == 0 {
		return nil // nothing waits: the failed attempt is moot
	}
	return fmt.Errorf("audit: %d events waiting in the outbox, publishing stalled for %s: %v",
		n, time.Since(since).Round(100*time.Millisecond), cause)
}

// Instance returns the instance name events are chained under.
func (l *Log) Instance() string { return l.opts.Instance }

// Close stops the publisher, waiting up to ctx's deadline for the outbox
// to drain first, then stops the embedded NATS server. Events left in the
// outbox are published by the next start. Close does not close the outbox.
func (l *Log) Close(ctx context.Context) error {
	var err error
	l.once.Do(func() {
		for {
			d, derr := l.outbox.queue().depth(ctx)
			if derr != nil || d == 0 || ctx.Err() != nil {
				break
			}
			if !sleepCtx(ctx, 20*time.Millisecond) {
				break
			}
		}
		l.cancel()
		<-l.done
		if l.emb != nil {
			l.emb.close()
		}
		if d, derr := l.outbox.queue().depth(context.Background()); derr == nil && d > 0 {
			l.logger.Warn("audit: events left in the outbox at shutdown; published on next start", "count", d)
		}
	})
	return err
}

// LoadSigningKey reads a PEM PKCS #8 Ed25519 private key.
func LoadSigningKey(path string) (ed25519.PrivateKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("audit: signing key: %w", err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("audit: signing key %s: no PEM PRIVATE KEY block", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("audit: signing key %s: %w", path, err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("audit: signing key %s: not an Ed25519 key", path)
	}
	return ek, nil
}

func loadHMACKey(opts Options) ([]byte, error) {
	if len(opts.SubjectHMACKey) > 0 {
		return opts.SubjectHMACKey, nil
	}
	if opts.DataDir == "" {
		return nil, errors.New("audit: subject policy hash needs SubjectHMACKey or a data directory to keep one")
	}
	path := filepath.Join(opts.DataDir, "audit-subject-hmac.key")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 16 {
		return b, nil
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("audit: subject HMAC key: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("audit: subject HMAC key: %w", err)
	}
	if err := os.MkdirAll(opts.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("audit: subject HMAC key: %w", err)
	}
	if err := os.WriteFile(path, key, 0o600); err != nil {
		return nil, fmt.Errorf("audit: subject HMAC key: %w", err)
	}
	return key, nil
}
