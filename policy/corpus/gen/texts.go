package main

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// doc is a free-text document: plain lines, optionally with HTML tables
// (for the Writer formats).
type doc struct {
	name  string
	lines []string
	// tables are appended after the lines in HTML output; in TXT they
	// are written tab-separated.
	tables [][][]string
}

var prose = []string{
	"いつも大変お世話になっております。",
	"先日はお忙しいところお時間をいただき、誠にありがとうございました。",
	"ご依頼いただいた資料を添付いたしますので、ご確認のほどよろしくお願いいたします。",
	"ご不明な点がございましたら、お気軽にお問い合わせください。",
	"今後ともどうぞよろしくお願い申し上げます。",
	"11月23日（土）は休業日のため、翌営業日のご対応となります。",
}

func sentences(r *rand.Rand, n int) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, prose[r.IntN(len(prose))])
	}
	return out
}

func signature(r *rand.Rand) []string {
	p := newPerson(r)
	return []string{"--", p.name(), "株式会社サンプル保険サービス 営業第二部",
		"〒" + p.zip + " " + p.fullAddr() + " サンプルビル5F",
		"TEL: " + p.home + " / FAX: " + p.home[:len(p.home)-1] + "0",
		"携帯: " + p.mobile, "Email: " + romaji[r.IntN(len(romaji))] + "@sample-hoken.co.jp"}
}

// positive documents: a person's data written into a letter or note.
func positiveDocs(r *rand.Rand) []doc {
	var docs []doc
	for i := 0; i < 4; i++ {
		p := newPerson(r)
		lines := []string{"〒" + p.zip, p.fullAddr(), p.name() + " 様", ""}
		lines = append(lines, sentences(r, 3)...)
		lines = append(lines, "", "【ご契約内容】", "証券番号："+p.policy, "被保険者："+p.name(), "生年月日："+dob(r, p, i+2), "")
		lines = append(lines, signature(r)...)
		docs = append(docs, doc{name: fmt.Sprintf("letter%d", i), lines: lines})
	}
	for i := 0; i < 3; i++ {
		lines := append([]string{"担当者各位", ""}, sentences(r, 2)...)
		lines = append(lines, "", "下記のお客様の件、対応をお願いします。", "")
		for j := 0; j < 2+i*3; j++ {
			p := newPerson(r)
			lines = append(lines, fmt.Sprintf("%d. %s様（%s生）携帯 %s", j+1, p.name(), dob(r, p, j), p.mobile), "   住所："+p.fullAddr(), "")
		}
		lines = append(lines, signature(r)...)
		docs = append(docs, doc{name: fmt.Sprintf("memo%d", i), lines: lines})
	}
	for i := 0; i < 3; i++ {
		p := newPerson(r)
		form := [][]string{{"氏名", p.name()}, {"フリガナ", p.kana()}, {"生年月日", dob(r, p, i)}, {"住所", p.fullAddr()}, {"電話番号", p.mobile}}
		if i == 1 {
			form = append(form, []string{"個人番号", p.myNumber})
		}
		if i == 2 {
			form = append(form, []string{"メールアドレス", p.email})
		}
		docs = append(docs, doc{name: fmt.Sprintf("form%d", i), lines: []string{"ご契約者情報変更届", "", "下記の通り届け出ます。"}, tables: [][][]string{form}})
	}
	for i := 0; i < 2; i++ {
		lines := []string{"お疲れ様です。", "本日の訪問先リストを貼り付けます。", ""}
		rows := [][]string{{"氏名", "電話番号", "住所"}}
		for j := 0; j < 4+i*10; j++ {
			p := newPerson(r)
			rows = append(rows, []string{p.name(), p.mobile, p.fullAddr()})
		}
		docs = append(docs, doc{name: fmt.Sprintf("pasted%d", i), lines: lines, tables: [][][]string{rows}})
	}
	p := newPerson(r)
	docs = append(docs, doc{name: "mynumber", lines: []string{"マイナンバー確認書類の件", "", p.name() + " 様の個人番号：" + p.myNumber[:4] + " " + p.myNumber[4:8] + " " + p.myNumber[8:], "ご確認ください。"}})
	p = newPerson(r)
	docs = append(docs, doc{name: "fullwidth", lines: []string{"お客様情報", "氏名：" + p.name(), "携帯：" + fullWidth(p.mobile), "生年月日：" + fullWidth(dob(r, p, 0))}})
	return docs
}

// negative documents: company correspondence without customer data.
func negativeDocs(r *rand.Rand) []doc {
	var docs []doc
	for i := 0; i < 3; i++ {
		p := newPerson(r)
		lines := append([]string{p.sei.kanji + "様", ""}, sentences(r, 4)...)
		lines = append(lines, "")
		lines = append(lines, signature(r)...)
		docs = append(docs, doc{name: fmt.Sprintf("signature%d", i), lines: lines})
	}
	docs = append(docs, doc{name: "minutes", lines: []string{
		"営業会議 議事録", "日時：2024年11月20日（水）14:00〜15:30", "場所：本社 第3会議室",
		"出席者：山本部長、佐藤課長、鈴木、高橋（記）", "",
		"1. 10月実績報告：新規契約 42件（前年比 108%）、解約 5件",
		"2. 年末キャンペーン：12月1日〜12月28日、目標 60件",
		"3. 次回会議：2024年12月4日 10:00〜",
	}})
	var inv [][]string
	inv = append(inv, []string{"品名", "数量", "単価", "金額"})
	total := 0
	for i := 0; i < 6; i++ {
		q, u := 1+r.IntN(10), 500+r.IntN(5000)
		total += q * u
		inv = append(inv, []string{products[r.IntN(len(products))], fmt.Sprint(q), fmt.Sprintf("%d", u), fmt.Sprintf("%d", q*u)})
	}
	docs = append(docs, doc{name: "invoice", lines: []string{
		"請求書", "株式会社サンプル商事 御中", "請求番号：INV-2024-11-0042", "注文番号：20241105-0007",
		"発行日：2024年11月23日", fmt.Sprintf("ご請求金額：¥%d（税込）", total*11/10),
		"お振込先：みずほ銀行 新宿支店 普通 1234567 カ）サンプル", "支払期限：2024年12月31日",
		"株式会社オフィス用品センター", "〒160-0023 東京都新宿区西新宿1-2-3", "TEL 03-1111-2222 FAX 03-1111-2223",
	}, tables: [][][]string{inv}})
	docs = append(docs, doc{name: "source", lines: strings.Split(`package billing

import "fmt"

// Invoice totals for customer 1024 and order 20241123.
func Total(items []Item) int {
	sum := 0
	for i, it := range items {
		sum += it.Price * it.Qty // 1000 * 3
		if i > 1024 {
			return -1
		}
	}
	fmt.Println("phone:", len(items), 0x7FFF, 1234567, 9876543210)
	return sum
}`, "\n")})
	var logLines []string
	for i := 0; i < 40; i++ {
		logLines = append(logLines, fmt.Sprintf("2024-11-23 %02d:%02d:%02d.%03d INFO [worker-%d] request id=%d user=%d took=%dms status=200 ip=192.168.%d.%d",
			r.IntN(24), r.IntN(60), r.IntN(60), r.IntN(1000), r.IntN(8), 100000000000+r.IntN(900000000000), 1000+r.IntN(9000), r.IntN(900), r.IntN(256), r.IntN(256)))
	}
	docs = append(docs, doc{name: "log", lines: logLines})
	docs = append(docs, doc{name: "notice", lines: []string{
		"【お知らせ】新宿支店移転のご案内", "",
		"平素は格別のご高配を賜り厚く御礼申し上げます。", "2024年12月2日より新宿支店は下記へ移転いたします。",
		"新住所：〒160-0022 東京都新宿区新宿3-4-5 新宿サンプルタワー8F", "電話番号：03-5555-1234（変更なし）",
		"お問い合わせ：フリーダイヤル 0120-123-456（平日9:00〜17:00）", "ナビダイヤル 0570-000-111",
	}})
	var br [][]string
	br = append(br, []string{"支店", "住所", "電話", "FAX"})
	for i := 0; i < 8; i++ {
		p := newPerson(r)
		br = append(br, []string{branches[i] + "支店", p.fullAddr(), p.home, p.home[:len(p.home)-1] + "0"})
	}
	docs = append(docs, doc{name: "branchlist", lines: []string{"支店一覧", ""}, tables: [][][]string{br}})
	var pl [][]string
	pl = append(pl, []string{"商品コード", "品名", "価格"})
	for i := 0; i < 12; i++ {
		pl = append(pl, []string{jan13(r), products[r.IntN(len(products))], fmt.Sprintf("%d円", 100+r.IntN(3000))})
	}
	docs = append(docs, doc{name: "quotation", lines: []string{"御見積書", "有効期限：2024年12月31日", "見積番号：Q-2024-1123-01"}, tables: [][][]string{pl}})
	return docs
}
