package gateway

import (
	"bufio"
	"strings"

	"github.com/emersion/go-message/textproto"

	"github.com/okuri/okuri/policy/extract/charset"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/spool"
)

// displayHeaders decodes the header fields the UI lists (RFC 2047, with
// the scanner's charsets, so the UI shows what policy judged). A header that cannot be read gives empty
// fields: display only, never a decision input.
func displayHeaders(b *spool.Body) quarantine.Headers {
	h, err := textproto.ReadHeader(bufio.NewReader(b.Reader()))
	if err != nil {
		return quarantine.Headers{}
	}
	get := func(k string) string {
		v := h.Get(k)
		if d, err := charset.DecodeHeader(v); err == nil {
			v = d
		}
		return strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(v, "\r", ""), "\n", ""))
	}
	return quarantine.Headers{
		From: get("From"), To: get("To"), Cc: get("Cc"), Subject: get("Subject"),
		Date: get("Date"), MessageID: get("Message-Id"),
	}
}
