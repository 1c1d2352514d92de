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
