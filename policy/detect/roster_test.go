package detect

import (
	"fmt"
	"strings"
	"testing"
)

// TestRosterJobTitles: a staff roster (name, job title, office phone)
// is business contact data, not customers' (issue 11), also without a
// heading row (a PDF page that continues the list, a roster pasted
// without its heading) or under headings the header finder does not
// know. A list with job titles and birth dates (employees insured as a
// group) is still personal data. Written by hand.
func TestRosterJobTitles(t *testing.T) {
	e := newEngine(t)
	names := []string{"青木 俊介", "石田 美穂", "上野 達也", "江口 由香", "大西 健", "加納 理恵", "北村 大輔", "久保 真理"}
	titles := []string{"部長", "営業課長", "主任", "", "係長", "", "支店長代理", "主任"}
	var staff, insured string
	for i, n := range names {
		staff += fmt.Sprintf("%s,%s,03-5211-%04d\n", n, titles[i], 4100+i)
		insured += fmt.Sprintf("%s,%s,19%d/04/12\n", n, titles[i], 60+i)
	}
	tests := []struct {
		name     string
		csv      string
		personal bool
	}{
		{"heading 氏名 役職 電話番号", "氏名,役職,電話番号\n" + staff, false},
		{"no heading", staff, false},
		{"a title row above", "社員名簿,,\n" + staff, false},
		{"heading the finder does not know", "担当者,役職,直通\n" + staff, false},
		{"insured staff with birth dates", "氏名,役職,生年月日\n" + insured, true},
		{"customers without titles", strings.NewReplacer("部長", "", "営業課長", "", "主任", "", "係長", "", "支店長代理", "", "03-5211", "090-5211").Replace(staff), true},
	}
	for _, tc := range tests {
		r := scanTable(e, tc.csv)
		if s := r.Summary(); s.PersonalData != tc.personal {
			t.Errorf("%s: %+v\n%+v", tc.name, s, r.Findings())
		}
	}
}
