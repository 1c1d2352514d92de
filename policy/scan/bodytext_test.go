package scan

import (
	"mime/quotedprintable"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

func eucjp(t testing.TB, s string) []byte {
	out, _, err := transform.String(japanese.EUCJP.NewEncoder(), s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

func qp(t testing.TB, data []byte) string {
	var b strings.Builder
	w := quotedprintable.NewWriter(&b)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.String() + "\r\n"
}

// TestBodyText: Result.BodyText is the decoded text of the inline text
// parts, in every charset and transfer encoding Japanese mailers use, and
// nothing of attachments, attached messages or markup. The package's test
// binary links go-message's charset hook (iso2022jp_test.go), so this
// also holds in the gateway binary.
func TestBodyText(t *testing.T) {
	const word = "社外秘の資料です"
	mixed := func(parts ...string) string {
		msg := "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\npreamble\r\n"
		for _, p := range parts {
			msg += "--B\r\n" + p
		}
		return msg + "--B--\r\n"
	}
	tests := []struct {
		name    string
		msg     string
		want    []string
		notWant []string
	}{
		{name: "iso-2022-jp 7bit with CP50220 characters",
			msg:  "Subject: x\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" + jisBody,
			want: []string{"中島 様", "①②③ ㈱ №", "9:00～17:30", "ﾃｽﾄ", "中島 san"}},
		{name: "shift_jis quoted-printable",
			msg:  "Subject: x\r\nContent-Type: text/plain; charset=shift_jis\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(t, sjis(t, word+"\r\n")),
			want: []string{word}},
		{name: "euc-jp 8bit",
			msg:  "Subject: x\r\nContent-Type: text/plain; charset=EUC-JP\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + string(eucjp(t, word)) + "\r\n",
			want: []string{word}},
		{name: "utf-16 base64 with BOM",
			msg:  "Subject: x\r\nContent-Type: text/plain; charset=utf-16\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(utf16le(t, word+"\r\n", true)),
			want: []string{word}},
		{name: "utf-8 base64 in multipart/alternative, html without markup",
			msg: "Subject: x\r\nContent-Type: multipart/alternative; boundary=A\r\n\r\n--A\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				b64([]byte("plain "+word+"\r\n")) + "--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
				"<html><body><p class=\"secret-class\">html &#x793E;&#x5916;&#x79D8;</p><table><tr><td>cell one</td><td>cell two</td></tr></table></body></html>\r\n--A--\r\n",
			want:    []string{"plain " + word, "html 社外秘", "cell one\tcell two"},
			notWant: []string{"secret-class", "<p"}},
		{name: "no content type is plain text",
			msg:  "Subject: x\r\n\r\n" + word + "\r\n",
			want: []string{word}},
		{name: "inline text part with a name is body",
			msg:  mixed("Content-Type: text/plain; charset=utf-8; name=\"note.txt\"\r\n\r\n" + word + "\r\n"),
			want: []string{word}},
		{name: "attachments, attached messages and uuencoded files are not body",
			msg: mixed(
				"Content-Type: text/plain; charset=utf-8\r\n\r\nbody text\r\nbegin 644 x.txt\r\n(<V5C<F5T\"@``\r\n`\r\nend\r\n",
				"Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\nattached secret\r\n",
				"Content-Type: message/rfc822\r\n\r\nSubject: inner\r\nContent-Type: text/plain\r\n\r\nforwarded secret\r\n",
				"Content-Type: text/csv; charset=utf-8\r\n\r\nname,csv secret\r\n"),
			want:    []string{"body text"},
			notWant: []string{"attached secret", "forwarded secret", "csv secret", "preamble", "inner"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTest(t)
			res := scanMsg(t, s, tc.msg)
			for _, w := range tc.want {
				if !strings.Contains(res.BodyText, w) {
					t.Errorf("body text lacks %q: %q", w, res.BodyText)
				}
			}
			for _, w := range tc.notWant {
				if strings.Contains(res.BodyText, w) {
					t.Errorf("body text has %q: %q", w, res.BodyText)
				}
			}
		})
	}
}

// TestBodyTextBounded: the body text stops at MaxBodyText.
func TestBodyTextBounded(t *testing.T) {
	s, _ := newTest(t)
	body := strings.Repeat("0123456789abcdef\r\n", MaxBodyText/18+100)
	res := scanMsg(t, s, "Subject: x\r\nContent-Type: text/plain\r\n\r\n"+body+"\r\n--\r\n"+body)
	if len(res.BodyText) != MaxBodyText {
		t.Fatalf("body text %d bytes, want %d", len(res.BodyText), MaxBodyText)
	}
}
