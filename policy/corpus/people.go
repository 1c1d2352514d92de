package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// person is one invented customer. Every field is made up from the
// name, place and number tables below; none is a real person's.
type person struct {
	sur, given         string // 佐藤 / 花子
	surKana, givenKana string // サトウ / ハナコ
	romaji             string // hanako.sato
	male               bool
	year, month, day   int
	zip                string // 160-0023
	pref, city, town   string
	block              string // 3-2-11
	building           string // may be empty
	phone              string // mobile, hyphenated
	home               string // landline, hyphenated
	mail               string
	policy             string
	bank               bankAccount
	myNumber           string // 12 digits, valid check digit
	card               string // 16 digits, Luhn-valid
}

type bankAccount struct {
	bank, branch, kind, number string
}

type name struct{ kanji, kana, romaji string }

var surnames = []name{
	{"佐藤", "サトウ", "sato"}, {"鈴木", "スズキ", "suzuki"}, {"高橋", "タカハシ", "takahashi"},
	{"田中", "タナカ", "tanaka"}, {"伊藤", "イトウ", "ito"}, {"渡辺", "ワタナベ", "watanabe"},
	{"山本", "ヤマモト", "yamamoto"}, {"中村", "ナカムラ", "nakamura"}, {"小林", "コバヤシ", "kobayashi"},
	{"加藤", "カトウ", "kato"}, {"吉田", "ヨシダ", "yoshida"}, {"山田", "ヤマダ", "yamada"},
	{"佐々木", "ササキ", "sasaki"}, {"山口", "ヤマグチ", "yamaguchi"}, {"松本", "マツモト", "matsumoto"},
	{"井上", "イノウエ", "inoue"}, {"木村", "キムラ", "kimura"}, {"林", "ハヤシ", "hayashi"},
	{"斎藤", "サイトウ", "saito"}, {"清水", "シミズ", "shimizu"}, {"山崎", "ヤマザキ", "yamazaki"},
	{"森", "モリ", "mori"}, {"池田", "イケダ", "ikeda"}, {"橋本", "ハシモト", "hashimoto"},
	{"阿部", "アベ", "abe"}, {"石川", "イシカワ", "ishikawa"}, {"前田", "マエダ", "maeda"},
	{"藤田", "フジタ", "fujita"}, {"後藤", "ゴトウ", "goto"}, {"岡田", "オカダ", "okada"},
	{"長谷川", "ハセガワ", "hasegawa"}, {"村上", "ムラカミ", "murakami"}, {"近藤", "コンドウ", "kondo"},
	{"石井", "イシイ", "ishii"}, {"坂本", "サカモト", "sakamoto"}, {"遠藤", "エンドウ", "endo"},
	{"髙橋", "タカハシ", "takahashi"}, {"中島", "ナカジマ", "nakajima"}, {"小川", "オガワ", "ogawa"},
	{"青木", "アオキ", "aoki"}, {"齋藤", "サイトウ", "saito"}, {"西村", "ニシムラ", "nishimura"},
}

var femaleNames = []name{
	{"花子", "ハナコ", "hanako"}, {"美咲", "ミサキ", "misaki"}, {"陽子", "ヨウコ", "yoko"},
	{"恵子", "ケイコ", "keiko"}, {"由美", "ユミ", "yumi"}, {"さくら", "サクラ", "sakura"},
	{"明美", "アケミ", "akemi"}, {"真由美", "マユミ", "mayumi"}, {"京子", "キョウコ", "kyoko"},
	{"直美", "ナオミ", "naomi"}, {"久美子", "クミコ", "kumiko"}, {"愛", "アイ", "ai"},
	{"千尋", "チヒロ", "chihiro"}, {"節子", "セツコ", "setsuko"}, {"智子", "トモコ", "tomoko"},
}

var maleNames = []name{
	{"太郎", "タロウ", "taro"}, {"健一", "ケンイチ", "kenichi"}, {"誠", "マコト", "makoto"},
	{"大輔", "ダイスケ", "daisuke"}, {"浩二", "コウジ", "koji"}, {"翔太", "ショウタ", "shota"},
	{"隆", "タカシ", "takashi"}, {"博之", "ヒロユキ", "hiroyuki"}, {"一郎", "イチロウ", "ichiro"},
	{"修", "オサム", "osamu"}, {"拓也", "タクヤ", "takuya"}, {"茂", "シゲル", "shigeru"},
	{"和夫", "カズオ", "kazuo"}, {"正樹", "マサキ", "masaki"}, {"悠斗", "ユウト", "yuto"},
}

// place is a municipality with a postal code prefix and some towns.
type place struct {
	zip3, pref, city string
	towns            []string
	area             string // landline area code
}

var places = []place{
	{"160", "東京都", "新宿区", []string{"西新宿", "高田馬場", "四谷", "神楽坂"}, "03"},
	{"154", "東京都", "世田谷区", []string{"三軒茶屋", "太子堂", "経堂", "用賀"}, "03"},
	{"220", "神奈川県", "横浜市西区", []string{"みなとみらい", "高島", "戸部町"}, "045"},
	{"251", "神奈川県", "藤沢市", []string{"鵠沼海岸", "辻堂", "湘南台"}, "0466"},
	{"530", "大阪府", "大阪市北区", []string{"梅田", "天満", "中崎西"}, "06"},
	{"460", "愛知県", "名古屋市中区", []string{"栄", "丸の内", "大須"}, "052"},
	{"812", "福岡県", "福岡市博多区", []string{"博多駅前", "中洲", "住吉"}, "092"},
	{"060", "北海道", "札幌市中央区", []string{"北一条西", "南三条東", "大通西"}, "011"},
	{"980", "宮城県", "仙台市青葉区", []string{"一番町", "国分町", "本町"}, "022"},
	{"330", "埼玉県", "さいたま市浦和区", []string{"高砂", "仲町", "岸町"}, "048"},
	{"260", "千葉県", "千葉市中央区", []string{"富士見", "中央", "新町"}, "043"},
	{"730", "広島県", "広島市中区", []string{"紙屋町", "八丁堀", "大手町"}, "082"},
	{"900", "沖縄県", "那覇市", []string{"久茂地", "おもろまち", "泊"}, "098"},
	{"600", "京都府", "京都市下京区", []string{"烏丸通", "四条通", "東塩小路町"}, "075"},
}

var buildings = []string{"", "", "", "メゾン青葉101", "サンハイツ202号室", "コーポ山田3F", "グランドパレス1205", "ハイム緑が丘B-203", "第2ビル402"}

var banks = []struct{ bank, branch string }{
	{"三菱UFJ銀行", "新宿支店"}, {"みずほ銀行", "渋谷支店"}, {"三井住友銀行", "梅田支店"},
	{"ゆうちょ銀行", "〇一八店"}, {"横浜銀行", "藤沢支店"}, {"りそな銀行", "浦和支店"},
	{"福岡銀行", "博多支店"}, {"北洋銀行", "本店営業部"},
}

var mailDomains = []string{"gmail.com", "docomo.ne.jp", "ezweb.ne.jp", "yahoo.co.jp", "icloud.com", "softbank.ne.jp", "outlook.jp", "nifty.com"}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// newPerson invents one customer born between 1935 and 2004.
func newPerson(r *rand.Rand) person {
	s := pick(r, surnames)
	male := r.IntN(2) == 0
	g := pick(r, femaleNames)
	if male {
		g = pick(r, maleNames)
	}
	pl := pick(r, places)
	p := person{
		sur: s.kanji, given: g.kanji, surKana: s.kana, givenKana: g.kana, male: male,
		romaji: g.romaji + "." + s.romaji,
		year:   1935 + r.IntN(70), month: 1 + r.IntN(12), day: 1 + r.IntN(28),
		zip:  fmt.Sprintf("%s-%04d", pl.zip3, r.IntN(10000)),
		pref: pl.pref, city: pl.city, town: pick(r, pl.towns),
		block:    fmt.Sprintf("%d-%d-%d", 1+r.IntN(5), 1+r.IntN(30), 1+r.IntN(25)),
		building: pick(r, buildings),
		phone:    fmt.Sprintf("0%d0-%04d-%04d", 7+r.IntN(3), r.IntN(10000), r.IntN(10000)),
		home:     landline(r, pl.area),
		policy:   policyNumber(r),
		myNumber: myNumber(r),
		card:     luhnNumber(r, "4"+fmt.Sprint(r.IntN(10)), 16),
	}
	switch r.IntN(3) {
	case 0:
		p.mail = fmt.Sprintf("%s%d@%s", strings.ReplaceAll(p.romaji, ".", "_"), r.IntN(100), pick(r, mailDomains))
	default:
		p.mail = fmt.Sprintf("%s@%s", p.romaji, pick(r, mailDomains))
	}
	b := pick(r, banks)
	p.bank = bankAccount{b.bank, b.branch, pick(r, []string{"普通", "普通", "当座"}), fmt.Sprintf("%07d", r.IntN(10000000))}
	return p
}

func landline(r *rand.Rand, area string) string {
	local := 10 - len(area) - 4 // digits of the local exchange
	lo := 1
	for range local - 1 {
		lo *= 10
	}
	return fmt.Sprintf("%s-%0*d-%04d", area, local, lo+r.IntN(lo*9), r.IntN(10000))
}

// policyNumber mimics the shapes insurers print on a 保険証券.
func policyNumber(r *rand.Rand) string {
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("%c%09d", 'A'+rune(r.IntN(26)), r.IntN(1000000000))
	case 1:
		return fmt.Sprintf("%04d-%06d", r.IntN(10000), r.IntN(1000000))
	case 2:
		return fmt.Sprintf("%010d", r.IntN(10000000000))
	}
	return fmt.Sprintf("%02d-%07d-%02d", r.IntN(100), r.IntN(10000000), r.IntN(100))
}

// myNumber returns 11 random digits and the check digit of the
// individual number (番号法施行令 第8条): weights 2..7,2..6 from the
// right, 11 minus the remainder mod 11, 0 for remainders 0 and 1.
func myNumber(r *rand.Rand) string {
	d := make([]byte, 11)
	for i := range d {
		d[i] = byte('0' + r.IntN(10))
	}
	if d[0] == '0' {
		d[0] = '1'
	}
	return string(d) + string(rune('0'+myNumberCheck(string(d))))
}

func myNumberCheck(first11 string) int {
	sum := 0
	for n := 1; n <= 11; n++ {
		p := int(first11[11-n] - '0')
		q := n + 1
		if n >= 7 {
			q = n - 5
		}
		sum += p * q
	}
	if rem := sum % 11; rem > 1 {
		return 11 - rem
	}
	return 0
}

// luhnNumber returns a Luhn-valid number of n digits with prefix.
func luhnNumber(r *rand.Rand, prefix string, n int) string {
	b := []byte(prefix)
	for len(b) < n-1 {
		b = append(b, byte('0'+r.IntN(10)))
	}
	sum := 0
	for i := len(b) - 1; i >= 0; i-- {
		d := int(b[i] - '0')
		if (len(b)-1-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return string(b) + string(rune('0'+(10-sum%10)%10))
}

// janCode returns a 13-digit GTIN with a valid check digit (Japanese
// prefixes 45/49), as on every product in a price list.
func janCode(r *rand.Rand) string {
	b := []byte(pick(r, []string{"49", "45"}))
	for len(b) < 12 {
		b = append(b, byte('0'+r.IntN(10)))
	}
	return string(b) + string(rune('0'+janCheck(string(b))))
}

// janCheck is the GTIN-13 check digit of 12 digits (weights 1,3,1,3…).
func janCheck(first12 string) int {
	sum := 0
	for i := range len(first12) {
		w := 1
		if i%2 == 1 {
			w = 3
		}
		sum += int(first12[i]-'0') * w
	}
	return (10 - sum%10) % 10
}

func (p person) name() string      { return p.sur + " " + p.given }
func (p person) kana() string      { return p.surKana + " " + p.givenKana }
func (p person) address() string   { return p.pref + p.city + p.town + p.block + p.building }
func (p person) addressSp() string { return p.pref + p.city + p.town + p.block + " " + p.building }
func (p person) gender() string {
	if p.male {
		return "男"
	}
	return "女"
}
