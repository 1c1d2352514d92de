package scan

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

func utf16le(t testing.TB, s string, bom bool) []byte {
	t.Helper()
	b := unicode.IgnoreBOM
	if bom {
		b = unicode.UseBOM
	}
	out, _, err := transform.String(unicode.UTF16(unicode.LittleEndian, b).NewEncoder(), s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// UTF-16 customer lists as Excel and CRMs write them, attached to a mail.
func TestUTF16CSVAttachment(t *testing.T) {
	const list = "氏名,フリガナ,生年月日,電話番号\r\n山田太郎,ヤマダタロウ,1975/04/12,090-1234-5678\r\n佐藤花子,サトウハナコ,1980/11/03,080-2345-6789\r\n鈴木一郎,スズキイチロウ,1968/02/29,070-3456-7890\r\n"
	tsv := strings.ReplaceAll(list, ",", "\t")
	tests := []struct {
		name, header string
		data         []byte
	}{
		{"declared utf-16le, no BOM", "Content-Type: text/csv; charset=utf-16le; name=\"list.csv\"", utf16le(t, list, false)},
		{"declared utf-16le with BOM", "Content-Type: text/csv; charset=\"UTF-16LE\"; name=\"list.csv\"", utf16le(t, list, true)},
		{"declared utf-16 with BOM", "Content-Type: text/csv; charset=utf-16; name=\"list.csv\"", utf16le(t, list, true)},
		{"Excel Unicode text, octet-stream", "Content-Type: application/octet-stream; name=\"list.txt\"", utf16le(t, tsv, true)},
		{"Excel Unicode text without BOM", "Content-Type: text/plain; name=\"list.txt\"", utf16le(t, tsv, false)},
		{"CRM export utf-16le tsv, no BOM, vnd.ms-excel", "Content-Type: application/vnd.ms-excel; name=\"export.csv\"", utf16le(t, tsv, false)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n名簿を送ります。\r\n--X\r\n" +
				tc.header + "\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment\r\n\r\n" + b64(tc.data) + "--X--\r\n"
			s, sink := newTest(t)
			res := scanMsg(t, s, msg)
			rows := strings.Join(sink.Rows(), "\n")
			if !strings.Contains(rows, "山田太郎|ヤマダタロウ|1975/04/12|090-1234-5678") {
				t.Errorf("rows not extracted: %q (text %q)", rows, sink.AllText())
			}
			if res.Verdict != PersonalData {
				t.Errorf("verdict %s, want personal_data (%q)", res.Verdict, res.Reasons)
			}
		})
	}
}
