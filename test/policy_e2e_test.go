package test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/mail"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// policyTail is a policy exercising every action the issue names. Rules
// are evaluated in order; the strongest hold wins.
const policyTail = `domains:
  internal: [agency.test]
audit:
  embedded_listen: %s
policy:
  keywords: [極秘]
  force_bcc: {threshold: 2, count: individuals}
  rules:
    - {name: reject-secret, when: {external: true, keyword: true}, action: reject}
    - {name: pd-external, when: {external: true, content: [personal_data]}, action: hold_approval}
    - {name: bcc-customers, when: {external: true}, action: force_bcc}
    - {name: lookalike, when: {lookalike_domain: true}, action: hold_selfcheck}
    - {name: delay-attachments, when: {external: true, min_attachments: 1}, action: delay, delay: 5m}
    - {name: watch-external, mode: monitor, when: {external: true}, action: quarantine}
`

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// customerList is a CSV of 20 customers: names, kana, birth dates, mobile
// numbers, addresses, policy numbers — the list No.118 is about.
func customerList() string {
	sur := []string{"佐藤", "鈴木", "高橋", "田中", "伊藤"}
	kana := []string{"サトウ", "スズキ", "タカハシ", "タナカ", "イトウ"}
	var b strings.Builder
	b.WriteString("氏名,フリガナ,生年月日,電話番号,住所,証券番号\r\n")
	for i := range 20 {
		fmt.Fprintf(&b, "%s 花子,%s ハナコ,19%02d/%d/%d,090-%04d-%04d,東京都新宿区西新宿%d-%d-%d,A%08d\r\n",
			sur[i%5], kana[i%5], 50+i, 1+i%12, 1+i, 1200+i*7, 3400+i*13, 1+i%8, 1+i, 1+i%9, 31415926+i*977)
	}
	return b.String()
}

func withCSV(from, to, subject, csv string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(csv))
	var lines []string
	for len(enc) > 76 {
		lines, enc = append(lines, enc[:76]), enc[76:]
	}
	lines = append(lines, enc)
	return "From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject + "\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"資料をお送りします。\r\n--b1\r\nContent-Type: text/csv; name=\"list.csv\"\r\n" +
		"Content-Disposition: attachment; filename=\"list.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		strings.Join(lines, "\r\n") + "\r\n--b1--\r\n"
}

func TestPolicyEndToEnd(t *testing.T) {
	e := newEnv(t)
	auditAddr := freePort(t)
	e.Cfg.Tail = fmt.Sprintf(policyTail, auditAddr)
	p := e.start()
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()

	// reject: 5xx naming the rule, ASCII English.
	err := send(c, "alice@agency.test", []string{"x@example.test"}, "From: alice@agency.test\r\nTo: x@example.test\r\nSubject: =?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte("極秘資料"))+"?=\r\n\r\nhi\r\n")
	if smtpCode(err) != 550 || !strings.Contains(err.Error(), "reject-secret") {
		t.Fatalf("reject rule: want 550 naming the rule, got %v", err)
	}
	c.Reset()

	// A customer list to outside is held for approval; nothing reaches the sink.
	list := customerList()
	if err := sendExpect(c, "alice@agency.test", []string{"customer@example.test"},
		withCSV("alice@agency.test", "customer@example.test", "list", list), "held as "); err != nil {
		t.Fatalf("customer list to external: %v", err)
	}
	// The same list to a colleague passes.
	if err := sendExpect(c, "alice@agency.test", []string{"bob@agency.test"},
		withCSV("alice@agency.test", "bob@agency.test", "list", list), "delivered as "); err != nil {
		t.Fatalf("customer list to internal: %v", err)
	}
	m := e.Sink.Wait(t, 1, 5*time.Second)[0]
	if m.To[0] != "bob@agency.test" {
		t.Fatalf("delivered to %v", m.To)
	}

	// Three customers in To plus a colleague in Cc: forced BCC, one delivery.
	rcpts := []string{"taro@gmail.com", "hanako@docomo.ne.jp", "jiro@yahoo.co.jp", "bob@agency.test"}
	body := "From: alice@agency.test\r\nTo: Taro <taro@gmail.com>, =?UTF-8?B?6Iqx5a2Q?= <hanako@docomo.ne.jp>,\r\n jiro@yahoo.co.jp\r\nCc: Bob <bob@agency.test>\r\nSubject: notice\r\nX-Keep: me\r\n\r\nお知らせ\r\n"
	if err := sendExpect(c, "alice@agency.test", rcpts, body, "delivered as "); err != nil {
		t.Fatalf("force bcc: %v", err)
	}
	got := e.Sink.Wait(t, 2, 5*time.Second)[1]
	if len(got.To) != 4 {
		t.Fatalf("envelope changed: %v", got.To)
	}
	hdr, bodyOut := parseAtSink(t, got.Data)
	if to := hdr.Get("To"); to != "undisclosed-recipients:;" {
		t.Errorf("To at sink = %q", to)
	}
	if cc, _ := hdr.AddressList("Cc"); len(cc) != 1 || cc[0].Address != "bob@agency.test" {
		t.Errorf("Cc at sink = %v", hdr.Get("Cc"))
	}
	for _, a := range rcpts[:3] {
		if bytes.Contains(got.Data, []byte(a)) {
			t.Errorf("customer address %s visible at the sink", a)
		}
	}
	if hdr.Get("X-Keep") != "me" || hdr.Get("Subject") != "notice" || bodyOut != "お知らせ\r\n" {
		t.Errorf("other fields or body changed: %v %q", hdr, bodyOut)
	}

	// delay: an attachment to outside waits 5 minutes (held, cancellable).
	if err := sendExpect(c, "alice@agency.test", []string{"partner@example.test"},
		withCSV("alice@agency.test", "partner@example.test", "price list", "品番,価格\r\nA-1,100\r\n"), "held as "); err != nil {
		t.Fatalf("delay: %v", err)
	}
	// look-alike of our own domain: self-check.
	if err := sendExpect(c, "alice@agency.test", []string{"bob@agencv.test"},
		"From: alice@agency.test\r\nTo: bob@agencv.test\r\nSubject: hi\r\n\r\nhi\r\n", "held as "); err != nil {
		t.Fatalf("look-alike: %v", err)
	}

	// Every decision is in the audit trail, with the monitor rule recorded
	// and no detected values; the chain verifies on the real run.
	export := filepath.Join(t.TempDir(), "audit.jsonl")
	waitAuditEvents(t, e, export, 20)
	// By now every message has its decision recorded: only the two that
	// passed reached the upstream, none of the held ones.
	for deadline := time.Now().Add(15 * time.Second); len(e.Sink.Messages()) < 2 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
	if n := len(e.Sink.Messages()); n != 2 {
		t.Fatalf("sink got %d messages, want 2 (internal list, BCC notice)", n)
	}
	data, _ := os.ReadFile(export)
	for _, want := range []string{`"type":"message.decided"`, `"monitor.watch-external":"quarantine"`,
		`"type":"message.held"`, `"type":"message.rejected"`, `"rule":"reject-secret"`, `"type":"message.delivered"`,
		`"type":"message.rewritten"`} {
		if !bytes.Contains(data, []byte(want)) {
			t.Errorf("audit export lacks %s", want)
		}
	}
	// A held message's received and decided events (written with the
	// stored message, in its transaction) name the same id as its
	// message.held event, come before it, and carry the subject as a MAC.
	seen := map[string][]string{}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var ev struct {
			Type      string `json:"type"`
			MessageID string `json:"message_id"`
			Subject   *struct {
				Text string `json:"text"`
				HMAC string `json:"hmac"`
			} `json:"subject"`
		}
		if err := json.Unmarshal(line, &ev); err != nil {
			t.Fatalf("export line %q: %v", line, err)
		}
		if ev.Type == "message.held" {
			if got := seen[ev.MessageID]; !slices.Equal(got, []string{"message.received", "message.decided"}) {
				t.Errorf("held message %s: events before message.held %v", ev.MessageID, got)
			}
		}
		if ev.Type == "message.received" && (ev.Subject == nil || ev.Subject.HMAC == "" || ev.Subject.Text != "") {
			t.Errorf("message.received of %s: subject %+v, want a MAC only", ev.MessageID, ev.Subject)
		}
		seen[ev.MessageID] = append(seen[ev.MessageID], ev.Type)
	}
	for _, secret := range []string{"090-12", "東京都新宿区", "極秘資料", "A3141"} {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("audit export contains a detected value or subject: %q", secret)
		}
	}
	if out, err := runOkuri(nil, "audit", "verify", "-config", e.cfgPath); err != nil {
		t.Fatalf("audit verify on a real run: %v\n%s", err, out)
	}
	// Tamper with one event in an export: verify must fail and name it.
	tampered := bytes.Replace(data, []byte(`"rule":"reject-secret"`), []byte(`"rule":"harmless"`), 1)
	bad := filepath.Join(t.TempDir(), "tampered.jsonl")
	os.WriteFile(bad, tampered, 0o600)
	if out, err := runOkuri(nil, "audit", "verify", "-file", bad); err == nil || !strings.Contains(out, "mismatch") {
		t.Fatalf("tampered export verified: %v\n%s", err, out)
	}
}

// waitAuditEvents exports the running gateway's stream until it holds at
// least n events (the publisher sends asynchronously).
func waitAuditEvents(t *testing.T, e *env, path string, n int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		out, err := runOkuri(nil, "audit", "export", "-config", e.cfgPath, "-since", "24h", "-format", "jsonl")
		if err == nil && strings.Count(out, "\n") >= n {
			os.WriteFile(path, []byte(out), 0o600)
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("audit export: %v, %d lines\n%.2000s", err, strings.Count(out, "\n"), out)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// sendExpect sends and checks the 250 reply text contains want.
func sendExpect(c *smtp.Client, from string, to []string, msg, want string) error {
	if err := c.Mail(from, nil); err != nil {
		return err
	}
	for _, r := range to {
		if err := c.Rcpt(r, nil); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(msg)); err != nil {
		return err
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return err
	}
	if !strings.Contains(resp.StatusText, want) {
		return fmt.Errorf("reply %q does not contain %q", resp.StatusText, want)
	}
	return nil
}

func parseAtSink(t *testing.T, data []byte) (mail.Header, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bufio.NewReader(bytes.NewReader(stripFirstReceived(t, data))))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(msg.Body)
	return msg.Header, b.String()
}
