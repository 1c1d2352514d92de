package approvalsui

import (
	"html"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// A message as a mail client writes it, with U+202E (RIGHT-TO-LEFT
// OVERRIDE) in the display name, the subject and the attachment's file
// name (RFC 2231, as Outlook and Thunderbird encode non-ASCII names).
const bidiBody = "From: =?UTF-8?B?5bGx55SwIOKArmtuYWI=?= <alice@agency.test>\r\n" +
	"To: a@customer-one.test\r\n" +
	"Subject: =?UTF-8?B?6KuL5rGC5pu4IOKArmZkcC5leGU=?=\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
	"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nご確認ください。\r\n" +
	"--b1\r\nContent-Type: application/octet-stream\r\n" +
	"Content-Disposition: attachment; filename*=UTF-8''%E9%A1%A7%E5%AE%A2%E2%80%AExslx.exe\r\n" +
	"Content-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA\r\n--b1--\r\n"

// TestBidiNeutralised: the held message's page shows no raw bidi
// override, and shows where one was.
func TestBidiNeutralised(t *testing.T) {
	f := newFixture(t, "embedded")
	base := f.startHTTPS(t)
	m := &quarantine.Message{
		From: uAlice, AuthUser: uAlice, To: []string{"a@customer-one.test"}, Group: "sales",
		Headers:  quarantine.Headers{From: "山田 \u202eknab <alice@agency.test>", To: "a@customer-one.test", Subject: "請求書 \u202efdp.exe"},
		Decision: quarantine.Decision{Action: "hold", Rule: "pii-external", Verdict: "personal_data"},
		Parts: []quarantine.Part{{Path: "1", Type: "text/plain", Size: 26},
			{Path: "2", Name: "顧客\u202exslx.exe", Type: "application/octet-stream", Size: 12, Attachment: true}},
		Preview:   "ご確認ください。",
		State:     quarantine.StateHeldSelfCheck,
		HoldUntil: f.clock.Now().Add(time.Hour),
	}
	if err := f.st.Put(t.Context(), m, strings.NewReader(bidiBody)); err != nil {
		t.Fatal(err)
	}
	b := f.browser(t, base)
	b.cookie, _ = f.session(uAlice)
	for _, path := range []string{"/holds/" + m.ID, "/holds?tab=mine", "/api/v1/holds/" + m.ID, "/api/v1/holds?tab=mine"} {
		code, _, body := b.do("GET", path, nil)
		if code != 200 {
			t.Fatalf("%s: %d", path, code)
		}
		if strings.ContainsRune(html.UnescapeString(body), '\u202e') || strings.Contains(body, `\u202e`) {
			t.Errorf("%s shows a raw U+202E", path)
		}
	}
	_, _, page := b.do("GET", "/holds/"+m.ID, nil)
	page = html.UnescapeString(page)
	for _, want := range []string{"請求書 [U+202E]fdp.exe", "山田 [U+202E]knab"} {
		if !strings.Contains(page, want) {
			t.Errorf("page does not show %q", want)
		}
	}
	if !strings.Contains(page, "顧客[U+202E]xslx.exe") {
		t.Error("attachment name not shown neutralised")
	}
}

// TestStaticServesFilesOnly: /static/ is not a directory listing.
func TestStaticServesFilesOnly(t *testing.T) {
	f := newFixture(t, "embedded")
	b := f.browser(t, f.startHTTPS(t))
	for _, path := range []string{"/static/", "/static/.", "/static//"} {
		if code, _, body := b.do("GET", path, nil); code == 200 || strings.Contains(body, "app.css") {
			t.Errorf("GET %s: %d (listing: %v)", path, code, strings.Contains(body, "app.css"))
		}
	}
	if code, _, _ := b.do("GET", "/static/app.css", nil); code != 200 {
		t.Errorf("GET /static/app.css: %d", code)
	}
}

// TestAdminBannerKnownMessagesOnly: a crafted link cannot put its own
// words in the admin page's success banner.
func TestAdminBannerKnownMessagesOnly(t *testing.T) {
	f := newFixture(t, "embedded")
	b := f.browser(t, f.startHTTPS(t))
	b.cookie, _ = f.session(uAdam)
	text := "パスワードが漏洩しました。https://evil.example/reset で再設定してください"
	code, _, body := b.do("GET", "/admin/users?m="+url.QueryEscape(text), nil)
	if code != 200 {
		t.Fatalf("admin users: %d", code)
	}
	if strings.Contains(body, "漏洩") {
		t.Error("the banner shows text from the link")
	}
	if _, _, body := b.do("GET", "/admin/users?m=done", nil); !strings.Contains(body, tr("ja", "done")) {
		t.Error("the known message is not shown")
	}
}
