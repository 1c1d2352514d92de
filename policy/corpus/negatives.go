package corpus

import (
	"fmt"
	"math/rand/v2"
)

// negLayout builds a table with no individual's data in it: the company
// data agencies mail every day, which must not be held.
type negLayout struct {
	name  string
	build func(r *rand.Rand, part Part, n int) table
}

var negLayouts = []negLayout{
	{"postal-master", postalMaster},
	{"staff-roster", staffRoster},
	{"price-list", priceList},
	{"branch-list", branchList},
	{"statistics", statistics},
	{"invoice", invoiceLines},
	{"postal-kenall", kenAll},
	{"catalogue", catalogue},
	{"sales", salesByMonth},
	{"schedule", schedule},
	{"client-companies", clientCompanies},
	{"ledger", ledger},
}

// clientCompanies is a list of corporate clients: company names,
// departments, addresses and phones of offices, no individuals.
func clientCompanies(r *rand.Rand, part Part, n int) table {
	t := table{rows: [][]cell{textRow(variant(r, part, []string{"取引先名", "法人名", "会社名", "顧客名（法人）"}), "部署", "郵便番号", "所在地", "代表電話", "業種")}}
	for i := range n {
		pl := pick(r, places)
		name := pick(r, []string{"株式会社", "有限会社", "㈱", "合同会社"}) + pick(r, surnames).kanji + pick(r, []string{"商事", "建設", "運輸", "製作所", "不動産", "食品"})
		if i%3 == 0 {
			name = pick(r, surnames).kanji + pick(r, []string{"工業株式会社", "産業㈱", "物流株式会社"})
		}
		t.rows = append(t.rows, textRow(name, pick(r, []string{"総務部", "経理部", "人事部", "本社"}), fmt.Sprintf("%s-%04d", pl.zip3, r.IntN(10000)),
			pl.pref+pl.city+pick(r, pl.towns)+fmt.Sprintf("%d-%d-%d", 1+r.IntN(5), 1+r.IntN(20), 1+r.IntN(20)), landline(r, pl.area),
			pick(r, []string{"製造業", "建設業", "運輸業", "卸売業", "不動産業"})))
	}
	return t
}

// ledger is an accounting journal export: dates, 12-digit voucher
// numbers, accounts and amounts.
func ledger(r *rand.Rand, part Part, n int) table {
	t := table{rows: [][]cell{textRow("日付", variant(r, part, []string{"伝票番号", "仕訳番号", "伝票No", "管理番号"}), "借方科目", "貸方科目", "摘要", "金額")}}
	for range n {
		m, d := 1+r.IntN(12), 1+r.IntN(28)
		t.rows = append(t.rows, []cell{{text: fmt.Sprintf("2026/%02d/%02d", m, d), date: true, serial: excelSerial(2026, m, d)},
			{text: fmt.Sprintf("2026%02d%06d", m, r.IntN(1000000))},
			{text: pick(r, []string{"旅費交通費", "通信費", "消耗品費", "支払手数料", "普通預金"})},
			{text: pick(r, []string{"普通預金", "未払金", "現金", "売掛金"})},
			{text: pick(r, []string{"新幹線代 東京-大阪", "切手代", "コピー用紙", "振込手数料", "保険料収入"})},
			{text: yen(100 + r.IntN(5000)*10)}})
	}
	return t
}

// postalMaster is a zip → address table (addresses of places, no people).
func postalMaster(r *rand.Rand, part Part, n int) table {
	t := table{rows: [][]cell{textRow(variant(r, part, []string{"郵便番号", "〒", "郵便番号", "ZIP"}), "都道府県", "市区町村", "町域")}}
	for range n {
		pl := pick(r, places)
		t.rows = append(t.rows, textRow(fmt.Sprintf("%s-%04d", pl.zip3, r.IntN(10000)), pl.pref, pl.city,
			pick(r, pl.towns)+variant(r, part, []string{"", "一丁目", "", "（次のビルを除く）", "", "２丁目"})))
	}
	return t
}

// kenAll mimics Japan Post's KEN_ALL.CSV: no heading, half-width kana.
func kenAll(r *rand.Rand, _ Part, n int) table {
	var t table
	for range n {
		pl := pick(r, places)
		town := pick(r, pl.towns)
		zip := fmt.Sprintf("%s%04d", pl.zip3, r.IntN(10000))
		t.rows = append(t.rows, textRow(fmt.Sprintf("%05d", 1000+r.IntN(47000)), zip[:5], zip,
			"ﾄｳｷｮｳﾄ", "ｼﾝｼﾞｭｸｸ", "ﾆｼｼﾝｼﾞｭｸ", pl.pref, pl.city, town, "0", "0", "1", "0", "0", "0"))
	}
	return t
}

// staffRoster lists the office's own staff with extension and office
// numbers: business contact data, not customer data.
func staffRoster(r *rand.Rand, part Part, n int) table {
	t := table{title: []string{variant(r, part, []string{"社員名簿（内線表）", "2026年度 内線番号一覧", "担当者一覧"})}}
	t.rows = append(t.rows, textRow("所属", variant(r, part, []string{"担当者", "社員名", "氏名", "名前"}), "役職", "内線", variant(r, part, []string{"直通", "電話番号", "代表電話", "TEL"}), "社用メール"))
	for i := range n {
		s := pick(r, surnames)
		t.rows = append(t.rows, textRow(pick(r, []string{"営業一課", "営業二課", "業務課", "損害サービス課", "総務部"}), s.kanji,
			pick(r, []string{"課長", "主任", "", "", "係長"}), fmt.Sprintf("%d", 2100+i), "03-5321-"+fmt.Sprintf("%04d", 1000+r.IntN(80)),
			fmt.Sprintf("%s%d@agency.example.jp", s.romaji, i)))
	}
	return t
}

// priceList is a product price list with JAN codes and 12-digit
// internal codes that happen to pass the My Number check digit.
func priceList(r *rand.Rand, part Part, n int) table {
	t := table{title: []string{variant(r, part, []string{"2026年 価格表", "卸価格一覧（税抜）", "価格改定のお知らせ 別紙"})}}
	t.rows = append(t.rows, textRow(variant(r, part, []string{"商品コード", "品番", "社内コード", "管理コード"}), "JANコード", "商品名", "入数", "定価", "税込"))
	for range n {
		p := 100 + r.IntN(500)*10
		t.rows = append(t.rows, textRow(myNumber(r), janCode(r), pick(r, products), fmt.Sprint(pick(r, []int{1, 6, 12, 24})), yen(p), yen(p*110/100)))
	}
	return t
}

var products = []string{"ボールペン 黒 0.5mm", "コピー用紙 A4 500枚", "クリアファイル 10枚入", "付箋 75×75", "ホチキス針 No.10",
	"封筒 長形3号 100枚", "トナーカートリッジ", "ファイルボックス", "電卓 12桁", "名刺ケース", "印鑑マット", "ゴム印 住所印"}

func branchList(r *rand.Rand, part Part, n int) table {
	t := table{rows: [][]cell{textRow(variant(r, part, []string{"支店名", "拠点", "営業所名", "店舗"}), "郵便番号", variant(r, part, []string{"所在地", "住所", "所在地", "住所"}), "電話番号", "FAX", "営業時間")}}
	for i := range n {
		pl := pick(r, places)
		t.rows = append(t.rows, textRow(pl.city+"営業所"+fmt.Sprint(i+1), fmt.Sprintf("%s-%04d", pl.zip3, r.IntN(10000)),
			pl.pref+pl.city+pick(r, pl.towns)+fmt.Sprintf("%d-%d-%d", 1+r.IntN(5), 1+r.IntN(20), 1+r.IntN(20))+" "+pick(r, []string{"第一ビル5F", "センタービル3階", "駅前ビル2F"}),
			landline(r, pl.area), landline(r, pl.area), "9:00～17:00"))
	}
	return t
}

// statistics is an aggregate: counts by age band and prefecture.
func statistics(r *rand.Rand, part Part, n int) table {
	t := table{title: []string{variant(r, part, []string{"年代別 契約件数集計", "都道府県別・年代別 新規契約数", "月次報告 集計表"})}}
	t.rows = append(t.rows, textRow("都道府県", "20代", "30代", "40代", "50代", "60代以上", "合計", "構成比"))
	for range n {
		pl := pick(r, places)
		a, b, c, d, e := r.IntN(200), r.IntN(300), r.IntN(300), r.IntN(250), r.IntN(400)
		t.rows = append(t.rows, textRow(pl.pref, fmt.Sprint(a), fmt.Sprint(b), fmt.Sprint(c), fmt.Sprint(d), fmt.Sprint(e), fmt.Sprint(a+b+c+d+e), fmt.Sprintf("%.1f%%", float64(r.IntN(200))/10)))
	}
	return t
}

func invoiceLines(r *rand.Rand, part Part, n int) table {
	t := table{title: []string{"御請求書", "株式会社サンプル商事 御中", "請求番号 INV-2026-" + fmt.Sprint(1000+r.IntN(9000))}}
	t.rows = append(t.rows, textRow("日付", variant(r, part, []string{"品名", "摘要", "品目", "内容"}), "数量", "単価", "金額"))
	for range n {
		q, p := 1+r.IntN(20), 100+r.IntN(300)*10
		y, m, d := 2026, 1+r.IntN(11), 1+r.IntN(28)
		t.rows = append(t.rows, []cell{{text: fmt.Sprintf("%d/%02d/%02d", y, m, d), date: true, serial: excelSerial(y, m, d)},
			{text: pick(r, products)}, {text: fmt.Sprint(q)}, {text: yen(p)}, {text: yen(p * q)}})
	}
	t.rows = append(t.rows, textRow("", "振込先：みずほ銀行 本店 普通 1234567 カ）サンプルダイリテン", "", "", ""))
	return t
}

func catalogue(r *rand.Rand, part Part, n int) table {
	t := table{rows: [][]cell{textRow(variant(r, part, []string{"型番", "品番", "型式", "Model"}), "商品名", "サイズ(mm)", "重量", "希望小売価格", "JAN")}}
	for range n {
		t.rows = append(t.rows, textRow(fmt.Sprintf("%c%c-%04d", 'A'+rune(r.IntN(26)), 'A'+rune(r.IntN(26)), r.IntN(10000)), pick(r, products),
			fmt.Sprintf("%d×%d×%d", 10+r.IntN(300), 10+r.IntN(300), 5+r.IntN(100)), fmt.Sprintf("%dg", 10+r.IntN(2000)), yen(500+r.IntN(100)*100), janCode(r)))
	}
	return t
}

// salesByMonth lists sales per staff member: staff names with figures.
func salesByMonth(r *rand.Rand, part Part, n int) table {
	t := table{rows: [][]cell{textRow(variant(r, part, []string{"担当者", "募集人", "営業担当", "担当"}), "4月", "5月", "6月", "7月", "8月", "9月", "上期計")}}
	for range n {
		s := pick(r, surnames)
		row := []string{s.kanji}
		sum := 0
		for range 6 {
			v := r.IntN(3000) * 1000
			sum += v
			row = append(row, yen(v))
		}
		t.rows = append(t.rows, textRow(append(row, yen(sum))...))
	}
	return t
}

func schedule(r *rand.Rand, part Part, n int) table {
	t := table{rows: [][]cell{textRow("日付", "時間", variant(r, part, []string{"内容", "件名", "予定", "行事"}), "会場", "会場住所", "問合せ先")}}
	for range n {
		pl := pick(r, places)
		m, d := 1+r.IntN(12), 1+r.IntN(28)
		t.rows = append(t.rows, []cell{{text: fmt.Sprintf("2026/%02d/%02d", m, d), date: true, serial: excelSerial(2026, m, d)},
			{text: fmt.Sprintf("%d:00～%d:00", 9+r.IntN(4), 14+r.IntN(4))},
			{text: pick(r, []string{"新商品勉強会", "コンプライアンス研修", "代理店会議", "個人情報保護研修", "決算説明会"})},
			{text: pl.city + "市民会館"}, {text: pl.pref + pl.city + pick(r, pl.towns) + "1-1-1"}, {text: landline(r, pl.area)}})
	}
	return t
}
