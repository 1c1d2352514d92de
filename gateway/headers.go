package gateway

import (
	"bufio"
	"strings"

	"github.com/okuri/okuri/policy/extract/charset"
	"github.com/okuri/okuri/policy/rewrite"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/spool"
)

// readHeader reads the message's header section, once per message: the
// display headers and the policy's facts come from the same parse (the
// parser the rewrites use, so facts count the addresses a rewrite sees).
func readHeader(b *spool.Body) (*rewrite.Header, error) {
	return rewrite.ReadHeader(bufio.NewReader(b.Reader()))
}

// displayHeaders decodes the header fields the UI lists (RFC 2047, with
// the scanner's charsets, so the UI shows what policy judged). A header
// that could not be read (nil) gives empty fields: display only, never a
// decision input.
func displayHeaders(h *rewrite.Header) quarantine.Headers {
	if h == nil {
		return quarantine.Headers{}
	}
	get := func(k string) string {
		vs := h.Get(k)
		if len(vs) == 0 {
			return ""
		}
		v := vs[0]
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
