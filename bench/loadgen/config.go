// Package loadgen is okuri's SMTP load generator for benchmarks.
//
// It sends N messages over C concurrent connections, one message per
// connection: dial, EHLO, optionally STARTTLS and AUTH PLAIN, MAIL, RCPT,
// DATA, QUIT. For every accepted message it records two latencies:
//
//   - data-250: from the moment the final "." of DATA was handed to the
//     kernel until the server's 250 reply was read. For a relay this is
//     the time it takes to make the message safe (relay upstream or store
//     durably) and is what a submitting client waits for.
//   - transaction: from the start of the dial until the reply to QUIT.
//
// Failures are counted by the command that failed and the reply code
// ("rcpt:550", "data:451"), or "net"/"timeout" when the server sent no
// reply. The generator is deliberately plain: messages are built from one
// shared body per kind so that generating load costs little CPU next to
// the system under test.
package loadgen

import (
	"errors"
	"fmt"
	"net"
	"time"
)

// Config describes one load run.
type Config struct {
	Addr     string   // host:port of the system under test
	Conns    int      // C: concurrent connections
	Messages int      // N: messages in the measured run
	Warmup   int      // messages sent before measuring, not counted
	Kind     Kind     // message shape
	From     string   // MAIL FROM and header From
	To       []string // RCPT TO and header To
	HeloName string   // EHLO argument

	StartTLS bool // issue STARTTLS after EHLO
	// InsecureSkipVerify accepts any server certificate. Load generator
	// only: the system under test usually has a self-signed certificate.
	InsecureSkipVerify bool
	User, Password     string // AUTH PLAIN credentials; no AUTH when User is ""

	Timeout time.Duration // per command, including the wait for the DATA reply
	// AllowRemote permits a non-loopback Addr. Off by default so that a
	// typo cannot point a load test at a real mail server.
	AllowRemote bool
}

// Validate reports every problem with c at once.
func (c Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("addr: required"))
	} else if err := checkLoopback(c.Addr); err != nil && !c.AllowRemote {
		errs = append(errs, fmt.Errorf("addr: %w", err))
	}
	if c.Conns < 1 {
		errs = append(errs, fmt.Errorf("conns: %d, want at least 1", c.Conns))
	}
	if c.Messages < 1 {
		errs = append(errs, fmt.Errorf("messages: %d, want at least 1", c.Messages))
	}
	if c.Warmup < 0 {
		errs = append(errs, fmt.Errorf("warmup: %d, want 0 or more", c.Warmup))
	}
	if _, err := ParseKind(string(c.Kind)); err != nil {
		errs = append(errs, fmt.Errorf("kind: %w", err))
	}
	if c.From == "" {
		errs = append(errs, errors.New("from: required"))
	}
	if len(c.To) == 0 {
		errs = append(errs, errors.New("to: at least one recipient required"))
	}
	if c.Timeout <= 0 {
		errs = append(errs, fmt.Errorf("timeout: %v, want > 0", c.Timeout))
	}
	return errors.Join(errs...)
}

// checkLoopback returns an error unless addr's host is a loopback IP
// address or "localhost".
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("parse %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%q is not a loopback address (set AllowRemote to permit it)", addr)
}
