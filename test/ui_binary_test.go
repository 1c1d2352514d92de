package test

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// uiTail holds a customer list to outside for self-check and serves the
// approvals UI on a fixed port (the notice links carry base_url).
const uiTail = `domains:
  internal: [agency.test]
policy:
  rules:
    - {name: pd-external, when: {external: true, content: [personal_data]}, action: hold_selfcheck}
ui:
  listen: %[1]s
  base_url: https://%[1]s
`

// TestUIBinaryNoticeLinkSelfCheck is issue 6's "done means" through the
// real binary: a customer list sent through okuri is held, the notice
// arrives at the upstream sink with a working self-check link, the sender
// ticks every box through that link, and the mail arrives.
func TestUIBinaryNoticeLinkSelfCheck(t *testing.T) {
	e := newEnv(t)
	addr := freePort(t)
	e.Cfg.Tail = fmt.Sprintf(uiTail, addr)
	p := e.start()
	waitUI(t, p)
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()
	if err := sendExpect(c, "alice@agency.test", []string{"customer@example.test"},
		withCSV("alice@agency.test", "customer@example.test", "list", customerList()), "held as "); err != nil {
		t.Fatalf("customer list: %v", err)
	}
	notice := e.Sink.Wait(t, 1, 10*time.Second)[0]
	if notice.To[0] != "alice@agency.test" || notice.From != "" {
		t.Fatalf("first message at the sink is not the notice: from %q to %v", notice.From, notice.To)
	}
	link := regexp.MustCompile(`https://[0-9.:]+/link/[A-Za-z0-9_\-.]+`).FindString(string(qpDecode(notice.Data)))
	if link == "" {
		t.Fatalf("no link in the notice:\n%s", notice.Data)
	}
	hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	resp, err := hc.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("link: %d", resp.StatusCode)
	}
	form := url.Values{"action": {"selfcheck"}}
	for _, m := range regexp.MustCompile(`name="(rcpt|att)" value="([^"]+)"`).FindAllStringSubmatch(string(page), -1) {
		form.Add(m[1], m[2])
	}
	resp, err = hc.PostForm(link, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("self-check via link: %d", resp.StatusCode)
	}
	got := e.Sink.Wait(t, 2, 10*time.Second)[1]
	if got.To[0] != "customer@example.test" {
		t.Fatalf("delivered to %v", got.To)
	}
}

// waitUI waits for okuri run to log that the approvals UI listens.
func waitUI(t *testing.T, p *proc) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(p.logs.String(), `"ui listening"`) {
		if time.Now().After(deadline) {
			t.Fatal("okuri run did not start the approvals UI (no \"ui listening\" log line)")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestUIBinaryPasswordExpiry: with ui.password_max_age in the config file,
// okuri run sends a sender whose password is older to the change form
// before anything else; the change works, and `okuri user passwd` then
// refuses the same password again (no reuse of the last 5).
func TestUIBinaryPasswordExpiry(t *testing.T) {
	const fresh = "Alice-New-Pass-9"
	e := newEnv(t)
	addr := freePort(t)
	e.Cfg.Tail = fmt.Sprintf(uiTail, addr) + "  password_max_age: 3s\n"
	p := e.start()
	waitUI(t, p)
	time.Sleep(3100 * time.Millisecond) // alice's password, set by newEnv, is now older
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Timeout: 10 * time.Second, Jar: jar, Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	base := "https://" + addr
	page := func(resp *http.Response, err error) (string, string) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", resp.Request.URL.Path, resp.StatusCode)
		}
		return resp.Request.URL.Path, string(b)
	}
	path, body := page(hc.PostForm(base+"/login", url.Values{"address": {"alice@agency.test"}, "password": {"alicePass-123"}, "next": {"/holds"}}))
	if path != "/account/password" || !strings.Contains(body, `id="password-expired"`) {
		t.Fatalf("signed in with an expired password, landed on %s", path)
	}
	csrf := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(body)
	if csrf == nil {
		t.Fatal("change form without a CSRF token")
	}
	_, body = page(hc.PostForm(base+"/account/password", url.Values{"csrf": {csrf[1]},
		"current": {"alicePass-123"}, "password": {fresh}, "confirm": {fresh}}))
	if !strings.Contains(body, `id="password-done"`) {
		t.Fatal("password change not confirmed")
	}
	if path, _ := page(hc.Get(base + "/holds")); path != "/holds" {
		t.Fatalf("after the change /holds led to %s", path)
	}
	// The UI keeps the change in the shared store; the operator's CLI
	// works on the users file and refuses that file's recent passwords.
	out, err := runOkuri(strings.NewReader("alicePass-123\n"), "user", "passwd", "-config", e.cfgPath, "alice@agency.test")
	if err == nil || !strings.Contains(out, "last 5") {
		t.Fatalf("okuri user passwd accepted the file's current password: %v\n%s", err, out)
	}
}
