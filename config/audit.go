package config

// Audit configures the audit trail on NATS JetStream.
type Audit struct {
	// NATSURL is the external NATS (JetStream) URL list; empty starts an
	// embedded NATS server with its data in data_dir/nats.
	NATSURL string `yaml:"nats_url"`
	// EmbeddedListen lets the embedded server accept TCP clients (e.g.
	// 127.0.0.1:4222 for `okuri audit tail`); empty: in-process only.
	EmbeddedListen string   `yaml:"embedded_listen"`
	Stream         string   `yaml:"stream"`   // default OKURI_AUDIT
	MaxAge         Duration `yaml:"max_age"`  // default 400d
	Replicas       int      `yaml:"replicas"` // default 1; 3 in a cluster
	// OutboxMax bounds events waiting for NATS (default 1000000); beyond
	// it OutboxOverflow applies.
	OutboxMax int `yaml:"outbox_max"`
	// OutboxOverflow is "drop" (default: mail flows on, the loss is itself
	// recorded as an event) or "reject" (mail waits: 451 until NATS is back).
	OutboxOverflow string `yaml:"outbox_overflow"`
	// SigningKeyFile is an Ed25519 private key (PEM, PKCS #8) to sign events.
	SigningKeyFile string `yaml:"signing_key_file"`
	// Subjects is "hash" (default: keyed hash and length), "text" or "omit".
	Subjects string `yaml:"subjects"`
}

func (c *Config) validateAudit(bad func(key, msg string)) {
	a := c.Audit
	if a.EmbeddedListen != "" && !validHostPort(a.EmbeddedListen) {
		bad("audit.embedded_listen", "must be host:port, e.g. 127.0.0.1:4222")
	}
	if a.EmbeddedListen != "" && a.NATSURL != "" {
		bad("audit.embedded_listen", "only for the embedded server: leave empty with audit.nats_url")
	}
	if a.Replicas < 1 || a.Replicas > 5 {
		bad("audit.replicas", "must be 1 to 5")
	}
	if a.Replicas > 1 && a.NATSURL == "" {
		bad("audit.replicas", "the embedded server has one replica; use audit.nats_url for a cluster")
	}
	if a.OutboxOverflow != "drop" && a.OutboxOverflow != "reject" {
		bad("audit.outbox_overflow", `must be "drop" or "reject"`)
	}
	if a.Subjects != "hash" && a.Subjects != "text" && a.Subjects != "omit" {
		bad("audit.subjects", `must be "hash", "text" or "omit"`)
	}
	if a.MaxAge <= 0 {
		bad("audit.max_age", "must be greater than zero (e.g. 400d, 3650d)")
	}
}
