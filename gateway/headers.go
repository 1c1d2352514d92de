package gateway

import (
	"bufio"
	"io"
	"mime"
	"strings"

	"github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/textproto"

	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/spool"
)

var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, in io.Reader) (io.Reader, error) {
	return charset.Reader(label, in)
}}

// displayHeaders decodes the header fields the UI lists (RFC 2047, any
// charset go-message knows). A header that cannot be read gives empty
// fields: display only, never a decision input.
func displayHeaders(b *spool.Body) quarantine.Headers {
	h, err := textproto.ReadHeader(bufio.NewReader(b.Reader()))
	if err != nil {
		return quarantine.Headers{}
	}
	get := func(k string) string {
		v := h.Get(k)
		if d, err := wordDecoder.DecodeHeader(v); err == nil {
			v = d
		}
		return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(v, "\r", ""), "\n", ""))
	}
	return quarantine.Headers{
		From: get("From"), To: get("To"), Cc: get("Cc"), Subject: get("Subject"),
		Date: get("Date"), MessageID: get("Message-Id"),
	}
}
