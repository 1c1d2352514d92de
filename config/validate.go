package config

import (
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// applyDerivedDefaults fills values that default to other values.
func (c *Config) applyDerivedDefaults() {
	if c.Instance == "" || c.SMTP.Hostname == "" {
		host, _ := os.Hostname()
		if host == "" {
			host = "okuri"
		}
		if c.Instance == "" {
			c.Instance = host
		}
		if c.SMTP.Hostname == "" {
			c.SMTP.Hostname = host
		}
	}
	c.storeDefaults()
	if c.Relay.HeloName == "" {
		c.Relay.HeloName = c.SMTP.Hostname
	}
}

// validate returns every semantic problem; at maps a key path to its line.
func (c *Config) validate(at func(string) int) Problems {
	var ps Problems
	bad := func(key, msg string) {
		ps = append(ps, Problem{File: c.path, Line: at(key), Key: key, Msg: msg})
	}
	if c.DataDir == "" {
		bad("data_dir", "must not be empty")
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		bad("log.format", `must be "text" or "json"`)
	}
	switch c.Log.Level {
	case "debug", "info", "warn", "error":
	default:
		bad("log.level", `must be one of "debug", "info", "warn", "error"`)
	}
	c.validateSMTP(bad)
	c.validateRelay(bad)
	for i, d := range c.Domains.Internal {
		if !validDomain(d) {
			bad(indexKey("domains.internal", i), "not a domain name: "+quote(d))
		}
	}
	if c.Dir.UsersFile == "" {
		bad("directory.users_file", "must not be empty")
	}
	c.validateDirectory(bad)
	c.validatePolicy(bad)
	c.validateUI(bad)
	c.validateStore(bad)
	c.validateAudit(bad)
	c.validateScan(bad)
	if c.Metrics.Listen != "" && !validHostPort(c.Metrics.Listen) {
		bad("metrics.listen", "must be host:port, e.g. 127.0.0.1:9465")
	}
	return ps
}

func (c *Config) validateSMTP(bad func(key, msg string)) {
	s := c.SMTP
	if s.Listen == "" && s.ListenTLS == "" {
		bad("smtp.listen", "at least one of smtp.listen and smtp.listen_tls is required")
	}
	if s.Listen != "" && !validHostPort(s.Listen) {
		bad("smtp.listen", "must be host:port, e.g. 127.0.0.1:2525")
	}
	if s.ListenTLS != "" && !validHostPort(s.ListenTLS) {
		bad("smtp.listen_tls", "must be host:port, e.g. :465")
	}
	if (s.TLS.CertFile == "") != (s.TLS.KeyFile == "") {
		bad("smtp.tls", "cert_file and key_file go together: set both, or neither to generate a self-signed certificate")
	}
	if s.TLS.MinVersion != "1.2" && s.TLS.MinVersion != "1.3" {
		bad("smtp.tls.min_version", `must be "1.2" or "1.3"`)
	}
	if s.Auth.MaxFailures < 1 {
		bad("smtp.auth.max_failures", "must be at least 1")
	}
	for i, tn := range s.TrustedNetworks {
		key := indexKey("smtp.trusted_networks", i)
		if _, err := netip.ParsePrefix(tn.CIDR); err != nil {
			bad(key+".cidr", "not a network in CIDR form, e.g. 192.168.1.0/24: "+quote(tn.CIDR))
		}
		if len(tn.SenderDomains) == 0 {
			bad(key+".sender_domains", "required: hosts sending without AUTH are restricted to these sender domains")
		}
		for j, d := range tn.SenderDomains {
			if !validDomain(d) {
				bad(indexKey(key+".sender_domains", j), "not a domain name: "+quote(d))
			}
		}
	}
	l := s.Limits
	positive := []struct {
		key string
		v   int64
	}{
		{"smtp.limits.max_message_bytes", int64(l.MaxMessageBytes)},
		{"smtp.limits.max_recipients", int64(l.MaxRecipients)},
		{"smtp.limits.max_header_bytes", int64(l.MaxHeaderBytes)},
		{"smtp.limits.command_timeout", int64(l.CommandTimeout)},
		{"smtp.limits.data_timeout", int64(l.DataTimeout)},
		{"smtp.limits.max_connections", int64(l.MaxConnections)},
		{"smtp.limits.max_connections_per_ip", int64(l.MaxConnectionsPerIP)},
	}
	for _, p := range positive {
		if p.v <= 0 {
			bad(p.key, "must be greater than zero")
		}
	}
	if l.MaxLineLength < 1000 {
		bad("smtp.limits.max_line_length", "must be at least 1000 (RFC 5321 section 4.5.3.1.6)")
	}
	if l.MaxConnectionsPerIP > l.MaxConnections {
		bad("smtp.limits.max_connections_per_ip", "must not exceed smtp.limits.max_connections")
	}
	if l.MaxHeaderBytes > l.MaxMessageBytes {
		bad("smtp.limits.max_header_bytes", "must not exceed smtp.limits.max_message_bytes")
	}
}

func (c *Config) validateRelay(bad func(key, msg string)) {
	r := c.Relay
	if r.Upstream == "" {
		bad("relay.upstream", "required: smtp://host:port, smtps://host:port or dir:PATH")
	} else if !strings.HasPrefix(r.Upstream, "dir:") {
		u, err := url.Parse(r.Upstream)
		switch {
		case err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps"):
			bad("relay.upstream", "must be smtp://host:port, smtps://host:port or dir:PATH: "+quote(r.Upstream))
		case u.Port() == "" || u.Hostname() == "":
			bad("relay.upstream", "needs a host and a port: "+quote(r.Upstream))
		case u.User != nil:
			bad("relay.upstream", "credentials do not belong in the URL: use relay.username and relay.password")
		}
	} else if strings.TrimPrefix(r.Upstream, "dir:") == "" {
		bad("relay.upstream", "dir: needs a path, e.g. dir:./data/outbox")
	}
	if r.StartTLS != "required" && r.StartTLS != "opportunistic" {
		bad("relay.starttls", `must be "required" or "opportunistic"`)
	}
	if r.Username != "" && !r.Password.IsSet() {
		bad("relay.password", "required with relay.username: {file: PATH} or {env: NAME}")
	}
	if r.Password.File != "" && r.Password.Env != "" {
		bad("relay.password", "give file or env, not both")
	}
	if r.Password.IsSet() && r.Username == "" {
		bad("relay.username", "required with relay.password")
	}
	if r.Timeout <= 0 {
		bad("relay.timeout", "must be greater than zero")
	}
	if r.PoolSize < 0 {
		bad("relay.pool_size", "must not be negative")
	}
}

func validHostPort(s string) bool {
	_, port, err := net.SplitHostPort(s)
	return err == nil && port != ""
}

func validDomain(d string) bool {
	if d == "" || len(d) > 253 || strings.HasPrefix(d, ".") || strings.HasSuffix(d, ".") {
		return false
	}
	for _, label := range strings.Split(d, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !(r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127) {
				return false
			}
		}
	}
	return true
}

func indexKey(key string, i int) string { return key + "[" + strconv.Itoa(i) + "]" }

func quote(s string) string { return `"` + s + `"` }

// validateDirectory checks groups and roles for shape; whether each named
// address is a user is checked against the users file by policy checks.
func (c *Config) validateDirectory(bad func(key, msg string)) {
	seen := map[string]bool{}
	for i, g := range c.Dir.Groups {
		key := indexKey("directory.groups", i)
		if g.Name == "" {
			bad(key+".name", "required")
		} else if seen[g.Name] {
			bad(key+".name", "group "+quote(g.Name)+" defined twice")
		}
		seen[g.Name] = true
		for j, a := range g.Members {
			if !strings.Contains(a, "@") {
				bad(indexKey(key+".members", j), "not a mail address: "+quote(a))
			}
		}
		for j, a := range g.Approvers {
			if !strings.Contains(a, "@") {
				bad(indexKey(key+".approvers", j), "not a mail address: "+quote(a))
			}
		}
		for j, d := range g.Insurers {
			if !validDomain(d) {
				bad(indexKey(key+".insurers", j), "not a domain name: "+quote(d))
			}
		}
	}
	for _, list := range []struct {
		key   string
		addrs []string
	}{{"directory.fallback_approvers", c.Dir.FallbackApprovers}, {"directory.auditors", c.Dir.Auditors}, {"directory.admins", c.Dir.Admins}} {
		for j, a := range list.addrs {
			if !strings.Contains(a, "@") {
				bad(indexKey(list.key, j), "not a mail address: "+quote(a))
			}
		}
	}
}
