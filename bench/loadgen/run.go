package loadgen

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// outcome is the result of one message.
type outcome struct {
	failure string        // "" when accepted, else "stage:code"
	data250 time.Duration // end of DATA to 250 reply; accepted only
	txn     time.Duration // dial start to QUIT reply; accepted only
}

// Run sends cfg.Warmup messages, then measures cfg.Messages messages, and
// returns the measurement. It returns an error only when cfg is invalid or
// ctx ended; failed messages are counted in the Result. Cancelling ctx
// closes the connections in flight.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("loadgen config: %w", err)
	}
	tmpl, err := NewTemplate(cfg.Kind, cfg.From, cfg.To)
	if err != nil {
		return nil, fmt.Errorf("loadgen: %w", err)
	}
	s := &sender{cfg: cfg, tmpl: tmpl, tlsConfig: tlsConfig(cfg)}
	warmFailed := 0
	if cfg.Warmup > 0 {
		for _, o := range s.runBatch(ctx, 0, cfg.Warmup) {
			if o.failure != "" {
				warmFailed++
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, fmt.Errorf("loadgen warmup: %w", err)
		}
	}
	start := time.Now()
	outs := s.runBatch(ctx, cfg.Warmup, cfg.Messages)
	elapsed := time.Since(start)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("loadgen run: %w", err)
	}
	r := summarize(cfg, tmpl.Size(), elapsed, outs)
	r.Warmup, r.WarmupFailed = cfg.Warmup, warmFailed
	return r, nil
}

// sender holds what every connection of a run shares.
type sender struct {
	cfg       Config
	tmpl      *Template
	tlsConfig *tls.Config
}

// runBatch sends n messages numbered from first over cfg.Conns workers.
func (s *sender) runBatch(ctx context.Context, first, n int) []outcome {
	outs := make([]outcome, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(s.cfg.Conns, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				outs[i] = s.sendOne(ctx, first+i)
			}
		})
	}
	wg.Wait()
	return outs
}

// sendOne runs one SMTP session that delivers message number i.
func (s *sender) sendOne(ctx context.Context, i int) outcome {
	start := time.Now()
	d := net.Dialer{Timeout: s.cfg.Timeout}
	raw, err := d.DialContext(ctx, "tcp", s.cfg.Addr)
	if err != nil {
		return outcome{failure: failureKey("dial", err)}
	}
	conn := &timedConn{Conn: raw}
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()

	c, err := s.newClient(conn)
	if err != nil {
		raw.Close()
		return outcome{failure: failureKey("starttls", err)}
	}
	defer c.Close()

	data250, stage, err := s.transact(c, conn, i)
	if err != nil {
		return outcome{failure: failureKey(stage, err)}
	}
	// The message is accepted; a failing QUIT does not change that.
	_ = c.Quit()
	return outcome{data250: data250, txn: time.Since(start)}
}

// newClient wraps conn in an SMTP client; with StartTLS it reads the
// greeting, sends EHLO and upgrades to TLS. go-smtp v0.25 exports no
// other way to STARTTLS, so in that case the EHLO name is "localhost"
// and the first exchanges use go-smtp's default timeouts (the run's
// context still bounds them).
func (s *sender) newClient(conn *timedConn) (*smtp.Client, error) {
	var c *smtp.Client
	if s.cfg.StartTLS {
		var err error
		if c, err = smtp.NewClientStartTLS(conn, s.tlsConfig); err != nil {
			return nil, err
		}
	} else {
		c = smtp.NewClient(conn)
	}
	c.CommandTimeout = s.cfg.Timeout
	c.SubmissionTimeout = s.cfg.Timeout
	return c, nil
}

// transact runs EHLO through the DATA reply and returns the data-250
// latency, or the failing stage and its error.
func (s *sender) transact(c *smtp.Client, conn *timedConn, i int) (time.Duration, string, error) {
	if !s.cfg.StartTLS {
		if err := c.Hello(s.cfg.HeloName); err != nil {
			return 0, "ehlo", err
		}
	}
	if s.cfg.User != "" {
		if err := c.Auth(sasl.NewPlainClient("", s.cfg.User, s.cfg.Password)); err != nil {
			return 0, "auth", err
		}
	}
	if err := c.Mail(s.cfg.From, nil); err != nil {
		return 0, "mail", err
	}
	for _, rcpt := range s.cfg.To {
		if err := c.Rcpt(rcpt, nil); err != nil {
			return 0, "rcpt", err
		}
	}
	w, err := c.Data()
	if err != nil {
		return 0, "data", err
	}
	if _, err := w.Write(s.tmpl.Header(i)); err != nil {
		return 0, "data-write", err
	}
	if _, err := w.Write(s.tmpl.Body); err != nil {
		return 0, "data-write", err
	}
	if _, err := w.CloseWithResponse(); err != nil {
		return 0, "data-end", err
	}
	return time.Since(conn.lastWrite), "", nil
}

// tlsConfig returns the client TLS configuration for cfg.
func tlsConfig(cfg Config) *tls.Config {
	host, _, _ := net.SplitHostPort(cfg.Addr)
	return &tls.Config{
		ServerName:         host,
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: cfg.InsecureSkipVerify, //nolint:gosec // by flag, load generator only
	}
}

// failureKey names a failure as "stage:code": the SMTP reply code when
// the server sent one, "timeout" for timeouts, "net" for other errors.
func failureKey(stage string, err error) string {
	var smtpErr *smtp.SMTPError
	if errors.As(err, &smtpErr) {
		return fmt.Sprintf("%s:%d", stage, smtpErr.Code)
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return stage + ":timeout"
	}
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		return stage + ":timeout"
	}
	return stage + ":net"
}
