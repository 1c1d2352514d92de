package scan

import (
	"strings"
	"testing"
)

// A customer list uuencoded into a text body (begin ... end), as old
// mailers and some copier/scanner mail functions write attachments.
const uuMeibo = "begin 644 meibo.csv\r\n" +
	"MYK\"/Y9\"-+.F;N^BIL>>5JN6/MRSGE)_EN;3FG(CFEZ4-\"N6QL>>4L.6DJNF#\r\n" +
	"MCBPP.3 M,3(S-\"TU-C<X+#$Y-S4O,#0O,3(-\"N2]D.B7I.B*L>6MD\"PP.# M\r\n" +
	"6,C,T-2TV-S@Y+#$Y.# O,3$O,#,-\"@\r\n" + // trailing spaces stripped by a mailer
	"`\r\n" +
	"end\r\n"

func TestUuencodedInBody(t *testing.T) {
	tests := []struct {
		name, block string
		want        Verdict
		reason      string
	}{
		{"uuencode", uuMeibo, PersonalData, ""},
		{"begin-base64", "begin-base64 644 meibo.csv\r\n" +
			"5rCP5ZCNLOmbu+ipseeVquWPtyznlJ/lubTmnIjml6UNCuWxseeUsOWkqumDjiwwOTAtMTIzNC01\r\n" +
			"Njc4LDE5NzUvMDQvMTINCuS9kOiXpOiKseWtkCwwODAtMjM0NS02Nzg5LDE5ODAvMTEvMDMNCg==\r\n====\r\n", PersonalData, ""},
		{"truncated", strings.Split(uuMeibo, "6,C")[0], Unscannable, "corrupt uuencoded"}, // the text goes on without an end line
		{"corrupt", "begin 644 meibo.csv\r\nM\x01\x02\r\nend\r\n", Unscannable, "corrupt uuencoded"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := "From: scanner@agency.example.jp\r\nContent-Type: text/plain; charset=iso-2022-jp\r\nContent-Transfer-Encoding: 7bit\r\n\r\n" +
				"\x1b$B;qNA$rAw$j$^$9!#\x1b(B\r\n\r\n" + tc.block + "\r\n-- \r\nscanner\r\n"
			s, sink := newTest(t)
			res := scanMsg(t, s, msg)
			if res.Verdict != tc.want {
				t.Fatalf("verdict %s, want %s (%q)", res.Verdict, tc.want, res.Reasons)
			}
			if tc.want == PersonalData && !strings.Contains(strings.Join(sink.Rows(), "\n"), "山田太郎|090-1234-5678|1975/04/12") {
				t.Errorf("rows %q", sink.Rows())
			}
			if tc.reason != "" && !hasReason(res, tc.reason) {
				t.Errorf("reasons %q, want %q", res.Reasons, tc.reason)
			}
			if p := partByPath(res, "1/meibo.csv"); p == nil || !p.Attachment {
				t.Errorf("no attachment part 1/meibo.csv in %+v", res.Parts)
			}
		})
	}
}

// Content-Transfer-Encoding: x-uuencode, as Eudora and Pegasus Mail send
// attachments.
func TestUuencodeTransferEncoding(t *testing.T) {
	tests := []struct {
		name, body string
		want       Verdict
		reason     string
	}{
		{"customer list", uuMeibo, PersonalData, ""},
		{"truncated", strings.Split(uuMeibo, "6,C")[0], Unscannable, "transfer decoding failed"},
		{"no begin line", "MYK\"/Y9\"-+.F;N^BIL>>5JN6/MRSGE)_EN;3FG(CFEZ4-\"N6QL>>4L.6DJNF#\r\n", Unscannable, "transfer decoding failed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := "Content-Type: multipart/mixed; boundary=\"=====================_1234==_\"\r\n\r\n" +
				"--=====================_1234==_\r\nContent-Type: text/plain; charset=\"us-ascii\"\r\n\r\nSee the attached list.\r\n\r\n" +
				"--=====================_1234==_\r\nContent-Type: application/octet-stream; name=\"meibo.csv\"\r\n" +
				"Content-Transfer-Encoding: x-uuencode\r\nContent-Disposition: attachment; filename=\"meibo.csv\"\r\n\r\n" +
				tc.body + "\r\n--=====================_1234==_--\r\n"
			s, sink := newTest(t)
			res := scanMsg(t, s, msg)
			if res.Verdict != tc.want {
				t.Fatalf("verdict %s, want %s (%q)", res.Verdict, tc.want, res.Reasons)
			}
			if tc.want == PersonalData && !strings.Contains(strings.Join(sink.Rows(), "\n"), "佐藤花子|080-2345-6789|1980/11/03") {
				t.Errorf("rows %q", sink.Rows())
			}
			if tc.reason != "" && !hasReason(res, tc.reason) {
				t.Errorf("reasons %q, want %q", res.Reasons, tc.reason)
			}
		})
	}
}
