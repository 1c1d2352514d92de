package detect

import "testing"

// TestEntryList covers customer lists typed as entries: a bulleted name
// line, then indented details with an unlabelled birth date.
func TestEntryList(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		personal bool
		records  int
	}{
		{"outlook body, name date address", "お疲れ様です。以下のお客様の件、ご確認ください。\r\n\r\n" +
			"・山田太郎\r\n　1975/4/12\r\n　東京都世田谷区桜新町2-3-4\r\n" +
			"・鈴木花子\r\n　1982/11/3\r\n　神奈川県横浜市港北区日吉1-5-8\r\n" +
			"・佐藤一郎\r\n　1968/2/28\r\n　埼玉県さいたま市浦和区高砂3-1-2\r\n\r\nよろしくお願いいたします。\r\n", true, 3},
		{"name and date only, spaced names", "● 山田 太郎\n    1975/04/12\n● 高橋 恵子\n    S.57.11.3\n● 伊藤 修\n    1968年2月28日\n", true, 3},
		{"dash bullets, tab indent", "- 中村健一\n\t1979/7/7\n- 小林美咲\n\t1990/1/15\n", true, 2},
		// meeting notes and to-do lists: recent dates, or dates with words
		{"meeting notes", "・山田部長\n　2026/5/10\n・鈴木課長\n　2026/6/1\n・田中主任\n　2026/6/15\n", false, 0},
		{"visits", "・山田太郎\n　2025/4/1 訪問予定\n・鈴木花子\n　2025/4/3 電話フォロー\n・佐藤一郎\n　2025/4/8 書類回収\n", false, 0},
		{"staff joined", "・佐藤一郎\n　1998/4/1 入社\n・鈴木花子\n　2003/10/1 入社\n", false, 0},
		{"one entry", "・山田太郎\n　1975/4/12\n", false, 0},
		{"topics", "・次回会議\n　1999/1/1\n・予算締切\n　1999/2/1\n", false, 0},
		{"date not under an entry", "・山田太郎\n・鈴木花子\n\n1975/4/12\n1982/11/3\n", false, 0},
	}
	e := newEngine(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := scanText(e, tt.text, 0)
			s := r.Summary()
			if s.PersonalData != tt.personal || s.Records != tt.records {
				t.Errorf("personal=%v records=%d, want %v %d; %+v", s.PersonalData, s.Records, tt.personal, tt.records, r.Findings())
			}
			// chunked delivery must give the same answer
			if s2 := scanText(e, tt.text, 7).Summary(); s2.Records != s.Records {
				t.Errorf("chunked: records %d, whole %d", s2.Records, s.Records)
			}
		})
	}
}

func TestBulletName(t *testing.T) {
	for in, want := range map[string]string{
		"・山田太郎":     "山田太郎",
		"● 鈴木 花子\r": "鈴木 花子",
		"- ヤマダ ハナコ": "ヤマダ ハナコ",
		"・山田太郎様":    "",
		"・次回会議":     "",
		"山田太郎":      "",
		"・":         "",
	} {
		if got := string(bulletName([]byte(in))); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}
