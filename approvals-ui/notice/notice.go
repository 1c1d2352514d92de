// Package notice composes the mails okuri itself sends about held
// messages: to the sender when a message is held, to approvers when one
// waits for them, to the sender after a decision or expiry, and reminders
// before a deadline. Each is multipart/alternative (text and HTML),
// Japanese first and English second in the same mail, with an RFC 2047
// encoded subject and Auto-Submitted: auto-generated (RFC 3834) so that
// auto-responders stay quiet. The HTML part is built with html/template:
// every value is escaped.
//
// A notice never contains detected personal data: reasons are rule-level
// words, findings are kinds and counts, addresses are the recipients'
// own envelope addresses already known to the sender.
package notice

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html/template"
	"mime"
	"mime/quotedprintable"
	"net/textproto"
	"strings"
	"time"
)

// Notice is one mail to compose.
type Notice struct {
	From    string // header From address, e.g. okuri@gateway.example
	To      string
	Date    time.Time
	Subject [2]string // ja, en
	// Lines are paragraphs, each in Japanese and English; Link is the
	// address the reader should open (may be empty).
	Lines [][2]string
	Link  string
	// Hostname for the Message-ID.
	Hostname string
}

var htmlTmpl = template.Must(template.New("n").Parse(`<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><title>{{index .Subject 0}}</title></head>
<body style="font-family:sans-serif;line-height:1.6">
{{range .Lines}}<p>{{index . 0}}</p>{{end}}
{{if .Link}}<p><a href="{{.Link}}">{{.Link}}</a></p>{{end}}
<hr>
{{range .Lines}}<p lang="en">{{index . 1}}</p>{{end}}
{{if .Link}}<p lang="en"><a href="{{.Link}}">{{.Link}}</a></p>{{end}}
<p style="color:#666;font-size:small">このメールは okuri が自動送信しています。 / This message was sent automatically by okuri.</p>
</body></html>
`))

// Compose returns the message bytes (CRLF line ends).
func Compose(n Notice) ([]byte, error) {
	var text strings.Builder
	for _, l := range n.Lines {
		text.WriteString(l[0] + "\n\n")
	}
	if n.Link != "" {
		text.WriteString(n.Link + "\n\n")
	}
	text.WriteString("----\n\n")
	for _, l := range n.Lines {
		text.WriteString(l[1] + "\n\n")
	}
	if n.Link != "" {
		text.WriteString(n.Link + "\n\n")
	}
	text.WriteString("-- \nこのメールは okuri が自動送信しています。 / This message was sent automatically by okuri.\n")
	var hb bytes.Buffer
	if err := htmlTmpl.Execute(&hb, n); err != nil {
		return nil, fmt.Errorf("notice: %w", err)
	}
	var rb [12]byte
	rand.Read(rb[:])
	boundary := "okuri-" + hex.EncodeToString(rb[:])
	host := n.Hostname
	if host == "" {
		host = "okuri.invalid"
	}
	if n.Date.IsZero() {
		n.Date = time.Now()
	}
	var b bytes.Buffer
	h := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", textproto.CanonicalMIMEHeaderKey(k), v) }
	subject := n.Subject[0] + " / " + n.Subject[1]
	h("From", mime.QEncoding.Encode("utf-8", "okuri")+" <"+n.From+">")
	h("To", "<"+n.To+">")
	h("Subject", mime.BEncoding.Encode("utf-8", subject))
	h("Date", n.Date.Format(time.RFC1123Z))
	fmt.Fprintf(&b, "Message-ID: <%s@%s>\r\n", hex.EncodeToString(rb[:]), host)
	h("MIME-Version", "1.0")
	h("Auto-Submitted", "auto-generated")
	h("X-Auto-Response-Suppress", "All")
	h("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
	b.WriteString("\r\n")
	for _, part := range []struct{ ct, body string }{
		{"text/plain; charset=utf-8", text.String()},
		{"text/html; charset=utf-8", hb.String()},
	} {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n", boundary, part.ct)
		qp := quotedprintable.NewWriter(&b)
		qp.Write([]byte(strings.ReplaceAll(part.body, "\n", "\r\n")))
		qp.Close()
		b.WriteString("\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return b.Bytes(), nil
}
