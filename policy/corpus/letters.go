package corpus

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// docKind writes one document: a letter, form, memo or notice.
type docKind struct {
	name  string
	build func(r *rand.Rand, part Part) document
}

// signature is the sender's block: the agency's business contact data,
// with the CP932 characters Outlook users type (㈱, ①, ～).
func signature(r *rand.Rand, part Part) string {
	return variant(r, part, []string{
		"──────────────────\n㈱さくら保険サービス 営業部\n有馬 一郎\n〒160-0023 東京都新宿区西新宿1-1-1 新宿①ビル5F\nTEL 03-5321-0000（代） FAX 03-5321-0001\n受付時間 9:00～17:00（土日祝除く）\n",
		"--\n株式会社あおば保険代理店\n業務課　有馬\nTEL：06-6345-1200／FAX：06-6345-1201\nhttps://aoba-hoken.example.jp/\n",
		"＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊\n 有限会社 みどりエージェンシー\n 有馬 一郎 (Ichiro Arima)\n 〒251-0052 神奈川県藤沢市藤沢1-2-3\n Tel 0466-22-1234\n＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊＊\n",
		"=========================\n㈲ひかり保険事務所\n有馬一郎\n電話 092-431-5555 ／ 内線 204\n=========================\n",
	})
}

// coverText is the short mail around an attachment.
func coverText(r *rand.Rand, part Part) string {
	greet := variant(r, part, []string{
		"パートナー株式会社\n田中様\n\nいつもお世話になっております。\nさくら保険サービスの有馬です。\n\nご依頼の資料を添付にてお送りいたします。\nご確認のほど、よろしくお願いいたします。\n",
		"田中さん\n\nお疲れさまです。有馬です。\n先日の件、ファイルを送ります。\n不明点があればご連絡ください。\n",
		"ご担当者様\n\n平素より大変お世話になっております。\n標記の件につきまして、資料を添付いたします。\n何卒よろしくお願い申し上げます。\n",
		"田中様\n\nお世話になります。\n①添付ファイルをご確認ください。\n②内容に相違があればお知らせください。\n",
	})
	return greet + "\n" + signature(r, part)
}

var posDocs = []docKind{
	{"renewal-letter", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		s := newStyle(r, part)
		return document{paras: []string{
			"〒" + p.zip, p.addressSp(), p.name() + "　様", "",
			"保険契約満期のご案内", "",
			"拝啓　時下ますますご清祥のこととお慶び申し上げます。",
			"さて、ご契約いただいております下記保険契約が満期を迎えますのでご案内申し上げます。",
			"証券番号：" + p.policy,
			"ご契約者：" + p.name() + "（" + s.birth(p.year, p.month, p.day) + "生）",
			"満期日：2027年1月31日",
			"お手続きについてご不明な点は担当までお問い合わせください。", "敬具",
		}}
	}},
	{"transfer-form", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		s := newStyle(r, part)
		return document{paras: []string{
			"口座振替依頼書（兼 自動払込利用申込書）", "",
			"■お名前　　　" + p.name(),
			"■フリガナ　　" + p.kana(),
			"■ご住所　　　〒" + p.zip + " " + s.addr(p),
			"■電話番号　　" + s.phone(p.phone),
			"■金融機関　　" + p.bank.bank + "　" + p.bank.branch,
			"■預金種目　　" + p.bank.kind + "　口座番号 " + p.bank.number,
			"■口座名義　　" + halfKana(p.kana()),
		}}
	}},
	{"address-change", func(r *rand.Rand, part Part) document {
		p, q := newPerson(r), newPerson(r)
		s := newStyle(r, part)
		return document{paras: []string{"住所変更届", ""}, tables: [][][]string{{
			{"証券番号", p.policy}, {"氏名", p.name()}, {"フリガナ", s.kana(p.kana())},
			{"生年月日", s.birth(p.year, p.month, p.day)}, {"旧住所", s.addr(p)}, {"新住所", s.addr(q)},
			{"電話番号", s.phone(p.phone)},
		}}}
	}},
	{"handover-prose", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		s := newStyle(r, part)
		return document{paras: []string{
			"引継ぎメモ", "",
			fmt.Sprintf("%s様（%s生、%s在住）から、昨日お電話で自動車保険の更新についてご相談がありました。", p.name(), s.birth(p.year, p.month, p.day), p.pref+p.city),
			fmt.Sprintf("折り返しは携帯%sまで、平日18時以降が良いとのことです。", s.phone(p.phone)),
			fmt.Sprintf("メールは%s でも可。証券番号は%sです。", p.mail, p.policy),
			"見積書は来週中に送付予定です。",
		}}
	}},
	{"accident-report", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		s := newStyle(r, part)
		return document{paras: []string{
			"【事故受付報告】", "",
			"受付日時：2026年11月18日 14:20",
			"契約者：" + p.name() + " 様（" + s.kana(p.kana()) + "）",
			"証券番号：" + p.policy,
			"連絡先：" + s.phone(p.phone),
			"住所：" + s.addr(p),
			"事故概要：駐車場にて後退時に隣の車両と接触。けが人なし。",
		}}
	}},
	{"bullet-memo", func(r *rand.Rand, part Part) document {
		d := document{paras: []string{"来週訪問予定のお客様です。", ""}}
		s := newStyle(r, part)
		for range 3 {
			p := newPerson(r)
			d.paras = append(d.paras, "・"+p.name()+"様　"+s.birth(p.year, p.month, p.day)+"　"+s.addr(p)+"　"+s.phone(p.phone))
		}
		return d
	}},
	{"comma-line", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		return document{paras: []string{
			"カード払いへの変更依頼が来ています。処理をお願いします。", "",
			p.name() + ", " + p.phone + ", " + p.address() + ", カード " + p.card,
		}}
	}},
	{"web-form", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		s := newStyle(r, part)
		return document{paras: []string{
			"ホームページよりお問い合わせがありました。", "",
			"【お名前】" + p.name(), "【ふりがな】" + hiragana(p.kana()),
			"【ご住所】" + s.addr(p), "【お電話番号】" + s.phone(p.phone),
			"【メールアドレス】" + p.mail, "【生年月日】" + s.birth(p.year, p.month, p.day),
			"【お問い合わせ内容】医療保険の見直しを検討しています。資料を送ってください。",
		}}
	}},
	{"mynumber-reply", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		return document{paras: []string{
			"お世話になっております。", "ご依頼いただいた件、下記のとおりです。", "",
			"氏名：" + p.name(), "個人番号：" + p.myNumber[:4] + " " + p.myNumber[4:8] + " " + p.myNumber[8:],
			"住所：" + p.address(),
		}}
	}},
	{"claim-form", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		s := newStyle(r, part)
		return document{paras: []string{"保険金請求書"}, tables: [][][]string{{
			{"被保険者氏名", p.name(), "生年月日", s.birth(p.year, p.month, p.day)},
			{"住所", s.addr(p), "電話", s.phone(p.home)},
			{"振込先", p.bank.bank + " " + p.bank.branch, "口座番号", p.bank.kind + " " + p.bank.number},
			{"傷病名", "右足首骨折", "入院期間", "2026/10/02～2026/10/15"},
		}}}
	}},
	{"pasted-table", func(r *rand.Rand, part Part) document {
		t := customerTable(r, part, variant(r, part, listLayouts), 5+r.IntN(6))
		return document{paras: []string{"以下、対象のお客様です（Excelから貼り付け）。", ""}, tables: [][][]string{t.strings()}}
	}},
	{"english-letter", func(r *rand.Rand, part Part) document {
		p := newPerson(r)
		g, su, _ := strings.Cut(p.romaji, ".")
		return document{paras: []string{
			"Dear Mr. Smith,", "",
			"Please find below the details of the policyholder transferring to your branch.",
			fmt.Sprintf("Name: %s %s", strings.ToUpper(su), g),
			fmt.Sprintf("Date of birth: %d-%02d-%02d", p.year, p.month, p.day),
			"Address: " + p.address(), "Mobile: " + p.phone, "Policy No.: " + p.policy,
		}}
	}},
}

var negDocs = []docKind{
	{"newsletter", func(r *rand.Rand, part Part) document {
		return document{paras: []string{
			"さくら保険サービス通信 2026年12月号", "",
			"■年末年始の営業について",
			"12月29日～1月3日は休業いたします。事故のご連絡は24時間受付（0120-000-123）へお願いします。",
			"■冬の運転にご注意ください",
			"路面凍結によるスリップ事故が増えています。早めのスタッドレスタイヤへの交換をおすすめします。",
			"■窓口のご案内",
			"〒160-0023 東京都新宿区西新宿1-1-1 新宿①ビル5F　TEL 03-5321-0000",
		}}
	}},
	{"minutes-privacy", func(r *rand.Rand, part Part) document {
		return document{paras: []string{
			"議事録：個人情報保護委員会（第3回）", "",
			"日時：2026年11月12日（木）15:00～16:30", "出席者：有馬、中村、佐藤（記）",
			"1. 顧客リストをメールで社外に送る場合は、上長承認を必須とする（生保協会 No.118）。",
			"2. 氏名・住所・生年月日・電話番号を含むファイルはパスワード付きZIPを廃止し、共有リンクに切り替える。",
			"3. マイナンバー（個人番号）は原則としてメールで受け取らない。",
			"次回：12月10日 15:00～",
		}}
	}},
	{"invoice-letter", func(r *rand.Rand, part Part) document {
		return document{paras: []string{
			"御請求書", "株式会社サンプル商事 御中", "",
			"下記のとおりご請求申し上げます。",
			"ご請求金額：￥132,000（税込）", "お支払期限：2026年12月25日",
			"お振込先：三井住友銀行 新宿支店 普通 7654321 カ）サクラホケンサービス",
		}, tables: [][][]string{{{"品名", "数量", "単価", "金額"}, {"研修講師料", "1", "100,000", "100,000"}, {"交通費", "1", "20,000", "20,000"}}}}
	}},
	{"catalogue", func(r *rand.Rand, part Part) document {
		d := document{paras: []string{"事務用品 カタログ（抜粋）", ""}}
		for range 6 {
			d.paras = append(d.paras, fmt.Sprintf("%s　JAN %s　希望小売価格 %s円（税込）", pick(r, products), janCode(r), yen(300+r.IntN(50)*100)))
		}
		return d
	}},
	{"seminar-notice", func(r *rand.Rand, part Part) document {
		return document{paras: []string{
			"【ご案内】相続対策セミナー開催のお知らせ", "",
			"日時：2027年1月20日（水）14:00～16:00",
			"会場：藤沢市民会館 第2会議室（神奈川県藤沢市鵠沼東8-1）",
			"定員：30名（先着順）　参加費：無料",
			"お申込み・お問合せ：0466-22-1234（受付 9:00～17:00）",
		}}
	}},
	{"short-reply", func(r *rand.Rand, part Part) document {
		return document{paras: []string{"承知しました。", "明日の10時にお伺いします。"}}
	}},
	{"privacy-policy", func(r *rand.Rand, part Part) document {
		return document{paras: []string{
			"個人情報の取扱いについて", "",
			"当社は、お客様の氏名、住所、生年月日、電話番号、メールアドレス、口座番号等の個人情報を、保険契約の締結・維持管理のために利用します。",
			"個人番号（マイナンバー）は、法令で定められた支払調書の作成事務に限って利用します。",
			"お問合せ窓口：個人情報相談室 0120-111-222（平日9:00～17:00）",
		}}
	}},
	{"maintenance", func(r *rand.Rand, part Part) document {
		return document{paras: []string{
			"システムメンテナンスのお知らせ", "",
			"日時：2026/11/28 22:00 ～ 2026/11/29 06:00",
			"対象：代理店システム（https://agency.example.jp/）、接続先 192.168.10.21",
			"問合せ番号：REQ-20261128-000123",
		}}
	}},
	{"stats-report", func(r *rand.Rand, part Part) document {
		return document{paras: []string{
			"11月 新規契約 集計報告", "",
			fmt.Sprintf("20代 %d件、30代 %d件、40代 %d件、50代 %d件、60代以上 %d件（合計 %d件）", 12, 31, 45, 28, 19, 135),
			"前年同月比 108.4%、解約率 1.2%。",
			"地域別では東京都 52件、神奈川県 38件、埼玉県 21件。",
		}}
	}},
	{"staff-contacts", func(r *rand.Rand, part Part) document {
		return document{paras: []string{"年末の当番表です。", ""}, tables: [][][]string{{
			{"日付", "担当", "内線", "連絡先"},
			{"12/29", "中村", "2104", "03-5321-0004"},
			{"12/30", "佐藤", "2107", "03-5321-0007"},
			{"12/31", "有馬", "2101", "03-5321-0001"},
		}}}
	}},
}
