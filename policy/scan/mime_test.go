package scan

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
)

const customers = "氏名,フリガナ,電話番号\r\n山田太郎,ヤマダタロウ,090-1234-5678\r\n佐藤花子,サトウハナコ,080-2345-6789\r\n"

func TestMIME(t *testing.T) {
	jisName := url.PathEscape(string(jis(t, "顧客一覧.csv")))
	tests := []struct {
		name      string
		msg       func(t *testing.T) string
		text      []string // substrings that must reach the detectors
		rows      []string // table rows that must reach the detectors
		verdict   Verdict
		partName  map[string]string // part path -> decoded name
		reasonSub string
	}{
		{
			name: "iso-2022-jp body",
			msg: func(t *testing.T) string {
				return "Subject: =?ISO-2022-JP?B?" + b64s(jis(t, "ご連絡")) + "?=\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\n\r\n" + string(jis(t, "山田太郎様\r\n")) + "\r\n"
			},
			text:    []string{"山田太郎様", "ご連絡"},
			verdict: Clean,
		},
		{
			name: "quoted-printable utf-8 and base64 shift_jis csv with rfc2231 iso-2022-jp name",
			msg: func(t *testing.T) string {
				return "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n" +
					"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
					"=E5=B1=B1=E7=94=B0=E6=A7=98\r\n--XX\r\n" +
					"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n" +
					"Content-Disposition: attachment; filename*=ISO-2022-JP''" + jisName + "\r\n\r\n" +
					b64(sjis(t, customers)) + "--XX--\r\n"
			},
			text:     []string{"山田様"},
			rows:     []string{"山田太郎|ヤマダタロウ|090-1234-5678"},
			verdict:  PersonalData,
			partName: map[string]string{"2": "顧客一覧.csv", "1": ""},
		},
		{
			name: "rfc2047 shift_jis name, rfc2231 continuation",
			msg: func(t *testing.T) string {
				return "Content-Type: multipart/mixed; boundary=XX\r\n\r\n--XX\r\n" +
					"Content-Type: text/csv; name=\"=?Shift_JIS?B?" + b64s(sjis(t, "名簿.csv")) + "?=\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
					b64(sjis(t, customers)) + "--XX\r\n" +
					"Content-Type: text/plain\r\nContent-Disposition: attachment;\r\n filename*0*=UTF-8''%E5%90%8D;\r\n filename*1=\"list.txt\"\r\n\r\nhello\r\n--XX--\r\n"
			},
			rows:     []string{"佐藤花子|サトウハナコ|080-2345-6789"},
			partName: map[string]string{"1": "名簿.csv", "2": "名list.txt"},
			verdict:  PersonalData,
		},
		{
			name: "nested alternative with html",
			msg: func(t *testing.T) string {
				return "Content-Type: multipart/mixed; boundary=A\r\n\r\n--A\r\n" +
					"Content-Type: multipart/alternative; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nplain\r\n--B\r\n" +
					"Content-Type: text/html; charset=shift_jis\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
					b64(sjis(t, "<html><head><style>p{}</style><title>件名</title></head><body><p>本文&nbsp;です<script>var x='秘密';</script></p><table><tr><th>氏名</th><th>電話</th></tr><tr><td>山田太郎</td><td>090-1234-5678</td></tr></table></body></html>")) +
					"--B--\r\n--A--\r\n"
			},
			text:    []string{"plain", "本文 です", "件名"},
			rows:    []string{"氏名|電話", "山田太郎|090-1234-5678"},
			verdict: PersonalData,
		},
		{
			name: "attached message opened recursively",
			msg: func(t *testing.T) string {
				inner := "Subject: inner\r\nContent-Type: multipart/mixed; boundary=I\r\n\r\n--I\r\nContent-Type: text/plain\r\n\r\ninner body\r\n--I\r\nContent-Type: text/csv; name=a.csv\r\n\r\n" + customers + "\r\n--I--\r\n"
				return "Content-Type: multipart/mixed; boundary=O\r\n\r\n--O\r\nContent-Type: text/plain\r\n\r\nouter\r\n--O\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "\r\n--O--\r\n"
			},
			text:    []string{"outer", "inner body"},
			rows:    []string{"山田太郎|ヤマダタロウ|090-1234-5678"},
			verdict: PersonalData,
		},
		{
			name: "unknown charset is unscannable",
			msg: func(t *testing.T) string {
				return "Content-Type: text/plain; charset=x-klingon\r\n\r\nqapla\r\n"
			},
			verdict:   Unscannable,
			reasonSub: "unknown charset",
		},
		{
			name: "unknown transfer encoding is unscannable",
			msg: func(t *testing.T) string {
				return "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: x-binhex\r\n\r\n(This file must be converted with BinHex 4.0)\r\n--X--\r\n"
			},
			verdict:   Unscannable,
			reasonSub: "unknown transfer encoding",
		},
		{
			name: "corrupt base64 is unscannable",
			msg: func(t *testing.T) string {
				return "Content-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!!****\r\n"
			},
			verdict:   Unscannable,
			reasonSub: "transfer decoding failed",
		},
		{
			name: "binary attachment is unscannable",
			msg: func(t *testing.T) string {
				return "Content-Type: application/octet-stream; name=a.bin\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64([]byte("\x00\x01\x02\x03\x04\x05\x06\x07\x00\x00\x00\x10\x11\x12")) + "\r\n"
			},
			verdict:   Unscannable,
			reasonSub: "unsupported binary format",
		},
		{
			name: "text labelled as an image is still read",
			msg: func(t *testing.T) string {
				return "Content-Type: image/png; name=a.png\r\n\r\n" + customers + "\r\n"
			},
			rows:    []string{"山田太郎|ヤマダタロウ|090-1234-5678"},
			verdict: PersonalData,
		},
		{
			name: "image is not inspected",
			msg: func(t *testing.T) string {
				return "Content-Type: image/png; name=a.png\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64([]byte("\x89PNG\r\n\x1a\n\x00\x00")) + "\r\n"
			},
			verdict:   Clean,
			reasonSub: "not inspected",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, sink := newTest(t)
			res := scanMsg(t, s, tc.msg(t))
			all := sink.AllText()
			for _, want := range tc.text {
				if !strings.Contains(all, want) {
					t.Errorf("text %q not extracted; got:\n%s", want, all)
				}
			}
			if strings.Contains(all, "秘密") {
				t.Error("script content extracted")
			}
			rows := strings.Join(sink.Rows(), "\n")
			for _, want := range tc.rows {
				if !strings.Contains(rows, want) {
					t.Errorf("row %q not extracted; rows:\n%s", want, rows)
				}
			}
			if res.Verdict != tc.verdict {
				t.Errorf("verdict %s, want %s (reasons %q)", res.Verdict, tc.verdict, res.Reasons)
			}
			for path, name := range tc.partName {
				p := partByPath(res, path)
				if p == nil {
					t.Errorf("no part %s in %+v", path, res.Parts)
					continue
				}
				if p.Name != name {
					t.Errorf("part %s name %q, want %q", path, p.Name, name)
				}
			}
			if tc.reasonSub != "" && !hasReason(res, tc.reasonSub) {
				t.Errorf("no reason containing %q in %q", tc.reasonSub, res.Reasons)
			}
		})
	}
}

func TestMIMELimits(t *testing.T) {
	var b strings.Builder
	b.WriteString("Content-Type: multipart/mixed; boundary=X\r\n\r\n")
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&b, "--X\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i)
	}
	b.WriteString("--X--\r\n")
	s, _ := newTest(t, func(o *Options) { o.Limits.MaxParts = 5 })
	res := scanMsg(t, s, b.String())
	if res.Verdict != Unscannable || !hasReason(res, "max_parts") {
		t.Fatalf("parts limit: %s %q", res.Verdict, res.Reasons)
	}

	// Deep nesting of multiparts.
	var d strings.Builder
	for i := 0; i < 15; i++ {
		fmt.Fprintf(&d, "Content-Type: multipart/mixed; boundary=B%d\r\n\r\n--B%d\r\n", i, i)
	}
	d.WriteString("Content-Type: text/plain\r\n\r\ndeep\r\n")
	for i := 14; i >= 0; i-- {
		fmt.Fprintf(&d, "--B%d--\r\n", i)
	}
	s2, _ := newTest(t)
	res = scanMsg(t, s2, d.String())
	if res.Verdict != Unscannable || !hasReason(res, "max_depth") {
		t.Fatalf("depth limit: %s %q", res.Verdict, res.Reasons)
	}
}
