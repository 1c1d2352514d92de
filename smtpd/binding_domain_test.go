package smtpd

import "testing"

// TestTrustedSenderDomainNormalised: a copier on a trusted network may
// send from its configured domain however the address is written (upper
// case, root dot, Unicode vs punycode), and never from a domain that only
// appears inside a quoted local part.
func TestTrustedSenderDomainNormalised(t *testing.T) {
	srv, _ := testServer(t)
	s := &session{s: srv, trusted: &TrustedNetwork{SenderDomains: []string{"Scanner.Agency.Test", "保険代理店.jp"}}}
	for _, c := range []struct {
		from string
		ok   bool
	}{
		{"copier@scanner.agency.test", true},
		{"Copier@SCANNER.agency.test.", true},
		{"scan@xn--mnqqxp76ac1u7l3b.jp", true},
		{`"copier@scanner.agency.test"`, false},
		{`"copier@scanner.agency.test"@evil.example`, false},
		{"copier", false},
	} {
		err := s.checkSender(c.from, "MAIL FROM")
		if (err == nil) != c.ok {
			t.Errorf("checkSender(%q) = %v, want ok=%v", c.from, err, c.ok)
		}
	}
}
