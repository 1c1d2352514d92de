// Package dsn composes delivery status notifications (bounces) as RFC 3464
// defines them: a multipart/report (RFC 6522) with report-type
// delivery-status, holding
//
//  1. a human-readable part, Japanese first and then English, in UTF-8
//     quoted-printable;
//  2. a message/delivery-status part with per-message and per-recipient
//     fields (RFC 3464 section 2.2 and 2.3);
//  3. a text/rfc822-headers part with the original header section
//     (RFC 6522 section 4), never the original body, so a bounce never
//     carries the personal data the gateway was protecting.
//
// The notice is marked "Auto-Submitted: auto-replied" (RFC 3834 section 5)
// and must be sent with an empty reverse path (RFC 5321 section 4.5.5), so
// a bounce is never bounced. Upstream reply text appears only in the
// Diagnostic-Code field, reduced to printable ASCII and shortened.
package dsn

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/quotedprintable"
	"strings"
	"time"
)

// Recipient is the outcome for one recipient (RFC 3464 section 2.3).
type Recipient struct {
	Addr       string // final recipient, an RFC 5321 address
	Status     string // enhanced status code, e.g. "5.1.1"; "5.0.0" when empty
	Code       int    // SMTP reply code of the upstream, 0 if none
	Diagnostic string // upstream reply text; sanitized here
	RemoteMTA  string // upstream host, optional
	LastTry    time.Time
}

// Params describe one notice.
type Params struct {
	ReportingMTA string    // our host name (Reporting-MTA: dns; …)
	Postmaster   string    // From address; default "MAILER-DAEMON@" + ReportingMTA
	To           string    // the original envelope sender
	Date         time.Time // of the notice
	Arrival      time.Time // when okuri received the original
	Reference    string    // okuri's id of the original, shown to the sender
	Subject      string    // original subject (decoded), shown to the sender; optional
	Recipients   []Recipient
	Headers      []byte // original header section, from ReadHeader
}

// MaxHeader bounds the original header section copied into a notice.
const MaxHeader = 64 << 10

// ReadHeader reads the header section of a message (up to the empty line,
// at most max bytes; longer sections are cut at a line boundary).
func ReadHeader(r io.Reader, max int) ([]byte, error) {
	br := bufio.NewReader(io.LimitReader(r, int64(max)))
	var buf bytes.Buffer
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && err == nil {
			if len(bytes.TrimRight(line, "\r\n")) == 0 {
				break
			}
			buf.Write(line)
		}
		if err == io.EOF {
			break // no body, or cut at max: drop the partial line
		} else if err != nil {
			return nil, fmt.Errorf("read header: %w", err)
		}
	}
	return buf.Bytes(), nil
}

// Compose returns the notice: header and body with CRLF line ends.
func Compose(p Params) ([]byte, error) {
	if p.To == "" || len(p.Recipients) == 0 {
		return nil, errors.New("dsn: no sender to notify or no recipients")
	}
	if p.ReportingMTA == "" {
		p.ReportingMTA = "localhost"
	}
	if p.Postmaster == "" {
		p.Postmaster = "MAILER-DAEMON@" + p.ReportingMTA
	}
	if p.Date.IsZero() {
		p.Date = time.Now()
	}
	var rnd [12]byte
	rand.Read(rnd[:])
	boundary := "okuri-dsn-" + hex.EncodeToString(rnd[:])
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	h("From", mime.QEncoding.Encode("utf-8", "Mail Delivery System")+" <"+p.Postmaster+">")
	h("To", "<"+p.To+">")
	h("Subject", mime.BEncoding.Encode("utf-8", "配信不能のお知らせ / Undelivered Mail Returned to Sender"))
	h("Date", p.Date.Format(time.RFC1123Z))
	h("Message-ID", "<"+hex.EncodeToString(rnd[:])+".dsn@"+p.ReportingMTA+">")
	h("Auto-Submitted", "auto-replied")
	h("MIME-Version", "1.0")
	h("Content-Type", `multipart/report; report-type=delivery-status; boundary="`+boundary+`"`)
	b.WriteString("\r\nThis is a MIME-encapsulated delivery status notification.\r\n")

	// 1. Human-readable part.
	fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary)
	qp := quotedprintable.NewWriter(&b)
	io.WriteString(qp, crlf(humanText(p)))
	qp.Close()

	// 2. Machine-readable part.
	fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: message/delivery-status\r\n\r\n", boundary)
	fmt.Fprintf(&b, "Reporting-MTA: dns; %s\r\n", ascii(p.ReportingMTA, 255))
	if p.Reference != "" {
		fmt.Fprintf(&b, "X-Okuri-Id: %s\r\n", ascii(p.Reference, 64))
	}
	if !p.Arrival.IsZero() {
		fmt.Fprintf(&b, "Arrival-Date: %s\r\n", p.Arrival.Format(time.RFC1123Z))
	}
	for _, r := range p.Recipients {
		status := r.Status
		if !validStatus(status) {
			status = "5.0.0"
		}
		fmt.Fprintf(&b, "\r\nFinal-Recipient: rfc822; %s\r\nAction: failed\r\nStatus: %s\r\n", ascii(r.Addr, 512), status)
		if r.RemoteMTA != "" {
			fmt.Fprintf(&b, "Remote-MTA: dns; %s\r\n", ascii(r.RemoteMTA, 255))
		}
		if r.Code != 0 || r.Diagnostic != "" {
			fmt.Fprintf(&b, "Diagnostic-Code: smtp; %s\r\n", ascii(strings.TrimSpace(fmt.Sprintf("%03d %s %s", r.Code, r.Status, r.Diagnostic)), 400))
		}
		if !r.LastTry.IsZero() {
			fmt.Fprintf(&b, "Last-Attempt-Date: %s\r\n", r.LastTry.Format(time.RFC1123Z))
		}
	}

	// 3. Original header section.
	fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: text/rfc822-headers\r\n\r\n", boundary)
	b.Write(crlfBytes(p.Headers))
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return b.Bytes(), nil
}

func humanText(p Params) string {
	var s strings.Builder
	s.WriteString("送信されたメールを次の宛先に配信できませんでした。\n")
	s.WriteString("宛先のアドレスに誤りがないか確認してください。\n\n")
	if p.Subject != "" {
		fmt.Fprintf(&s, "件名: %s\n", oneLine(p.Subject))
	}
	if p.Reference != "" {
		fmt.Fprintf(&s, "受付番号: %s\n", p.Reference)
	}
	for _, r := range p.Recipients {
		fmt.Fprintf(&s, "宛先: %s (%s)\n", r.Addr, statusText(r.Status))
	}
	s.WriteString("\n-- English --\n\n")
	s.WriteString("Your message could not be delivered to the following recipients.\n")
	s.WriteString("Please check the addresses.\n\n")
	if p.Subject != "" {
		fmt.Fprintf(&s, "Subject: %s\n", oneLine(p.Subject))
	}
	if p.Reference != "" {
		fmt.Fprintf(&s, "Reference: %s\n", p.Reference)
	}
	for _, r := range p.Recipients {
		fmt.Fprintf(&s, "Recipient: %s (status %s)\n", r.Addr, r.Status)
	}
	return s.String()
}

// statusText gives the Japanese meaning of common status codes (RFC 3463).
func statusText(st string) string {
	switch {
	case st == "4.4.7" || st == "5.4.7":
		return "配信期限切れ"
	case strings.HasSuffix(st, ".1.1"):
		return "宛先のアドレスが存在しません"
	case strings.HasSuffix(st, ".2.2"):
		return "宛先のメールボックスが一杯です"
	case strings.HasSuffix(st, ".7.1"):
		return "配信が拒否されました"
	}
	return "配信エラー " + st
}

func validStatus(s string) bool {
	p := strings.Split(s, ".")
	if len(p) != 3 || (p[0] != "2" && p[0] != "4" && p[0] != "5") {
		return false
	}
	for _, x := range p[1:] {
		if x == "" || len(x) > 3 || strings.Trim(x, "0123456789") != "" {
			return false
		}
	}
	return true
}

// ascii keeps printable US-ASCII (RFC 3464 fields are ASCII), maps the
// rest to '?', and cuts at n bytes.
func ascii(s string, n int) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= n {
			break
		}
		if r < 0x20 || r > 0x7e {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

func crlf(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\n", "\r\n")
}

func crlfBytes(b []byte) []byte {
	return []byte(crlf(string(b)))
}
