package notice

import (
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"testing"
	"time"
)

// TestCompose: RFC 5322 headers with an RFC 2047 subject, Auto-Submitted,
// multipart/alternative with a text and an HTML part, both carrying the
// Japanese and English lines and the link; HTML escapes values.
func TestCompose(t *testing.T) {
	b, err := Compose(Notice{
		From: "okuri@gw.test", To: "alice@agency.test", Date: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC),
		Subject: [2]string{"保留メールのお知らせ", "Your message was held"},
		Lines:   [][2]string{{"件名：<顧客リスト>", "Subject: <customer list>"}},
		Link:    "https://ui.test/link/abc.def", Hostname: "gw.test",
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "\n") && strings.Count(string(b), "\r\n") != strings.Count(string(b), "\n") {
		t.Error("bare LF in the message")
	}
	m, err := mail.ReadMessage(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil || subj != "保留メールのお知らせ / Your message was held" {
		t.Errorf("subject %q (%v)", subj, err)
	}
	if m.Header.Get("Auto-Submitted") != "auto-generated" || m.Header.Get("Message-Id") == "" || m.Header.Get("Date") == "" {
		t.Errorf("headers %v", m.Header)
	}
	mt, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if mt != "multipart/alternative" {
		t.Fatalf("type %s", mt)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var types []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p) // multipart decodes quoted-printable
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		types = append(types, ct)
		s := string(body)
		if !strings.Contains(s, "https://ui.test/link/abc.def") || !strings.Contains(s, "Your message") && !strings.Contains(s, "customer list") {
			t.Errorf("%s part lacks the link or English:\n%s", ct, s)
		}
		if ct == "text/html" && strings.Contains(s, "<顧客リスト>") {
			t.Error("HTML part does not escape values")
		}
		if ct == "text/plain" && !strings.Contains(s, "件名：<顧客リスト>") {
			t.Errorf("text part:\n%s", s)
		}
		t.Logf("%s:\n%s", ct, s)
	}
	if strings.Join(types, ",") != "text/plain,text/html" {
		t.Errorf("parts %v", types)
	}
}

// parts returns the decoded text and HTML parts of a composed notice.
func parts(t *testing.T, b []byte) (*mail.Message, map[string]string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	out := map[string]string{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return m, out
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(p)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		out[ct] = string(body)
	}
}

// TestComposeApprovalRequest: the approval request comes from the
// configured display name (Japanese, RFC 2047), fits a phone (viewport
// meta), and carries the summary, recipients, attachment names and the
// approve/reject links in both parts.
func TestComposeApprovalRequest(t *testing.T) {
	b, err := Compose(Notice{
		From: "okuri@gw.test", FromName: "送信確認（さくら保険代理店）", To: "carol@agency.test",
		Subject: [2]string{"承認待ちのメールがあります", "A message awaits your approval"},
		Lines:   [][2]string{{"顧客20名分（氏名・電話番号）→ example.com（初めての送信先）", "20 customers (name, phone) → example.com (first-time recipient)"}},
		Facts: []Fact{{Label: [2]string{"宛先", "Recipients"}, Values: []string{"tanaka@example.com"}},
			{Label: [2]string{"添付ファイル", "Attachments"}, Values: []string{"顧客一覧_2026-11.xlsx (48.2 KB)"}}},
		Buttons: []Button{{Label: [2]string{"承認する", "Approve"}, URL: "https://ui.test/decide/a.b"},
			{Label: [2]string{"却下する", "Reject"}, URL: "https://ui.test/decide/c.d"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	m, ps := parts(t, b)
	from, err := mail.ParseAddress(m.Header.Get("From"))
	if err != nil || from.Name != "送信確認（さくら保険代理店）" || from.Address != "okuri@gw.test" {
		t.Errorf("From %q: %+v %v", m.Header.Get("From"), from, err)
	}
	if !strings.Contains(ps["text/html"], `<meta name="viewport" content="width=device-width, initial-scale=1">`) {
		t.Error("HTML notice without the viewport meta: phones zoom out to 980 px")
	}
	for ct, s := range ps {
		for _, want := range []string{"顧客20名分", "tanaka@example.com", "顧客一覧_2026-11.xlsx (48.2 KB)", "承認する", "https://ui.test/decide/a.b",
			"却下する", "https://ui.test/decide/c.d", "Recipients", "Reject"} {
			if !strings.Contains(s, want) {
				t.Errorf("%s part lacks %q", ct, want)
			}
		}
	}
}
