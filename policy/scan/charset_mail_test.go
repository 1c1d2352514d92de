package scan

import (
	"strings"
	"testing"
)

// Japanese charsets as Windows mailers write them: a "Shift_JIS" label
// on CP932 bytes (NEC row 13, IBM extensions), EUC-JP, and encoded words
// in each, in the Subject and in file names (RFC 2047 and RFC 2231).
func TestJapaneseCharsetsInMail(t *testing.T) {
	tests := []struct {
		name, msg string
		text      []string
		partName  map[string]string
	}{
		{
			name: "Shift_JIS label, CP932 body (Outlook)",
			msg: "Subject: =?shift_jis?B?gXmOiot9gXqM2otxlryV64dA?=\r\n" + // 【至急】顧客名簿①
				"Content-Type: text/plain; charset=\"shift_jis\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
				"\xfb\xfc\x8b\xb4\x97\x6c \xfa\xb1\x8e\x52\x97\x6c\r\n" + // 髙橋様 﨑山様 (IBM extensions)
				"\x87\x40\x87\x41 \x87\x8a \x87\x82 9:00\x81\x6017:30 03\x81\x7c1234\r\n", // ①② ㈱ № 9:00～17:30 03－1234
			text: []string{"【至急】顧客名簿①", "髙橋様 﨑山様", "①② ㈱ № 9:00～17:30 03－1234"},
		},
		{
			name: "EUC-JP body and subject",
			msg: "Subject: =?EUC-JP?B?pLSwxsbipM6kqsPOpOmku62h?=\r\n" +
				"Content-Type: text/plain; charset=EUC-JP\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
				"\xc3\xe6\xc5\xe7 \xcd\xcd\r\n\xad\xa1 9:00\xa1\xc117:30\r\n", // 中島 様 / ① 9:00～17:30
			text: []string{"ご案内のお知らせ①", "中島 様", "① 9:00～17:30"},
		},
		{
			name: "ISO-2022-JP subject with NEC row 13, CP932 and ISO-2022-JP file names",
			msg: "Subject: =?ISO-2022-JP?B?GyRCLSEtIhsoQiAbJEI4XDVSTD5KbRsoQg==?=\r\n" + // ①② 顧客名簿
				"Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\n" +
				"Content-Type: text/csv; name=\"=?ISO-2022-JP?B?GyRCLWo4XDVSTD5KbRsoQi5jc3Y=?=\"\r\n\r\na,b\r\n--X\r\n" + // ㈱顧客名簿.csv
				"Content-Type: text/csv\r\nContent-Disposition: attachment;\r\n filename*=shift_jis''%FB%FC%8B%B4%97%6C%87%40.csv\r\n\r\nc,d\r\n--X--\r\n", // 髙橋様①.csv
			text:     []string{"①② 顧客名簿"},
			partName: map[string]string{"1": "㈱顧客名簿.csv", "2": "髙橋様①.csv"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, sink := newTest(t)
			res := scanMsg(t, s, tc.msg)
			all := sink.AllText()
			for _, want := range tc.text {
				if !strings.Contains(all, want) {
					t.Errorf("%q not extracted; got:\n%s", want, all)
				}
			}
			if strings.ContainsRune(all, '\uFFFD') {
				t.Errorf("replacement characters in:\n%s", all)
			}
			for path, name := range tc.partName {
				if p := partByPath(res, path); p == nil || p.Name != name {
					t.Errorf("part %s: %+v, want name %q", path, p, name)
				}
			}
			if res.Verdict != Clean {
				t.Errorf("verdict %s (%q)", res.Verdict, res.Reasons)
			}
		})
	}
}
