package loadgen

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
)

// Kind names a message shape the generator sends.
type Kind string

// The message kinds. Sizes are of the whole message as sent in DATA,
// headers included, before dot-stuffing.
const (
	// KindText4K is a 4 KB plain-text note with nothing sensitive in it.
	KindText4K Kind = "text4k"
	// KindCSV100K is a 100 KB multipart message with a base64 CSV price
	// list attached: product codes and prices, nothing a DLP scanner
	// should flag.
	KindCSV100K Kind = "csv100k"
	// KindCustomers100K is the same shape as KindCSV100K, but the CSV is a
	// (fictitious) customer list with names, e-mail addresses and phone
	// numbers, which a DLP scanner is expected to act on.
	KindCustomers100K Kind = "customers100k"
)

// Kinds lists the valid kinds, for flag help and validation.
var Kinds = []Kind{KindText4K, KindCSV100K, KindCustomers100K}

// ParseKind returns the Kind named s.
func ParseKind(s string) (Kind, error) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, nil
		}
	}
	return "", fmt.Errorf("unknown message kind %q (want one of %v)", s, Kinds)
}

const (
	size4K   = 4 * 1024
	size100K = 100 * 1024
	boundary = "okuri-bench-boundary-7c1e"
)

// Template is a message body shared by every message of one kind plus the
// envelope-related header values; Header renders the per-message header.
// The body is built once so that generating load costs little CPU.
type Template struct {
	Kind Kind
	From string
	To   []string
	// ContentType is the top-level Content-Type header value.
	ContentType string
	// Body is the message body after the header's empty line, CRLF lines.
	Body []byte
	// headerLen is a typical header length, used to size Body.
	headerLen int
}

// NewTemplate builds the body of kind k for messages from from to to.
func NewTemplate(k Kind, from string, to []string) (*Template, error) {
	t := &Template{Kind: k, From: from, To: to}
	t.ContentType = "text/plain; charset=utf-8"
	if k != KindText4K {
		t.ContentType = "multipart/mixed; boundary=\"" + boundary + "\""
	}
	t.headerLen = len(t.Header(0))
	switch k {
	case KindText4K:
		t.Body = textBody(size4K - t.headerLen)
	case KindCSV100K:
		t.Body = csvMessageBody(size100K-t.headerLen, "products.csv", productRow)
	case KindCustomers100K:
		t.Body = csvMessageBody(size100K-t.headerLen, "customers.csv", customerRow)
	default:
		return nil, fmt.Errorf("new template: unknown message kind %q", k)
	}
	return t, nil
}

// Size is the approximate size of one message in bytes.
func (t *Template) Size() int { return t.headerLen + len(t.Body) }

// Header renders the header of message number i, ending with the empty
// line that separates it from the body.
func (t *Template) Header(i int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "From: Bench Sender <%s>\r\n", t.From)
	fmt.Fprintf(&b, "To: %s\r\n", strings.Join(t.To, ", "))
	fmt.Fprintf(&b, "Subject: okuri-bench %s message %08d\r\n", t.Kind, i)
	b.WriteString("Date: Mon, 23 Nov 2026 18:00:00 +0000\r\n")
	fmt.Fprintf(&b, "Message-ID: <bench-%s-%08d@okuri-bench.invalid>\r\n", t.Kind, i)
	b.WriteString("MIME-Version: 1.0\r\n")
	fmt.Fprintf(&b, "Content-Type: %s\r\n", t.ContentType)
	b.WriteString("\r\n")
	return b.Bytes()
}

// textBody returns about n bytes of harmless plain text in CRLF lines.
func textBody(n int) []byte {
	const line = "Notes from the weekly logistics meeting: shipments are on schedule and the new shelving arrives on Thursday."
	var b bytes.Buffer
	for i := 1; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%04d %s\r\n", i, line)
	}
	return trimToLines(b.Bytes(), n)
}

// trimToLines cuts b to at most n bytes at a line boundary.
func trimToLines(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	cut := bytes.LastIndex(b[:n], []byte("\r\n"))
	if cut < 0 {
		return b[:0]
	}
	return b[:cut+2]
}

// csvMessageBody returns a multipart body of about n bytes: a short text
// part and a CSV attachment named name, base64 in 76-column lines, whose
// rows come from row.
func csvMessageBody(n int, name string, row func(i int) string) []byte {
	var head bytes.Buffer
	fmt.Fprintf(&head, "--%s\r\n", boundary)
	head.WriteString("Content-Type: text/plain; charset=utf-8\r\n\r\n")
	head.WriteString("Hello,\r\n\r\nplease find the list attached.\r\n\r\nBest regards\r\n\r\n")
	fmt.Fprintf(&head, "--%s\r\n", boundary)
	fmt.Fprintf(&head, "Content-Type: text/csv; charset=utf-8; name=%q\r\n", name)
	fmt.Fprintf(&head, "Content-Disposition: attachment; filename=%q\r\n", name)
	head.WriteString("Content-Transfer-Encoding: base64\r\n\r\n")
	tail := fmt.Sprintf("--%s--\r\n", boundary)

	// Each 57 raw bytes become one 76-character line plus CRLF.
	room := n - head.Len() - len(tail)
	rawMax := room / 78 * 57
	var csv bytes.Buffer
	csv.WriteString(row(0))
	for i := 1; ; i++ {
		r := row(i)
		if csv.Len()+len(r) > rawMax {
			break
		}
		csv.WriteString(r)
	}

	body := head.Bytes()
	body = append(body, base64Lines(csv.Bytes())...)
	return append(body, tail...)
}

// base64Lines encodes raw as base64 in CRLF-terminated 76-column lines.
func base64Lines(raw []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(raw)
	var b bytes.Buffer
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	if enc != "" {
		b.WriteString(enc)
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

var products = []string{
	"Stainless hex bolt M6x20", "Nylon washer 6mm", "Cable tie 200mm black",
	"Shelf bracket 150mm", "Wood screw 4x30", "Hinge 75mm brass",
	"Drawer slide 350mm", "Caster wheel 50mm", "Rubber foot 20mm",
	"Wall plug 8mm",
}

// productRow returns row i of a price list (row 0 is the header). The
// numbers are short on purpose so none looks like a card or ID number.
func productRow(i int) string {
	if i == 0 {
		return "sku,product,unit_price_jpy,pack_size,in_stock\r\n"
	}
	p := products[i%len(products)]
	return fmt.Sprintf("P-%05d,%s,%d,%d,%s\r\n", i, p, 20+(i*37)%980, 10*(1+i%10), []string{"yes", "no"}[i%7/6])
}

var (
	familyNames = []string{"Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura", "Kobayashi", "Kato"}
	givenNames  = []string{"Haruto", "Yui", "Sota", "Hina", "Yuto", "Aoi", "Riku", "Mei", "Kaito", "Sakura"}
)

// customerRow returns row i of a fictitious customer list (row 0 is the
// header): names, addresses at example.jp and mobile-style phone numbers.
func customerRow(i int) string {
	if i == 0 {
		return "customer_id,family_name,given_name,email,phone,city\r\n"
	}
	f := familyNames[i%len(familyNames)]
	g := givenNames[(i/len(familyNames))%len(givenNames)]
	return fmt.Sprintf("C%06d,%s,%s,%s.%s%d@example.jp,090-%04d-%04d,Tokyo\r\n",
		i, f, g, strings.ToLower(g), strings.ToLower(f), i, (i*7919)%10000, (i*104729)%10000)
}
