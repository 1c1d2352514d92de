package scan

import (
	"strings"
	"testing"

	// The gateway binary links this package (smtpd, approvals-ui import
	// it), which makes go-message decode text bodies to UTF-8 on its own;
	// the scanner must see the same bytes with or without it.
	_ "github.com/emersion/go-message/charset"
)

// jisBody is a 7bit ISO-2022-JP mail body as Thunderbird, iPhone Mail and
// Becky! write it: every line returns to ASCII before CRLF. The escapes
// are written by hand; the last lines use what Outlook (CP50221) emits:
// ～ (0x2141), NEC row 13 (①②③ ㈱ №), half-width katakana via ESC ( I,
// and the old JIS C 6226-1978 designation ESC $ @ with JIS Roman ESC ( J.
var jisBody = strings.Join([]string{
	"\x1b$BCfEg\x1b(B \x1b$BMM\x1b(B", // 中島 様
	"",
	"\x1b$B$$$D$b$*@$OC$K$J$C$F$*$j$^$9!#\x1b(B",
	"\x1b$B3t<02q<R%5%s%W%kJ]81BeM}E9$NEDCf$G$9!#\x1b(B",
	"\x1b$B@hF|$O$*BG$A9g$o$;$N;~4V$r$$$?$@$-!\"\x1b(B",
	"\x1b$B@?$K$\"$j$,$H$&$4$6$$$^$7$?!#\x1b(B",
	"\x1b$B$40MMj$N;qNA$rMh=5Cf$K$*Aw$j$7$^$9!#\x1b(B",
	"\x1b$B$4ITL@$JE@$,$4$6$$$^$7$?$i!\"\x1b(B",
	"\x1b$B$*5$7Z$K$*Ld$$9g$o$;$/$@$5$$!#\x1b(B",
	"",
	"\x1b$B:#8e$H$b$h$m$7$/$*4j$$$$$?$7$^$9!#\x1b(B",
	"",
	"\x1b$B(!(!(!(!(!(!(!(!(!(!(!(!(!(!\x1b(B",
	"\x1b$B3t<02q<R%5%s%W%kJ]81BeM}E9\x1b(B",
	"\x1b$B1D6HIt!!EDCf!!0lO:\x1b(B",
	"\x1b$B1D6H;~4V\x1b(B 9:00\x1b$B!A\x1b(B17:30",      // 営業時間 9:00～17:30
	"\x1b$B-!-\"-#\x1b(B \x1b$B-j\x1b(B \x1b$B-b\x1b(B", // ①②③ ㈱ №
	"\x1b(IC=D\x1b(B",                                   // ﾃｽﾄ
	"\x1b$@CfEg\x1b(J san\x1b(B",                        // 中島 san, 1978 JIS and JIS Roman
	"\x1b$B(!(!(!(!(!(!(!(!(!(!(!(!(!(!\x1b(B",
}, "\r\n") + "\r\n"

func TestISO2022JPBody(t *testing.T) {
	msg := "From: =?ISO-2022-JP?B?GyRCRURDZhsoQg==?= <tanaka@agency.example.jp>\r\n" +
		"To: nakajima@client.example.com\r\n" +
		"Subject: =?ISO-2022-JP?B?GyRCOiNGfCROQkckQTlnJG8kOxsoQg==?=\r\n" +
		"MIME-Version: 1.0\r\n" +
		"Content-Type: text/plain; charset=ISO-2022-JP; format=flowed; delsp=yes\r\n" +
		"Content-Transfer-Encoding: 7bit\r\n" +
		"User-Agent: Mozilla Thunderbird\r\n\r\n" + jisBody
	s, sink := newTest(t)
	res := scanMsg(t, s, msg)
	if res.Verdict != Clean {
		t.Fatalf("verdict %s, want clean (reasons %q)", res.Verdict, res.Reasons)
	}
	all := sink.AllText()
	for _, want := range []string{"中島 様", "いつもお世話になっております。", "9:00～17:30", "①②③ ㈱ №", "ﾃｽﾄ", "中島 san", "今日の打ち合わせ"} {
		if !strings.Contains(all, want) {
			t.Errorf("%q not extracted; got:\n%s", want, all)
		}
	}
	if strings.ContainsRune(all, '\uFFFD') {
		t.Errorf("replacement characters in:\n%s", all)
	}
}

// Some mailers label Shift_JIS 8bit bodies "ISO-2022-JP".
func TestISO2022JPLabelledShiftJIS(t *testing.T) {
	msg := "Content-Type: text/plain; charset=iso-2022-jp\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
		"\x92\x86\x93\x87 \x97\x6c\r\n\x82\xa8\x90\xa2\x98\x62\x82\xc9\x82\xc8\x82\xc1\x82\xc4\x82\xa8\x82\xe8\x82\xdc\x82\xb7\x81\x42\r\n"
	s, sink := newTest(t)
	res := scanMsg(t, s, msg)
	if !strings.Contains(sink.AllText(), "中島 様\r\nお世話になっております。") || res.Verdict != Clean {
		t.Fatalf("verdict %s %q, text %q", res.Verdict, res.Reasons, sink.AllText())
	}
}
