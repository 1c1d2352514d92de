package policy

import (
	"context"
	"strings"
	"testing"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy/detect"
	"github.com/okuri/okuri/policy/scan"
)

// testPolicy is the default rule set of examples/okuri.yaml with a small
// directory.
const testPolicy = `relay:
  upstream: dir:./outbox
domains:
  internal: [agency.example.jp]
directory:
  users_file: ./no-such-users.yaml
  groups:
    - name: sales
      members: [alice@agency.example.jp, boss@agency.example.jp]
      approvers: [boss@agency.example.jp]
      insurers: [insurer-a.co.jp]
  fallback_approvers: [head@agency.example.jp]
  auditors: [security@agency.example.jp]
policy:
  insurer_domains: [insurer-a.co.jp, insurer-b.co.jp]
  known_domains: [partner.example.com]
  keywords: [社外秘, 機密, confidential]
  security_team: [security@agency.example.jp]
  rules:
    - name: pd-external-many
      when: {external: true, content: [personal_data], min_records: 10}
      action: hold_approval
    - name: pd-external-strong
      when: {external: true, content: [personal_data], strong_ids: true}
      action: hold_approval
    - name: pd-external-few
      when: {external: true, content: [personal_data]}
      action: hold_selfcheck
    - name: not-scanned-external
      when: {external: true, content: [encrypted, unscannable]}
      action: hold_selfcheck
    - name: bcc-customers
      when: {external: true}
      action: force_bcc
    - name: first-time-domain
      when: {first_time_domain: true}
      action: hold_selfcheck
    - name: lookalike-domain
      when: {lookalike_domain: true}
      action: hold_selfcheck
    - name: insurer-guard
      mode: monitor
      when: {insurer_mismatch: true}
      action: hold_approval
    - name: keyword-external
      mode: monitor
      when: {external: true, keyword: true}
      action: hold_selfcheck
    - name: external-delay
      when: {external: true}
      action: delay
      delay: 0m
`

func newPolicy(t testing.TB, yaml string) *Policy {
	t.Helper()
	cfg, err := config.Parse("test.yaml", []byte(yaml))
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// fakeHistory knows the listed domains and addresses.
type fakeHistory struct {
	known map[string]bool
	err   error
}

func (h fakeHistory) KnownDomain(_ context.Context, d string) (bool, error) {
	return h.known[d], h.err
}

func (h fakeHistory) KnownAddress(_ context.Context, a string) (bool, error) {
	return h.known[a], h.err
}

func known(s ...string) fakeHistory {
	m := map[string]bool{}
	for _, x := range s {
		m[x] = true
	}
	return fakeHistory{known: m}
}

// scanned scans msg with a real scanner: body keywords match on the text
// the scanner decoded.
func scanned(t testing.TB, msg string) *scan.Result {
	t.Helper()
	opts := scan.DefaultOptions()
	opts.TempDir = t.TempDir()
	s, err := scan.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Scan(context.Background(), strings.NewReader(msg), int64(len(msg)))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func clean() *scan.Result {
	return &scan.Result{Verdict: scan.Clean, Summary: detect.Summary{Kinds: map[string]int{}}}
}

func personal(records int, strong bool) *scan.Result {
	return &scan.Result{
		Verdict: scan.PersonalData,
		Parts:   []scan.Part{{Path: "1", Verdict: scan.Clean}, {Path: "2", Name: "顧客リスト.xlsx", ContentType: "xlsx", Size: 12000, Attachment: true, Verdict: scan.PersonalData}},
		Summary: detect.Summary{PersonalData: true, Records: records, Strong: strong, Kinds: map[string]int{"name": records, "phone": records}},
	}
}

func withPart(r *scan.Result, v scan.Verdict) *scan.Result {
	r.Parts = append(r.Parts, scan.Part{Path: "3", Name: "a.zip", Attachment: true, Verdict: v})
	if r.Verdict == scan.Clean {
		r.Verdict = v
	}
	return r
}

func testMessage(to, cc, subject string) string {
	var b strings.Builder
	b.WriteString("From: alice@agency.example.jp\r\n")
	if to != "" {
		b.WriteString("To: " + to + "\r\n")
	}
	if cc != "" {
		b.WriteString("Cc: " + cc + "\r\n")
	}
	b.WriteString("Subject: " + subject + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nこんにちは\r\n")
	return b.String()
}
