package test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/okuri/okuri/internal/smtpsink"
)

// A message with the things relays like to "fix": 8-bit text, a leading
// dot, trailing white space, unusual header order and case, a long line.
var trickyMessage = "x-custom: first\r\n" +
	"From: Alice <alice@agency.test>\r\n" +
	"Subject: =?ISO-2022-JP?B?GyRCJDMkcyRLJEEkTxsoQg==?=\r\n" +
	"to: customer@example.test\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: 8bit\r\n" +
	"\r\n" +
	"こんにちは、お世話になっております。\r\n" +
	".a line starting with a dot\r\n" +
	"trailing spaces   \r\n" +
	strings.Repeat("x", 990) + "\r\n" +
	"\r\n"

func dialAuth(t *testing.T, e *env, p *proc, user, pw string) *smtp.Client {
	t.Helper()
	c, err := smtp.DialStartTLS(p.SMTP, e.clientTLS(t))
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	if err := c.Auth(sasl.NewPlainClient("", user, pw)); err != nil {
		c.Close()
		t.Fatalf("auth: %v", err)
	}
	return c
}

func send(c *smtp.Client, from string, to []string, msg string) error {
	return sendExpect(c, from, to, msg, "")
}

func smtpCode(err error) int {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		return se.Code
	}
	return 0
}

func TestDeliveryIsByteExactApartFromReceived(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()
	if err := send(c, "alice@agency.test", []string{"customer@example.test", "other@example.test"}, trickyMessage); err != nil {
		t.Fatal(err)
	}
	msgs := e.Sink.Wait(t, 1, 5*time.Second)
	m := msgs[0]
	if m.From != "alice@agency.test" || len(m.To) != 2 || !m.TLS {
		t.Fatalf("envelope at sink: %+v", m)
	}
	if got := stripFirstReceived(t, m.Data); !bytes.Equal(got, []byte(trickyMessage)) {
		t.Fatalf("message changed in transit:\n got %q\nwant %q", got, trickyMessage)
	}
	recv := string(m.Data[:bytes.Index(m.Data, []byte("x-custom"))])
	for _, want := range []string{"by okuri.e2e.test (okuri) with ESMTPSA id ", "(using TLS 1.3"} {
		if !strings.Contains(recv, want) {
			t.Errorf("Received header lacks %q:\n%s", want, recv)
		}
	}
	if strings.Contains(recv, "customer@") {
		t.Error("Received header names a recipient")
	}
}

func TestSwaksStartTLSAuthLogin(t *testing.T) {
	swaks, err := exec.LookPath("swaks")
	if err != nil {
		t.Fatal("swaks is not installed: .ci/run installs it (apt-get install swaks)")
	}
	e := newEnv(t)
	p := e.start()
	host, port, _ := net.SplitHostPort(p.SMTP)
	out, err := exec.Command(swaks, "--server", host, "--port", port, "-tls",
		"--auth", "LOGIN", "--auth-user", "alice@agency.test", "--auth-password", "alicePass-123",
		"--from", "sales@agency.test", "--h-From", "Sales <sales@agency.test>",
		"--to", "customer@example.test", "--body", "swaks body").CombinedOutput()
	if err != nil {
		t.Fatalf("swaks: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "250 2.0.0 Ok: delivered as ") {
		t.Fatalf("swaks transcript:\n%s", out)
	}
	m := e.Sink.Wait(t, 1, 5*time.Second)[0]
	if !bytes.Contains(m.Data, []byte("swaks body")) || m.From != "sales@agency.test" {
		t.Fatalf("sink got %+v", m)
	}
	// A wrong password, through swaks too.
	out, _ = exec.Command(swaks, "--server", host, "--port", port, "-tls",
		"--auth", "PLAIN", "--auth-user", "alice@agency.test", "--auth-password", "wrong",
		"--from", "alice@agency.test", "--to", "customer@example.test").CombinedOutput()
	if !strings.Contains(string(out), "535 5.7.8") {
		t.Fatalf("wrong password: swaks transcript:\n%s", out)
	}
}

func TestAuthFailuresAreRateLimited(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	for i := range 3 {
		c, err := smtp.DialStartTLS(p.SMTP, e.clientTLS(t))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.Auth(sasl.NewPlainClient("", "alice@agency.test", "nope")); smtpCode(err) != 535 {
			t.Fatalf("attempt %d: want 535, got %v", i, err)
		}
		c.Close()
	}
	c, err := smtp.DialStartTLS(p.SMTP, e.clientTLS(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// Even the right password is refused while the address is blocked.
	if err := c.Auth(sasl.NewPlainClient("", "alice@agency.test", "alicePass-123")); smtpCode(err) != 454 {
		t.Fatalf("after 3 failures: want 454, got %v", err)
	}
}

func TestAuthRefusedWithoutTLSOnNonLoopbackListener(t *testing.T) {
	e := newEnv(t)
	e.Cfg.Listen = "0.0.0.0:0"
	p := e.start()
	_, port, _ := net.SplitHostPort(p.SMTP)
	c, err := smtp.Dial("127.0.0.1:" + port)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("client.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := c.Extension("AUTH"); ok {
		t.Fatal("AUTH advertised without TLS on a non-loopback listener")
	}
	err = c.Auth(sasl.NewPlainClient("", "alice@agency.test", "alicePass-123"))
	if code := smtpCode(err); code < 500 {
		t.Fatalf("AUTH without TLS: want 5xx, got %v", err)
	}
	if err := c.Mail("alice@agency.test", nil); smtpCode(err) != 530 {
		t.Fatalf("MAIL without AUTH: want 530, got %v", err)
	}
}

func TestImplicitTLSListener(t *testing.T) {
	e := newEnv(t)
	e.Cfg.ListenTLS = "127.0.0.1:0"
	p := e.start()
	c, err := smtp.DialTLS(p.SMTPS, e.clientTLS(t))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Auth(sasl.NewPlainClient("", "alice@agency.test", "alicePass-123")); err != nil {
		t.Fatal(err)
	}
	if err := send(c, "alice@agency.test", []string{"x@example.test"}, "From: alice@agency.test\r\n\r\nhi\r\n"); err != nil {
		t.Fatal(err)
	}
	e.Sink.Wait(t, 1, 5*time.Second)
}

func TestSenderBinding(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()
	err := c.Mail("bob@agency.test", nil)
	if smtpCode(err) != 553 || !strings.Contains(err.Error(), "not owned by user") {
		t.Fatalf("MAIL FROM someone else: want 553, got %v", err)
	}
	c.Reset()
	err = send(c, "alice@agency.test", []string{"x@example.test"}, "From: Boss <boss@agency.test>\r\n\r\nplease pay\r\n")
	if smtpCode(err) != 553 {
		t.Fatalf("header From someone else: want 553, got %v", err)
	}
	c.Reset()
	err = send(c, "alice@agency.test", []string{"x@example.test"}, "Subject: no from\r\n\r\nhi\r\n")
	if smtpCode(err) != 550 {
		t.Fatalf("no From header: want 550, got %v", err)
	}
	c.Reset()
	// An alias is fine, and so is an RFC 2047 display name.
	if err := send(c, "sales@agency.test", []string{"x@example.test"}, "From: =?UTF-8?B?5Za25qWt?= <sales@agency.test>\r\n\r\nhi\r\n"); err != nil {
		t.Fatalf("alias: %v", err)
	}
	if n := len(e.Sink.Wait(t, 1, 5*time.Second)); n != 1 {
		t.Fatalf("sink got %d", n)
	}
}

func TestTrustedNetworkWithoutAuth(t *testing.T) {
	e := newEnv(t)
	e.Cfg.Extra = "  trusted_networks:\n    - cidr: 127.0.0.0/8\n      sender_domains: [scanner.agency.test]\n"
	p := e.start()
	c, err := smtp.Dial(p.SMTP)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := send(c, "copier@scanner.agency.test", []string{"x@example.test"}, "From: copier@scanner.agency.test\r\n\r\nscan\r\n"); err != nil {
		t.Fatalf("trusted send: %v", err)
	}
	c.Reset()
	if err := c.Mail("ceo@agency.test", nil); smtpCode(err) != 553 {
		t.Fatalf("trusted network, other domain: want 553, got %v", err)
	}
}

func TestLimits(t *testing.T) {
	e := newEnv(t)
	e.Cfg.Limits = "    max_message_bytes: 20KB\n    max_recipients: 3\n    max_header_bytes: 2KB\n    max_connections_per_ip: 2\n"
	p := e.start()

	// Per-IP connections: two are served, the third gets 421 at once.
	a, err := net.Dial("tcp", p.SMTP)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close() // closed before the other checks below need this IP again
	b, err := net.Dial("tcp", p.SMTP)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, c := range []net.Conn{a, b} {
		if l := readLine(t, c); !strings.HasPrefix(l, "220 ") {
			t.Fatalf("first two connections: %q", l)
		}
	}
	third, err := net.Dial("tcp", p.SMTP)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	if l := readLine(t, third); !strings.HasPrefix(l, "421 4.7.0") {
		t.Fatalf("third connection: %q", l)
	}
	a.Close()
	b.Close()
	third.Close()
	waitNoConnections(t, p)

	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	big := "From: alice@agency.test\r\n\r\n" + strings.Repeat(strings.Repeat("y", 78)+"\r\n", 400)
	if err := send(c, "alice@agency.test", []string{"x@example.test"}, big); smtpCode(err) != 552 {
		t.Fatalf("32 KB message with a 20 KB limit: want 552, got %v", err)
	}
	c.Close()

	c = dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	c.Mail("alice@agency.test", nil)
	for i := range 3 {
		if err := c.Rcpt("r"+string(rune('a'+i))+"@example.test", nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.Rcpt("rd@example.test", nil); smtpCode(err) != 452 {
		t.Fatalf("4th recipient: want 452, got %v", err)
	}
	c.Reset()
	hugeHeader := "From: alice@agency.test\r\n" + strings.Repeat("X-Pad: "+strings.Repeat("h", 70)+"\r\n", 40) + "\r\nbody\r\n"
	if err := send(c, "alice@agency.test", []string{"x@example.test"}, hugeHeader); smtpCode(err) != 552 {
		t.Fatalf("3 KB header with a 2 KB limit: want 552, got %v", err)
	}
	c.Close()

	if n := len(e.Sink.Messages()); n != 0 {
		t.Fatalf("sink got %d messages", n)
	}
}

func readLine(t *testing.T, c net.Conn) string {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	var b []byte
	one := make([]byte, 1)
	for {
		if _, err := c.Read(one); err != nil {
			t.Fatalf("read: %v (got %q)", err, b)
		}
		b = append(b, one[0])
		if one[0] == '\n' {
			return string(b)
		}
	}
}

// TestUpstreamDownQueuesAndDeliversLater: with the upstream down the
// message is stored durably as queued and the client gets 250; when the
// upstream comes back the worker delivers it, once.
func TestUpstreamDownQueuesAndDeliversLater(t *testing.T) {
	e := newEnv(t)
	addr := e.Sink.Addr
	e.Sink.Close()
	p := e.start()
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()
	if err := send(c, "alice@agency.test", []string{"x@agency.test"}, "From: alice@agency.test\r\n\r\nqueued body\r\n"); err != nil {
		t.Fatalf("upstream down: want 250 queued, got %v", err)
	}
	p.waitLog(`"msg":"upstream unavailable; message queued"`, 5*time.Second)
	sink := e.restartSinkAt(addr)
	msgs := sink.Wait(t, 1, 15*time.Second)
	// Once the worker recorded the message as delivered it is terminal:
	// no second delivery can follow.
	p.waitLog(`"state":"delivered"`, 10*time.Second)
	if n := len(sink.Messages()); n != 1 || !strings.Contains(string(msgs[0].Data), "queued body") {
		t.Fatalf("sink got %d messages after the upstream returned; want exactly 1", n)
	}
}

func TestUpstreamRefusesRecipients(t *testing.T) {
	e := newEnv(t)
	e.Sink.Refuse("gone@agency.test", 550)
	e.Sink.Refuse("full@agency.test", 452)
	p := e.start()
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()
	// Some refused for good: delivered to the rest, 250, and a DSN to the
	// sender names the refused one.
	if err := send(c, "alice@agency.test", []string{"ok@agency.test", "gone@agency.test"}, "From: alice@agency.test\r\nSubject: partial\r\n\r\nhi\r\n"); err != nil {
		t.Fatalf("partial: %v", err)
	}
	msgs := e.Sink.Wait(t, 2, 10*time.Second)
	var orig, dsn *smtpsink.Message
	for i := range msgs {
		if msgs[i].From == "" {
			dsn = &msgs[i]
		} else {
			orig = &msgs[i]
		}
	}
	if orig == nil || len(orig.To) != 1 || orig.To[0] != "ok@agency.test" {
		t.Fatalf("original at sink: %+v", orig)
	}
	if dsn == nil || dsn.To[0] != "alice@agency.test" || !strings.Contains(string(dsn.Data), "gone@agency.test") ||
		!strings.Contains(string(dsn.Data), "multipart/report") {
		t.Fatalf("DSN at sink: %+v", dsn)
	}
	// All refused for good: 550, no DSN (the client has the answer), and
	// the upstream's text stays out of the reply.
	err := send(c, "alice@agency.test", []string{"gone@agency.test"}, "From: alice@agency.test\r\n\r\nhi\r\n")
	if smtpCode(err) != 550 || strings.Contains(err.Error(), "10.1.2.3") {
		t.Fatalf("all refused: want 550 without upstream text, got %v", err)
	}
	// One refused for good, one for now: 250 queued, a DSN for the first.
	c.Reset()
	if err := send(c, "alice@agency.test", []string{"gone@agency.test", "full@agency.test"}, "From: alice@agency.test\r\n\r\nhi\r\n"); err != nil {
		t.Fatalf("one temporary refusal: want 250 queued, got %v", err)
	}
	e.Sink.Wait(t, 3, 10*time.Second)
	p.waitLog(`"refused":"*@agency.test:550"`, 2*time.Second)
	if n := len(e.Sink.Messages()); n != 3 {
		t.Fatalf("sink got %d messages, want 3 (original, 2 DSNs)", n)
	}
}

func TestMetricsAndHealth(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	send(c, "alice@agency.test", []string{"x@example.test"}, "From: alice@agency.test\r\n\r\nhi\r\n")
	c.Close()
	for path, want := range map[string]string{
		"/metrics": `okuri_messages_total{outcome="delivered"} 1`,
		"/healthz": "ok", "/readyz": "ready",
	} {
		resp, err := http.Get("http://" + p.Metrics + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Fatalf("%s: %d %q", path, resp.StatusCode, body)
		}
		if path == "/metrics" && (strings.Contains(string(body), "alice") || strings.Contains(string(body), "example.test")) {
			t.Fatal("metrics contain addresses")
		}
	}
}

// waitNoConnections waits until okuri has released every connection, so a
// test's later connections are not counted against old ones.
func waitNoConnections(t *testing.T, p *proc) {
	t.Helper()
	for range 250 {
		resp, err := http.Get("http://" + p.Metrics + "/metrics")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), "okuri_smtp_connections_active 0\n") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("connections never drained")
}
