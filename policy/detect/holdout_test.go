package detect

import (
	"strings"
	"testing"
)

// Holdout cases were written after the detectors, in layouts and words
// the corpus generator does not use, to check that the rules generalise.
func TestHoldoutTables(t *testing.T) {
	e := newEngine(t)
	cases := []struct {
		name     string
		csv      string
		personal bool
	}{
		{"half-width kana headers", "No.,お客様氏名,ﾌﾘｶﾞﾅ,〒,住所1,住所2,TEL,携帯番号,生年月日,年齢\n1,山田花子,ﾔﾏﾀﾞ ﾊﾅｺ,1500001,東京都渋谷区,神宮前1-2-3,03-3400-1234,,S55.03.04,44\n2,鈴木一郎,ｽｽﾞｷ ｲﾁﾛｳ,5300001,大阪府大阪市北区,梅田3-1-1,,080-1111-2222,H2.1.31,34\n", true},
		{"mailing list", "氏名,メールアドレス\n山田花子,hanako@gmail.com\n鈴木一郎,ichiro@yahoo.co.jp\n", true},
		{"english", "Customer Name,Phone Number,Birthday,E-mail\nHanako Yamada,090-1234-5678,1980-03-04,hanako@example.com\n", true},
		{"policy list", "証券No.,契約者,被保険者,保険種類,月額保険料\nA-1234567,山田 花子,山田 太郎,終身保険,12000\nB-7654321,鈴木 一郎,鈴木 一郎,医療保険,3500\n", true},
		{"ideographic space names headerless", "山田　花子,090-1234-5678\n鈴木　一郎,080-2222-3333\n高橋　美咲,070-4444-5555\n", true},
		{"spreadsheet-mangled numbers", "氏名,携帯,郵便番号\n山田花子,9012345678,600001\n", true},
		{"my number in E notation", "個人番号\n1.23457E+11\n", true},
		{"list below notes", strings.Repeat("メモ,,\n", 40) + "氏名,電話,住所\n山田 花子,090-1234-5678,東京都渋谷区神宮前1-2-3\n鈴木 一郎,080-2345-6789,大阪府大阪市北区梅田1-1-1\n", true},
		{"headerless list below notes", strings.Repeat("メモ,,\n", 40) + strings.Repeat("山田 花子,090-1234-5678,東京都渋谷区神宮前1-2-3\n", 30), true},
		{"insurer numbers", "氏名,保険者番号,被保険者記号\n山田 花子,06139992,12-34\n", true},
		{"addressees headerless", "山田 花子 様,〒150-0001,東京都渋谷区神宮前1-2-3\n鈴木 一郎 様,〒530-0001,大阪府大阪市北区梅田1-1-1\n", true},
		{"unspaced rare surnames headerless", "早乙女花子,090-1234-5678,東京都渋谷区神宮前1-2-3\n東海林一郎,080-2345-6789,大阪府大阪市北区梅田1-1-1\n佐藤美咲,070-3456-7890,北海道札幌市中央区北一条西2-3\n勅使河原健,090-9999-8888,福岡県福岡市博多区博多駅前1-1\n一ノ瀬蓮,080-7777-6666,宮城県仙台市青葉区一番町1-1\n宇佐美恵子,070-5555-4444,愛知県名古屋市中区栄1-1\n", true},
		{"bank holder column", "口座名義,口座番号,電話\nヤマダ ハナコ,1234567,090-1234-5678\n", true},
		{"my numbers under a neutral header", "氏名,番号\n山田 花子," + withCheck("11111111111") + "\n鈴木 一郎," + withCheck("22222222222") + "\n佐藤 美咲," + withCheck("33333333333") + "\n", true},
		{"dob serial", "氏名,生年月日,電話\n山田花子,29284,090-1234-5678\n", true},

		{"shops", "店舗名,所在地,電話番号,営業時間\n渋谷店,東京都渋谷区道玄坂1-1-1,03-1111-2222,10:00-20:00\n梅田店,大阪府大阪市北区梅田1-1-1,06-1111-2222,10:00-20:00\n", false},
		{"spaced branch names headerless", "新宿 支店,東京都新宿区西新宿1-1-1,03-1111-2222\n梅田 営業所,大阪府大阪市北区梅田1-1-1,06-1111-2222\n札幌 支社,北海道札幌市中央区北一条西2-3,011-111-2222\n", false},
		{"branches named after towns", "千葉,千葉県千葉市中央区富士見1-1-1,043-111-2222\n福岡,福岡県福岡市博多区博多駅前1-1-1,092-111-2222\n名古屋,愛知県名古屋市中区栄1-1-1,052-111-2222\n宮崎,宮崎県宮崎市橘通東1-1-1,0985-11-2222\n", false},
		{"price list", "品番,品名,JANコード,定価,掛率\nA-100,ボールペン,4901234567894,120,0.6\nB-200,ノート,4909876543210,200,0.6\n", false},
		{"sales by staff", "担当者名,店舗,売上,店舗電話\n山田,渋谷店,1200000,03-1111-2222\n鈴木,梅田店,980000,06-1111-2222\n", false},
		{"log csv", "time,level,msg,host\n2024-11-23T10:00:00Z,INFO,started,10.0.0.1\n2024-11-23T10:00:01Z,WARN,retry 3,10.0.0.2\n", false},
	}
	for _, tc := range cases {
		r := scanTable(e, tc.csv)
		if s := r.Summary(); s.PersonalData != tc.personal {
			t.Errorf("%s: personal = %v, want %v; %+v", tc.name, s.PersonalData, tc.personal, r.Findings())
		}
	}
}

func TestTableCellText(t *testing.T) {
	e := newEngine(t)
	r := e.NewReport()
	tb := r.Table(Location{Path: "form.docx"})
	tb.Row([][]byte{[]byte("ご契約者情報\n氏名：山田 花子\n生年月日：昭和55年3月4日\n電話：090-1234-5678")})
	tb.Close()
	if s := r.Summary(); !s.PersonalData {
		t.Errorf("form in one cell missed: %+v %+v", s, r.Findings())
	}
}

func TestHoldoutText(t *testing.T) {
	e := newEngine(t)
	cases := []struct {
		name     string
		text     string
		personal bool
	}{
		{"customer label", "お客様：山田 花子\nTEL 090-1234-5678\n", true},
		{"contractor honorific label", "ご契約者様 鈴木 一郎\n携帯 080-1111-2222\n", true},
		{"customers in general", "お客様各位\nお問い合わせは 03-1234-5678 まで\n", false},
		{"private mail and mobile", "連絡先\n090-1234-5678\nhanako.y@docomo.ne.jp\n", true},
		{"signature with free mail", "山田 太郎\nやまだ保険事務所\nTEL 03-1234-5678 携帯 090-1234-5678\nyamada.hoken@gmail.com\n", false},
		{"label with reading note", "お名前（フリガナ）：ヤマダ　ハナコ\n携帯番号：090-1234-5678\n", true},
		{"hiragana honorific", "山田花子さま\n〒150-0001 東京都渋谷区神宮前1-2-3\n", true},
		{"samazama", "大変さまざまなご意見をいただきました。\n連絡先 090-1234-5678\n", false},
		{"inline record", "山田花子様（昭和55年3月4日生）090-1234-5678 にご連絡ください。\n", true},
		{"birth suffix", "契約者：鈴木 一郎\n生年月日：1980年3月4日生\n", true},
		{"ideographic list", "顧客リスト\n山田　花子　　０９０－１２３４－５６７８\n鈴木　一郎　　０８０－２２２２－３３３３\n", true},
		{"my number alone", "個人番号 1234 5678 9018\n", myNumberOK([]byte("123456789018"))},

		{"branch lines with spaced addresses", "新宿 東京都 新宿区西新宿1-1-1 03-1111-2222\n梅田 大阪府 大阪市北区梅田1-1-1 06-1111-2222\n札幌 中央区 北一条西2-3 011-111-2222\n", false},
		{"invoice to a contact", "請求書\n株式会社ABC 経理部 山田 太郎 様\n〒100-0005 東京都千代田区丸の内1-1-1\nTEL 03-1234-5678\n請求金額 ¥110,000\n", false},
		{"company then contact", "〒100-0005\n東京都千代田区丸の内1-1-1\n株式会社ABC 総務部\n山田 太郎 様\n", false},
		{"newsletter", "お客様各位\n\n年末年始の営業についてお知らせします。\n12月28日〜1月4日は休業いたします。\nお問い合わせ：0120-000-111\n〒150-0001 東京都渋谷区神宮前1-1-1 株式会社サンプル\n", false},
		{"minutes with names", "議事録\n出席者：山田様、佐藤様、鈴木\n日時：2024年11月20日 14:00\n次回：12月4日\n", false},
		{"system log", "2024-11-23 10:00:00 mail from=noreply@example.co.jp to=ops@example.co.jp size=10234\n2024-11-23 10:00:01 relay 192.168.1.20 status=sent\n", false},
	}
	for _, tc := range cases {
		r := scanText(e, tc.text, 0)
		if s := r.Summary(); s.PersonalData != tc.personal {
			t.Errorf("%s: personal = %v, want %v; %+v", tc.name, s.PersonalData, tc.personal, r.Findings())
		}
	}
}
