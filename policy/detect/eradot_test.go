package detect

import "testing"

// TestEraDotDates covers era dates as agencies type them in Excel and
// CRM fields: a dot after the era letter (S.48.9.12), full-width forms,
// one-kanji era abbreviations (昭.48.9.12), slashes.
func TestEraDotDates(t *testing.T) {
	tests := []struct {
		in   string
		y    int
		want bool
	}{
		{"S.48.9.12", 1973, true},
		{"s.48.9.12", 1973, true},
		{"H.13.3.10", 2001, true},
		{"Ｓ．４８．９．１２", 1973, true},
		{"Ｈ．１３．３．１０", 2001, true},
		{"Ｓ４８．９．１２", 1973, true},
		{"昭.48.9.12", 1973, true},
		{"昭48.9.12", 1973, true},
		{"平.13.3.10", 2001, true},
		{"令.2.1.5", 2020, true},
		{"S48/9/12", 1973, true},
		{"R2.1.5", 2020, true},
		{"R.2.1.5", 2020, true},
		{"昭和48年9月12日", 1973, true},
		{"T.14.5.1", 1925, true},
		// validity: era ranges, month and day
		{"S.65.1.10", 0, false}, // Showa ended in its 64th year
		{"H.32.1.1", 0, false},  // Heisei ended in its 31st
		{"R.2.2.30", 0, false},
		{"S.48.13.1", 0, false},
		{"S.48.9.32", 0, false},
		{"昭.0.1.1", 0, false},
		// not eras
		{"X.48.9.12", 0, false},
		{"No.48.9.12", 0, false},
		{"VS.48.9.12", 0, false},
		{"S..48.9.12", 0, false},
	}
	for _, tt := range tests {
		b := []byte(tt.in)
		i := 0
		for ; i < len(b); i++ {
			if _, n := digitAt(b, i); n > 0 {
				break
			}
		}
		var tk numTok
		parseNum(b, i, &tk)
		er, gannen := eraBefore(b, i)
		c, di := analyzeDate(&tk, er, gannen)
		got := c&candDate != 0
		if got != tt.want || (got && di.y != tt.y) {
			t.Errorf("%s: date %v year %d, want %v %d", tt.in, got, di.y, tt.want, tt.y)
		}
	}
}

// TestEraDotBirthColumn is the contract list from the issue: a birth
// date column written S.48.9.12 must count like S48.9.12.
func TestEraDotBirthColumn(t *testing.T) {
	e := newEngine(t)
	for _, d := range [][2]string{{"S.48.9.12", "H.2.11.3"}, {"Ｓ．４８．９．１２", "Ｈ．２．１１．３"}, {"昭.48.9.12", "平.2.11.3"}, {"S48/9/12", "H2/11/3"}} {
		csv := "契約者,契約者生年月日,営業担当\n坂本太郎," + d[0] + ",渡辺\n高橋花子," + d[1] + ",渡辺\n"
		s := scanTable(e, csv).Summary()
		if !s.PersonalData || s.Records != 2 {
			t.Errorf("%s: personal=%v records=%d, want true 2", d[0], s.PersonalData, s.Records)
		}
	}
}
