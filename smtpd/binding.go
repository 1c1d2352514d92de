package smtpd

import (
	"bufio"
	"net/mail"

	"github.com/emersion/go-message/textproto"
	"github.com/emersion/go-smtp"

	mailaddr "github.com/okuri/okuri/internal/addr"
	"github.com/okuri/okuri/policy/extract/charset"
	"github.com/okuri/okuri/spool"
)

// addressParser parses sender fields. Display names are decoded with the
// scanner's charsets (ISO-2022-JP, Shift_JIS/CP932, EUC-JP): a name in a
// charset go-message does not know by itself must not make the From
// unparseable, and no process-wide charset hook is needed for it.
var addressParser = mail.AddressParser{WordDecoder: charset.WordDecoder()}

// senderFields are the header fields that name who sent a message (RFC 5322
// sections 3.6.2 and 3.6.6). A recipient's mail program may show any of
// them as the sender, so each address in each of them must belong to the
// user, not only the first From.
var senderFields = []string{"From", "Sender", "Resent-From", "Resent-Sender"}

// checkSender enforces sender binding for one address.
func (s *session) checkSender(addr, where string) error {
	if s.user != nil {
		if s.user.Owns(addr) {
			return nil
		}
		s.s.metrics.rejections.WithLabelValues("sender_binding").Inc()
		return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: where + " address <" + ascii(addr) + "> is not owned by user " + ascii(s.user.Address)}
	}
	if domain := mailaddr.Domain(addr); domain != "" {
		for _, d := range s.trusted.SenderDomains {
			if domain == mailaddr.NormalizeDomain(d) {
				return nil
			}
		}
	}
	s.s.metrics.rejections.WithLabelValues("sender_binding").Inc()
	return &smtp.SMTPError{Code: 553, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
		Message: where + " address <" + ascii(addr) + "> is not in a domain this network may send from"}
}

// checkHeaderSenders applies sender binding to the header: exactly one
// From (RFC 5322 section 3.6 — with two, clients show either one), and
// every address in From, Sender, Resent-From and Resent-Sender, in every
// occurrence, owned by the user or in the trusted network's domains.
// Field names are matched as go-message reads them: any case, spaces
// before the colon trimmed ("FROM :").
func (s *session) checkHeaderSenders(body *spool.Body) error {
	h, err := textproto.ReadHeader(bufio.NewReader(body.Reader()))
	if err != nil {
		return s.malformed("Message header cannot be parsed")
	}
	switch n := len(h.Values("From")); {
	case n == 0:
		return s.malformed("Message has no From header")
	case n > 1:
		return s.malformed("Message has more than one From header (RFC 5322 section 3.6)")
	}
	for _, field := range senderFields {
		for _, v := range h.Values(field) {
			addrs, err := addressParser.ParseList(v)
			if err != nil || len(addrs) == 0 {
				return s.malformed(field + " header cannot be parsed")
			}
			for _, a := range addrs {
				if err := s.checkSender(a.Address, field+" header"); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// malformed refuses a message whose sender fields cannot be checked:
// 550 5.6.0 (RFC 3463: other or undefined media error).
func (s *session) malformed(text string) error {
	s.s.metrics.rejections.WithLabelValues("sender_binding").Inc()
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: text}
}
