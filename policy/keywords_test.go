package policy

import (
	"bufio"
	"context"
	"encoding/base64"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/okuri/okuri/policy/rewrite"
)

// TestBodyKeywords: body keywords match on the text the scanner decoded,
// whatever the charset and transfer encoding, and fold full-width forms;
// text of attachments and attached messages is the detectors' business
// and gives no body hit (as before the scanner's text was used).
func TestBodyKeywords(t *testing.T) {
	y := strings.Replace(testPolicy, "keywords: [社外秘, 機密, confidential]", "keywords: [社外秘, 機密, confidential, ㈱サンプル]", 1)
	p := newPolicy(t, y)
	const head = "From: alice@agency.example.jp\r\nTo: x@partner.example.com\r\nSubject: report\r\nMIME-Version: 1.0\r\n"
	b64 := func(s []byte) string { return base64.StdEncoding.EncodeToString(s) + "\r\n" }
	utf16le := func(s string) []byte {
		out := []byte{0xFF, 0xFE}
		for _, r := range s {
			if r > 0xFFFF {
				t.Fatal("BMP only")
			}
			out = append(out, byte(r), byte(r>>8))
		}
		return out
	}
	tests := []struct {
		name string
		msg  string
		want []string // body keywords
	}{
		{"iso-2022-jp with CP50220 ① and ㈱", head + "Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" +
			"\x1b$B-!\x1b(B \x1b$B-j%5%s%W%k\x1b(B\r\n", // ① ㈱サンプル
			[]string{"㈱サンプル"}},
		{"iso-2022-jp: ㈱ in a text that NFKC folds (full-width ～)", head + "Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" +
			"\x1b$B-j%5%s%W%k\x1b(B 9:00\x1b$B!A\x1b(B17:30\r\n", // ㈱サンプル 9:00～17:30
			[]string{"㈱サンプル"}},
		{"iso-2022-jp with ～ and a 1978 JIS escape", head + "Content-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" +
			"9:00\x1b$B!A\x1b(B17:30 \x1b$@5!L)\x1b(J\r\n", // 9:00～17:30 機密
			[]string{"機密"}},
		{"shift_jis quoted-printable", head + "Content-Type: text/plain; charset=shift_jis\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
			"=8B@=96=A7=88=B5=82=A2\r\n", // 機密扱い
			[]string{"機密"}},
		{"euc-jp 8bit", head + "Content-Type: text/plain; charset=EUC-JP\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
			"\xbc\xd2\xb3\xb0\xc8\xeb\r\n", // 社外秘
			[]string{"社外秘"}},
		{"utf-16 base64", head + "Content-Type: text/plain; charset=UTF-16\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			b64(utf16le("社外秘です\r\n")), []string{"社外秘"}},
		{"full-width latin in utf-8 base64", head + "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
			b64([]byte("ＣＯＮＦＩＤＥＮＴＩＡＬ\r\n")), []string{"confidential"}},
		{"html body: entities decoded, markup ignored", head + "Content-Type: text/html; charset=utf-8\r\n\r\n" +
			"<p>&#x793E;&#x5916;<b>&#x79D8;</b></p><p title=\"機密\">x</p>\r\n", []string{"社外秘"}},
		{"attachment text and attached message", head + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\nhello\r\n--b\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\n社外秘\r\n--b\r\n" +
			"Content-Type: message/rfc822\r\n\r\nSubject: fw\r\n\r\n機密\r\n--b--\r\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := p.Facts(context.Background(), Input{MailFrom: "alice@agency.example.jp", RcptTo: []string{"x@partner.example.com"},
				Message: strings.NewReader(tt.msg), Scan: scanned(t, tt.msg), History: known("partner.example.com")})
			var got []string
			for _, k := range f.Keywords {
				if k.Where == "body" {
					got = append(got, k.Word)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("body keywords %v, want %v (all %v)", got, tt.want, f.Keywords)
			}
		})
	}
}

// TestFactsParsedHeader: a header the caller parsed already (the gateway
// reads it once) gives the same facts as the message read by Facts.
func TestFactsParsedHeader(t *testing.T) {
	p := newPolicy(t, testPolicy)
	msg := testMessage("\"顧客\" <a@gmail.com>, b@gmail.com", "bob@agency.example.jp", "=?UTF-8?B?56S+5aSW56eY?=")
	h, err := rewrite.ReadHeader(bufio.NewReader(strings.NewReader(msg)))
	if err != nil {
		t.Fatal(err)
	}
	in := Input{MailFrom: "alice@agency.example.jp", RcptTo: []string{"a@gmail.com", "b@gmail.com", "bob@agency.example.jp"},
		Scan: clean(), History: known("gmail.com")}
	byReader := in
	byReader.Message = strings.NewReader(msg)
	parsed := in
	parsed.Header = h
	want, got := p.Facts(context.Background(), byReader), p.Facts(context.Background(), parsed)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("facts from a parsed header\n%+v\nwant\n%+v", got, want)
	}
	if got.VisibleIndividuals != 2 || len(got.Keywords) != 1 {
		t.Fatalf("visible individuals %d, keywords %v: want 2 and the subject's", got.VisibleIndividuals, got.Keywords)
	}
}
