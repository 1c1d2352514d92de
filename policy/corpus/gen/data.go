package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Synthetic people. Every value is made up; My Numbers, cards and
// insurer numbers carry valid check digits so that validators accept
// them, which is what a real list would look like to the detector.

type pair struct{ kanji, kana string }

var surnames = []pair{
	{"佐藤", "サトウ"}, {"鈴木", "スズキ"}, {"高橋", "タカハシ"}, {"田中", "タナカ"}, {"伊藤", "イトウ"},
	{"渡辺", "ワタナベ"}, {"山本", "ヤマモト"}, {"中村", "ナカムラ"}, {"小林", "コバヤシ"}, {"加藤", "カトウ"},
	{"長谷川", "ハセガワ"}, {"小田切", "オダギリ"}, {"東海林", "ショウジ"}, {"一ノ瀬", "イチノセ"}, {"宇佐美", "ウサミ"},
	{"大和田", "オオワダ"}, {"早乙女", "サオトメ"}, {"柳沢", "ヤナギサワ"}, {"今村", "イマムラ"}, {"新井", "アライ"},
	{"真鍋", "マナベ"}, {"相馬", "ソウマ"}, {"白石", "シライシ"}, {"野々村", "ノノムラ"}, {"藤堂", "トウドウ"},
	{"望月", "モチヅキ"}, {"桐谷", "キリタニ"}, {"岸本", "キシモト"}, {"星野", "ホシノ"}, {"堀江", "ホリエ"},
	{"比嘉", "ヒガ"}, {"金城", "キンジョウ"}, {"芦田", "アシダ"}, {"梶原", "カジワラ"}, {"竹中", "タケナカ"},
}

var givenNames = []pair{
	{"花子", "ハナコ"}, {"一郎", "イチロウ"}, {"美咲", "ミサキ"}, {"翔太", "ショウタ"}, {"陽菜", "ヒナ"},
	{"大輔", "ダイスケ"}, {"由美", "ユミ"}, {"健", "ケン"}, {"真由美", "マユミ"}, {"蓮", "レン"},
	{"さくら", "サクラ"}, {"直樹", "ナオキ"}, {"恵子", "ケイコ"}, {"和夫", "カズオ"}, {"結衣", "ユイ"},
	{"拓也", "タクヤ"}, {"千尋", "チヒロ"}, {"浩二", "コウジ"}, {"あゆみ", "アユミ"}, {"悠人", "ユウト"},
}

var romaji = []string{"sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura", "kobayashi", "kato", "hasegawa", "mochizuki", "hoshino", "higa"}

type city struct{ pref, city, towns string }

var cities = []city{
	{"東京都", "世田谷区", "三軒茶屋|北沢|用賀|桜新町"},
	{"東京都", "練馬区", "石神井町|大泉学園町|豊玉北"},
	{"神奈川県", "横浜市港北区", "日吉|綱島西|大倉山"},
	{"大阪府", "堺市北区", "中百舌鳥町|金岡町"},
	{"愛知県", "名古屋市千種区", "今池|覚王山通"},
	{"北海道", "札幌市中央区", "北一条西|南三条東"},
	{"福岡県", "北九州市小倉北区", "魚町|京町"},
	{"宮城県", "仙台市青葉区", "一番町|上杉"},
	{"長野県", "松本市", "中央|深志"},
	{"沖縄県", "那覇市", "久茂地|首里金城町"},
	{"広島県", "広島市中区", "紙屋町|八丁堀"},
	{"鹿児島県", "鹿児島市", "天文館町|中央町"},
}

var areaCodes = []string{"03", "06", "045", "052", "011", "092", "022", "0263", "098", "082", "099", "0466"}

var mailDomains = []string{"docomo.ne.jp", "ezweb.ne.jp", "gmail.com", "yahoo.co.jp", "icloud.com", "softbank.ne.jp", "example.jp", "outlook.jp", "nifty.com"}

type person struct {
	sei, mei     pair
	y, m, d      int
	zip          string
	pref, addr   string
	mobile, home string
	email        string
	policy       string
	myNumber     string
	card         string
	bank         string
	gender       string
}

func (p person) name() string     { return p.sei.kanji + " " + p.mei.kanji }
func (p person) kana() string     { return p.sei.kana + " " + p.mei.kana }
func (p person) fullAddr() string { return p.pref + p.addr }

func newPerson(r *rand.Rand) person {
	p := person{sei: surnames[r.IntN(len(surnames))], mei: givenNames[r.IntN(len(givenNames))]}
	p.y, p.m, p.d = 1935+r.IntN(70), 1+r.IntN(12), 1+r.IntN(28)
	c := cities[r.IntN(len(cities))]
	towns := strings.Split(c.towns, "|")
	p.pref = c.pref
	p.addr = fmt.Sprintf("%s%s%d-%d-%d", c.city, towns[r.IntN(len(towns))], 1+r.IntN(5), 1+r.IntN(30), 1+r.IntN(20))
	if r.IntN(4) == 0 {
		p.addr += fmt.Sprintf(" %sハイツ%d号室", []string{"グリーン", "サンライズ", "メゾン"}[r.IntN(3)], 101+r.IntN(300))
	}
	p.zip = fmt.Sprintf("%03d-%04d", 100+r.IntN(900), r.IntN(10000))
	p.mobile = fmt.Sprintf("0%d0-%04d-%04d", 7+r.IntN(3), r.IntN(10000), r.IntN(10000))
	ac := areaCodes[r.IntN(len(areaCodes))]
	p.home = ac + "-" + fmt.Sprintf("%0*d", 6-len(ac), r.IntN(pow10(6-len(ac)))) + "-" + fmt.Sprintf("%04d", r.IntN(10000))
	local := romaji[r.IntN(len(romaji))] + fmt.Sprint(r.IntN(1000))
	dom := mailDomains[r.IntN(len(mailDomains))]
	if dom == "docomo.ne.jp" && r.IntN(2) == 0 {
		local = romaji[r.IntN(len(romaji))] + ".." + romaji[r.IntN(len(romaji))] + "." // pre-2009 docomo
	}
	p.email = local + "@" + dom
	switch r.IntN(3) {
	case 0:
		p.policy = fmt.Sprintf("%c%c%08d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(100000000))
	case 1:
		p.policy = fmt.Sprintf("%04d-%06d", r.IntN(10000), r.IntN(1000000))
	default:
		p.policy = fmt.Sprintf("P%09d", r.IntN(1000000000))
	}
	p.myNumber = myNumber(r)
	p.card = card(r)
	p.bank = fmt.Sprintf("%s銀行 %s支店 普通 %07d", []string{"みずほ", "三菱UFJ", "りそな", "静岡"}[r.IntN(4)], []string{"本店営業部", "渋谷", "梅田", "栄"}[r.IntN(4)], r.IntN(10000000))
	p.gender = []string{"男", "女"}[r.IntN(2)]
	return p
}

func pow10(n int) int {
	v := 1
	for ; n > 0; n-- {
		v *= 10
	}
	return v
}

func myNumber(r *rand.Rand) string {
	d := make([]int, 11)
	for i := range d {
		d[i] = r.IntN(10)
	}
	d[0] = 1 + r.IntN(9)
	w := []int{6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	s := 0
	var sb strings.Builder
	for i, v := range d {
		s += v * w[i]
		sb.WriteByte(byte('0' + v))
	}
	c := 0
	if s%11 > 1 {
		c = 11 - s%11
	}
	sb.WriteByte(byte('0' + c))
	return sb.String()
}

// luhnComplete appends the Luhn check digit.
func luhnComplete(p string) string {
	s := 0
	dbl := true
	for i := len(p) - 1; i >= 0; i-- {
		v := int(p[i] - '0')
		if dbl {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		s += v
		dbl = !dbl
	}
	return p + string(rune('0'+(10-s%10)%10))
}

func card(r *rand.Rand) string {
	prefixes := []string{"4", "53", "3540", "3566", "52"}
	p := prefixes[r.IntN(len(prefixes))]
	for len(p) < 15 {
		p += string(rune('0' + r.IntN(10)))
	}
	c := luhnComplete(p)
	return c[:4] + "-" + c[4:8] + "-" + c[8:12] + "-" + c[12:]
}

// jan13 returns a JAN/EAN-13 code with its check digit.
func jan13(r *rand.Rand) string {
	p := "49" + fmt.Sprintf("%010d", r.IntN(10000000000))
	s := 0
	for i := 0; i < 12; i++ {
		v := int(p[i] - '0')
		if i%2 == 1 {
			v *= 3
		}
		s += v
	}
	return p + string(rune('0'+(10-s%10)%10))
}

var eras = []struct {
	name, letter string
	start        int
}{{"令和", "R", 2019}, {"平成", "H", 1989}, {"昭和", "S", 1926}}

// dob formats a birth date in one of the ways Japanese lists write it.
func dob(r *rand.Rand, p person, style int) string {
	switch style % 6 {
	case 0:
		return fmt.Sprintf("%d/%02d/%02d", p.y, p.m, p.d)
	case 1:
		return fmt.Sprintf("%d-%d-%d", p.y, p.m, p.d)
	case 2:
		return fmt.Sprintf("%d年%d月%d日", p.y, p.m, p.d)
	}
	for _, e := range eras {
		if p.y >= e.start {
			n := p.y - e.start + 1
			switch style % 6 {
			case 3:
				if n == 1 {
					return fmt.Sprintf("%s元年%d月%d日", e.name, p.m, p.d)
				}
				return fmt.Sprintf("%s%d年%d月%d日", e.name, n, p.m, p.d)
			case 4:
				return fmt.Sprintf("%s%d.%d.%d", e.letter, n, p.m, p.d)
			default:
				return fmt.Sprintf("%s%02d/%02d/%02d", e.letter, n, p.m, p.d)
			}
		}
	}
	return fmt.Sprintf("%d/%02d/%02d", p.y, p.m, p.d)
}

// fullWidth turns ASCII digits and hyphens into their full-width forms.
func fullWidth(s string) string {
	var sb strings.Builder
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			c += 0xFF10 - '0'
		case c == '-':
			c = '－'
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// halfKana turns full-width katakana into half-width (ﾔﾏﾀﾞ ﾊﾅｺ), as old
// systems export readings.
func halfKana(s string) string {
	var sb strings.Builder
	for _, c := range s {
		if h, ok := halfWidthKana[c]; ok {
			sb.WriteString(h)
			continue
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

var halfWidthKana = func() map[rune]string {
	full := []rune("アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲンァィゥェォッャュョー")
	half := []rune("ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｦﾝｧｨｩｪｫｯｬｭｮｰ")
	m := map[rune]string{' ': " "}
	for i, c := range full {
		m[c] = string(half[i])
	}
	voiced := []rune("ガギグゲゴザジズゼゾダヂヅデドバビブベボ")
	base := []rune("ｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾊﾋﾌﾍﾎ")
	for i, c := range voiced {
		m[c] = string(base[i]) + "ﾞ"
	}
	semi := []rune("パピプペポ")
	for i, c := range semi {
		m[c] = string([]rune("ﾊﾋﾌﾍﾎ")[i]) + "ﾟ"
	}
	return m
}()

// licence returns a driver's licence number with a valid commission code
// and check digit.
func licence(r *rand.Rand) string {
	codes := []int{10, 20, 22, 30, 43, 44, 45, 54, 62, 63, 73, 90, 97}
	d := fmt.Sprintf("%02d%02d%06d", codes[r.IntN(len(codes))], r.IntN(100), r.IntN(1000000))
	w := []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	s := 0
	for i := 0; i < 10; i++ {
		s += int(d[i]-'0') * w[i]
	}
	return d + fmt.Sprint((11-s%11)%10) + fmt.Sprint(r.IntN(2))
}
