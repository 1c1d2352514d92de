package audit

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The embedded server's TCP listener (audit.embedded_listen) requires a
// token: any local process could otherwise read the audit trail, and
// publish to okuri.audit.> (forged events would fail the hash chain, but
// they would still be in the stream). The token is generated on the first
// start with a listener and kept, readable by okuri's user only, in
// data_dir/audit-nats.token; `okuri audit -config FILE` reads it from
// there. In-process connections of the gateway present it too.

// EmbeddedTokenFile is where the embedded server's client token is kept.
func EmbeddedTokenFile(dataDir string) string { return filepath.Join(dataDir, "audit-nats.token") }

// embeddedToken returns the token in path, creating it (0600) if missing.
func embeddedToken(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil {
		tok := strings.TrimSpace(string(b))
		if len(tok) < 32 {
			return "", fmt.Errorf("audit: %s: token too short; delete the file to generate a new one", path)
		}
		return tok, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("audit: read NATS token: %w", err)
	}
	b := make([]byte, 32)
	rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return "", fmt.Errorf("audit: NATS token: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(tok+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("audit: write NATS token: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", fmt.Errorf("audit: write NATS token: %w", err)
	}
	return tok, nil
}

// ReadTokenFile reads a NATS client token written by the embedded server.
func ReadTokenFile(path string) (string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("audit: NATS token: %w (is audit.embedded_listen set and okuri started once?)", err)
	}
	return strings.TrimSpace(string(b)), nil
}
