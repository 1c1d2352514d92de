package config

import (
	"net/url"
	"time"
)

// Store configures where okuri keeps held and queued mail.
type Store struct {
	// Backend is "embedded" (bbolt + files under Path, the default) or
	// "redis" (shared by several okuri instances).
	Backend string `yaml:"backend"`
	// Path is the embedded store's directory. Default: data_dir/store.
	Path string `yaml:"path"`
	// RedisURL is redis://[:password@]host:port/db for the redis backend.
	RedisURL string `yaml:"redis_url"`
	// RedisPrefix prefixes every key, so a Redis shared with other
	// applications is fine. Default "okuri".
	RedisPrefix string `yaml:"redis_prefix"`
	// RequireDurable refuses to start when Redis could lose acknowledged
	// mail (no AOF, or appendfsync other than always without wait_aof);
	// otherwise okuri logs an error and runs.
	RequireDurable bool `yaml:"require_durable"`
	// WaitAOF makes every store write wait for the local AOF (WAITAOF,
	// Redis 7.2+), durable with appendfsync everysec.
	WaitAOF bool `yaml:"wait_aof"`
}

// Queue configures the delivery worker for queued and released mail.
type Queue struct {
	MaxLifetime Duration `yaml:"max_lifetime"` // default 5d; then the message fails with a DSN
	BackoffBase Duration `yaml:"backoff_base"` // default 1m; doubles per attempt
	BackoffMax  Duration `yaml:"backoff_max"`  // default 2h
	Concurrency int      `yaml:"concurrency"`  // default 4 deliveries at once
	Lease       Duration `yaml:"lease"`        // default 10m; must exceed relay.timeout by far
}

// Retention configures how long stored mail is kept after it ended.
type Retention struct {
	Bodies  Duration `yaml:"bodies"`  // default 90d; then only the record stays
	Records Duration `yaml:"records"` // default 400d; then the record goes too
}

func (c *Config) storeDefaults() {
	if c.Store.Path == "" {
		c.Store.Path = c.DataDir + "/store"
	}
}

func (c *Config) validateStore(bad func(key, msg string)) {
	switch c.Store.Backend {
	case "embedded":
	case "redis":
		u, err := url.Parse(c.Store.RedisURL)
		if c.Store.RedisURL == "" || err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") {
			bad("store.redis_url", "required for the redis backend: redis://host:6379/0 or rediss://…")
		}
	default:
		bad("store.backend", `must be "embedded" or "redis"`)
	}
	q := c.Queue
	if q.MaxLifetime <= 0 || q.BackoffBase <= 0 || q.BackoffMax < q.BackoffBase {
		bad("queue", "max_lifetime and backoff_base must be positive and backoff_max at least backoff_base")
	}
	if q.Concurrency < 1 {
		bad("queue.concurrency", "must be at least 1")
	}
	if q.Lease.D() < 2*c.Relay.Timeout.D() {
		bad("queue.lease", "must be at least twice relay.timeout, or a slow delivery could be taken over and sent twice")
	}
	if c.Retention.Records > 0 && c.Retention.Bodies > 0 && c.Retention.Records < c.Retention.Bodies {
		bad("retention.records", "must be at least retention.bodies")
	}
}

const day = 24 * time.Hour
