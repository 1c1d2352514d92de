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
	"net/mail"
	"net/textproto"
	"strings"
	"time"
)

// Notice is one mail to compose.
type Notice struct {
	From string // header From address, e.g. okuri@gateway.example
	// FromName is the From display name (default "okuri").
	FromName string
	To       string
	Date     time.Time
	Subject  [2]string // ja, en
	// Lines are paragraphs, each in Japanese and English; Link is the
	// address the reader should open (may be empty).
	Lines [][2]string
	Link  string
	// Facts are labelled lists shown after the lines: the summary,
	// recipients, attachment names.
	Facts []Fact
	// Buttons are further links with their labels (approve, reject).
	Buttons []Button
	// Hostname for the Message-ID.
	Hostname string
}

// Fact is one labelled list of a notice, e.g. 宛先 / Recipients.
type Fact struct {
	Label  [2]string // ja, en
	Values []string  // the same in both languages (addresses, file names)
}

// Button is a link with a label in both languages.
type Button struct {
	Label [2]string
	URL   string
}

var htmlTmpl = template.Must(template.New("n").Parse(`<!DOCTYPE html>
<html lang="ja"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{index .Subject 0}}</title></head>
<body style="font-family:sans-serif;line-height:1.6;overflow-wrap:anywhere;word-break:break-word;max-width:640px">
{{range .Lines}}<p>{{index . 0}}</p>{{end}}
{{range .Facts}}<p><strong>{{index .Label 0}}</strong><br>{{range $i, $v := .Values}}{{if $i}}<br>{{end}}{{$v}}{{end}}</p>{{end}}
{{range .Buttons}}<p><a href="{{.URL}}" style="display:inline-block;padding:8px 16px;border:1px solid #1f5fbf;border-radius:4px;text-decoration:none">{{index .Label 0}}</a></p>{{end}}
{{if .Link}}<p><a href="{{.Link}}">{{.Link}}</a></p>{{end}}
<hr>
{{range .Lines}}<p lang="en">{{index . 1}}</p>{{end}}
{{range .Facts}}<p lang="en"><strong>{{index .Label 1}}</strong><br>{{range $i, $v := .Values}}{{if $i}}<br>{{end}}{{$v}}{{end}}</p>{{end}}
{{range .Buttons}}<p lang="en"><a href="{{.URL}}">{{index .Label 1}}</a></p>{{end}}
{{if .Link}}<p lang="en"><a href="{{.Link}}">{{.Link}}</a></p>{{end}}
<p style="color:#666;font-size:small">このメールは okuri が自動送信しています。 / This message was sent automatically by okuri.</p>
</body></html>
`))

// Compose returns the message bytes (CRLF line ends).
func Compose(n Notice) ([]byte, error) {
	var text strings.Builder
	for lang := range 2 {
		if lang == 1 {
			text.WriteString("----\n\n")
		}
		writeText(&text, n, lang)
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
	name := n.FromName
	if name == "" {
		name = "okuri"
	}
	h("From", (&mail.Address{Name: name, Address: n.From}).String())
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

// writeText writes the text part of n in one language (0 ja, 1 en).
func writeText(b *strings.Builder, n Notice, lang int) {
	for _, l := range n.Lines {
		b.WriteString(l[lang] + "\n\n")
	}
	for _, f := range n.Facts {
		b.WriteString(f.Label[lang] + ":\n")
		for _, v := range f.Values {
			b.WriteString("  " + v + "\n")
		}
		b.WriteString("\n")
	}
	for _, x := range n.Buttons {
		b.WriteString(x.Label[lang] + ":\n" + x.URL + "\n\n")
	}
	if n.Link != "" {
		b.WriteString(n.Link + "\n\n")
	}
}
