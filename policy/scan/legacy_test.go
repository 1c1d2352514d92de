package scan

import (
	"os"

	"github.com/okuri/okuri/policy/extract/extracttest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Fixtures made by testdata/make-fixtures.sh with LibreOffice.
func TestFixtures(t *testing.T) {
	tests := []struct {
		file    string
		text    []string
		rows    []string
		verdict Verdict
	}{
		{file: "customers.xls", rows: []string{"氏名|フリガナ|生年月日|電話番号|住所", "佐藤花子|サトウハナコ|"}, verdict: PersonalData},
		{file: "customers.xlsx", rows: []string{"氏名|フリガナ|生年月日|電話番号|住所", "佐藤花子|サトウハナコ|"}, verdict: PersonalData},
		{file: "customers.ods", rows: []string{"氏名|フリガナ|生年月日|電話番号|住所", "佐藤花子|サトウハナコ|"}, verdict: PersonalData},
		{file: "letter.doc", text: []string{"契約者：山田太郎 様", "090-1234-5678", "佐藤花子"}, verdict: PersonalData},
		{file: "letter.docx", text: []string{"契約者：山田太郎 様"}, rows: []string{"佐藤花子|080-2345-6789"}, verdict: PersonalData},
		{file: "letter.odt", text: []string{"契約者：山田太郎 様"}, rows: []string{"佐藤花子|080-2345-6789"}, verdict: PersonalData},
		{file: "letter.pdf", text: []string{"契約者：山田太郎 様", "090-1234-5678", "東京都千代田区丸の内"}, verdict: PersonalData},
		{file: "letter-password.pdf", verdict: Encrypted},
	}
	// One scanner for all: the PDF engine starts once (seconds; over a
	// minute under -race when this test runs first), within the scan's
	// time budget.
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			sink := extracttest.New()
			s.tee = sink
			res := scanFile(t, s, tc.file, data)
			all := sink.AllText()
			for _, w := range tc.text {
				if !strings.Contains(all, w) {
					t.Errorf("text %q missing:\n%s", w, all)
				}
			}
			rows := strings.Join(sink.Rows(), "\n")
			for _, w := range tc.rows {
				if !strings.Contains(rows, w) {
					t.Errorf("row %q missing; rows:\n%s", w, rows)
				}
			}
			if res.Verdict != tc.verdict {
				t.Errorf("verdict %s want %s (%q)", res.Verdict, tc.verdict, res.Reasons)
			}
		})
	}
}
