package policy

import (
	"context"

	"github.com/okuri/okuri/internal/addr"
	"strings"
	"testing"
)

// TestInternalIDN: an office that configures its Japanese domain as
// written on its business cards must still see mail to the punycode form
// (what Outlook puts on the wire) as internal, and the other way round.
func TestInternalIDN(t *testing.T) {
	unicode := newPolicy(t, strings.Replace(testPolicy, "internal: [agency.example.jp]", "internal: [保険代理店.jp]", 1))
	puny := newPolicy(t, strings.Replace(testPolicy, "internal: [agency.example.jp]", "internal: [XN--MNQQXP76AC1U7L3B.jp]", 1))
	for _, c := range []struct {
		p    *Policy
		addr string
		want bool
	}{
		{unicode, "tanaka@xn--mnqqxp76ac1u7l3b.jp", true},
		{unicode, "tanaka@保険代理店.JP.", true},
		{puny, "tanaka@保険代理店.jp", true},
		{puny, "tanaka@ｘｎ--mnqqxp76ac1u7l3b.jp", true},
		{puny, `"tanaka@xn--mnqqxp76ac1u7l3b.jp"`, false},
		{puny, "tanaka@example.jp", false},
	} {
		if got := c.p.Internal(c.addr); got != c.want {
			t.Errorf("Internal(%q) = %v, want %v", c.addr, got, c.want)
		}
	}
}

// TestLookalikeIDN: a homograph of an own domain (Cyrillic "а" in
// "аgency") is a look-alike whether the mail client sends it in Unicode
// (SMTPUTF8) or, like Outlook, in punycode.
func TestLookalikeIDN(t *testing.T) {
	p := newPolicy(t, testPolicy)
	wire := addr.Domain("x@аgency.example.jp")
	if !strings.HasPrefix(wire, "xn--") {
		t.Fatalf("wire form %q", wire)
	}
	rcpts := []string{"bob@аgency.example.jp", "carol@" + strings.ToUpper(wire)}
	f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", User: "alice@agency.example.jp",
		RcptTo: rcpts, Message: strings.NewReader(testMessage(rcpts[0], "", "x")), Scan: clean(), History: known()})
	if len(f.Recipients) != 2 {
		t.Fatalf("recipients %+v", f.Recipients)
	}
	for _, r := range f.Recipients {
		if r.Lookalike != "agency.example.jp" || r.Internal {
			t.Errorf("%s: look-alike %q internal %v, want agency.example.jp, external", r.Address, r.Lookalike, r.Internal)
		}
	}
}

// TestRecipientsOnePerMailbox: the envelope (SMTPUTF8, Unicode) and the
// To header (Outlook, punycode, upper case, root dot) name one mailbox,
// which must count once toward the BCC threshold and the facts.
func TestRecipientsOnePerMailbox(t *testing.T) {
	p := newPolicy(t, testPolicy)
	rcpts := []string{"tanaka@保険代理店.jp", "sato@partner.example.com."}
	msg := testMessage("Tanaka <tanaka@XN--MNQQXP76AC1U7L3B.JP>, sato@Partner.Example.com", "", "x")
	f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", User: "alice@agency.example.jp",
		RcptTo: rcpts, Message: strings.NewReader(msg), Scan: clean(), History: known()})
	if len(f.Recipients) != 2 {
		for _, r := range f.Recipients {
			t.Logf("%s envelope=%v field=%q", r.Address, r.Envelope, r.Field)
		}
		t.Fatalf("%d recipients, want 2", len(f.Recipients))
	}
	for _, r := range f.Recipients {
		if !r.Envelope || r.Field != "to" {
			t.Errorf("%s: envelope %v field %q, want envelope in To", r.Address, r.Envelope, r.Field)
		}
	}
}
