package policy

import (
	"context"
	"strings"
	"testing"
)

// TestKeywordCP932: Outlook on Japanese Windows labels subjects and
// bodies "CP932"; the keyword 社外秘 must be found in both, as the scanner
// reads them.
func TestKeywordCP932(t *testing.T) {
	p := newPolicy(t, testPolicy)
	msg := "From: alice@agency.example.jp\r\nTo: x@partner.example.com\r\n" +
		"Subject: =?CP932?B?gXmO0IpPlOmBeozai3GDioNYg2c=?=\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=CP932\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		"gXmO0IpPlOmBeozai3GDioNYg2c=\r\n"
	f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", User: "alice@agency.example.jp",
		RcptTo: []string{"x@partner.example.com"}, Message: strings.NewReader(msg), Scan: scanned(t, msg), History: known()})
	where := map[string]bool{}
	for _, k := range f.Keywords {
		if k.Word == "社外秘" {
			where[k.Where] = true
		}
	}
	if len(where) < 2 {
		t.Fatalf("社外秘 found in %v, want subject and body (keywords %+v)", where, f.Keywords)
	}
}
