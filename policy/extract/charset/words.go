package charset

import (
	"fmt"
	"io"
	"mime"
	"strings"
)

// wordDecoder decodes RFC 2047 encoded words with this package's charsets,
// so a header word labelled CP932 or ISO-2022-JP-3 (Outlook, old
// Japanese mailers) decodes like a body in the same charset. It is the one
// header-word decoder of okuri: scanner, policy and gateway use it.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, in io.Reader) (io.Reader, error) {
	c, ok := Lookup(label)
	if !ok {
		return nil, fmt.Errorf("charset: unknown charset %q", label)
	}
	return NewReader(c, in), nil
}}

// DecodeHeader decodes the RFC 2047 encoded words of a header value. On
// an error (unknown charset, malformed word) it returns the error; callers
// that only display decide themselves whether to keep s as written.
func DecodeHeader(s string) (string, error) {
	if !strings.Contains(s, "=?") {
		return s, nil
	}
	return wordDecoder.DecodeHeader(s)
}

// WordDecoder returns a decoder of RFC 2047 encoded words with this
// package's charsets, the one DecodeHeader uses, for parsers that decode
// words as they parse (net/mail's AddressParser, for display names).
func WordDecoder() *mime.WordDecoder {
	d := *wordDecoder
	return &d
}
