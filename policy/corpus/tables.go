package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// cell is one spreadsheet value: text, or a date a spreadsheet stores as
// a serial number (XLSX writes it so; text formats print it).
type cell struct {
	text   string
	date   bool
	serial int
}

// table is a sheet: optional title lines above the heading row (merged
// across the columns in XLSX), then rows; head is the heading row index.
type table struct {
	title []string
	rows  [][]cell
}

func textRow(xs ...string) []cell {
	out := make([]cell, len(xs))
	for i, x := range xs {
		out[i] = cell{text: x}
	}
	return out
}

// strings returns the rows as text, dates printed in style.
func (t table) strings() [][]string {
	out := make([][]string, 0, len(t.rows))
	for _, row := range t.rows {
		rec := make([]string, len(row))
		for i, c := range row {
			rec[i] = c.text
		}
		out = append(out, rec)
	}
	return out
}

// column is one kind of customer-list column: the headings different
// CRMs and agencies give it, and how a value is written.
type column struct {
	headings []string
	value    func(r *rand.Rand, part Part, p person, s *style) cell
}

// style fixes the per-file choices (one date style per file, as Excel
// users keep one format in a column).
type style struct {
	birth dateStyle
	phone func(string) string
	addr  func(person) string
	kana  func(string) string
}

func newStyle(r *rand.Rand, part Part) *style {
	return &style{
		birth: variant(r, part, birthStyles),
		phone: variant(r, part, phoneStyles),
		addr:  variant(r, part, addressStyles),
		kana: variant(r, part, []func(string) string{
			func(s string) string { return s }, halfKana, hiragana,
			func(s string) string { return strings.ReplaceAll(s, " ", "　") },
		}),
	}
}

func txt(f func(p person, s *style) string) func(*rand.Rand, Part, person, *style) cell {
	return func(_ *rand.Rand, _ Part, p person, s *style) cell { return cell{text: f(p, s)} }
}

var cols = map[string]column{
	"id": {[]string{"顧客番号", "顧客ID", "No.", "管理番号", "お客様コード", "CustNo"},
		func(r *rand.Rand, _ Part, _ person, _ *style) cell {
			return cell{text: fmt.Sprintf("C%06d", r.IntN(1000000))}
		}},
	"name": {[]string{"氏名", "お名前", "契約者名", "被保険者", "顧客名", "契約者氏名", "名前", "被保険者名", "お客様名", "ご契約者様"},
		txt(func(p person, _ *style) string { return p.name() })},
	"name-nospace": {[]string{"氏名", "契約者", "お名前", "顧客氏名"},
		txt(func(p person, _ *style) string { return p.sur + p.given })},
	"sur":   {[]string{"姓", "氏名（姓）", "苗字", "契約者姓"}, txt(func(p person, _ *style) string { return p.sur })},
	"given": {[]string{"名", "氏名（名）", "名前", "契約者名"}, txt(func(p person, _ *style) string { return p.given })},
	"kana": {[]string{"フリガナ", "カナ", "ふりがな", "契約者カナ", "ﾌﾘｶﾞﾅ", "氏名（カナ）", "カナ氏名", "よみ"},
		txt(func(p person, s *style) string { return s.kana(p.kana()) })},
	"gender": {[]string{"性別", "性", "男女"}, txt(func(p person, _ *style) string { return p.gender() })},
	"birth": {[]string{"生年月日", "誕生日", "生年月日(和暦)", "契約者生年月日", "生年月日（西暦）", "被保険者生年月日"},
		func(_ *rand.Rand, _ Part, p person, s *style) cell {
			return cell{text: s.birth(p.year, p.month, p.day), date: true, serial: excelSerial(p.year, p.month, p.day)}
		}},
	"age": {[]string{"年齢", "満年齢", "契約時年齢"}, txt(func(p person, _ *style) string { return fmt.Sprint(age(p.year, p.month, p.day)) })},
	"zip": {[]string{"郵便番号", "〒", "郵便番号(7桁)", "ZIP"}, txt(func(p person, _ *style) string { return p.zip })},
	"address": {[]string{"住所", "ご住所", "住所1", "現住所", "契約者住所", "送付先住所"},
		txt(func(p person, s *style) string { return s.addr(p) })},
	"pref": {[]string{"都道府県", "県名"}, txt(func(p person, _ *style) string { return p.pref })},
	"street": {[]string{"市区町村番地", "住所2", "住所（市区町村以下）"},
		txt(func(p person, _ *style) string { return p.city + p.town + p.block })},
	"building": {[]string{"建物名", "住所3", "マンション名等"}, txt(func(p person, _ *style) string { return p.building })},
	"phone": {[]string{"電話番号", "携帯", "TEL", "携帯電話", "連絡先", "携帯番号"},
		txt(func(p person, s *style) string { return s.phone(p.phone) })},
	"home": {[]string{"自宅電話", "電話", "TEL(自宅)", "固定電話"},
		txt(func(p person, s *style) string { return s.phone(p.home) })},
	"mail": {[]string{"メールアドレス", "E-mail", "メール", "mail", "Eメール", "連絡先メール"},
		txt(func(p person, _ *style) string { return p.mail })},
	"policy": {[]string{"証券番号", "契約番号", "証券No", "保険証券番号", "証券番号／契約番号"},
		txt(func(p person, _ *style) string { return p.policy })},
	"product": {[]string{"保険種類", "商品名", "種目", "契約種別"},
		func(r *rand.Rand, _ Part, _ person, _ *style) cell {
			return cell{text: pick(r, []string{"終身保険", "医療保険", "自動車保険", "火災保険", "がん保険", "定期保険", "個人年金保険", "傷害保険"})}
		}},
	"premium": {[]string{"保険料", "月額保険料", "年間保険料", "保険料(円)"},
		func(r *rand.Rand, _ Part, _ person, _ *style) cell { return cell{text: yen(1000 + r.IntN(400)*50)} }},
	"expiry": {[]string{"満期日", "更新日", "保険期間満了日", "次回更新"},
		func(r *rand.Rand, part Part, _ person, s *style) cell {
			y, m, d := 2026+r.IntN(2), 1+r.IntN(12), 1+r.IntN(28)
			return cell{text: fmt.Sprintf("%d/%02d/%02d", y, m, d), date: true, serial: excelSerial(y, m, d)}
		}},
	"bank":     {[]string{"金融機関名", "銀行名", "振込先銀行", "引落銀行"}, txt(func(p person, _ *style) string { return p.bank.bank })},
	"branch":   {[]string{"支店名", "本支店名", "支店"}, txt(func(p person, _ *style) string { return p.bank.branch })},
	"acctkind": {[]string{"預金種目", "口座種別", "種目"}, txt(func(p person, _ *style) string { return p.bank.kind })},
	"account":  {[]string{"口座番号", "振込口座", "引落口座番号", "口座No"}, txt(func(p person, _ *style) string { return p.bank.number })},
	"holder": {[]string{"口座名義", "口座名義（カナ）", "受取人名", "名義人ｶﾅ"},
		txt(func(p person, _ *style) string { return halfKana(p.kana()) })},
	"mynumber": {[]string{"個人番号", "マイナンバー", "個人番号(12桁)", "マイナンバー（個人番号）"},
		txt(func(p person, _ *style) string { return p.myNumber })},
	"card": {[]string{"カード番号", "クレジットカード番号", "カードNo"},
		txt(func(p person, _ *style) string {
			return p.card[:4] + "-" + p.card[4:8] + "-" + p.card[8:12] + "-" + p.card[12:]
		})},
	"cardexp": {[]string{"有効期限", "カード有効期限"},
		func(r *rand.Rand, _ Part, _ person, _ *style) cell {
			return cell{text: fmt.Sprintf("%02d/%02d", 1+r.IntN(12), 27+r.IntN(5))}
		}},
	"relation": {[]string{"続柄", "契約者との関係"},
		func(r *rand.Rand, _ Part, _ person, _ *style) cell {
			return cell{text: pick(r, []string{"本人", "配偶者", "子", "父", "母"})}
		}},
	"staff": {[]string{"担当者", "担当", "募集人", "営業担当"},
		func(r *rand.Rand, _ Part, _ person, _ *style) cell { return cell{text: pick(r, surnames).kanji} }},
	"note": {[]string{"備考", "メモ", "対応履歴", "コメント"},
		func(r *rand.Rand, _ Part, _ person, _ *style) cell {
			return cell{text: pick(r, []string{"", "", "", "要連絡", "更新済", "住所変更あり", "口座振替", "満期案内送付済", "不在"})}
		}},
	"en-name": {[]string{"Name", "Full Name", "Customer Name"},
		txt(func(p person, _ *style) string {
			g, s, _ := strings.Cut(p.romaji, ".")
			return strings.ToUpper(g[:1]) + g[1:] + " " + strings.ToUpper(s[:1]) + s[1:]
		})},
	"en-birth": {[]string{"Date of Birth", "DOB", "Birthday"},
		func(_ *rand.Rand, _ Part, p person, _ *style) cell {
			return cell{text: fmt.Sprintf("%02d/%02d/%d", p.month, p.day, p.year), date: true, serial: excelSerial(p.year, p.month, p.day)}
		}},
	"en-address": {[]string{"Address", "Home Address"}, txt(func(p person, _ *style) string { return p.address() })},
	"en-phone":   {[]string{"Phone", "Mobile", "Tel"}, txt(func(p person, _ *style) string { return p.phone })},
	"en-mail":    {[]string{"Email", "E-mail Address"}, txt(func(p person, _ *style) string { return p.mail })},
}

// listLayout is one kind of customer list.
type listLayout struct {
	name     string
	cols     []string
	noHeader bool
}

// listLayouts are the customer lists agencies mail: CRM exports,
// renewal lists, mailing labels, bank-transfer lists, seminar rosters.
var listLayouts = []listLayout{
	{name: "crm", cols: []string{"id", "name", "kana", "birth", "zip", "address", "phone", "mail", "policy", "staff"}},
	{name: "renewal", cols: []string{"policy", "name", "kana", "birth", "product", "expiry", "premium", "phone", "note"}},
	{name: "labels", cols: []string{"zip", "address", "name"}},
	{name: "transfer", cols: []string{"name", "holder", "bank", "branch", "acctkind", "account", "premium"}},
	{name: "insured", cols: []string{"policy", "name", "relation", "name-nospace", "gender", "birth", "age"}},
	{name: "attendees", cols: []string{"name", "kana", "phone", "mail", "note"}},
	{name: "mynumber", cols: []string{"name", "kana", "birth", "mynumber", "address"}},
	{name: "split", cols: []string{"id", "sur", "given", "kana", "zip", "pref", "street", "building", "home", "phone"}},
	{name: "english", cols: []string{"en-name", "en-birth", "en-address", "en-phone", "en-mail"}},
	{name: "noheader", cols: []string{"name", "kana", "birth", "address", "phone"}, noHeader: true},
	{name: "card", cols: []string{"name", "card", "cardexp", "phone"}},
	{name: "kana-only", cols: []string{"kana", "gender", "birth", "phone", "staff"}},
	{name: "phone-list", cols: []string{"name", "phone"}},
	{name: "birthdays", cols: []string{"name-nospace", "birth", "staff"}},
	{name: "mail-list", cols: []string{"id", "name", "mail"}},
	{name: "policies", cols: []string{"policy", "name", "product", "premium", "expiry"}},
}

// customerTable builds a list of n invented customers in layout l.
func customerTable(r *rand.Rand, part Part, l listLayout, n int) table {
	s := newStyle(r, part)
	var t table
	if !l.noHeader {
		head := make([]string, len(l.cols))
		for i, c := range l.cols {
			head[i] = variant(r, part, cols[c].headings)
		}
		t.rows = append(t.rows, textRow(head...))
	}
	for range n {
		p := newPerson(r)
		row := make([]cell, len(l.cols))
		for i, c := range l.cols {
			row[i] = cols[c].value(r, part, p, s)
		}
		t.rows = append(t.rows, row)
	}
	return t
}
