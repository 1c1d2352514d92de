package detect

import "strings"

// headerRule maps a column header to a kind. Rules are tried in order:
// the specific ones ("契約者生年月日", "被保険者番号") come before the
// person's name, which many headers contain.
type headerRule struct {
	k     kind
	words []string
}

// notPersonHeaders name columns about companies, products or staff.
var notPersonHeaders = []string{
	"会社", "法人名", "社名", "支店", "店舗", "店名", "商品", "品名", "品番", "部署", "担当",
	"銀行名", "金融機関", "代理店", "営業所", "事業所", "取引先", "屋号", "fax", "ファックス",
	"ファクス", "url", "ホームページ", "product", "company", "branch", "item", "staff",
	"支払", "請求", "注文", "日付", "契約日", "作成日", "更新日", "登録日", "発行日",
}

var headerRules = []headerRule{
	{kCorporate, []string{"法人番号", "corporatenumber"}},
	{kMyNumber, []string{"マイナンバー", "個人番号", "mynumber"}},
	{kBirthDate, []string{"生年月日", "誕生日", "生年", "birth", "dob"}},
	{kCreditCard, []string{"カード番号", "クレジット", "cardnumber", "card"}},
	{kName, []string{"口座名義", "名義人"}},
	{kBankAccount, []string{"口座番号", "口座", "account", "預金番号"}},
	{kHealthInsurance, []string{"保険者番号", "被保険者番号", "被保険者記号", "被保険者証", "保険証"}},
	{kPension, []string{"基礎年金", "年金番号"}},
	{kDriversLicense, []string{"免許証", "運転免許", "license", "licence"}},
	{kPassport, []string{"旅券", "パスポート", "passport"}},
	{kPolicy, []string{"証券番号", "証券no", "証券記号", "保険証券", "証書番号", "契約番号", "契約no", "policy"}},
	{kEmail, []string{"メール", "mail", "アドレス"}},
	{kPhone, []string{"電話", "tel", "携帯", "phone", "mobile", "連絡先", "℡"}},
	{kPostal, []string{"郵便番号", "〒", "zip", "postal", "postcode"}},
	{kAddress, []string{"住所", "所在地", "address", "住居", "居所", "送付先"}},
	{kName, []string{"氏名", "名前", "フリガナ", "ふりがな", "カナ", "かな", "契約者", "被保険者", "受取人",
		"顧客名", "お客様", "会員名", "名義", "宛名", "フルネーム", "芳名", "患者", "利用者", "受講者", "申込者",
		"加入者", "保護者", "世帯主", "社員名", "従業員", "name", "姓", "名", "氏", "セイ", "メイ", "読み", "よみ"}},
}

// genericHeaders are neutral header words: they mark a header row, and
// the column's values decide its kind.
var genericHeaders = []string{"番号", "no", "id", "区分", "種別", "備考", "日", "金額", "数量", "単価", "コード", "code",
	"date", "type", "メモ", "性別", "年齢", "職業", "status", "期限", "有効", "会社", "保険"}

// headerPairs has a bit for the first two bytes of every header word. A
// cell with no such byte pair contains none of them, which spares the
// ~150 substring searches for most data cells (tables without a header
// classify many rows as header candidates). Built once, read only.
var headerPairs = func() *[1 << 16 / 64]uint64 {
	var bits [1 << 16 / 64]uint64
	add := func(w string) {
		if len(w) >= 2 {
			p := uint16(w[0])<<8 | uint16(w[1])
			bits[p/64] |= 1 << (p % 64)
		}
	}
	for _, w := range notPersonHeaders {
		add(w)
	}
	for _, r := range headerRules {
		for _, w := range r.words {
			add(w)
		}
	}
	for _, w := range genericHeaders {
		add(w)
	}
	return &bits
}()

// mayHaveHeaderWord reports whether h could contain a header word (every
// word is at least two bytes long).
func mayHaveHeaderWord(h string) bool {
	for i := 0; i+1 < len(h); i++ {
		p := uint16(h[i])<<8 | uint16(h[i+1])
		if headerPairs[p/64]&(1<<(p%64)) != 0 {
			return true
		}
	}
	return false
}

// headerInfo is what a header cell says about its column.
type headerInfo struct {
	k       kind
	insurer bool // 保険者番号 (validated by check digit), not 被保険者…
	known   bool // a header keyword matched (even a negative one)
	company bool // the column names companies
	generic bool // a neutral header (番号, 備考 …): the values decide
}

// foldHeader is strings.ToLower(foldString(cell)) with a fast path for
// ASCII cells, where NFKC changes nothing and folding only drops blanks:
// an unlabelled sheet sends every cell of its first rows here.
func foldHeader(cell []byte) string {
	var buf [60]byte
	n := 0
	for _, c := range cell {
		if c >= 0x80 {
			return strings.ToLower(foldString(string(cell)))
		}
		if c == ' ' || c == '\t' {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[n] = c
		n++
	}
	return string(buf[:n])
}

// placeReading reports the reading of a place (都道府県カナ, 町域カナ,
// 住所フリガナ), as a postal-code master has: カナ alone names a
// person's reading.
func placeReading(h string) bool {
	reading := false
	for _, w := range [...]string{"カナ", "かな", "フリガナ", "ふりがな", "読み", "よみ"} {
		if strings.Contains(h, w) {
			reading = true
			break
		}
	}
	if !reading {
		return false
	}
	for _, w := range [...]string{"都道府県", "市区町村", "町域", "町名", "地名", "住所", "所在地"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}

// classifyHeader maps one header cell to a kind.
func classifyHeader(cell []byte) headerInfo {
	if len(cell) == 0 || len(cell) > 60 {
		return headerInfo{} // headers are short; spare the NFKC below
	}
	h := foldHeader(cell)
	h = strings.Trim(h, "\"'[]()")
	if h == "" || !mayHaveHeaderWord(h) {
		return headerInfo{}
	}
	if placeReading(h) {
		return headerInfo{known: true}
	}
	for _, w := range notPersonHeaders {
		if strings.Contains(h, w) {
			return headerInfo{known: true, company: strings.Contains(h, "会社") || strings.Contains(h, "法人名") || strings.Contains(h, "社名") || strings.Contains(h, "company") || strings.Contains(h, "取引先")}
		}
	}
	for _, r := range headerRules {
		for _, w := range r.words {
			if !strings.Contains(h, w) {
				continue
			}
			// single-character words (姓, 名, 氏) must be the whole header
			// or carry a reading suffix: 名 alone, 姓(カナ)
			if len([]rune(w)) == 1 && h != w && !strings.HasPrefix(h, w+"(") && !strings.HasPrefix(h, w+"カナ") && !strings.HasPrefix(h, w+"かな") {
				continue
			}
			// "name" inside "filename", "username" … is not a person
			if w == "name" && h != "name" && !strings.Contains(h, "full") && !strings.Contains(h, "first") &&
				!strings.Contains(h, "last") && !strings.Contains(h, "customer") && !strings.Contains(h, "family") &&
				!strings.Contains(h, "given") && !strings.Contains(h, "kana") && !strings.Contains(h, "insured") {
				continue
			}
			if w == "card" && strings.Contains(h, "id") {
				continue
			}
			return headerInfo{k: r.k, known: true, insurer: r.k == kHealthInsurance && strings.Contains(h, "保険者番号") && !strings.Contains(h, "被保険者")}
		}
	}
	// generic header words (番号, 日付, 区分 …) still mark a header row
	for _, w := range genericHeaders {
		if strings.Contains(h, w) {
			return headerInfo{known: true, generic: true}
		}
	}
	return headerInfo{}
}
