package approvalsui

import (
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/okuri/okuri/quarantine"
)

// TestHistoryReadsInPageLanguage: after a self-check the history says in
// Japanese who did what ("送信者が確認しました", boxes counted, through
// which way), not the stored English evidence; no empty brackets once the
// message left the hold.
func TestHistoryReadsInPageLanguage(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.put(uAlice, "sales", quarantine.StateHeldSelfCheck)
	c, csrf := f.session(uAlice)
	form := url.Values{"csrf": {csrf}, "rcpt": {"a@customer-one.test", "b@customer-two.test", "carol@agency.test"}, "att": {"0"}}
	if w := f.do("POST", "/holds/"+m.ID+"/selfcheck", c, form); w.Code != http.StatusSeeOther {
		t.Fatalf("self-check: %d", w.Code)
	}
	page := html.UnescapeString(f.do("GET", "/holds/"+m.ID, c, nil).Body.String())
	for _, want := range []string{"送信者が確認しました", "宛先3件・添付ファイル1件を確認（画面から）", "alice@agency.test（送信者）"} {
		if !strings.Contains(page, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	for _, bad := range []string{"self-check: recipients checked", "()", "（）", "selfchecked"} {
		if strings.Contains(page, bad) {
			t.Errorf("page shows %q", bad)
		}
	}
	r := httptest.NewRequest("GET", "https://ui.test/holds/"+m.ID, nil)
	r.AddCookie(&http.Cookie{Name: "okuri_lang", Value: "en"})
	if en := html.UnescapeString(f.serve(r, c).Body.String()); !strings.Contains(en, "checked recipients: 3, attachments: 1 (in the UI)") || !strings.Contains(en, "Checked by the sender") {
		t.Error("English history is not retold")
	}
}
