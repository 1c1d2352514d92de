package corpus

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"mime"
	"mime/quotedprintable"
	"net/url"
	"strings"

	"golang.org/x/text/encoding/japanese"
)

// bodyEnc is one way mail clients send Japanese text.
type bodyEnc struct {
	charset string // MIME charset label
	cte     string // Content-Transfer-Encoding
	jis78   bool   // ISO-2022-JP with ESC $ @ and ESC ( J, as older clients write it
}

// bodyEncs are the charset/transfer-encoding pairs of Japanese mail:
// ISO-2022-JP 7bit (Outlook's default, Thunderbird, Becky!, iPhone),
// Shift_JIS from old webmail and CRMs, UTF-8 (Gmail, new Outlook), EUC-JP
// (Unix tools).
var bodyEncs = []bodyEnc{
	{charset: "ISO-2022-JP", cte: "7bit"},
	{charset: "iso-2022-jp", cte: "7bit", jis78: true},
	{charset: "Shift_JIS", cte: "quoted-printable"},
	{charset: "shift_jis", cte: "base64"},
	{charset: "UTF-8", cte: "base64"},
	{charset: "utf-8", cte: "8bit"},
	{charset: "EUC-JP", cte: "8bit"},
	{charset: "UTF-8", cte: "quoted-printable"},
	{charset: "iso-2022-jp", cte: "base64"},
	{charset: "euc-jp", cte: "base64"},
}

func (e bodyEnc) String() string {
	s := strings.ToLower(e.charset) + "/" + e.cte
	if e.jis78 {
		s += "-jis78"
	}
	return s
}

// encode converts UTF-8 text (LF line ends) to the charset with CRLF.
func (e bodyEnc) encode(s string) ([]byte, error) {
	s = strings.ReplaceAll(s, "\n", "\r\n")
	switch strings.ToLower(e.charset) {
	case "iso-2022-jp":
		b, err := japanese.ISO2022JP.NewEncoder().Bytes([]byte(s))
		if err != nil {
			return nil, fmt.Errorf("iso-2022-jp: %w", err)
		}
		if e.jis78 {
			b = bytes.ReplaceAll(b, []byte("\x1b$B"), []byte("\x1b$@"))
			b = bytes.ReplaceAll(b, []byte("\x1b(B"), []byte("\x1b(J"))
		}
		return b, nil
	case "shift_jis":
		return japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	case "euc-jp":
		return japanese.EUCJP.NewEncoder().Bytes([]byte(s))
	}
	return []byte(s), nil
}

// transfer applies the Content-Transfer-Encoding.
func transfer(cte string, b []byte) []byte {
	switch cte {
	case "base64":
		return base64Lines(b)
	case "quoted-printable":
		var out bytes.Buffer
		w := quotedprintable.NewWriter(&out)
		w.Write(b)
		w.Close()
		return out.Bytes()
	}
	if !bytes.HasSuffix(b, []byte("\r\n")) {
		b = append(b, "\r\n"...)
	}
	return b
}

func base64Lines(b []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(b)
	var out bytes.Buffer
	for len(enc) > 76 {
		out.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	out.WriteString(enc + "\r\n")
	return out.Bytes()
}

// encodedWord writes a header value in RFC 2047 B encoding of the
// charset, several words folded when long (ISO-2022-JP words each start
// and end in ASCII, RFC 1468).
func encodedWord(s string, e bodyEnc) string {
	if isASCII(s) {
		return s
	}
	cs := "UTF-8"
	if strings.EqualFold(e.charset, "iso-2022-jp") || strings.EqualFold(e.charset, "shift_jis") {
		cs = "ISO-2022-JP"
	}
	var words []string
	rs := []rune(s)
	for i := 0; i < len(rs); i += 12 {
		chunk := string(rs[i:min(i+12, len(rs))])
		if cs == "UTF-8" {
			words = append(words, mime.BEncoding.Encode("UTF-8", chunk))
			continue
		}
		b, err := japanese.ISO2022JP.NewEncoder().Bytes([]byte(chunk))
		if err != nil {
			words = append(words, mime.BEncoding.Encode("UTF-8", chunk))
			continue
		}
		words = append(words, "=?ISO-2022-JP?B?"+base64.StdEncoding.EncodeToString(b)+"?=")
	}
	return strings.Join(words, "\r\n ")
}

func isASCII(s string) bool {
	for i := range len(s) {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// attachment is one attached file.
type attachment struct {
	name, ctype string
	data        []byte
}

// filenameParams writes the file name as clients do: RFC 2231 (Thunderbird,
// Apple Mail) or an RFC 2047 word in quotes (Outlook, Gmail).
func filenameParams(r *rand.Rand, name string, e bodyEnc) (ctParam, dispParam string) {
	if isASCII(name) {
		return `; name="` + name + `"`, `; filename="` + name + `"`
	}
	if r.IntN(2) == 0 {
		enc := "UTF-8''" + strings.ReplaceAll(url.PathEscape(name), "+", "%2B")
		return `; name*=` + enc, `; filename*=` + enc
	}
	w := strings.ReplaceAll(encodedWord(name, e), "\r\n ", "")
	return `; name="` + w + `"`, `; filename="` + w + `"`
}

// message is what a sender composes: subject, a text body, maybe an
// HTML alternative, attachments.
type message struct {
	subject string
	text    string
	html    string // empty: text only
	atts    []attachment
	enc     bodyEnc
}

// From and To of every corpus message: a member of staff of the agency
// writing to someone outside it (the test harness's user and domain).
const (
	MailFrom = "alice@agency.test"
	MailTo   = "tanto@partner.example.co.jp"
)

// bytes writes the message as its sender's client would.
func (m message) bytes(r *rand.Rand, id int) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: Thu, 19 Nov 2026 10:%02d:00 +0900\r\n", encodedWord("営業部 有馬", m.enc)+" <"+MailFrom+">", MailTo, encodedWord(m.subject, m.enc), id%60)
	fmt.Fprintf(&b, "Message-ID: <corpus.%d@agency.test>\r\nMIME-Version: 1.0\r\n", id)
	body, err := m.bodyPart(r)
	if err != nil {
		return nil, err
	}
	if len(m.atts) == 0 {
		b.Write(body)
		return b.Bytes(), nil
	}
	boundary := fmt.Sprintf("----=_NextPart_000_%04X_01DB3A2B.%08X", id, r.Uint32())
	fmt.Fprintf(&b, "Content-Type: multipart/mixed;\r\n\tboundary=\"%s\"\r\n\r\nThis is a multi-part message in MIME format.\r\n\r\n", boundary)
	fmt.Fprintf(&b, "--%s\r\n", boundary)
	b.Write(body)
	for _, a := range m.atts {
		ctp, dp := filenameParams(r, a.name, m.enc)
		fmt.Fprintf(&b, "\r\n--%s\r\nContent-Type: %s%s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment%s\r\n\r\n", boundary, a.ctype, ctp, dp)
		b.Write(base64Lines(a.data))
	}
	fmt.Fprintf(&b, "\r\n--%s--\r\n", boundary)
	return b.Bytes(), nil
}

// bodyPart is the header and body of the text (and HTML) part.
func (m message) bodyPart(r *rand.Rand) ([]byte, error) {
	text, err := m.enc.encode(m.text)
	if err != nil {
		return nil, err
	}
	textPart := fmt.Sprintf("Content-Type: text/plain; charset=\"%s\"\r\nContent-Transfer-Encoding: %s\r\n\r\n", m.enc.charset, m.enc.cte) + string(transfer(m.enc.cte, text))
	if m.html == "" {
		return []byte(textPart), nil
	}
	// the meta tag names the charset the part is really in, as Outlook writes it
	h, err := m.enc.encode(strings.Replace(m.html, "charset=utf-8", "charset="+strings.ToLower(m.enc.charset), 1))
	if err != nil {
		return nil, err
	}
	cte := m.enc.cte
	if cte == "7bit" || cte == "8bit" {
		cte = "quoted-printable" // what Outlook does with HTML
		if strings.EqualFold(m.enc.charset, "iso-2022-jp") {
			cte = "7bit"
		}
	}
	htmlPart := fmt.Sprintf("Content-Type: text/html; charset=\"%s\"\r\nContent-Transfer-Encoding: %s\r\n\r\n", m.enc.charset, cte) + string(transfer(cte, h))
	boundary := fmt.Sprintf("----=_NextPart_001_%08X", r.Uint32())
	return []byte(fmt.Sprintf("Content-Type: multipart/alternative;\r\n\tboundary=\"%s\"\r\n\r\n--%s\r\n%s\r\n--%s\r\n%s\r\n--%s--\r\n",
		boundary, boundary, textPart, boundary, htmlPart, boundary)), nil
}
