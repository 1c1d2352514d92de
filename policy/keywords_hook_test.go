package policy

import (
	"context"
	"slices"
	"strings"
	"testing"

	// go-message/charset installs a process-wide charset hook: go-message
	// then hands out bodies already decoded to UTF-8, and a second decode
	// garbled them (an old bug). The okuri binary no longer links it
	// (cmd/okuri's TestNoGlobalCharsetHook), but body keywords must not
	// depend on that: the scanner decodes the same with or without it.
	_ "github.com/emersion/go-message/charset"
)

// TestBodyKeywordsWithCharsetHook sends 「機密」 in the body the way
// Japanese mail clients write it: Thunderbird/Becky! (ISO-2022-JP 7bit,
// single part), an older Outlook (Shift_JIS quoted-printable inside
// multipart/mixed) and iPhone Mail (UTF-8 base64 in multipart/alternative).
func TestBodyKeywordsWithCharsetHook(t *testing.T) {
	const head = "From: alice@agency.example.jp\r\nTo: x@partner.example.com\r\nSubject: =?ISO-2022-JP?B?GyRCJCpMZCQkOWckbyQ7GyhC?=\r\nMIME-Version: 1.0\r\n"
	tests := []struct {
		name string
		msg  string
	}{
		{"iso-2022-jp 7bit", head +
			"Content-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" +
			"\x1b$B;3EDMM\x1b(B\r\n\x1b$BE:IU$N7o!\"5!L)07$$$G$*4j$$$7$^$9!#\x1b(B\r\n"},
		{"shift_jis quoted-printable", head +
			"Content-Type: multipart/mixed;\r\n\tboundary=\"----=_NextPart_000_0001_01DA1234.56789ABC\"\r\n\r\n" +
			"This is a multi-part message in MIME format.\r\n\r\n------=_NextPart_000_0001_01DA1234.56789ABC\r\n" +
			"Content-Type: text/plain;\r\n\tcharset=\"shift_jis\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			"=8ER=93c=97l\r\n=93Y=95t=82=CC=8C=8F=81A=8B@=96=A7=88=B5=82=A2=82=C5=82=A8=8A=E8=82=A2=82=\r\n=B5=82=DC=82=B7=81B\r\n" +
			"------=_NextPart_000_0001_01DA1234.56789ABC--\r\n"},
		{"utf-8 base64", head +
			"Content-Type: multipart/alternative; boundary=Apple-Mail-1A2B\r\n\r\n--Apple-Mail-1A2B\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			"5bGx55Sw5qeYDQrmt7vku5jjga7ku7bjgIHmqZ/lr4bmibHjgYTjgafjgYrpoZjjgYTjgZfjgb7jgZnjgIINCg==\r\n" +
			"--Apple-Mail-1A2B--\r\n"},
	}
	p := newPolicy(t, testPolicy)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", RcptTo: []string{"x@partner.example.com"},
				Message: strings.NewReader(tt.msg), Scan: scanned(t, tt.msg), History: known("partner.example.com")})
			want := []KeywordHit{{"機密", "body"}}
			if !slices.Equal(f.Keywords, want) {
				t.Fatalf("keywords %v, want %v (notes %v)", f.Keywords, want, f.Notes)
			}
		})
	}
}
