package config

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Duration is a time.Duration written as "30s", "5m", "2h", or "90d".
type Duration time.Duration

// UnmarshalYAML parses a Go duration string, or whole days as "90d".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if days, ok := strings.CutSuffix(n.Value, "d"); ok && err != nil {
		var nd int64
		nd, err = strconv.ParseInt(days, 10, 32)
		v = time.Duration(nd) * 24 * time.Hour
	}
	if err != nil {
		return fmt.Errorf("not a duration (use e.g. 30s, 5m, 2h, 90d): %q", n.Value)
	}
	if v < 0 {
		return fmt.Errorf("must not be negative")
	}
	*d = Duration(v)
	return nil
}

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// Size is a byte count written as a number or with a KB, MB or GB suffix
// (powers of 1024).
type Size int64

// UnmarshalYAML parses "1048576", "512KB", "50MB" or "1GB".
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseSize(n.Value)
	if err != nil {
		return err
	}
	*s = Size(v)
	return nil
}

// ParseSize parses a byte count with an optional KB, MB or GB suffix.
func ParseSize(str string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(str))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("not a size (use e.g. 1048576, 512KB, 50MB): %q", str)
	}
	return v * mult, nil
}

// Secret is a credential that must not sit in the config file itself:
// it is read from a file or an environment variable.
//
//	password: {file: /run/secrets/upstream}
//	password: {env: OKURI_UPSTREAM_PASSWORD}
type Secret struct {
	File string `yaml:"file"`
	Env  string `yaml:"env"`
}

// IsSet reports whether a source is configured.
func (s Secret) IsSet() bool { return s.File != "" || s.Env != "" }

// Value reads the secret from its source. Trailing newlines of a file are
// dropped, since editors and `echo` add them.
func (s Secret) Value() (string, error) {
	switch {
	case s.File != "":
		b, err := os.ReadFile(s.File)
		if err != nil {
			return "", fmt.Errorf("secret: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	case s.Env != "":
		v, ok := os.LookupEnv(s.Env)
		if !ok {
			return "", fmt.Errorf("secret: environment variable %s is not set", s.Env)
		}
		return v, nil
	}
	return "", nil
}
