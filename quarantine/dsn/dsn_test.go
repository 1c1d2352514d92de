package dsn

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-message"
	"github.com/emersion/go-message/textproto"
)

const original = "From: Taro <taro@office.example>\r\nTo: a@client.example\r\nSubject: =?utf-8?b?6aGn5a6i44Oq44K544OI?=\r\n\r\n090-1234-5678 secret body\r\n"

func TestCompose(t *testing.T) {
	hdr, err := ReadHeader(strings.NewReader(original), MaxHeader)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(hdr), "secret") || !strings.HasSuffix(string(hdr), "\r\n") {
		t.Fatalf("header section %q", hdr)
	}
	date := time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC)
	b, err := Compose(Params{
		ReportingMTA: "gw.office.example", To: "taro@office.example", Date: date, Arrival: date.Add(-time.Hour),
		Reference: "01ARZ3NDEKTSV4RRFFQ69G5FAV", Subject: "顧客リスト",
		Recipients: []Recipient{
			{Addr: "a@client.example", Status: "5.1.1", Code: 550, Diagnostic: "no such user\r\nX-Injected: 1 ＠", LastTry: date},
			{Addr: "b@client.example", Status: "bogus"},
		},
		Headers: hdr,
	})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b, []byte("secret")) {
		t.Fatalf("notice contains the original body")
	}
	e, err := message.Read(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if e.Header.Get("Auto-Submitted") != "auto-replied" || e.Header.Get("To") != "<taro@office.example>" {
		t.Fatalf("header: %v", e.Header)
	}
	mt, params, _ := e.Header.ContentType()
	if mt != "multipart/report" || params["report-type"] != "delivery-status" {
		t.Fatalf("content type %s %v", mt, params)
	}
	subj, _ := e.Header.Text("Subject")
	if !strings.Contains(subj, "配信不能") || !strings.Contains(subj, "Undelivered") {
		t.Fatalf("subject %q", subj)
	}
	mr := e.MultipartReader()
	var types []string
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		ct, _, _ := p.Header.ContentType()
		types = append(types, ct)
		body, _ := io.ReadAll(p.Body) // go-message decodes quoted-printable
		parts = append(parts, string(body))
	}
	if strings.Join(types, ",") != "text/plain,message/delivery-status,text/rfc822-headers" {
		t.Fatalf("parts %v", types)
	}
	if !strings.Contains(parts[0], "配信できませんでした") || !strings.Contains(parts[0], "could not be delivered") || !strings.Contains(parts[0], "宛先のアドレスが存在しません") {
		t.Fatalf("human part %q", parts[0])
	}
	// The delivery-status part is header-like groups (RFC 3464 section 2.1).
	groups := strings.Split(parts[1], "\r\n\r\n")
	if len(groups) != 3 {
		t.Fatalf("status groups: %q", parts[1])
	}
	for i, g := range groups {
		h, err := textproto.ReadHeader(bufioReader(g + "\r\n\r\n"))
		if err != nil {
			t.Fatalf("group %d: %v", i, err)
		}
		switch i {
		case 0:
			if h.Get("Reporting-MTA") != "dns; gw.office.example" || h.Get("Arrival-Date") == "" {
				t.Fatalf("per-message fields %q", g)
			}
		case 1:
			if h.Get("Final-Recipient") != "rfc822; a@client.example" || h.Get("Action") != "failed" || h.Get("Status") != "5.1.1" ||
				h.Get("Diagnostic-Code") != "smtp; 550 5.1.1 no such user??X-Injected: 1 ?" {
				t.Fatalf("recipient fields %q", g)
			}
		case 2:
			if h.Get("Status") != "5.0.0" {
				t.Fatalf("invalid status not replaced: %q", g)
			}
		}
	}
	if !strings.Contains(parts[2], "Subject: =?utf-8?b?") {
		t.Fatalf("headers part %q", parts[2])
	}
}

func TestComposeNeedsSender(t *testing.T) {
	if _, err := Compose(Params{Recipients: []Recipient{{Addr: "a@b"}}}); err == nil {
		t.Fatal("composed a notice to the null sender")
	}
}

func bufioReader(s string) *bufio.Reader { return bufio.NewReader(strings.NewReader(s)) }
