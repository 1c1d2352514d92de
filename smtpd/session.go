package smtpd

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"net/netip"
	"strings"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/okuri/okuri/directory"
)

type backend struct {
	s        *Server
	implicit bool
}

// NewSession runs after EHLO (and again after STARTTLS).
func (b *backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	st := b.s.settings.Load()
	tlsState, isTLS := c.TLSConnectionState()
	ip := remoteIP(c.Conn())
	ctx, cancel := context.WithCancel(b.s.ctx)
	sess := &session{
		s: b.s, conn: c, settings: st, ip: ip, helo: c.Hostname(),
		tls: isTLS, ctx: ctx, cancel: cancel,
		localLoopback: isLoopback(c.Conn().LocalAddr()),
	}
	if isTLS {
		sess.tlsInfo = tlsInfo(tlsState)
	}
	for i := range st.Trusted {
		if st.Trusted[i].Prefix.Contains(ip) {
			sess.trusted = &st.Trusted[i]
			break
		}
	}
	return sess, nil
}

type session struct {
	s             *Server
	conn          *smtp.Conn
	settings      *Settings
	ip            netip.Addr
	helo          string
	tls           bool
	tlsInfo       string
	localLoopback bool
	trusted       *TrustedNetwork
	user          *directory.User
	ctx           context.Context
	cancel        context.CancelFunc

	from string
	to   []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain, sasl.Login} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	// go-smtp offers AUTH without TLS on a loopback listener when
	// configured; the client must be loopback too.
	if !s.tls && !(s.s.opts.AllowPlaintextLoopback && s.ip.IsLoopback() && s.localLoopback) {
		s.s.metrics.rejections.WithLabelValues("auth_needs_tls").Inc()
		return nil, errEncryptionRequired
	}
	st := s.settings
	if s.s.authFail.blocked(s.ip, st.AuthMaxFailures, st.AuthWindow, time.Now()) {
		s.s.metrics.rejections.WithLabelValues("auth_rate_limited").Inc()
		return nil, errAuthTooMany
	}
	check := s.checkLogin
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, login, pass string) error {
			if identity != "" && !strings.EqualFold(identity, login) {
				return errAuthFailed // no authorising as somebody else
			}
			return check(login, pass)
		}), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, errAuthMechanism
}

func (s *session) Mail(from string, opts *smtp.MailOptions) error {
	if s.user == nil && s.trusted == nil {
		s.s.metrics.rejections.WithLabelValues("auth_required").Inc()
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	if from == "" {
		s.s.metrics.rejections.WithLabelValues("sender_binding").Inc()
		return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1}, Message: "Null sender not allowed on submission"}
	}
	if hasControl(from) {
		// A NUL or CR in a path is cut or read differently by the next
		// hop: the address checked here would not be the one delivered.
		s.s.metrics.rejections.WithLabelValues("address_syntax").Inc()
		return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 1, 7}, Message: "Sender address contains control characters"}
	}
	if err := s.checkSender(from, "MAIL FROM"); err != nil {
		return err
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if hasControl(to) {
		s.s.metrics.rejections.WithLabelValues("address_syntax").Inc()
		return &smtp.SMTPError{Code: 501, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: "Recipient address contains control characters"}
	}
	if !strings.Contains(to, "@") {
		return &smtp.SMTPError{Code: 501, EnhancedCode: smtp.EnhancedCode{5, 1, 3}, Message: "Recipient must be a full address"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Reset() {
	s.from = ""
	s.to = nil
}

func (s *session) Logout() error {
	s.cancel()
	return nil
}

func (s *session) Data(r io.Reader) error {
	start := time.Now()
	lim := s.s.opts.Limits
	// One deadline for the whole DATA phase; go-smtp's per-command timeout
	// would let a slow sender trickle forever.
	s.conn.Conn().SetReadDeadline(start.Add(lim.DataTimeout))
	qid := s.s.opts.NewQueueID()
	w := s.s.opts.Spool.NewWriter()
	writeReceived(w, s, qid, start)
	chk := newDataChecker(w, lim.MaxHeaderBytes)
	_, err := io.Copy(chk, r)
	if err != nil {
		w.Abort()
		return s.dataError(err)
	}
	if clientGone(s.conn.Conn()) {
		// A BDAT chunk cut short by a disconnect reads as a complete
		// message (see limitedConn.readFailed); nobody waits for a reply.
		w.Abort()
		s.s.metrics.rejections.WithLabelValues("incomplete").Inc()
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Connection lost before the end of the message"}
	}
	if err := chk.verdict(); err != nil {
		w.Abort()
		return err
	}
	body, err := w.Finish()
	if err != nil {
		s.s.opts.Logger.Error("spool failed", "queue_id", qid, "err", err)
		return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 3, 1}, Message: "Insufficient system storage, try again later"}
	}
	defer body.Close()
	s.s.metrics.receivedBytes.Add(float64(body.Size()))
	if err := s.checkHeaderSenders(body); err != nil {
		return err
	}
	m := &Message{
		QueueID: qid, Received: start, ClientIP: s.ip, Helo: s.helo, TLS: s.tls,
		From: s.from, To: append([]string(nil), s.to...), Body: body,
	}
	if s.user != nil {
		m.User = s.user.Address
	}
	return toSMTP(s.s.handler.Handle(s.ctx, m), qid)
}

// toSMTP turns the Handler's Reply into the reply go-smtp sends. A Reply
// that is not a well-formed SMTP reply — a code outside 2xx/4xx/5xx, an
// enhanced code of another class — is a Handler bug: the client gets
// 451 4.3.0 and keeps the message, never a malformed line or a 250 nobody
// meant. Text is made ASCII (RFC 5321).
func toSMTP(rep Reply, qid string) error {
	class := rep.Code / 100
	if rep.Code < 200 || rep.Code > 599 || class == 3 || rep.Enhanced[0] != class {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Local error, try again later (ref " + ascii(qid) + ")"}
	}
	text := ascii(rep.Text)
	if text == "" {
		text = "Ok"
		if class != 2 {
			text = "Failed (ref " + ascii(qid) + ")"
		}
	}
	return &smtp.SMTPError{Code: rep.Code, EnhancedCode: smtp.EnhancedCode(rep.Enhanced), Message: text}
}

func (s *session) dataError(err error) error {
	var se *smtp.SMTPError
	switch {
	case errors.As(err, &se):
		if se.Code == 552 {
			s.s.metrics.rejections.WithLabelValues("size").Inc()
		}
		return se
	case errors.Is(err, smtp.ErrTooLongLine):
		s.s.metrics.rejections.WithLabelValues("line_length").Inc()
		return &smtp.SMTPError{Code: 500, EnhancedCode: smtp.EnhancedCode{5, 5, 2}, Message: "Line too long"}
	}
	// The client went away or timed out; nothing to answer.
	return &smtp.SMTPError{Code: 421, EnhancedCode: smtp.EnhancedCode{4, 4, 2}, Message: "Error reading message data"}
}

func tlsInfo(st tls.ConnectionState) string {
	return tls.VersionName(st.Version) + " with cipher " + tls.CipherSuiteName(st.CipherSuite)
}

// hasControl reports an ASCII control character (NUL, CR, LF, DEL…) in an
// address; UTF-8 (SMTPUTF8) octets are not control characters.
func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// ascii keeps reply texts RFC 5321 clean whatever a client or user typed.
func ascii(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}
