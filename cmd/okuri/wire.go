package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"go.etcd.io/bbolt"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy/scan"
	"github.com/okuri/okuri/quarantine"
)

// backend is the store and the audit log built on the same storage, so
// that a state change and its audit event commit together.
type backend struct {
	store  quarantine.Store
	audit  *audit.Log
	closer []func() error
}

func (b *backend) close(ctx context.Context) {
	if b.audit != nil {
		b.audit.Close(ctx)
	}
	for i := len(b.closer) - 1; i >= 0; i-- {
		b.closer[i]()
	}
}

// openBackend opens the configured store with its audit outbox and starts
// the audit publisher (and the embedded NATS server when no URL is set).
func openBackend(ctx context.Context, cfg *config.Config, log *slog.Logger, reg prometheus.Registerer) (*backend, error) {
	b := &backend{}
	ob := audit.OutboxOptions{Max: cfg.Audit.OutboxMax, Overflow: cfg.Audit.OutboxOverflow}
	var outbox audit.Outbox
	switch cfg.Store.Backend {
	case "redis":
		opt, err := redis.ParseURL(cfg.Store.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("store.redis_url: %w", err)
		}
		rdb := redis.NewClient(opt)
		b.closer = append(b.closer, rdb.Close)
		ro := audit.NewRedisOutbox(rdb, cfg.Store.RedisPrefix+":", cfg.Instance, ob)
		b.closer = append(b.closer, ro.Close)
		st, err := quarantine.OpenRedis(ctx, quarantine.RedisOptions{
			Client: rdb, Prefix: cfg.Store.RedisPrefix + ":q", RequireDurable: cfg.Store.RequireDurable,
			WaitAOF: cfg.Store.WaitAOF, Outbox: ro, Logger: log,
			// Start with Redis down: the gateway answers 451 until it is back.
			StartWhenDown: true,
		})
		if err != nil {
			b.close(ctx)
			return nil, err
		}
		b.store, outbox = st, ro
		b.closer = append(b.closer, st.Close)
	default:
		if err := os.MkdirAll(cfg.Store.Path, 0o750); err != nil {
			return nil, fmt.Errorf("store.path: %w", err)
		}
		db, err := bbolt.Open(filepath.Join(cfg.Store.Path, "okuri.db"), 0o600, &bbolt.Options{Timeout: 5e9})
		if err != nil {
			return nil, fmt.Errorf("store: open %s: %w (is another okuri running on this data?)", cfg.Store.Path, err)
		}
		b.closer = append(b.closer, db.Close)
		bo, err := audit.NewBoltOutbox(db, ob)
		if err != nil {
			b.close(ctx)
			return nil, err
		}
		b.closer = append(b.closer, bo.Close)
		st, err := quarantine.OpenEmbedded(quarantine.EmbeddedOptions{Dir: cfg.Store.Path, DB: db, Outbox: bo, Logger: log})
		if err != nil {
			b.close(ctx)
			return nil, err
		}
		b.store, outbox = st, bo
		b.closer = append(b.closer, st.Close)
	}
	al, err := audit.Open(ctx, audit.Options{
		NATSURL: cfg.Audit.NATSURL, DataDir: cfg.DataDir, EmbeddedListen: cfg.Audit.EmbeddedListen,
		Stream: cfg.Audit.Stream, MaxAge: cfg.Audit.MaxAge.D(), Replicas: cfg.Audit.Replicas,
		SigningKeyFile: cfg.Audit.SigningKeyFile, Instance: cfg.Instance, SubjectPolicy: cfg.Audit.Subjects,
	}, outbox, reg, log)
	if err != nil {
		b.close(ctx)
		return nil, err
	}
	b.audit = al
	return b, nil
}

func scanOptions(cfg *config.Config) scan.Options {
	o := scan.DefaultOptions()
	s := cfg.Scan
	o.Limits = scan.Limits{
		MaxTotalBytes: int64(s.MaxTotalBytes), MaxFileBytes: int64(s.MaxFileBytes), MaxEntryRatio: s.MaxEntryRatio,
		MaxDepth: s.MaxDepth, MaxEntries: s.MaxEntries, MaxParts: s.MaxParts, MaxPDFPages: s.MaxPDFPages,
		Timeout: s.Timeout.D(),
	}
	o.PDFMemoryLimit = int64(s.MaxPDFMemory)
	o.PDFWorkers = s.PDFWorkers
	o.Detect.OwnDomains = cfg.Domains.Internal
	o.TempDir = filepath.Join(cfg.DataDir, "spool")
	// PDFium's WebAssembly is compiled on the first PDF (≈ 4 s on this
	// project's machine, inside that message's time budget); cached here,
	// later starts load it in a fraction of a second.
	o.PDFCacheDir = filepath.Join(cfg.DataDir, "cache", "pdfium")
	return o
}
