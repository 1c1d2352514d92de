package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy/scan"
)

func TestDecide(t *testing.T) {
	p := newPolicy(t, testPolicy)
	knownAll := known("gmail.com", "docomo.ne.jp", "partner.example.com", "insurer-a.co.jp", "insurer-b.co.jp", "example.com")
	tests := []struct {
		name      string
		user      string
		rcpt      []string
		to, cc    string
		subject   string
		scan      *scan.Result
		scanErr   error
		hist      History
		want      Action
		rule      string
		bcc       bool
		approvers []string
		monitored []string
		errs      bool
	}{
		{name: "internal only, personal data passes", rcpt: []string{"bob@agency.example.jp"}, to: "bob@agency.example.jp",
			scan: personal(50, true), hist: knownAll, want: Pass, rule: ""},
		{name: "customer list to external: approval", rcpt: []string{"x@partner.example.com"}, to: "x@partner.example.com",
			scan: personal(25, false), hist: knownAll, want: HoldApproval, rule: "pd-external-many", approvers: []string{"boss@agency.example.jp"}},
		{name: "strong ID, few records: approval", rcpt: []string{"x@partner.example.com"}, to: "x@partner.example.com",
			scan: personal(1, true), hist: knownAll, want: HoldApproval, rule: "pd-external-strong", approvers: []string{"boss@agency.example.jp"}},
		{name: "few records: self-check", rcpt: []string{"x@partner.example.com"}, to: "x@partner.example.com",
			scan: personal(3, false), hist: knownAll, want: HoldSelfCheck, rule: "pd-external-few"},
		{name: "encrypted zip to external: self-check", rcpt: []string{"x@partner.example.com"}, to: "x@partner.example.com",
			scan: withPart(clean(), scan.Encrypted), hist: knownAll, want: HoldSelfCheck, rule: "not-scanned-external"},
		{name: "three customers visible: forced BCC, delay 0 passes", rcpt: []string{"a@gmail.com", "b@docomo.ne.jp", "c@gmail.com"},
			to: "a@gmail.com, b@docomo.ne.jp", cc: "c@gmail.com", scan: clean(), hist: knownAll, want: Pass, rule: "external-delay", bcc: true},
		{name: "one customer visible: no BCC", rcpt: []string{"a@gmail.com"}, to: "a@gmail.com",
			scan: clean(), hist: knownAll, want: Pass, rule: "external-delay"},
		{name: "two corporate addresses: no BCC (counts individuals)", rcpt: []string{"a@example.com", "b@example.com"}, to: "a@example.com, b@example.com",
			scan: clean(), hist: knownAll, want: Pass, rule: "external-delay"},
		{name: "first-time domain: self-check", rcpt: []string{"a@newcorp.example.net"}, to: "a@newcorp.example.net",
			scan: clean(), hist: knownAll, want: HoldSelfCheck, rule: "first-time-domain"},
		{name: "look-alike of the internal domain: self-check", rcpt: []string{"bob@agency.exarnple.jp"}, to: "bob@agency.exarnple.jp",
			scan: clean(), hist: known("agency.exarnple.jp.invalid"), want: HoldSelfCheck, rule: "first-time-domain"},
		{name: "history down: quarantine", rcpt: []string{"a@gmail.com"}, to: "a@gmail.com",
			scan: clean(), hist: fakeHistory{err: errors.New("redis: connection refused")}, want: Quarantine, rule: RuleOnError, errs: true},
		{name: "scan error: quarantine", rcpt: []string{"bob@agency.example.jp"}, to: "bob@agency.example.jp",
			scan: nil, scanErr: errors.New("read spool: EIO"), hist: knownAll, want: Quarantine, rule: RuleOnError, errs: true},
		{name: "other insurer: monitored only", rcpt: []string{"x@insurer-b.co.jp"}, to: "x@insurer-b.co.jp",
			scan: personal(2, false), hist: knownAll, want: HoldSelfCheck, rule: "pd-external-few", monitored: []string{"insurer-guard"}},
		{name: "own insurer: not monitored", rcpt: []string{"x@insurer-a.co.jp"}, to: "x@insurer-a.co.jp",
			scan: personal(2, false), hist: knownAll, want: HoldSelfCheck, rule: "pd-external-few"},
		{name: "sender without group: fallback approvers", user: "carol@agency.example.jp", rcpt: []string{"x@partner.example.com"}, to: "x@partner.example.com",
			scan: personal(30, false), hist: knownAll, want: HoldApproval, rule: "pd-external-many", approvers: []string{"head@agency.example.jp"}},
		{name: "approver sending: never approves own mail", user: "boss@agency.example.jp", rcpt: []string{"x@partner.example.com"}, to: "x@partner.example.com",
			scan: personal(30, false), hist: knownAll, want: HoldApproval, rule: "pd-external-many", approvers: []string{"head@agency.example.jp"}},
		{name: "keyword in encoded subject: monitored", rcpt: []string{"x@partner.example.com"}, to: "x@partner.example.com",
			subject: "=?ISO-2022-JP?B?GyRCPFIzMEhrGyhC?=", scan: clean(), hist: knownAll, want: Pass, rule: "external-delay", monitored: []string{"keyword-external"}},
		{name: "no history: everything external is first-time", rcpt: []string{"x@partner.example.com"}, to: "x@partner.example.com",
			scan: clean(), hist: nil, want: HoldSelfCheck, rule: "first-time-domain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			user := tt.user
			if user == "" {
				user = "alice@agency.example.jp"
			}
			subj := tt.subject
			if subj == "" {
				subj = "hello"
			}
			in := Input{MailFrom: user, RcptTo: tt.rcpt, User: user, Message: strings.NewReader(testMessage(tt.to, tt.cc, subj)),
				Scan: tt.scan, ScanErr: tt.scanErr, History: tt.hist}
			f := p.Facts(context.Background(), in)
			d := p.Decide(f)
			if d.Action != tt.want || d.Rule != tt.rule {
				t.Fatalf("decision %s by %q, want %s by %q\n%s", d.Action, d.Rule, tt.want, tt.rule, d.Text())
			}
			if d.Rewrite.ForceBCC != tt.bcc {
				t.Errorf("force_bcc %v, want %v\n%s", d.Rewrite.ForceBCC, tt.bcc, d.Text())
			}
			if !slices.Equal(d.Approvers, tt.approvers) {
				t.Errorf("approvers %v, want %v", d.Approvers, tt.approvers)
			}
			var mon []string
			for _, m := range d.Monitored {
				mon = append(mon, m.Rule)
			}
			if !slices.Equal(mon, tt.monitored) {
				t.Errorf("monitored %v, want %v\n%s", mon, tt.monitored, d.Text())
			}
			if (len(d.Errors) > 0) != tt.errs {
				t.Errorf("errors %v", d.Errors)
			}
			if len(d.Explanation.Rules) != len(p.rules) {
				t.Errorf("explanation has %d rules, want every one of %d", len(d.Explanation.Rules), len(p.rules))
			}
			if d.Action.Held() && d.Hold <= 0 && d.Action != Delay {
				t.Errorf("held without a deadline")
			}
			// Determinism: the same facts give the same bytes.
			a, _ := json.Marshal(d)
			b, _ := json.Marshal(p.Decide(f))
			if !bytes.Equal(a, b) {
				t.Errorf("Decide is not deterministic")
			}
			// No personal data values or names in explanations.
			txt := d.Text() + string(a)
			for _, leak := range []string{"顧客リスト", "a@gmail.com", "hello"} {
				if strings.Contains(string(mustJSON(d.Explanation))+d.Text(), leak) {
					t.Errorf("explanation shows %q:\n%s", leak, txt)
				}
			}
		})
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func TestLookalikeFacts(t *testing.T) {
	p := newPolicy(t, testPolicy)
	f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", User: "alice@agency.example.jp",
		RcptTo:  []string{"bob@agency.exarnple.jp", "x@partner-example.com", "y@gmai1.com", "z@partner.example.com"},
		Message: strings.NewReader(testMessage("bob@agency.exarnple.jp", "", "x")), Scan: clean(), History: known("partner.example.com")})
	got := map[string]string{}
	for _, r := range f.Recipients {
		got[r.Domain] = r.Lookalike
	}
	want := map[string]string{"agency.exarnple.jp": "agency.example.jp", "partner-example.com": "partner.example.com", "gmai1.com": "gmail.com", "partner.example.com": ""}
	for d, w := range want {
		if got[d] != w {
			t.Errorf("%s: look-alike of %q, want %q", d, got[d], w)
		}
	}
	d := p.Decide(f)
	if d.Action != HoldSelfCheck {
		t.Fatalf("%s", d.Text())
	}
}

func TestDecideSettings(t *testing.T) {
	base := strings.SplitN(testPolicy, "  rules:\n", 2)[0]
	tests := []struct {
		name  string
		rules string
		dir   string
		scan  *scan.Result
		want  Action
		rule  string
		check func(t *testing.T, d Decision)
	}{
		{name: "delay 5m holds", rules: "    - {name: d, when: {external: true}, action: delay, delay: 5m}\n", scan: clean(), want: Delay, rule: "d",
			check: func(t *testing.T, d Decision) {
				if d.Hold != 5*time.Minute {
					t.Errorf("hold %v", d.Hold)
				}
			}},
		{name: "strongest wins whatever the order", rules: "    - {name: a, action: hold_selfcheck}\n    - {name: b, action: reject}\n    - {name: c, action: quarantine}\n", scan: clean(), want: Reject, rule: "b",
			check: func(t *testing.T, d Decision) {
				if code, enh, text := d.RejectReply(); code != 550 || enh != "5.7.1" || text != "Message rejected by policy rule b" {
					t.Errorf("reply %d %s %s", code, enh, text)
				}
			}},
		{name: "monitor does nothing", rules: "    - {name: m, mode: monitor, action: reject}\n", scan: clean(), want: Pass, rule: "",
			check: func(t *testing.T, d Decision) {
				if len(d.Monitored) != 1 || d.Monitored[0].Action != Reject {
					t.Errorf("monitored %v", d.Monitored)
				}
			}},
		{name: "rewrites and notices accumulate", rules: "    - {name: h1, action: add_header, header: {name: X-Okuri-Checked, value: 'yes'}}\n    - {name: h2, action: add_header, header: {name: X-Okuri-Class, value: external}}\n    - {name: n, action: notify}\n    - {name: n2, action: notify, notify: [ciso@agency.example.jp]}\n    - {name: s, action: split}\n", scan: clean(), want: Pass, rule: "",
			check: func(t *testing.T, d Decision) {
				if len(d.Rewrite.Add) != 2 || !d.Rewrite.Split || !slices.Equal(d.Notify, []string{"security@agency.example.jp", "ciso@agency.example.jp"}) {
					t.Errorf("rewrite %+v notify %v", d.Rewrite, d.Notify)
				}
			}},
		{name: "unscannable outside is held whatever the rules", rules: "    - {name: p, action: pass}\n", scan: withPart(clean(), scan.Unscannable), want: HoldSelfCheck, rule: RuleUnscannable},
		{name: "approval with nobody to approve: quarantine", rules: "    - {name: a, action: hold_approval}\n",
			dir: "directory:\n  users_file: ./none.yaml\n", scan: clean(), want: Quarantine, rule: "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			y := base + "  rules:\n" + tt.rules
			if tt.dir != "" {
				y = strings.Replace(y, y[strings.Index(y, "directory:"):strings.Index(y, "policy:")], tt.dir, 1)
			}
			p := newPolicy(t, y)
			f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", User: "alice@agency.example.jp",
				RcptTo: []string{"a@partner.example.com"}, Message: strings.NewReader(testMessage("a@partner.example.com", "", "x")),
				Scan: tt.scan, History: known("partner.example.com", "a@partner.example.com")})
			d := p.Decide(f)
			if d.Action != tt.want || d.Rule != tt.rule {
				t.Fatalf("decision %s by %q, want %s by %q\n%s", d.Action, d.Rule, tt.want, tt.rule, d.Text())
			}
			if tt.check != nil {
				tt.check(t, d)
			}
		})
	}
}

func TestFactsBodyKeyword(t *testing.T) {
	p := newPolicy(t, testPolicy)
	msg := "From: alice@agency.example.jp\r\nTo: x@partner.example.com\r\nSubject: report\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=iso-2022-jp\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" +
		"\x1b$B5!L)\x1b(B\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"CONFIDENTIAL.txt\"\r\n\r\nxx\r\n--b--\r\n"
	f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", RcptTo: []string{"x@partner.example.com"},
		Message: strings.NewReader(msg), Scan: scanned(t, msg), History: known("partner.example.com")})
	want := []KeywordHit{{"confidential", "attachment_name"}, {"機密", "body"}}
	if !slices.Equal(f.Keywords, want) {
		t.Fatalf("keywords %v, want %v (notes %v)", f.Keywords, want, f.Notes)
	}
}

func TestFactsWithoutMessageHolds(t *testing.T) {
	p := newPolicy(t, testPolicy)
	f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", RcptTo: []string{"bob@agency.example.jp"}, Scan: clean(), History: known()})
	if d := p.Decide(f); d.Action != Quarantine {
		t.Fatalf("no message to read gave %s", d.Action)
	}
}

// TestExampleDefaults checks that examples/okuri.yaml implements issue 5's
// semantics without a rule written by the operator.
func TestExampleDefaults(t *testing.T) {
	cfg, err := config.Load("../examples/okuri.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hist := known("partner.example.com", "gmail.com", "docomo.ne.jp", "icloud.com")
	tests := []struct {
		name string
		rcpt []string
		to   string
		res  *scan.Result
		hist History
		want Action
		bcc  bool
	}{
		{"customer list to external: approval", []string{"x@partner.example.com"}, "x@partner.example.com", personal(40, false), hist, HoldApproval, false},
		{"strong ID to external: approval", []string{"x@partner.example.com"}, "x@partner.example.com", personal(1, true), hist, HoldApproval, false},
		{"few records to external: self-check", []string{"x@partner.example.com"}, "x@partner.example.com", personal(2, false), hist, HoldSelfCheck, false},
		{"customer list internal: pass", []string{"bob@agency.example.jp"}, "bob@agency.example.jp", personal(40, true), hist, Pass, false},
		{"encrypted to external: self-check", []string{"x@partner.example.com"}, "x@partner.example.com", withPart(clean(), scan.Encrypted), hist, HoldSelfCheck, false},
		{"unscannable to external: self-check", []string{"x@partner.example.com"}, "x@partner.example.com", withPart(clean(), scan.Unscannable), hist, HoldSelfCheck, false},
		{"three customers: forced BCC", []string{"a@gmail.com", "b@docomo.ne.jp", "c@icloud.com"}, "a@gmail.com, b@docomo.ne.jp, c@icloud.com", clean(), hist, Pass, true},
		{"first-time domain: self-check", []string{"x@new.example.org"}, "x@new.example.org", clean(), hist, HoldSelfCheck, false},
		{"look-alike domain, even if delivered before: self-check", []string{"x@agency.exarnple.jp"}, "x@agency.exarnple.jp", clean(), known("agency.exarnple.jp", "x@agency.exarnple.jp"), HoldSelfCheck, false},
		{"other external mail: delay 0 passes", []string{"x@partner.example.com"}, "x@partner.example.com", clean(), hist, Pass, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", User: "alice@agency.example.jp", RcptTo: tt.rcpt,
				Message: strings.NewReader(testMessage(tt.to, "", "hello")), Scan: tt.res, History: tt.hist})
			d := p.Decide(f)
			if d.Action != tt.want || d.Rewrite.ForceBCC != tt.bcc {
				t.Fatalf("got %s (bcc %v)\n%s", d.Action, d.Rewrite.ForceBCC, d.Text())
			}
			if ja, en := d.Reason(); ja == "" || en == "" {
				t.Errorf("no reason")
			} else {
				t.Logf("%s / %s", ja, en)
			}
			if strings.HasPrefix(tt.name, "look-alike") && d.Rule != "lookalike-domain" {
				t.Fatalf("decided by %s\n%s", d.Rule, d.Text())
			}
			if d.Action == HoldApproval && !slices.Equal(d.Approvers, []string{"boss@agency.example.jp"}) {
				t.Fatalf("approvers %v", d.Approvers)
			}
		})
	}
}
