package detect

import (
	"bytes"
	"fmt"
	"testing"
)

// FuzzText checks that free-text scanning never panics and that the
// result does not depend on how the text is chunked.
func FuzzText(f *testing.F) {
	for _, tc := range textCases {
		f.Add([]byte(tc.in), uint8(7))
	}
	// letters, forms and text tables of onerecord_test.go: salutation,
	// signature rules, account holders, header lines with names
	f.Add([]byte("鈴木 一郎 様\n\n新しいご住所は 神奈川県横浜市港北区日吉本町1-23-4 です。\nお電話番号 045-561-2345\n\n--\n株式会社さくら 03-1234-5678\n"), uint8(5))
	f.Add([]byte("振込依頼書\n\n口座番号：1234567\n口座名義：ヤマダ タロウ\n名義：ｶ)ｻｸﾗ\n口座名義 サクラ(カ\n"), uint8(3))
	f.Add([]byte("お客様コード 契約者名 Eメール\r\nK-20417 高橋 和夫 kazuo.t@nifty.com\r\n\n氏名 所属 内線 直通電話\n山田 太郎 営業一課 201 03-5555-1201\n＊＊＊\n"), uint8(9))
	f.Add([]byte("山田 太郎（1975年4月12日生）\n2026年4月1日生命\nName, 090-1234-5678, x, card 4111111111111111\n"), uint8(4))
	f.Add([]byte("・山田太郎\r\n　1975/4/12\r\n・鈴木 花子\n    S.57.11.3\n● 伊藤修\n\tＳ．４８．９．１２\n-\n*\n昭.48.9.12 S..1.2.3\n"), uint8(6))
	f.Add([]byte("\xef\xbc"), uint8(1))
	f.Add([]byte("〒\n様\n@＠\xef\xbc\x90"), uint8(2))
	e := newEngine(f)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		if len(data) > 32<<10 {
			return
		}
		whole := scanText(e, string(data), 0)
		parts := scanText(e, string(data), int(chunk)+1)
		a, b := fmt.Sprint(whole.Summary(), whole.Findings()), fmt.Sprint(parts.Summary(), parts.Findings())
		if a != b {
			t.Fatalf("chunking changed the result:\nwhole %s\nparts %s", a, b)
		}
	})
}

// FuzzTable checks that table scanning never panics on any rows.
func FuzzTable(f *testing.F) {
	for _, tc := range tableCases {
		f.Add([]byte(tc.csv))
	}
	f.Add([]byte("契約者,契約者生年月日,営業担当\n坂本太郎,S.48.9.12,渡辺\n高橋花子,Ｈ．２．１１．３,渡辺\n,.1.2.3,\n,Ｓ．,\n"))
	f.Add([]byte("氏名,生年月日\n,\xff\n\xef\xbc\x90,29284.0\n"))
	f.Add([]byte("番号,氏名 電話\n1,山田 090-1234-5678\n2,鈴木\n口座番号：1234567,口座名義：ヤマダ タロウ\n"))
	e := newEngine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := e.NewReport()
		tb := r.Table(Location{Path: "f.csv"})
		for _, line := range bytes.Split(data, []byte("\n")) {
			tb.Row(bytes.Split(line, []byte(",")))
		}
		tb.Close()
		tb.Row([][]byte{[]byte("after close")})
		s := r.Summary()
		if s.Records < 0 {
			t.Fatal("negative records")
		}
		for _, fd := range r.Findings() {
			if len(fd.Samples) > 3 {
				t.Fatalf("%d samples", len(fd.Samples))
			}
		}
	})
}
