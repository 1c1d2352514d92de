package test

import (
	"crypto/tls"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// thunderbirdMail is a multipart/mixed message the way Thunderbird writes
// it: a text part, then the customer list, then parts (raw, already
// delimited by the caller) after it.
func thunderbirdMail(extra ...string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(customerList()))
	var b strings.Builder
	b.WriteString("From: alice@agency.test\r\nTo: customer@example.test\r\nSubject: =?UTF-8?B?" +
		base64.StdEncoding.EncodeToString([]byte("資料送付")) + "?=\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed;\r\n boundary=\"------------a1b2c3d4e5f6\"\r\n\r\n" +
		"This is a multi-part message in MIME format.\r\n" +
		"--------------a1b2c3d4e5f6\r\nContent-Type: text/plain; charset=UTF-8; format=flowed\r\n" +
		"Content-Transfer-Encoding: 8bit\r\n\r\n資料をお送りします。\r\n" +
		"--------------a1b2c3d4e5f6\r\nContent-Type: text/csv; charset=UTF-8; name=\"list.csv\"\r\n" +
		"Content-Disposition: attachment; filename=\"list.csv\"\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc + "\r\n")
	for _, p := range extra {
		b.WriteString("--------------a1b2c3d4e5f6\r\n" + p)
	}
	b.WriteString("--------------a1b2c3d4e5f6--\r\n")
	return b.String()
}

// jpegPart is one small photo attachment as Thunderbird writes it (a
// site visit's photos attached one by one).
func jpegPart(name string) string {
	return "Content-Type: image/jpeg; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name +
		"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64.StdEncoding.EncodeToString([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\xff\xd9")) + "\r\n"
}

// TestUIBinarySelfCheckListsEveryScannedPart (issue 14): the self-check
// page lists, and the self-check requires, every attachment the scanner
// saw — also after a part whose header is broken, and beyond the 200
// parts the UI's own walk of the stored message used to stop at.
func TestUIBinarySelfCheckListsEveryScannedPart(t *testing.T) {
	// A header line without a colon, as a broken signature tool or a
	// mangling relay leaves it, in the middle of the message.
	broken := "Content-Type: application/octet-stream; name=\"sig.dat\"\r\nX-Mangled header line without colon\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\nAAAA\r\n"
	many := make([]string, 250)
	for i := range many {
		many[i] = jpegPart(fmt.Sprintf("現場写真_%03d.jpg", i+1))
	}
	cases := []struct {
		name  string
		msg   string
		want  int
		names []string
	}{
		{"malformed part in the middle", thunderbirdMail(broken, jpegPart("事故現場1.jpg"), jpegPart("事故現場2.jpg")), 4,
			[]string{"list.csv", "[3]", "事故現場1.jpg", "事故現場2.jpg"}},
		{"250 attachments", thunderbirdMail(many...), 251, []string{"list.csv", "現場写真_001.jpg", "現場写真_250.jpg"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			addr := freePort(t)
			e.Cfg.Tail = fmt.Sprintf(uiTail, addr)
			p := e.start()
			waitUI(t, p)
			c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
			defer c.Close()
			if err := sendExpect(c, "alice@agency.test", []string{"customer@example.test"}, tc.msg, "held as "); err != nil {
				t.Fatalf("send: %v", err)
			}
			notice := e.Sink.Wait(t, 1, 10*time.Second)[0]
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
			atts := regexp.MustCompile(`name="att" value="([^"]+)"`).FindAllStringSubmatch(string(page), -1)
			if len(atts) != tc.want {
				t.Fatalf("self-check lists %d attachments, want %d", len(atts), tc.want)
			}
			for _, n := range tc.names {
				if !strings.Contains(string(page), n) {
					t.Errorf("self-check page does not name %s", n)
				}
			}
			form := url.Values{"action": {"selfcheck"}, "rcpt": {"customer@example.test"}}
			for _, a := range atts[:len(atts)-1] {
				form.Add("att", a[1])
			}
			if code := post(t, hc, link, form); code != http.StatusBadRequest {
				t.Fatalf("self-check without the last attachment: %d, want 400", code)
			}
			form.Add("att", atts[len(atts)-1][1])
			if code := post(t, hc, link, form); code != http.StatusOK {
				t.Fatalf("self-check with every box: %d", code)
			}
			if got := e.Sink.Wait(t, 2, 10*time.Second)[1]; got.To[0] != "customer@example.test" {
				t.Fatalf("delivered to %v", got.To)
			}
		})
	}
}

func post(t *testing.T, hc *http.Client, link string, form url.Values) int {
	t.Helper()
	resp, err := hc.PostForm(link, form)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}
