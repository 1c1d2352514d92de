package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExplain(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "okuri.yaml")
	os.WriteFile(cfg, []byte(`relay:
  upstream: dir:./outbox
domains:
  internal: [agency.example.jp]
directory:
  users_file: `+filepath.Join(dir, "users.yaml")+`
policy:
  rules:
    - name: bcc-customers
      when: {external: true}
      action: force_bcc
    - name: first-time-domain
      when: {first_time_domain: true}
      action: hold_selfcheck
    - name: external-delay
      when: {external: true}
      action: delay
      delay: 5m
`), 0o644)
	msg := filepath.Join(dir, "m.eml")
	os.WriteFile(msg, []byte("From: alice@agency.example.jp\r\nTo: a@gmail.com, b@docomo.ne.jp\r\nSubject: hi\r\n\r\nhello\r\n"), 0o644)

	var out, errb bytes.Buffer
	if rc := run([]string{"explain", "-config", cfg, msg}, nil, &out, &errb); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	for _, want := range []string{"self-check — rule first-time-domain", "forced BCC", "1. bcc-customers [enforce]", "3. external-delay [enforce]", "no store consulted"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}

	out.Reset()
	if rc := run([]string{"explain", "-config", cfg, "-json", "-known", "gmail.com,docomo.ne.jp", msg}, nil, &out, &errb); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	var d struct {
		Action, Rule string
		Hold         int64
		Explanation  struct{ Rules []struct{ Name string } }
	}
	if err := json.Unmarshal(out.Bytes(), &d); err != nil {
		t.Fatal(err)
	}
	if d.Action != "delay" || d.Rule != "external-delay" || d.Hold != int64(5*60e9) || len(d.Explanation.Rules) != 3 {
		t.Fatalf("decision %+v", d)
	}

	if rc := run([]string{"explain", msg}, nil, &out, &errb); rc != 1 {
		t.Fatalf("missing -config: rc %d", rc)
	}
}
