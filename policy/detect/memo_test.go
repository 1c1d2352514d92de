package detect

import "testing"

// TestBulletedMemoLines: a memo lists people one per bulleted line, the
// fields apart by spaces, with no labels: the name opens the line after
// the bullet, and an old date right after the name is the birth date.
// Written by hand after issue 11 (a bulleted memo, as text or as the text
// of a PDF).
func TestBulletedMemoLines(t *testing.T) {
	e := newEngine(t)
	tests := []struct {
		name    string
		text    string
		records int
	}{
		{"bullets, no honorific", "以下のお客様の手続きが未了です。\n●藤田 和彦 1958/11/30 大阪府豊中市新千里東町1-4-2 06-6871-3390\n●小西 さおり H2.6.14 兵庫県西宮市甲子園町7-25 090-3318-7702\nよろしくお願いします。\n", 2},
		{"bullets, ideographic spaces", "引継ぎ\n・藤田 和彦　1958/11/30　大阪府豊中市新千里東町1-4-2　06-6871-3390\n・小西 さおり　H2.6.14　兵庫県西宮市甲子園町7-25　090-3318-7702\n", 2},
		{"honorific, era date, no phone", "来週訪問予定のお客様です。\n・原田 誠様　S.49.5.2　静岡県浜松市中区元城町103-2\n・森本 千尋様　H.8.12.19　京都府京都市左京区北白川2-7\n", 2},
		{"bullet apart from the name", "●　岡本 雄一　1972/07/09　北海道旭川市4条通8丁目1702\n●　岡本 佳代子　1975/03/30　北海道旭川市4条通8丁目1702\n", 2},
		// recent dates next to names are appointments, not birthdays
		{"meeting notes", "打合せ予定\n・山田 太郎様　2026/5/10　本社会議室\n・佐藤 花子様　2026/5/12　大阪支店にて\n", 0},
		{"agenda without people", "・第1回 2019/04/01 東京都千代田区丸の内1-1 会議室A\n・第2回 2019/10/01 大阪府大阪市北区梅田3-1 会議室B\n", 0},
	}
	for _, tc := range tests {
		r := scanText(e, tc.text, 0)
		if s := r.Summary(); s.Records != tc.records {
			t.Errorf("%s: records %d, want %d\n%+v", tc.name, s.Records, tc.records, r.Findings())
		}
	}
}
