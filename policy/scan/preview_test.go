package scan

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestPreview: the preview is the body text as the scanner decoded it —
// the plain alternative, an HTML body's text, ISO-2022-JP and base64
// undone — never an attachment's text nor the subject, and bounded.
func TestPreview(t *testing.T) {
	s, _ := newTest(t)
	long := strings.Repeat("あ", MaxPreview) // 3 bytes each: well over the limit
	for _, c := range []struct {
		name, msg string
		want      string
		truncated bool
	}{
		{"plain", "Subject: hello\r\n\r\nご確認ください。\r\n", "ご確認ください。", false},
		{"iso-2022-jp", "Subject: x\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n\x1b$B$3$s$K$A$O\x1b(B\r\n", "こんにちは", false},
		{"alternative", "Content-Type: multipart/alternative; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nplain text\r\n" +
			"--B\r\nContent-Type: text/html\r\n\r\n<p>html text</p>\r\n--B--\r\n", "plain text", false},
		{"html only", "Content-Type: text/html\r\n\r\n<html><head><style>p{}</style></head><body><p>Hello <b>world</b></p><script>x()</script></body></html>\r\n", "Hello world", false},
		{"base64", "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n5bGx55Sw\r\n", "山田", false},
		{"attachment only", "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nfile text\r\n--B--\r\n", "", false},
		{"body then attachment", "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nbody\r\n--B\r\nContent-Type: text/plain; name=a.txt\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nfile text\r\n--B--\r\n", "body", false},
		{"long", "Content-Type: text/plain; charset=utf-8\r\n\r\n" + long + "\r\n", long[:MaxPreview-MaxPreview%3], true},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := scanMsg(t, s, c.msg)
			got := res.Preview
			if !strings.Contains(got, c.want) || c.want == "" && got != "" {
				t.Errorf("preview = %q, want %q", clipForLog(got), clipForLog(c.want))
			}
			if strings.Contains(got, "file text") || strings.Contains(got, "hello") || strings.Contains(got, "x()") {
				t.Errorf("preview has text that is not the body: %q", clipForLog(got))
			}
			if res.PreviewTruncated != c.truncated || len(got) > MaxPreview || !utf8.ValidString(got) {
				t.Errorf("truncated = %v (len %d, valid %v), want %v", res.PreviewTruncated, len(got), utf8.ValidString(got), c.truncated)
			}
		})
	}
}

func clipForLog(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}
