package gateway

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/okuri/okuri/policy/scan"
)

// crmExport is a customer list as a CRM exports it: a header row and 20
// customers × 7 columns.
func crmExport(rows int) string {
	var b strings.Builder
	b.WriteString("顧客番号,氏名,フリガナ,生年月日,電話番号,住所,証券番号\r\n")
	for i := 1; i <= rows; i++ {
		fmt.Fprintf(&b, "C%04d,山田 太郎%d,ヤマダ タロウ,1975/04/%02d,090-12%02d-56%02d,東京都千代田区丸の内1-%d-1,AB%08d\r\n",
			i, i, i%28+1, i, i, i, 12345600+i)
	}
	return b.String()
}

// TestFindingsKeepRecordsAndColumn: the held record keeps how many people
// each finding covers and its column, so the approval page can say "20
// customers" instead of adding up 140 cells.
func TestFindingsKeepRecordsAndColumn(t *testing.T) {
	sc, err := scan.New(scan.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Close()
	csv := crmExport(20)
	res, err := sc.ScanFile(context.Background(), "顧客一覧.csv", strings.NewReader(csv), int64(len(csv)))
	if err != nil {
		t.Fatal(err)
	}
	fs := findings(res)
	if len(fs) == 0 {
		t.Fatal("no findings in a 20-customer list")
	}
	columns := map[string]bool{}
	for _, f := range fs {
		if f.Records == 0 || f.Records > 20 {
			t.Errorf("finding %s: records %d, want 1..20", f.Kind, f.Records)
		}
		columns[f.Column] = true
	}
	for _, want := range []string{"電話番号", "生年月日"} {
		if !columns[want] {
			t.Errorf("no finding names column %q (columns %v)", want, columns)
		}
	}
}
