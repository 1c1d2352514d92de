package relay

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/okuri/okuri/internal/smtpcode"
)

// Options configures a Client.
type Options struct {
	// Upstream is smtp://host:port or smtps://host:port.
	Upstream string
	// StartTLSOpportunistic allows plaintext to an smtp:// upstream that does
	// not offer STARTTLS. By default STARTTLS is required.
	StartTLSOpportunistic bool
	// TLS is the client TLS configuration (roots, verification); ServerName
	// is filled from the upstream host when empty.
	TLS *tls.Config
	// Username and Password authenticate to the upstream (AUTH PLAIN, only
	// over TLS) when Username is set.
	Username, Password string
	// Helo is the name okuri gives in EHLO.
	Helo string
	// Timeout bounds each command and the final reply after DATA.
	Timeout time.Duration
	// PoolSize is how many idle connections are kept for reuse; 0 disables reuse.
	PoolSize int
	// PoolIdle is how long an idle connection is kept before it is closed.
	PoolIdle time.Duration
	Logger   *slog.Logger
	// Observe, when set, is called with the duration and outcome ("ok",
	// "partial", "temporary", "permanent") of every Send.
	Observe func(d time.Duration, outcome string)
}

// Client delivers messages to an SMTP upstream, reusing connections. It is
// safe for concurrent use: each Send takes a connection of its own.
type Client struct {
	opts     Options
	addr     string
	implicit bool

	mu     sync.Mutex
	idle   []*conn // most recently used last
	closed bool
}

type conn struct {
	c        *smtp.Client
	sc       *stepConn
	lastUsed time.Time
}

// NewClient validates opts and returns a Client. It does not dial.
func NewClient(opts Options) (*Client, error) {
	u, err := url.Parse(opts.Upstream)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Port() == "" {
		return nil, fmt.Errorf("relay: upstream %q: want smtp://host:port or smtps://host:port", opts.Upstream)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = time.Minute
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Helo == "" {
		opts.Helo = "localhost"
	}
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if opts.TLS != nil {
		tc = opts.TLS.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = u.Hostname()
	}
	opts.TLS = tc
	return &Client{opts: opts, addr: u.Host, implicit: u.Scheme == "smtps"}, nil
}

// Send implements Sender. A broken pooled connection is retried once on a
// fresh one before any recipient was accepted, since an upstream may close
// idle connections at any time.
func (cl *Client) Send(ctx context.Context, env Envelope, msg io.Reader) (*Result, error) {
	start := time.Now()
	res, err := cl.send(ctx, env, msg)
	if cl.opts.Observe != nil {
		cl.opts.Observe(time.Since(start), outcome(res, err))
	}
	return res, err
}

func outcome(res *Result, err error) string {
	switch {
	case err == nil && len(res.Refused) == 0:
		return "ok"
	case err == nil:
		return "partial"
	case IsTemporary(err):
		return "temporary"
	}
	return "permanent"
}

func (cl *Client) send(ctx context.Context, env Envelope, msg io.Reader) (*Result, error) {
	c, reused, err := cl.get(ctx)
	if err != nil {
		return nil, err
	}
	res, err, stale := cl.transaction(ctx, c, env, msg)
	if stale && reused {
		c.c.Close()
		if c, err = cl.dial(ctx); err != nil {
			return nil, err
		}
		res, err, _ = cl.transaction(ctx, c, env, msg)
	}
	if err != nil {
		var re *Error
		// Keep the connection after a clean protocol-level refusal; drop it
		// after I/O trouble, whose state is unknown.
		if errors.As(err, &re) && re.Code != 0 && c.c.Reset() == nil {
			cl.put(c)
		} else {
			c.c.Close()
		}
		return nil, err
	}
	// After the final reply to DATA the transaction is over (RFC 5321
	// section 4.1.1.4): the next MAIL may follow without RSET. go-smtp's
	// Reset would also force a new EHLO: two round trips per message saved.
	cl.put(c)
	return res, nil
}

// transaction runs MAIL, RCPT..., DATA on c. stale reports that the
// connection failed before the upstream accepted anything, so a retry on a
// fresh connection cannot duplicate the message.
func (cl *Client) transaction(ctx context.Context, c *conn, env Envelope, msg io.Reader) (res *Result, err error, stale bool) {
	if dl, ok := ctx.Deadline(); ok {
		c.c.CommandTimeout = min(cl.opts.Timeout, time.Until(dl))
	} else {
		c.c.CommandTimeout = cl.opts.Timeout
	}
	c.c.SubmissionTimeout = c.c.CommandTimeout
	stop := context.AfterFunc(ctx, c.sc.abort)
	defer stop()
	if err := c.c.Mail(env.From, nil); err != nil {
		e := smtpErr("mail", err)
		return nil, e, e.Code == 0
	}
	res = &Result{}
	for _, rcpt := range env.To {
		if err := c.c.Rcpt(rcpt, nil); err != nil {
			var se *smtp.SMTPError
			if !errors.As(err, &se) {
				return nil, smtpErr("rcpt", err), false
			}
			res.Refused = append(res.Refused, &RecipientError{
				Rcpt: rcpt, Code: se.Code, Enhanced: smtpcode.FromSMTP(se.EnhancedCode),
				Message: se.Message, Temporary: se.Code/100 == 4,
			})
			continue
		}
		res.Accepted = append(res.Accepted, rcpt)
	}
	if len(res.Accepted) == 0 {
		temp := false
		for _, r := range res.Refused {
			temp = temp || r.Temporary
		}
		return nil, &Error{Op: "rcpt", Code: res.Refused[0].Code, Temporary: temp, Refused: res.Refused,
			Err: errors.New("upstream refused every recipient")}, false
	}
	w, err := c.c.Data()
	if err != nil {
		return nil, smtpErr("data", err), false
	}
	if _, err := io.Copy(w, msg); err != nil {
		return nil, &Error{Op: "write", Temporary: true, Err: err}, false
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return nil, smtpErr("data", err), false
	}
	res.Reply = resp.StatusText
	return res, nil, false
}

func smtpErr(op string, err error) *Error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return &Error{Op: op, Code: se.Code, Temporary: se.Code/100 != 5, Err: err}
	}
	return &Error{Op: op, Temporary: true, Err: err}
}

// get returns an idle connection or dials a new one.
func (cl *Client) get(ctx context.Context) (*conn, bool, error) {
	cl.mu.Lock()
	for len(cl.idle) > 0 {
		c := cl.idle[len(cl.idle)-1]
		cl.idle = cl.idle[:len(cl.idle)-1]
		if time.Since(c.lastUsed) < cl.opts.PoolIdle {
			cl.mu.Unlock()
			return c, true, nil
		}
		go c.c.Quit()
	}
	cl.mu.Unlock()
	c, err := cl.dial(ctx)
	return c, false, err
}

func (cl *Client) put(c *conn) {
	c.lastUsed = time.Now()
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.closed || len(cl.idle) >= cl.opts.PoolSize || c.sc.aborted.Load() {
		go c.c.Quit()
		return
	}
	cl.idle = append(cl.idle, c)
}

func (cl *Client) dial(ctx context.Context) (*conn, error) {
	c, sc, err := cl.connect(ctx, !cl.implicit)
	var re *Error
	if err != nil && errors.As(err, &re) && re.Op == "starttls-missing" {
		if !cl.opts.StartTLSOpportunistic {
			return nil, &Error{Op: "starttls", Temporary: true, Err: errors.New("upstream does not offer STARTTLS and relay.starttls is required")}
		}
		c, sc, err = cl.connect(ctx, false)
	}
	if err != nil {
		return nil, err
	}
	if cl.opts.Username != "" {
		if _, isTLS := c.TLSConnectionState(); !isTLS {
			c.Close()
			return nil, &Error{Op: "auth", Temporary: true, Err: errors.New("refusing to send the upstream password without TLS")}
		}
		if err := c.Auth(sasl.NewPlainClient("", cl.opts.Username, cl.opts.Password)); err != nil {
			c.Close()
			return nil, smtpErr("auth", err)
		}
	}
	return &conn{c: c, sc: sc, lastUsed: time.Now()}, nil
}

// connect dials and greets the upstream, with STARTTLS when startTLS is
// set. go-smtp's STARTTLS path sends its first EHLO as "localhost"; the
// EHLO after the handshake, the one that counts, carries our name. Every
// step runs under a deadline of at most opts.Timeout (see stepConn).
func (cl *Client) connect(ctx context.Context, startTLS bool) (*smtp.Client, *stepConn, error) {
	d := net.Dialer{Timeout: cl.opts.Timeout}
	nc, err := d.DialContext(ctx, "tcp", cl.addr)
	if err != nil {
		return nil, nil, &Error{Op: "dial", Temporary: true, Err: err}
	}
	sc := &stepConn{Conn: nc, timeout: cl.opts.Timeout}
	sc.SetDeadline(time.Time{})
	stop := context.AfterFunc(ctx, sc.abort)
	defer stop()
	var c *smtp.Client
	switch {
	case cl.implicit:
		tc := tls.Client(sc, cl.opts.TLS)
		if err := tc.HandshakeContext(ctx); err != nil {
			nc.Close()
			return nil, nil, &Error{Op: "tls", Temporary: true, Err: err}
		}
		c = smtp.NewClient(tc)
	case startTLS:
		c, err = smtp.NewClientStartTLS(sc, cl.opts.TLS)
		if err != nil {
			nc.Close()
			var se *smtp.SMTPError
			if !errors.As(err, &se) && err.Error() == "smtp: server doesn't support STARTTLS" {
				return nil, nil, &Error{Op: "starttls-missing", Temporary: true, Err: err}
			}
			return nil, nil, &Error{Op: "starttls", Temporary: true, Err: err}
		}
	default:
		c = smtp.NewClient(sc)
	}
	c.CommandTimeout, c.SubmissionTimeout = cl.opts.Timeout, cl.opts.Timeout
	if err := c.Hello(cl.opts.Helo); err != nil {
		c.Close()
		return nil, nil, smtpErr("ehlo", err)
	}
	return c, sc, nil
}

// stepConn bounds every step of a session with the upstream. go-smtp sets
// a deadline of five minutes before the greeting and the STARTTLS EHLO,
// and clears it after each command, leaving the TLS handshake and the
// message body without one. Here no deadline is later than timeout from
// now (a cleared one becomes that), and each write of the body gets
// timeout to make progress. abort ends whatever is blocked, for a
// cancelled context.
type stepConn struct {
	net.Conn
	timeout time.Duration
	aborted atomic.Bool
}

func (c *stepConn) SetDeadline(t time.Time) error {
	if c.aborted.Load() {
		return c.Conn.SetDeadline(time.Unix(1, 0))
	}
	if limit := time.Now().Add(c.timeout); t.IsZero() || t.After(limit) {
		t = limit
	}
	return c.Conn.SetDeadline(t)
}

func (c *stepConn) Write(p []byte) (int, error) {
	if c.aborted.Load() {
		return 0, errAborted
	}
	c.Conn.SetWriteDeadline(time.Now().Add(c.timeout))
	return c.Conn.Write(p)
}

func (c *stepConn) abort() {
	c.aborted.Store(true)
	c.Conn.SetDeadline(time.Unix(1, 0))
}

var errAborted = errors.New("relay: delivery cancelled")

// Idle returns the number of pooled idle connections.
func (cl *Client) Idle() int {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	return len(cl.idle)
}

// Close closes idle connections; later Sends still work but are not pooled.
func (cl *Client) Close() error {
	cl.mu.Lock()
	idle := cl.idle
	cl.idle, cl.closed = nil, true
	cl.mu.Unlock()
	for _, c := range idle {
		c.c.Quit()
	}
	return nil
}
