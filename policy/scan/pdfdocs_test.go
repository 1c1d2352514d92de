package scan

import (
	"fmt"
	"testing"
	"time"

	"github.com/okuri/okuri/policy/extract/pdf/pdftest"
)

// pdfLines lays out lines of a document from the top of an A4 page, one
// line every 15 points; each line is a list of (x, text) pieces, as a
// word processor or a form tool places them.
func pdfLines(size float64, lines ...[]piece) []byte {
	var texts []pdftest.Text
	y := 790.0
	for _, l := range lines {
		for _, p := range l {
			texts = append(texts, pdftest.Text{X: p.x, Y: y, Size: size, S: p.s})
		}
		y -= 15
	}
	return pdftest.Page(texts)
}

type piece struct {
	x float64
	s string
}

// at is one piece of a line.
func at(x float64, s string) []piece { return []piece{{x, s}} }

// row is a line of pieces at the given x positions.
func row(xs []float64, cells ...string) []piece {
	var ps []piece
	for i, c := range cells {
		ps = append(ps, piece{xs[i], c})
	}
	return ps
}

// TestPDFDocuments: documents about one to three customers, laid out the
// way office tools print them, are personal data with a record each;
// staff rosters are not (issue 11).
func TestPDFDocuments(t *testing.T) {
	label := []float64{60, 170}
	tests := []struct {
		name       string
		data       []byte
		want       Verdict
		minRecords int
	}{
		{"one customer form, labels beside values", pdfLines(10.5,
			at(220, "ご契約内容確認書"),
			nil,
			row(label, "氏名", "中村 真由美"),
			row(label, "フリガナ", "ナカムラ マユミ"),
			row(label, "生年月日", "1979年8月21日"),
			row(label, "ご住所", "〒330-0846 埼玉県さいたま市大宮区大門町3-42"),
			row(label, "電話番号", "048-641-2277"),
			row(label, "証券番号", "72-0041853"),
			nil,
			at(60, "上記の内容でお間違いがないかご確認ください。"),
		), PersonalData, 1},
		{"one row without a heading", pdfLines(9,
			at(60, "新規ご契約者"),
			nil,
			row([]float64{60, 130, 210, 290, 470}, "石井 恵子", "ｲｼｲ ｹｲｺ", "1991-02-17", "千葉県船橋市本町4-18-9", "０８０－５５１２－３０６４"),
		), PersonalData, 1},
		{"bulleted memo, two people", pdfLines(10,
			at(60, "引継ぎメモ"),
			nil,
			at(60, "以下のお客様の手続きが未了です。"),
			at(60, "●藤田 和彦　1958/11/30　大阪府豊中市新千里東町1-4-2　06-6871-3390"),
			at(60, "●小西 さおり　H2.6.14　兵庫県西宮市甲子園町7-25　090-3318-7702"),
			nil,
			at(60, "よろしくお願いします。"),
		), PersonalData, 2},
		{"bulleted memo, honorifics, era dates, a wrapped line", pdfLines(10.5,
			at(60, "お疲れさまです。来週訪問予定のお客様です。"),
			at(60, "・原田 誠様　S.49.5.2　静岡県浜松市中区元城町103-2　０９０ー２２７１ー"),
			at(60, "６６０８"),
			at(60, "・森本 千尋様　H.8.12.19　京都府京都市左京区北白川2-7　０７０ー４４０３ー１９５８"),
			at(60, "・杉山 正樹様　S.38.1.25　広島県広島市南区段原1-9-14　０８２ー２６１ー４４０７"),
			at(60, "以上です。"),
		), PersonalData, 3},
		{"bulleted memo, bullets drawn apart as Word does", pdfLines(10,
			at(60, "ご相談のあったお客様（2名）"),
			row([]float64{72, 90}, "●", "岡本 雄一　1972/07/09　北海道旭川市4条通8丁目1702　0166-23-5510"),
			row([]float64{72, 90}, "●", "岡本 佳代子　1975/03/30　北海道旭川市4条通8丁目1702　080-9183-2246"),
		), PersonalData, 2},
		{"birthday list with era dates", birthdays(), PersonalData, 8},
		{"staff roster: name, title, extension, office phone", roster(false, true), Clean, 0},
		{"staff roster page without its heading", roster(false, false), Clean, 0},
		{"staff roster with a department column", roster(true, true), Clean, 0},
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := scanFile(t, s, "doc.pdf", tc.data)
			if res.Verdict != tc.want || res.Summary.Records < tc.minRecords || tc.want == Clean && res.Summary.Records > 0 {
				t.Errorf("verdict %s records %d, want %s with %d+ (%q) %+v", res.Verdict, res.Summary.Records, tc.want, tc.minRecords, res.Reasons, res.Findings)
			}
		})
	}
}

// roster is an office's staff list (氏名, 役職, 内線, office phone and
// e-mail), with a department column first when dept, under a heading
// row when heading (the next pages of a roster have none): business
// contact data of staff at work, not customers' (issue 11).
func roster(dept, heading bool) []byte {
	names := []string{"青木 俊介", "石田 美穂", "上野 達也", "江口 由香", "大西 健", "加納 理恵", "北村 大輔", "久保 真理", "小池 修", "斎藤 綾", "島田 浩二", "関 奈々"}
	titles := []string{"部長", "課長", "主任", "", "係長", "", "課長代理", "", "主任", "", "", "部長"}
	depts := []string{"営業部", "営業部", "業務課", "業務課", "損害サービス課", "総務課"}
	xs := []float64{60, 140, 200, 250, 340}
	head := []string{"氏名", "役職", "内線", "電話番号", "メールアドレス"}
	if dept {
		xs = []float64{50, 130, 205, 255, 300, 385}
		head = append([]string{"所属"}, head...)
	}
	lines := [][]piece{at(60, "社員連絡先一覧（2026年4月1日現在）"), nil}
	if heading {
		lines = append(lines, row(xs, head...))
	}
	for i, n := range names {
		cells := []string{n, titles[i], fmt.Sprint(301 + i), fmt.Sprintf("03-5211-%04d", 4100+i), fmt.Sprintf("staff%02d@minato-hoken.co.jp", i)}
		if dept {
			cells = append([]string{depts[i/2]}, cells...)
		}
		lines = append(lines, row(xs, cells...))
	}
	return pdfLines(8, lines...)
}

// birthdays is a list of customers' birthdays for greeting cards: name,
// birth date in the era style typed in Excel (S.48.9.12), the staff
// member in charge. No number on the page has three digits.
func birthdays() []byte {
	xs := []float64{60, 170, 280}
	lines := [][]piece{at(60, "今月誕生日のお客様"), nil, row(xs, "お客様名", "生年月日", "担当")}
	for i, p := range [][2]string{{"今井 昌子", "S.31.4.8"}, {"内田 隆", "S.45.4.21"}, {"太田 恵美", "H.2.4.3"}, {"川口 浩一", "S.52.4.16"},
		{"坂口 典子", "S.39.4.30"}, {"高木 翼", "H.11.4.9"}, {"中島 修一", "S.27.4.12"}, {"松田 由紀", "S.60.4.25"}} {
		lines = append(lines, row(xs, p[0], p[1], []string{"佐藤", "田中"}[i%2]))
	}
	return pdfLines(10, lines...)
}
