package approvalsui

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// FuzzDecideToken: a decision token comes from a URL anyone can type.
// verifyDecide must never panic, must accept only what signDecide made
// (a token it accepts re-signs to itself), and must never accept a
// self-check link's token.
func FuzzDecideToken(f *testing.F) {
	l := &linkSigner{key: bytes.Repeat([]byte{7}, 32)}
	exp := time.Date(2026, 11, 25, 1, 0, 0, 0, time.UTC)
	now := exp.Add(-time.Hour)
	ok := l.signDecide(decideClaims{ID: "01JDAAAAAAAAAAAAAAAAAAAAAA", Approver: "carol@agency.test", Action: "approve", Expires: exp, Nonce: "n0nce"})
	f.Add(ok)
	f.Add(strings.Replace(ok, "A", "B", 1))
	f.Add(l.sign(linkClaims{ID: "01JDAAAAAAAAAAAAAAAAAAAAAA", Sender: "alice@agency.test", Expires: exp, Nonce: "n0nce"}))
	f.Add("")
	f.Add(".")
	f.Add("abc.def")
	f.Add("AAAA.AAAA.AAAA")
	f.Fuzz(func(t *testing.T, tok string) {
		c, valid := l.verifyDecide(tok, now)
		if !valid {
			return
		}
		if c.Action != "approve" && c.Action != "reject" {
			t.Fatalf("accepted action %q", c.Action)
		}
		if again := l.signDecide(c); again != tok {
			t.Fatalf("accepted a token signDecide does not make: %q (re-signed %q)", tok, again)
		}
		if _, sc := l.verify(tok, now); sc {
			t.Fatalf("token valid as both a decision and a self-check link: %q", tok)
		}
	})
}
