package policy

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/quick"

	"github.com/okuri/okuri/policy/rewrite"
)

const splitPolicy = `relay:
  upstream: dir:./outbox
domains:
  internal: [agency.example.jp]
policy:
  rules:
    - {name: bcc, when: {external: true}, action: force_bcc}
    - {name: split, when: {min_external: 3}, action: split}
`

func deliver(t testing.TB, d Decision, from string, rcpts []string, msg string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, dl := range d.Deliveries(from, rcpts) {
		if dl.MailFrom != from {
			t.Fatalf("envelope sender changed: %q", dl.MailFrom)
		}
		r, err := dl.Apply(strings.NewReader(msg))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		for _, rc := range dl.RcptTo {
			if _, dup := out[rc]; dup {
				t.Fatalf("%s gets the message twice", rc)
			}
			out[rc] = string(b)
		}
	}
	return out
}

func visible(t testing.TB, msg string) []string {
	h, err := rewrite.ReadHeader(bufio.NewReader(strings.NewReader(msg)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range []string{"to", "cc", "bcc"} {
		for _, v := range h.Get(f) {
			out = append(out, rewrite.Addresses(rewrite.ParseAddressList(v))...)
		}
	}
	return out
}

func TestSplitDeliveries(t *testing.T) {
	p := newPolicy(t, splitPolicy)
	rcpts := []string{"a@gmail.com", "b@docomo.ne.jp", "c@example.com", "bob@agency.example.jp"}
	msg := "From: alice@agency.example.jp\r\nTo: a@gmail.com, b@docomo.ne.jp, bob@agency.example.jp\r\nCc: \"C, Inc.\" <c@example.com>\r\nSubject: s\r\n\r\nbody\r\n"
	f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", RcptTo: rcpts, Message: strings.NewReader(msg), Scan: clean(), History: known()})
	d := p.Decide(f)
	if !d.Rewrite.Split || !d.Rewrite.ForceBCC {
		t.Fatalf("%s", d.Text())
	}
	got := deliver(t, d, "alice@agency.example.jp", rcpts, msg)
	if len(got) != len(rcpts) {
		t.Fatalf("deliveries for %d recipients, want %d", len(got), len(rcpts))
	}
	for _, rc := range rcpts {
		vis := visible(t, got[rc])
		for _, v := range vis {
			if !p.Internal(v) && v != rc {
				t.Errorf("%s sees %s", rc, v)
			}
		}
		if !strings.HasSuffix(got[rc], "\r\n\r\nbody\r\n") {
			t.Errorf("body changed for %s", rc)
		}
	}
	if want := "To: bob@agency.example.jp\r\nCc: \"C, Inc.\" <c@example.com>\r\n"; !strings.Contains(got["c@example.com"], want) {
		t.Errorf("c's header:\n%s", got["c@example.com"])
	}
	if !strings.Contains(got["bob@agency.example.jp"], "To: bob@agency.example.jp\r\nSubject") {
		t.Errorf("internal recipients should get the forced-BCC view:\n%s", got["bob@agency.example.jp"])
	}
}

// TestForceBCCDeliveryProperty: for random recipient sets, the forced-BCC
// delivery keeps the envelope exactly, shows no external address to
// anybody, keeps every internal one, and leaves the body alone.
func TestForceBCCDeliveryProperty(t *testing.T) {
	p := newPolicy(t, splitPolicy)
	pool := []string{"a@gmail.com", "b@docomo.ne.jp", "c@example.com", "d@ezweb.ne.jp", "x@agency.example.jp", "y@agency.example.jp"}
	prop := func(s1, s2 uint64) bool {
		r := rand.New(rand.NewPCG(s1, s2))
		var to, cc, rcpts []string
		for _, a := range pool {
			switch r.IntN(4) {
			case 0:
				to = append(to, fmt.Sprintf("\"N %d\" <%s>", r.IntN(9), a))
			case 1:
				cc = append(cc, a)
			case 2:
				// Bcc: envelope only.
			default:
				continue
			}
			rcpts = append(rcpts, a)
		}
		if len(rcpts) == 0 {
			return true
		}
		body := fmt.Sprintf("To: %d@gmail.com\r\n\r\n%x", r.Uint64(), r.Uint64())
		msg := "From: alice@agency.example.jp\r\nTo: " + strings.Join(to, ", ") + "\r\nCc: " + strings.Join(cc, ", ") + "\r\nX-Keep: 1\r\n\r\n" + body
		f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", RcptTo: rcpts, Message: strings.NewReader(msg), Scan: clean(), History: known()})
		d := p.Decide(f)
		d.Rewrite.Split = false
		dls := d.Deliveries("alice@agency.example.jp", rcpts)
		if len(dls) != 1 || !slices.Equal(dls[0].RcptTo, rcpts) {
			t.Logf("envelope changed: %+v", dls)
			return false
		}
		rd, err := dls[0].Apply(strings.NewReader(msg))
		if err != nil {
			return false
		}
		out, _ := io.ReadAll(rd)
		if !bytes.HasSuffix(out, []byte("\r\n\r\n"+body)) || !bytes.Contains(out, []byte("\r\nX-Keep: 1\r\n")) {
			t.Logf("body or other field changed:\n%s", out)
			return false
		}
		vis := visible(t, string(out))
		ext := 0
		for _, a := range vis {
			if !p.Internal(a) {
				ext++
			}
		}
		internalBefore := 0
		for _, a := range visible(t, msg) {
			if p.Internal(a) {
				internalBefore++
			}
		}
		bccExpected := d.Rewrite.ForceBCC
		if bccExpected && (ext > 0 || len(vis) != internalBefore) {
			t.Logf("after BCC: visible %v", vis)
			return false
		}
		return true
	}
	if err := quick.Check(prop, &quick.Config{MaxCount: 500}); err != nil {
		t.Fatal(err)
	}
}

func TestLookalike(t *testing.T) {
	refs := []string{"agency.example.jp", "tokio-insurer.co.jp", "gmail.com", "sompo.jp", "au.com"}
	tests := map[string]string{
		"agency.example.jp":      "",
		"mail.agency.example.jp": "",
		"agency.exarnple.jp":     "agency.example.jp", // rn/m
		"agency.examp1e.jp":      "agency.example.jp", // 1/l
		"agnecy.example.jp":      "agency.example.jp", // swap
		"agency.example.co.jp":   "agency.example.jp", // .jp/.co.jp swap
		"tokio-insurer.jp":       "tokio-insurer.co.jp",
		"tokio-insurer.com":      "tokio-insurer.co.jp",
		"tokyo-insurer.co.jp":    "tokio-insurer.co.jp",
		"gmai1.com":              "gmail.com",
		"gmial.com":              "gmail.com",
		"sompo.co.jp":            "sompo.jp",
		"example.com":            "",
		"ab.com":                 "", // too short to judge against au.com
		"yahoo.co.jp":            "",
	}
	for d, want := range tests {
		if got := Lookalike(d, refs); got != want {
			t.Errorf("Lookalike(%q) = %q, want %q", d, got, want)
		}
	}
}

func FuzzClassify(f *testing.F) {
	p := newPolicy(f, testPolicy)
	f.Add("bob@agency.example.jp", "To: a@gmail.com, G: b@x.jp;\r\n\r\n")
	f.Add("x@agency.exarnple.jp", "To: \"a\" <x@agency.exarnple.jp>\r\n\r\n")
	f.Add("@", "To: <>\r\n")
	f.Fuzz(func(t *testing.T, rcpt, header string) {
		for _, d := range []string{domainOf(rcpt), rcpt} {
			if l := p.references.lookalike(d); l != "" && (l == strings.ToLower(d) || !slices.ContainsFunc(p.references, func(r refDomain) bool { return r.name == l })) {
				t.Fatalf("Lookalike(%q) = %q", d, l)
			}
		}
		fs := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", RcptTo: []string{rcpt}, Message: strings.NewReader(header), Scan: clean(), History: known()})
		for _, r := range fs.Recipients {
			if r.Internal && (r.Individual || r.Lookalike != "" || r.FirstTimeDomain) {
				t.Fatalf("internal recipient with external facts: %+v", r)
			}
		}
		d := p.Decide(fs)
		if fs.External > 0 && d.Action == Pass && len(fs.Errors) > 0 {
			t.Fatalf("facts errors passed: %v", fs.Errors)
		}
	})
}

func TestUnparseableVisibleCountsAsIndividual(t *testing.T) {
	p := newPolicy(t, testPolicy)
	msg := "From: alice@agency.example.jp\r\nTo: \"\x95\\\" <a@gmail.com>, b@example.com\r\nSubject: x\r\n\r\nbody\r\n"
	f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", RcptTo: []string{"a@gmail.com", "b@example.com"},
		Message: strings.NewReader(msg), Scan: clean(), History: known("gmail.com", "example.com")})
	d := p.Decide(f)
	if !d.Rewrite.ForceBCC {
		t.Fatalf("raw 8-bit display name defeated forced BCC:\n%s", d.Text())
	}
	out := deliver(t, d, "alice@agency.example.jp", []string{"a@gmail.com", "b@example.com"}, msg)
	if got := out["b@example.com"]; strings.Contains(got, "gmail") || !strings.Contains(got, "To: undisclosed-recipients:;\r\n") {
		t.Fatalf("b sees:\n%q", got)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"ＣＯＮＦＩＤＥＮＴＩＡＬ": "confidential",
		"Confidential": "confidential",
		"ｼｬｶﾞｲﾋ 社外秘":   "シャガイヒ 社外秘",
		"機密":           "機密",
	} {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLookalikeShortNames(t *testing.T) {
	refs := []string{"live.jp", "gmail.com", "au.com"}
	for d, want := range map[string]string{"line.jp": "", "life.jp": "", "live.com": "live.jp", "gmial.com": "gmail.com", "av.com": "", "au.co.jp": "au.com"} {
		if got := Lookalike(d, refs); got != want {
			t.Errorf("Lookalike(%q) = %q, want %q", d, got, want)
		}
	}
}
