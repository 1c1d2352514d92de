package approvalsui

import (
	"context"
	"io"
	"mime"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// queuedNotices returns the notices queued in the store (null reverse
// path) with their bytes.
func (f *fixture) queuedNotices() map[string][]string {
	f.t.Helper()
	page, err := f.st.List(context.Background(), quarantine.Query{Scope: quarantine.Scope{All: true}, State: quarantine.StateQueued, WithOwn: true})
	if err != nil {
		f.t.Fatal(err)
	}
	out := map[string][]string{}
	for _, m := range page.Messages {
		if m.From != "" || m.Decision.Action != "notice" {
			continue
		}
		rc, err := f.st.Open(context.Background(), m.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		out[m.To[0]] = append(out[m.To[0]], string(b))
	}
	return out
}

var reLink = regexp.MustCompile(`https://ui\.test/link/[A-Za-z0-9_\-.]+`)

func TestHeldNoticeAndSignedLink(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.put(uAlice, "sales", quarantine.StateHeldSelfCheck)
	f.s.Held(context.Background(), m)
	f.s.Held(context.Background(), m) // repeated: queued once
	n := f.queuedNotices()[uAlice]
	if len(n) != 1 {
		t.Fatalf("notices to sender: %d", len(n))
	}
	msg, err := mail.ReadMessage(strings.NewReader(n[0]))
	if err != nil {
		t.Fatal(err)
	}
	subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if msg.Header.Get("Auto-Submitted") != "auto-generated" || !strings.HasPrefix(msg.Header.Get("Subject"), "=?utf-8?b?") ||
		subj != "保留メールのお知らせ / Your message was held" || !strings.HasPrefix(msg.Header.Get("Content-Type"), "multipart/alternative") {
		t.Errorf("headers: %v (subject %q)", msg.Header, subj)
	}
	body, _ := io.ReadAll(msg.Body)
	raw := strings.ReplaceAll(string(body), "=\r\n", "")
	raw = strings.ReplaceAll(raw, "=3D", "=")
	link := reLink.FindString(raw)
	if link == "" {
		t.Fatalf("no link in %s", raw)
	}
	path := strings.TrimPrefix(link, "https://ui.test")
	if w := f.do("GET", path, nil, nil); w.Code != 200 || !strings.Contains(w.Body.String(), `id="selfcheck-form"`) {
		t.Fatalf("link page: %d", w.Code)
	}
	// A tampered link and a link for another message do nothing.
	if w := f.do("GET", path[:len(path)-2]+"xx", nil, nil); w.Code != http.StatusNotFound {
		t.Errorf("tampered link: %d", w.Code)
	}
	form := url.Values{"action": {"selfcheck"}, "rcpt": {"a@customer-one.test", "b@customer-two.test", "carol@agency.test"}, "att": {"0"}}
	if w := f.do("POST", path, nil, url.Values{"action": {"selfcheck"}, "rcpt": {"a@customer-one.test"}}); w.Code != http.StatusBadRequest {
		t.Errorf("partial boxes via link: %d", w.Code)
	}
	if w := f.do("POST", path, nil, form); w.Code != 200 {
		t.Fatalf("self-check via link: %d %s", w.Code, w.Body.String())
	}
	if f.state(m.ID) != quarantine.StateQueued {
		t.Fatal("not queued")
	}
	if w := f.do("GET", path, nil, nil); w.Code != http.StatusNotFound {
		t.Errorf("link works twice: %d", w.Code)
	}
	// The link gives no session: the rest of the UI is still closed.
	if w := f.do("GET", "/holds", nil, nil); w.Code != http.StatusSeeOther {
		t.Errorf("link opened the UI: %d", w.Code)
	}
}

func TestLinkExpiresWithHold(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.put(uAlice, "sales", quarantine.StateHeldSelfCheck)
	path := strings.TrimPrefix(f.s.SelfCheckURL(m), "https://ui.test")
	f.clock.Add(25 * time.Hour)
	if w := f.do("GET", path, nil, nil); w.Code != http.StatusNotFound {
		t.Errorf("expired link: %d", w.Code)
	}
}

func TestApprovalNoticesAndOutcome(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.put(uAlice, "sales", quarantine.StateHeldApproval)
	m.Decision.Policy = []byte(`{"action":"hold_approval","rule":"pii","approvers":["carol@agency.test"],"approver_group":"sales","verdict":"personal_data","rewrite":{},"explanation":{"action":"hold_approval","facts":{"sender":"x","recipients":3,"external":2,"visible_external":2,"visible_individuals":0,"verdict":"personal_data","records":1,"strong":false,"attachments":1},"rules":[]}}`)
	f.s.Held(context.Background(), m)
	if n := f.queuedNotices()[uCarol]; len(n) != 1 || !strings.Contains(n[0], "/holds/"+m.ID) {
		t.Fatalf("approver notice: %v", n)
	}
	c, csrf := f.session(uCarol)
	if w := f.do("POST", "/holds/"+m.ID+"/reject", c, url.Values{"csrf": {csrf}, "comment": {"宛先が違います"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("reject: %d", w.Code)
	}
	n := f.queuedNotices()[uAlice]
	found := false
	for _, x := range n {
		if strings.Contains(x, "rejected") {
			found = true
		}
	}
	if !found {
		t.Errorf("no outcome notice to the sender among %d", len(n))
	}
	// Expiry (sweeper hook).
	e := f.put(uBob, "support", quarantine.StateHeldApproval)
	ex, err := f.st.Transition(context.Background(), e.ID, quarantine.Change{From: quarantine.StateHeldApproval, To: quarantine.StateExpired, Actor: quarantine.System})
	if err != nil {
		t.Fatal(err)
	}
	f.s.OnExpired(context.Background(), ex)
	if len(f.queuedNotices()[uBob]) != 1 {
		t.Error("no expiry notice")
	}
}
