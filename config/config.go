// Package config owns okuri's YAML configuration: the schema, documented
// defaults, strict decoding (unknown keys are errors) and validation that
// reports every problem as "file:line: key.path: message".
//
// The package imports no other okuri package; callers map these plain
// structs onto their own options. Durations are Go durations ("30s", "5m"),
// sizes are bytes or a number with a KB/MB/GB suffix.
package config

import (
	"time"
)

// Config is the whole configuration file.
type Config struct {
	// Instance names this okuri process in logs, Received headers and audit
	// events. Default: the host name.
	Instance string `yaml:"instance"`
	// DataDir holds generated TLS keys, spool files and the embedded store.
	DataDir   string    `yaml:"data_dir"`
	Log       Log       `yaml:"log"`
	SMTP      SMTP      `yaml:"smtp"`
	Relay     Relay     `yaml:"relay"`
	Domains   Domains   `yaml:"domains"`
	Dir       Directory `yaml:"directory"`
	Metrics   Metrics   `yaml:"metrics"`
	Policy    Policy    `yaml:"policy"`
	UI        UI        `yaml:"ui"`
	Store     Store     `yaml:"store"`
	Queue     Queue     `yaml:"queue"`
	Retention Retention `yaml:"retention"`
	Audit     Audit     `yaml:"audit"`
	Scan      Scan      `yaml:"scan"`

	// path is the file the config was read from; relative paths in the
	// config are relative to its directory.
	path string
}

// Log configures log/slog output.
type Log struct {
	Format string `yaml:"format"` // "text" (default) or "json"
	Level  string `yaml:"level"`  // "debug", "info" (default), "warn", "error"
}

// SMTP configures the submission listeners.
type SMTP struct {
	// Listen is the submission address (STARTTLS offered). Default 127.0.0.1:2525.
	Listen string `yaml:"listen"`
	// ListenTLS is an optional implicit-TLS address (e.g. ":465").
	ListenTLS string `yaml:"listen_tls"`
	// Hostname is announced in the greeting and Received headers. Default: the host name.
	Hostname        string           `yaml:"hostname"`
	TLS             TLS              `yaml:"tls"`
	Auth            Auth             `yaml:"auth"`
	TrustedNetworks []TrustedNetwork `yaml:"trusted_networks"`
	Limits          Limits           `yaml:"limits"`
}

// TLS configures the server certificate. With both files empty, a
// self-signed certificate is generated into DataDir/tls on first start.
type TLS struct {
	CertFile   string `yaml:"cert_file"`
	KeyFile    string `yaml:"key_file"`
	MinVersion string `yaml:"min_version"` // "1.2" (default) or "1.3"
}

// Auth configures SMTP authentication.
type Auth struct {
	// AllowPlaintextLoopback permits AUTH without TLS when both ends of the
	// connection are loopback addresses. Never on other addresses.
	AllowPlaintextLoopback bool `yaml:"allow_plaintext_loopback"`
	// MaxFailures is how many failed AUTH attempts one client IP may make
	// within FailureWindow before AUTH is refused with 454. Default 5.
	MaxFailures   int      `yaml:"max_failures"`
	FailureWindow Duration `yaml:"failure_window"` // default 15m
}

// TrustedNetwork lets hosts such as a copier send without AUTH, restricted
// to sender addresses in SenderDomains.
type TrustedNetwork struct {
	CIDR          string   `yaml:"cidr"`
	SenderDomains []string `yaml:"sender_domains"`
}

// Limits bound what one client may cost the gateway.
type Limits struct {
	MaxMessageBytes     Size     `yaml:"max_message_bytes"`      // default 50MB; advertised as SIZE, 552 beyond
	MaxRecipients       int      `yaml:"max_recipients"`         // default 100; 452 beyond
	MaxLineLength       int      `yaml:"max_line_length"`        // default 4000 bytes, commands and DATA
	MaxHeaderBytes      Size     `yaml:"max_header_bytes"`       // default 1MB; 552 beyond
	CommandTimeout      Duration `yaml:"command_timeout"`        // default 5m
	DataTimeout         Duration `yaml:"data_timeout"`           // default 10m for the whole DATA phase
	MaxConnections      int      `yaml:"max_connections"`        // default 500; 421 beyond
	MaxConnectionsPerIP int      `yaml:"max_connections_per_ip"` // default 50; 421 beyond
	SpoolMemoryBytes    Size     `yaml:"spool_memory_bytes"`     // default 1MB; larger messages spool to a temp file
	ShutdownGrace       Duration `yaml:"shutdown_grace"`         // default 30s for sessions to finish on SIGTERM
}

// Relay configures delivery to the upstream smarthost.
type Relay struct {
	// Upstream is smtp://host:port, smtps://host:port or dir:PATH.
	Upstream string `yaml:"upstream"`
	// StartTLS for smtp:// upstreams: "required" (default) or "opportunistic".
	StartTLS string `yaml:"starttls"`
	// CAFile adds trusted roots for the upstream certificate (PEM).
	CAFile string `yaml:"ca_file"`
	// InsecureSkipVerify disables upstream certificate checks. For tests only.
	InsecureSkipVerify bool     `yaml:"insecure_skip_verify"`
	Username           string   `yaml:"username"`
	Password           Secret   `yaml:"password"`
	Timeout            Duration `yaml:"timeout"`   // default 60s per command
	PoolSize           int      `yaml:"pool_size"` // default 32 idle connections kept
	PoolIdle           Duration `yaml:"pool_idle"` // default 30s before an idle connection is closed
	HeloName           string   `yaml:"helo"`      // default: smtp.hostname
}

// Domains lists the organisation's own mail domains.
type Domains struct {
	Internal []string `yaml:"internal"`
}

// Directory names who may send and as which addresses, and who approves
// or audits their mail.
type Directory struct {
	// UsersFile holds users, their addresses and password hashes; written by
	// `okuri user add|passwd`. Reloaded on SIGHUP.
	UsersFile string `yaml:"users_file"`
	// Groups are teams whose held mail their approvers decide on.
	Groups []Group `yaml:"groups"`
	// FallbackApprovers approve for users in no group, or in a group
	// without approvers: a hold never fails open.
	FallbackApprovers []string `yaml:"fallback_approvers"`
	// Auditors are the security team: quarantine, downloads, audit trail.
	Auditors []string `yaml:"auditors"`
	// Admins manage users and settings in the UI.
	Admins []string `yaml:"admins"`
}

// Group is a team of senders with its approvers.
type Group struct {
	Name      string   `yaml:"name"`
	Members   []string `yaml:"members"`   // user login addresses
	Approvers []string `yaml:"approvers"` // user login addresses
	// Insurers are the insurer domains this group works with; the insurer
	// guard fires when personal data goes to another insurer.
	Insurers []string `yaml:"insurers"`
}

// Metrics configures the admin listener with /metrics, /healthz and /readyz.
type Metrics struct {
	Listen string `yaml:"listen"` // default 127.0.0.1:9465; "" disables
	// Pprof serves Go's profiler under /debug/pprof/ on the same listener.
	Pprof bool `yaml:"pprof"`
}

// Default returns the documented defaults.
func Default() *Config {
	return &Config{
		DataDir: "./data",
		Log:     Log{Format: "text", Level: "info"},
		SMTP: SMTP{
			Listen: "127.0.0.1:2525",
			TLS:    TLS{MinVersion: "1.2"},
			Auth:   Auth{MaxFailures: 5, FailureWindow: Duration(15 * time.Minute)},
			Limits: Limits{
				MaxMessageBytes:     50 << 20,
				MaxRecipients:       100,
				MaxLineLength:       4000,
				MaxHeaderBytes:      1 << 20,
				CommandTimeout:      Duration(5 * time.Minute),
				DataTimeout:         Duration(10 * time.Minute),
				MaxConnections:      500,
				MaxConnectionsPerIP: 50,
				SpoolMemoryBytes:    1 << 20,
				ShutdownGrace:       Duration(30 * time.Second),
			},
		},
		Relay: Relay{
			StartTLS: "required",
			Timeout:  Duration(60 * time.Second),
			PoolSize: 32,
			PoolIdle: Duration(30 * time.Second),
		},
		Dir:   Directory{UsersFile: "users.yaml"},
		Store: Store{Backend: "embedded", RedisPrefix: "okuri"},
		Queue: Queue{MaxLifetime: Duration(5 * day), BackoffBase: Duration(time.Minute),
			BackoffMax: Duration(2 * time.Hour), Concurrency: 4, Lease: Duration(10 * time.Minute)},
		Retention: Retention{Bodies: Duration(90 * day), Records: Duration(400 * day)},
		Audit: Audit{Stream: "OKURI_AUDIT", MaxAge: Duration(400 * day), Replicas: 1,
			OutboxMax: 1000000, OutboxOverflow: "drop", Subjects: "hash"},
		Scan: Scan{MaxTotalBytes: 1 << 30, MaxFileBytes: 256 << 20, MaxEntryRatio: 200, MaxDepth: 10,
			MaxEntries: 10000, MaxParts: 1000, MaxPDFPages: 2000, MaxPDFMemory: 128 << 20, PDFWorkers: 2,
			Timeout: Duration(60 * time.Second)},
		Metrics: Metrics{Listen: "127.0.0.1:9465"},
	}
}

// Path is the file the configuration was loaded from.
func (c *Config) Path() string { return c.path }
