package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
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

// TestExplainExampleDefaults runs a customer list through the real
// scanner and the rules shipped in examples/okuri.yaml.
func TestExplainExampleDefaults(t *testing.T) {
	var csv strings.Builder
	csv.WriteString("氏名,フリガナ,生年月日,電話番号,住所\r\n")
	for i := range 15 {
		fmt.Fprintf(&csv, "山田 太郎%d,ヤマダ タロウ,1975/04/%02d,090-1234-%04d,東京都千代田区丸の内1-%d-1\r\n", i, i+1, 5600+i, i+1)
	}
	msg := "From: alice@agency.example.jp\r\nTo: =?UTF-8?B?5bGx55Sw?= <taro@gmail.com>\r\nSubject: list\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=b1\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nお送りします。\r\n" +
		"--b1\r\nContent-Type: text/csv; name=customers.csv\r\nContent-Disposition: attachment; filename=customers.csv\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString([]byte(csv.String())) + "\r\n--b1--\r\n"
	name := filepath.Join(t.TempDir(), "list.eml")
	os.WriteFile(name, []byte(msg), 0o644)
	var out, errb bytes.Buffer
	if rc := run([]string{"explain", "-config", "../../examples/okuri.yaml", "-known", "gmail.com", name}, nil, &out, &errb); rc != 0 {
		t.Fatalf("rc %d: %s", rc, errb.String())
	}
	for _, want := range []string{"supervisor approval — rule pd-external-many", "個人情報（個人データ）が含まれるため", "records 15"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "山田") || strings.Contains(out.String(), "taro@") {
		t.Errorf("explanation shows personal data:\n%s", out.String())
	}
}
