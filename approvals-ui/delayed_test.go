package approvalsui

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/okuri/okuri/quarantine"
)

// TestDelayedPage: the sender's 一時保留 page lists their own delayed
// sends (not a colleague's) with send-now and cancel, and each button
// comes back to the page.
func TestDelayedPage(t *testing.T) {
	f := newFixture(t, "embedded")
	a1 := f.put(uAlice, "sales", quarantine.StateHeldDelay)
	a2 := f.put(uAlice, "sales", quarantine.StateHeldDelay)
	b := f.put(uBob, "support", quarantine.StateHeldDelay)
	c, csrf := f.session(uAlice)
	w := f.do("GET", "/delayed", c, nil)
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, a1.ID) || !strings.Contains(body, a2.ID) || strings.Contains(body, b.ID) {
		t.Fatalf("delayed page: %d, own rows %v %v, colleague's row %v", w.Code, strings.Contains(body, a1.ID), strings.Contains(body, a2.ID), strings.Contains(body, b.ID))
	}
	for _, want := range []string{"今すぐ送信", "送信を取り消す", "a@customer-one.test"} {
		if !strings.Contains(body, want) {
			t.Errorf("delayed page lacks %q", want)
		}
	}
	w = f.do("POST", "/holds/"+a1.ID+"/sendnow", c, url.Values{"csrf": {csrf}, "next": {"/delayed"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/delayed" || f.state(a1.ID) != quarantine.StateQueued {
		t.Errorf("send now: %d %q %s", w.Code, w.Header().Get("Location"), f.state(a1.ID))
	}
	w = f.do("POST", "/holds/"+a2.ID+"/cancel", c, url.Values{"csrf": {csrf}, "next": {"//evil.test/"}})
	if w.Header().Get("Location") != "/" || f.state(a2.ID) != quarantine.StateCancelled {
		t.Errorf("cancel: %q %s", w.Header().Get("Location"), f.state(a2.ID))
	}
	if body := f.do("GET", "/delayed", c, nil).Body.String(); !strings.Contains(body, "一時保留（送信待ち）のメールはありません") {
		t.Error("empty delayed page does not say so")
	}
}

// TestDelayDigest: with delay_notice digest, three delayed sends make one
// mail listing all three; nothing new, no mail; a fourth makes a second.
func TestDelayDigest(t *testing.T) {
	f := newFixture(t, "embedded")
	f.cfg.UI.DelayNotice = "digest"
	ctx := context.Background()
	var ids []string
	for range 3 {
		m := f.put(uAlice, "sales", quarantine.StateHeldDelay)
		f.s.Held(ctx, m)
		ids = append(ids, m.ID)
	}
	if n := f.queuedNotices()[uAlice]; len(n) != 0 {
		t.Fatalf("digest mode sent %d notices per message", len(n))
	}
	f.s.digestOnce(ctx)
	n := f.queuedNotices()[uAlice]
	if len(n) != 1 {
		t.Fatalf("digests: %d", len(n))
	}
	_, text, _ := noticeParts(t, n[0])
	if strings.Count(text, "a@customer-one.test, b@customer-two.test") != 6 || !strings.Contains(text, "https://ui.test/delayed") {
		t.Errorf("digest does not list the 3 messages (both languages) with the page link:\n%s", text)
	}
	f.s.digestOnce(ctx)
	if n := f.queuedNotices()[uAlice]; len(n) != 1 {
		t.Errorf("digest repeated with nothing new: %d", len(n))
	}
	f.put(uAlice, "sales", quarantine.StateHeldDelay)
	f.s.digestOnce(ctx)
	if n := f.queuedNotices()[uAlice]; len(n) != 2 {
		t.Errorf("new delayed send: %d digests, want 2", len(n))
	}
}
