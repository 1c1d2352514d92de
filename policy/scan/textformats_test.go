package scan

import (
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestVCard(t *testing.T) {
	qpName := strings.ReplaceAll(spaced(sjis(t, "山田;太郎")), " ", "=")
	vcf := "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=SHIFT_JIS;ENCODING=QUOTED-PRINTABLE:" + qpName + "\r\n" +
		"TEL;CELL:090-1234-5678\r\nEMAIL;INTERNET:taro@docomo.ne.jp\r\nPHOTO;ENCODING=BASE64;JPEG:/9j/4AAQ\r\n AAAA\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:佐藤花子\r\nX-PHONETIC-LAST-NAME:サトウ\r\nTEL;TYPE=HOME:03-1234-\r\n 5678\r\n" +
		"ADR;TYPE=HOME:;;丸の内1-2-3;千代田区;東京都;100-0005;\r\nBDAY:1982-11-03\r\nNOTE:a\\, b\r\nEND:VCARD\r\n"
	s, sink := newTest(t)
	res := scanFile(t, s, "contacts.vcf", []byte(vcf))
	rows := strings.Join(sink.Rows(), "\n")
	for _, w := range []string{"氏名|フリガナ|電話番号", "山田 太郎|", "|090-1234-5678|taro@docomo.ne.jp|", "佐藤花子|サトウ|03-1234-5678||丸の内1-2-3 千代田区 東京都 100-0005|1982-11-03||a, b"} {
		if !strings.Contains(rows, w) {
			t.Errorf("row %q missing:\n%s", w, rows)
		}
	}
	if strings.Contains(rows, "/9j/") {
		t.Error("photo data extracted")
	}
	if res.Verdict != PersonalData {
		t.Errorf("verdict %s %q", res.Verdict, res.Reasons)
	}
}

// spaced renders bytes as space-separated hex pairs.
func spaced(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		s.WriteString(" " + strings.ToUpper(string("0123456789abcdef"[c>>4])+string("0123456789abcdef"[c&15])))
	}
	return s.String()
}

func TestJSON(t *testing.T) {
	js := `{"customers":[{"氏名":"山田太郎","電話番号":"090-1234-5678","age":49,"vip":true},{"氏名":"佐藤花子","電話番号":"080-2345-6789"}]}`
	s, sink := newTest(t)
	scanFile(t, s, "export.json", []byte(js))
	all := sink.AllText()
	for _, w := range []string{"氏名: 山田太郎\n電話番号: 090-1234-5678\nage: 49\nvip: true\n", "氏名: 佐藤花子"} {
		if !strings.Contains(all, w) {
			t.Errorf("missing %q in %q", w, all)
		}
	}
	sink2 := newSink(s)
	res := scanFile(t, s, "broken.json", []byte(`{"a": "山田太郎 090-1234-5678`))
	if res.Verdict == Unscannable || !strings.Contains(sink2.AllText(), "090-1234-5678") {
		t.Errorf("invalid JSON not scanned as text: %s %q", res.Verdict, sink2.AllText())
	}
}

// Excel's "Unicode text" export: UTF-16LE with BOM, tab-separated, .txt.
func TestExcelUnicodeText(t *testing.T) {
	tsv := strings.ReplaceAll(customers, ",", "\t")
	u := []byte{0xFF, 0xFE}
	for _, r := range utf16.Encode([]rune(tsv)) {
		u = append(u, byte(r), byte(r>>8))
	}
	s, sink := newTest(t)
	res := scanFile(t, s, "顧客.txt", u)
	if !strings.Contains(strings.Join(sink.Rows(), "\n"), "山田太郎|ヤマダタロウ|090-1234-5678") || res.Verdict != PersonalData {
		t.Errorf("verdict %s rows %q", res.Verdict, sink.Rows())
	}
	eucjp, _, _ := transform.String(japanese.EUCJP.NewEncoder(), customers)
	sink = newSink(s)
	res = scanFile(t, s, "list.csv", []byte(eucjp))
	if !strings.Contains(strings.Join(sink.Rows(), "\n"), "佐藤花子|サトウハナコ") || res.Verdict != PersonalData {
		t.Errorf("EUC-JP: verdict %s rows %q", res.Verdict, sink.Rows())
	}
}
