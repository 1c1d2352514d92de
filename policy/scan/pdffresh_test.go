package scan

import (
	"fmt"
	"testing"
	"time"
)

// TestPDFFreshSlice is a held-out slice for PDF detection (issue 11):
// layouts written after the PDF fixes of branch hd and scored once, before
// anyone looked at the detector's result on them. Its score is reported
// in docs/DETECTION.md; the test fails below the floor, and a document
// without people that is held fails at once. Do not tune on these:
// add cases of new kinds instead.
func TestPDFFreshSlice(t *testing.T) {
	type doc struct {
		name     string
		data     []byte
		personal bool
	}
	var docs []doc
	add := func(name string, personal bool, lines ...[]piece) {
		docs = append(docs, doc{name, pdfLines(10, lines...), personal})
	}
	// An accident report form: labels in a left column, the insured
	// person's details beside them.
	lab := []float64{70, 180}
	add("accident report", true,
		at(230, "事故受付票"),
		row(lab, "受付日", "2026年11月30日"),
		row(lab, "ご契約者", "三浦 麻衣 様"),
		row(lab, "ご連絡先", "090-7712-4035"),
		row(lab, "ご住所", "福岡県北九州市小倉北区魚町2-6-10"),
		row(lab, "事故状況", "駐車場で後退中に接触"),
	)
	// A claim payment notice: the payee's account in prose.
	add("payment notice in prose", true,
		at(60, "保険金お支払いのご案内"),
		at(60, "小田 恭平 様"),
		at(60, "このたびのご請求につき、下記のとおりお支払いいたします。"),
		at(60, "お振込先：北洋銀行 札幌駅前支店 普通預金 3381207 オダ キヨウヘイ"),
		at(60, "お支払額：185,000円"),
	)
	// A numbered list (1. 2. 3.) of people with their birthdays and
	// mobiles, fields apart by two spaces.
	add("numbered list", true,
		at(60, "訪問予定"),
		at(60, "1. 堤 雅人  1966/02/14  090-3310-8826"),
		at(60, "2. 片山 和美  1973/08/30  080-6645-1907"),
		at(60, "3. 荒木 拓郎  1981/12/03  070-2218-5563"),
	)
	// A sheet printed without a grid: kana, birth date, phone.
	xs := []float64{50, 140, 250, 330}
	lines := [][]piece{row(xs, "氏名", "フリガナ", "生年月日", "携帯電話")}
	for i, p := range [][3]string{{"桜井 勇", "サクライ イサム", "1958/06/21"}, {"野村 早苗", "ノムラ サナエ", "1964/10/02"}, {"菊地 光", "キクチ ヒカル", "1990/01/17"}, {"吉川 陽子", "ヨシカワ ヨウコ", "1977/05/09"}} {
		lines = append(lines, row(xs, p[0], p[1], p[2], fmt.Sprintf("090-44%02d-%04d", i, 3100+i*17)))
	}
	add("unruled sheet with kana", true, lines...)
	// One customer, fields on one line in a letter header.
	add("letter with a reference line", true,
		at(60, "ご契約者：宮崎 亮　1985年7月3日生　大分県大分市府内町3-8-1"),
		at(60, "いつもお世話になっております。"),
		at(60, "ご契約の更新手続きが完了しましたのでお知らせいたします。"),
	)
	// Negatives: office documents with numbers and names of places or
	// companies, no customers.
	add("branch phone list", false,
		row([]float64{60, 180, 380}, "店舗名", "所在地", "電話番号"),
		row([]float64{60, 180, 380}, "札幌支店", "北海道札幌市中央区北一条西4-2", "011-231-5501"),
		row([]float64{60, 180, 380}, "仙台支店", "宮城県仙台市青葉区中央1-3-1", "022-262-7780"),
		row([]float64{60, 180, 380}, "広島支店", "広島県広島市中区紙屋町2-2-2", "082-248-3310"),
		row([]float64{60, 180, 380}, "福岡支店", "福岡県福岡市博多区博多駅前3-2-8", "092-474-1126"),
	)
	add("meeting minutes", false,
		at(60, "営業会議 議事録　2026/11/20 10:00-11:30"),
		at(60, "出席：佐々木部長、井上課長、山内主任"),
		at(60, "・11月の新規契約 128件（前年比 104%）"),
		at(60, "・12月1日より 事務手数料を改定 1,100円→1,320円"),
		at(60, "・次回 2026/12/18 本社 3F 会議室"),
	)
	add("price table", false,
		row([]float64{60, 220, 320, 420}, "プラン", "月額", "年額", "コード"),
		row([]float64{60, 220, 320, 420}, "ベーシック", "1,980円", "21,780円", "PL-100201"),
		row([]float64{60, 220, 320, 420}, "スタンダード", "2,980円", "32,780円", "PL-100202"),
		row([]float64{60, 220, 320, 420}, "プレミアム", "4,980円", "54,780円", "PL-100203"),
	)
	add("staff contacts under a section heading", false,
		at(60, "お問い合わせ窓口"),
		row([]float64{60, 160, 240, 340}, "損害サービス課", "森 直子", "課長", "03-6258-4401"),
		row([]float64{60, 160, 240, 340}, "損害サービス課", "杉本 剛", "主任", "03-6258-4402"),
		row([]float64{60, 160, 240, 340}, "契約管理課", "上田 愛", "係長", "03-6258-4410"),
		row([]float64{60, 160, 240, 340}, "契約管理課", "平田 進", "主任", "03-6258-4411"),
	)
	add("statistics by age band", false,
		row([]float64{60, 160, 260, 360}, "年代", "契約件数", "構成比", "前年比"),
		row([]float64{60, 160, 260, 360}, "20代", "1,204", "12.1%", "101.3%"),
		row([]float64{60, 160, 260, 360}, "30代", "2,318", "23.3%", "98.7%"),
		row([]float64{60, 160, 260, 360}, "40代", "3,010", "30.2%", "102.9%"),
		row([]float64{60, 160, 260, 360}, "50代以上", "3,421", "34.4%", "104.0%"),
	)

	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	var tp, fn, fp, tn int
	for _, d := range docs {
		res := scanFile(t, s, "doc.pdf", d.data)
		held := res.Verdict != Clean
		switch {
		case d.personal && held:
			tp++
		case d.personal:
			fn++
			t.Logf("MISS %s: %s %+v", d.name, res.Verdict, res.Findings)
		case held:
			fp++
			t.Errorf("FALSE %s: %s %q", d.name, res.Verdict, res.Reasons)
		default:
			tn++
		}
	}
	recall := float64(tp) / float64(tp+fn)
	t.Logf("fresh PDF slice: TP %d FN %d FP %d TN %d, recall %.3f", tp, fn, fp, tn, recall)
	// measured 0.600 when the slice was first run (3 of 5; the payment
	// notice in prose and the numbered list missed): a regression guard,
	// not the goal
	if recall < 0.6 {
		t.Errorf("recall %.3f below the floor 0.6", recall)
	}
}
