package test

import (
	"crypto/tls"
	"fmt"
	"io"
	"net/http"
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
	deadline := time.Now().Add(3 * time.Second)
	for !strings.Contains(p.logs.String(), `"ui listening"`) {
		if time.Now().After(deadline) {
			t.Fatal("okuri run did not start the approvals UI (no \"ui listening\" log line)")
		}
		time.Sleep(50 * time.Millisecond)
	}
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
