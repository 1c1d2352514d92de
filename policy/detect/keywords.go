package detect

import (
	"unicode/utf8"
)

// ctx is a set of context categories found near a candidate.
type ctx uint32

const (
	cMyNumber ctx = 1 << iota
	cPhone
	cMobile
	cEmail
	cAddress
	cPostal
	cBirth
	cName
	cCard
	cBank
	cPolicy
	cLicense
	cPassport
	cHealth
	cPension
	cBusiness // company markers: 株式会社, 本社, FAX … (a signature, a branch list)
	cOrder    // commerce markers: 注文, 請求, 品番 … (invoices, price lists)
	cTransfer // 振込先: the company's own account on an invoice
	cCorp     // 法人番号
	cHonor    // 様 / 殿 after a name
	cDate     // other dates: 契約日, 発行日 … (not a birth date)
)

// builtinKeywords are the context words per category. ASCII words are
// matched case-insensitively and only at a word start.
var builtinKeywords = []struct {
	c     ctx
	words []string
}{
	{cMyNumber, []string{"マイナンバー", "個人番号", "mynumber", "my number", "my_number"}},
	{cPhone, []string{"電話", "tel", "phone", "連絡先", "自宅", "℡"}},
	{cMobile, []string{"携帯", "mobile", "ケータイ"}},
	{cEmail, []string{"メール", "e-mail", "email", "mail"}},
	{cAddress, []string{"住所", "所在地", "address", "送付先", "居所"}},
	{cPostal, []string{"郵便番号", "〒", "zip", "postal"}},
	{cBirth, []string{"生年月日", "誕生日", "生まれ", "dob", "date of birth", "birth", "生年"}},
	{cName, []string{"氏名", "お名前", "名前", "契約者", "被保険者", "受取人", "お客様", "顧客名", "name", "口座名義", "名義人", "依頼人"}},
	{cCard, []string{"カード番号", "クレジット", "カード", "card", "visa", "mastercard", "jcb", "amex"}},
	{cBank, []string{"口座", "普通", "当座", "預金", "account", "ゆうちょ"}},
	{cPolicy, []string{"証券番号", "証券no", "証券ｎｏ", "契約番号", "保険証券", "証券記号", "policy", "契約no"}},
	{cLicense, []string{"免許証", "運転免許", "license", "licence"}},
	{cPassport, []string{"旅券", "パスポート", "passport"}},
	{cHealth, []string{"保険者番号", "被保険者証", "保険証", "被保険者記号"}},
	{cPension, []string{"基礎年金", "年金番号", "年金手帳"}},
	{cBusiness, []string{"株式会社", "有限会社", "合同会社", "(株)", "（株）", "㈱", "本社", "支店", "営業所", "事業所", "代理店", "fax", "ファックス", "ファクス", "代表", "本店", "出張所", "窓口", "受付", "営業時間", "お問い合わせ", "お問合せ"}},
	{cOrder, []string{"注文", "請求", "伝票", "品番", "型番", "商品", "単価", "金額", "合計", "見積", "jan", "order", "invoice", "sku", "品名", "数量", "価格", "コード"}},
	{cTransfer, []string{"振込", "振り込み", "振替先"}},
	{cCorp, []string{"法人番号"}},
	{cHonor, []string{"様", "殿", "さま"}},
	{cDate, []string{"契約日", "発行日", "作成日", "日付", "更新日", "申込日", "支払日", "入金日", "期日", "期限", "満期", "始期", "終期", "有効期", "登録日", "受付日", "出力日", "印刷日", "date", "締切", "開催", "実施日"}},
}

type kwEntry struct {
	word  []byte
	c     ctx
	ascii bool
}

// keywordSet finds context keywords in a byte range. The first rune of
// every keyword indexes a 64 KiB table so that most runes are rejected
// with one load.
type keywordSet struct {
	groups [][]kwEntry    // keywords sharing a first rune; index 0 unused
	first  [1 << 16]uint8 // BMP rune -> index into groups, 0 = no keyword
	// any has a bit per BMP rune that starts a keyword: 8 KiB that stay
	// in the L1 cache, where first (64 KiB) does not
	any [1 << 16 / 64]uint64
}

func newKeywordSet(extra map[string][]string) *keywordSet {
	ks := &keywordSet{groups: make([][]kwEntry, 1)}
	for _, g := range builtinKeywords {
		for _, w := range g.words {
			ks.addWord(w, g.c)
		}
	}
	for kindName, words := range extra {
		k, _ := kindIndex(kindName)
		c := kindCtx(k)
		for _, w := range words {
			ks.addWord(foldString(w), c)
		}
	}
	return ks
}

func (ks *keywordSet) addWord(w string, c ctx) {
	b := lowerASCII([]byte(w))
	if len(b) == 0 {
		return
	}
	r, _ := utf8.DecodeRune(b)
	if r >= 1<<16 {
		return
	}
	gi := ks.first[r]
	if gi == 0 {
		if len(ks.groups) >= 255 {
			return // more distinct first runes than the index holds
		}
		gi = uint8(len(ks.groups))
		ks.groups = append(ks.groups, nil)
		ks.first[r] = gi
		ks.any[r>>6] |= 1 << (r & 63)
	}
	ks.groups[gi] = append(ks.groups[gi], kwEntry{word: b, c: c, ascii: b[0] < 0x80})
}

// kindCtx maps a kind to the context category whose words support it.
func kindCtx(k kind) ctx {
	switch k {
	case kMyNumber:
		return cMyNumber
	case kPhone:
		return cPhone
	case kEmail:
		return cEmail
	case kAddress:
		return cAddress
	case kPostal:
		return cPostal
	case kBirthDate:
		return cBirth
	case kName:
		return cName
	case kCreditCard:
		return cCard
	case kBankAccount:
		return cBank
	case kPolicy:
		return cPolicy
	case kDriversLicense:
		return cLicense
	case kPassport:
		return cPassport
	case kHealthInsurance:
		return cHealth
	case kPension:
		return cPension
	case kCorporate:
		return cCorp
	}
	return 0
}

// scan calls hit for every keyword starting in b[from:to]; a keyword may
// extend past to. from may be in the middle of a rune.
func (ks *keywordSet) scan(b []byte, from, to int, hit func(pos, end int, c ctx)) {
	i := from
	for i < to && i < len(b) && b[i]&0xC0 == 0x80 {
		i++
	}
	for i < to {
		c := b[i]
		if c < 0x80 {
			if c|0x20 >= 'a' && c|0x20 <= 'z' || c == '(' {
				lc := rune(c)
				if c != '(' {
					lc = rune(c | 0x20)
				}
				if gi := ks.first[lc]; gi != 0 && (i == 0 || !isAlnum(b[i-1])) {
					ks.match(b, i, gi, hit)
				}
			}
			i++
			continue
		}
		if c >= 0xE0 && c < 0xF0 && i+2 < len(b) {
			r := rune(c&0x0F)<<12 | rune(b[i+1]&0x3F)<<6 | rune(b[i+2]&0x3F)
			if ks.any[r>>6]&(1<<(r&63)) != 0 {
				ks.match(b, i, ks.first[r], hit)
			}
			i += 3
			continue
		}
		i += runeLen(c)
	}
}

func (ks *keywordSet) match(b []byte, i int, gi uint8, hit func(pos, end int, c ctx)) {
	for _, e := range ks.groups[gi] {
		if i+len(e.word) > len(b) {
			continue
		}
		if e.ascii {
			ok := true
			for j, wc := range e.word {
				bc := b[i+j]
				if bc-'A' < 26 {
					bc += 32
				}
				if bc != wc {
					ok = false
					break
				}
			}
			if ok {
				hit(i, i+len(e.word), e.c)
			}
			continue
		}
		if string(b[i:i+len(e.word)]) == string(e.word) {
			hit(i, i+len(e.word), e.c)
		}
	}
}

// ctxOf returns the categories of all keywords in s (a short string such
// as a cell or a header).
func (ks *keywordSet) ctxOf(s []byte) ctx {
	var m ctx
	ks.scan(s, 0, len(s), func(_, _ int, c ctx) { m |= c })
	return m
}

func isAlnum(c byte) bool {
	return c-'0' <= 9 || (c|0x20)-'a' < 26
}

func isLetter(c byte) bool { return (c|0x20)-'a' < 26 }
