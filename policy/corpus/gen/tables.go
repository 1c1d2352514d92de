package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A layout makes a table of n people: a header (nil for none) and a
// row per person. Positive layouts are customer lists in the column
// orders CRMs and hand-made spreadsheets use; negative ones are the
// company documents that must not be held.
type layout struct {
	name string
	hdr  []string
	row  func(r *rand.Rand, i int, p person) []string
}

var positiveLayouts = []layout{
	{"crm", []string{"氏名", "フリガナ", "生年月日", "郵便番号", "住所", "電話番号", "メールアドレス"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.name(), p.kana(), dob(r, p, 0), p.zip, p.fullAddr(), p.mobile, p.email}
		}},
	{"policy", []string{"顧客番号", "契約者名", "証券番号", "契約日", "保険料", "電話"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{fmt.Sprintf("C%05d", i+1), p.name(), p.policy, fmt.Sprintf("2023/%02d/%02d", 1+r.IntN(12), 1+r.IntN(28)), fmt.Sprint(3000 + r.IntN(20000)), p.home}
		}},
	{"kana", []string{"No", "お名前", "カナ", "性別", "誕生日", "携帯", "現住所"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{fmt.Sprint(i + 1), p.name(), p.kana(), p.gender, dob(r, p, 3), p.mobile, p.fullAddr()}
		}},
	{"noheader", nil, func(r *rand.Rand, i int, p person) []string {
		return []string{p.name(), p.mobile, p.fullAddr()}
	}},
	{"english", []string{"Name", "Date of Birth", "Phone", "Email"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.name(), dob(r, p, 1), p.mobile, p.email}
		}},
	{"insured", []string{"被保険者氏名", "生年月日（和暦）", "証券番号", "保険会社"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.name(), dob(r, p, 4+i%2), p.policy, []string{"A生命", "B損保", "C生命"}[r.IntN(3)]}
		}},
	{"mynumber", []string{"氏名", "個人番号", "住所"},
		func(r *rand.Rand, i int, p person) []string { return []string{p.name(), p.myNumber, p.fullAddr()} }},
	{"card", []string{"会員名", "カード番号", "有効期限"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.name(), p.card, fmt.Sprintf("%02d/%02d", 1+r.IntN(12), 26+r.IntN(5))}
		}},
	{"split", []string{"姓", "名", "セイ", "メイ", "電話番号", "住所"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.sei.kanji, p.mei.kanji, p.sei.kana, p.mei.kana, p.home, p.fullAddr()}
		}},
	{"kananoheader", nil, func(r *rand.Rand, i int, p person) []string {
		return []string{p.kana(), p.email, p.mobile}
	}},
	{"bank", []string{"契約者", "引落口座", "連絡先"},
		func(r *rand.Rand, i int, p person) []string { return []string{p.name(), p.bank, p.mobile} }},
	{"fullwidth", []string{"氏名", "電話番号", "郵便番号", "住所"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.name(), fullWidth(p.mobile), "〒" + fullWidth(p.zip), p.pref + fullWidth(p.addr)}
		}},
	{"halfwidth", []string{"お客様氏名", "ﾌﾘｶﾞﾅ", "〒", "住所1", "住所2", "TEL"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.sei.kanji + p.mei.kanji, halfKana(p.kana()), p.zip, p.pref, p.addr, p.home}
		}},
	{"barenumbers", []string{"契約者氏名", "携帯番号", "郵便番号", "生年月日"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.name(), strings.ReplaceAll(p.mobile, "-", ""), strings.ReplaceAll(p.zip, "-", ""), fmt.Sprintf("%d%02d%02d", p.y, p.m, p.d)}
		}},
	{"dm", []string{"宛名", "郵便番号", "住所", "建物名"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.name() + " 様", "〒" + p.zip, p.fullAddr(), ""}
		}},
	{"ids", []string{"氏名", "運転免許証番号", "旅券番号", "基礎年金番号"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.name(), licence(r), fmt.Sprintf("%s%07d", []string{"TK", "TR", "TZ", "MU"}[r.IntN(4)], r.IntN(10000000)), fmt.Sprintf("%04d-%06d", r.IntN(10000), r.IntN(1000000))}
		}},
	{"nonames", []string{"証券番号", "生年月日", "電話番号", "住所"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{p.policy, dob(r, p, 2), p.mobile, p.fullAddr()}
		}},
}

var branches = []string{"新宿", "渋谷", "池袋", "横浜", "梅田", "なんば", "名古屋", "札幌", "博多", "仙台", "広島", "那覇", "京都", "神戸", "千葉", "大宮"}

var products = []string{"ボールペン黒", "コピー用紙A4", "クリアファイル", "付箋75mm", "ホッチキス", "トナーカートリッジ", "封筒長3", "電卓", "USBメモリ16GB", "名刺ケース"}

var negativeLayouts = []layout{
	{"pricelist", []string{"JANコード", "商品コード", "品名", "単価", "在庫数"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{jan13(r), fmt.Sprintf("%012d", r.IntN(1000000000000)), products[r.IntN(len(products))], fmt.Sprint(100 + r.IntN(5000)), fmt.Sprint(r.IntN(500))}
		}},
	{"codes", nil, func(r *rand.Rand, i int, p person) []string {
		return []string{fmt.Sprintf("%012d", r.IntN(1000000000000)), products[r.IntN(len(products))], fmt.Sprintf("%d,%03d", 1+r.IntN(9), r.IntN(1000))}
	}},
	{"invoice", []string{"注文番号", "品名", "数量", "単価", "金額", "納品日"},
		func(r *rand.Rand, i int, p person) []string {
			q, u := 1+r.IntN(20), 100+r.IntN(3000)
			return []string{fmt.Sprintf("2024%04d-%04d", 101+r.IntN(1100), r.IntN(10000)), products[r.IntN(len(products))], fmt.Sprint(q), fmt.Sprint(u), fmt.Sprint(q * u), fmt.Sprintf("2024/%02d/%02d", 1+r.IntN(12), 1+r.IntN(28))}
		}},
	{"branches", []string{"支店名", "郵便番号", "住所", "電話番号", "FAX", "営業時間"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{branches[i%len(branches)] + "支店", p.zip, p.fullAddr(), p.home, p.home[:len(p.home)-1] + "9", "9:00-17:00"}
		}},
	{"branchesnoheader", nil, func(r *rand.Rand, i int, p person) []string {
		return []string{branches[i%len(branches)] + "営業所", p.fullAddr(), p.home}
	}},
	{"sales", []string{"日付", "店舗", "売上", "客数", "前年比"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{fmt.Sprintf("2024/%02d/%02d", 1+i%12, 1+r.IntN(28)), branches[r.IntN(len(branches))] + "店", fmt.Sprint(100000 + r.IntN(900000)), fmt.Sprint(50 + r.IntN(400)), fmt.Sprintf("%d.%d%%", 80+r.IntN(40), r.IntN(10))}
		}},
	{"accesslog", []string{"timestamp", "level", "ip", "user_id", "latency_ms", "message"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{fmt.Sprintf("2024-11-%02dT%02d:%02d:%02dZ", 1+r.IntN(28), r.IntN(24), r.IntN(60), r.IntN(60)), []string{"INFO", "WARN", "ERROR"}[r.IntN(3)], fmt.Sprintf("10.%d.%d.%d", r.IntN(256), r.IntN(256), r.IntN(256)), fmt.Sprint(100000 + r.IntN(900000)), fmt.Sprint(r.IntN(2000)), "request completed"}
		}},
	{"b2border", []string{"受注番号", "会社名", "担当者", "電話番号", "納品先住所", "金額"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{fmt.Sprintf("J%07d", r.IntN(10000000)), []string{"株式会社", "有限会社"}[r.IntN(2)] + []string{"山田商事", "サンプル工業", "みなと物産", "北斗電機"}[r.IntN(4)], p.sei.kanji, p.home, p.fullAddr(), fmt.Sprint(10000 + r.IntN(900000))}
		}},
	{"schedule", []string{"日付", "時間", "会議室", "件名", "参加人数"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{fmt.Sprintf("2024/%02d/%02d", 1+r.IntN(12), 1+r.IntN(28)), fmt.Sprintf("%02d:00-%02d:00", 9+r.IntN(4), 13+r.IntN(5)), fmt.Sprintf("第%d会議室", 1+r.IntN(5)), []string{"定例会議", "研修", "来客対応", "予算検討"}[r.IntN(4)], fmt.Sprint(2 + r.IntN(20))}
		}},
	{"products", []string{"商品名", "型番", "メーカー", "価格"},
		func(r *rand.Rand, i int, p person) []string {
			return []string{products[r.IntN(len(products))], fmt.Sprintf("%c%c-%04d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10000)), []string{"株式会社コクヨ", "ぺんてる株式会社", "キヤノン株式会社"}[r.IntN(3)], fmt.Sprintf("￥%d", 100+r.IntN(50000))}
		}},
}

// table builds the rows of layout l for n people.
func table(r *rand.Rand, l layout, n int, title bool) [][]string {
	var rows [][]string
	if title {
		rows = append(rows, []string{fmt.Sprintf("%s 一覧（2024年11月現在）", l.name)})
	}
	if l.hdr != nil {
		rows = append(rows, l.hdr)
	}
	for i := 0; i < n; i++ {
		rows = append(rows, l.row(r, i, newPerson(r)))
	}
	return rows
}
