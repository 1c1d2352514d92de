package detect

import "testing"

func TestCheckDigits(t *testing.T) {
	tests := []struct {
		name string
		fn   func([]byte) bool
		in   string
		want bool
	}{
		{"my number valid", myNumberOK, "123456789018", true},
		{"my number bad check", myNumberOK, "123456789012", false},
		{"my number short", myNumberOK, "12345678901", false},
		{"corporate valid", corporateOK, "7000012050002", true}, // 国税庁 (published)
		{"corporate bad", corporateOK, "1000012050002", false},
		{"luhn visa test", luhn, "4111111111111111", true},
		{"luhn bad", luhn, "4111111111111112", false},
		{"health insurer luhn", luhn, "06139992", true},
		{"licence published example", licenceOK, "459803358720", true}, // 4598033587 → check 2
		{"licence bad check", licenceOK, "459803358730", false},
		{"licence bad commission", licenceOK, "159803358720", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.fn([]byte(tt.in)); got != tt.want {
				t.Errorf("%s(%s) = %v, want %v", tt.name, tt.in, got, tt.want)
			}
		})
	}
}

func TestCardIIN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"4111111111111111", true},
		{"5555555555554444", true},
		{"2221000000000009", true},
		{"378282246310005", true},   // Amex 15
		{"3530111333300000", true},  // JCB 3530
		{"3528000000000007", true},  // JCB lower bound
		{"3589000000000003", true},  // JCB upper bound
		{"3590000000000000", false}, // past JCB range
		{"30569309025904", true},    // Diners 14
		{"4901234567894", false},    // JAN-13 starting 49: not a 13-digit Visa
		{"1234567890123456", false},
	}
	for _, tt := range tests {
		if got := cardIIN([]byte(tt.in)); got != tt.want {
			t.Errorf("cardIIN(%s) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestExcelSerial(t *testing.T) {
	tests := []struct {
		s       int
		y, m, d int
		ok      bool
	}{
		{1, 1900, 1, 1, true},
		{59, 1900, 2, 28, true},
		{60, 0, 0, 0, false}, // Excel's 1900-02-29
		{61, 1900, 3, 1, true},
		{29284, 1980, 3, 4, true},
		{43466, 2019, 1, 1, true},
	}
	for _, tt := range tests {
		y, m, d, ok := excelSerialDate(tt.s)
		if ok != tt.ok || (ok && (y != tt.y || m != tt.m || d != tt.d)) {
			t.Errorf("excelSerialDate(%d) = %d-%d-%d %v, want %d-%d-%d %v", tt.s, y, m, d, ok, tt.y, tt.m, tt.d, tt.ok)
		}
	}
}

func TestAnalyzeShapes(t *testing.T) {
	tests := []struct {
		in   string
		want cand // bits that must be set
		not  cand // bits that must not be set
	}{
		{"090-1234-5678", candMobile, candLandline},
		{"０９０－１２３４－５６７８", candMobile, 0},
		{"090ー1234ー5678", candMobile, 0},
		{"09012345678", candMobile | candPhoneBare, 0},
		{"03-1234-5678", candLandline, candMobile},
		{"(03)1234-5678", candLandline, 0},
		{"03(1234)5678", candLandline, 0},
		{"0120-123-456", candBizPhone, candLandline},
		{"0570-000-111", candBizPhone, candLandline},
		{"0800-123-4567", candBizPhone, candMobile},
		{"+81-90-1234-5678", candMobile, 0},
		{"1980/03/04", candDate, 0},
		{"1980-3-4", candDate, 0},
		{"1980年3月4日", candDate, 0},
		{"2023/02/29", 0, candDate},
		{"2024/02/29", candDate, 0},
		{"1899/12/31", 0, candDate},
		{"19800304", candDate8, 0},
		{"150-0001", candPostal, candLandline},
		{"1234-5678-9018", 0, 0},
		{"123456789018", candMyNum, 0},
		{"459803358720", cand12, 0},
		{"4111-1111-1111-1111", candCard | candCardGrouped, 0},
		{"4111111111111111", candCard, candCardGrouped},
		{"1,234,567", candAmount, candBank},
		{"192.168.10.1", 0, candLandline | candDate},
		{"1234567", candBank | candPostal7, 0},
		{"06139992", candHealth, 0},
		{"1234-567890", candPension, 0},
	}
	for _, tt := range tests {
		var tk numTok
		b := []byte(tt.in)
		i := 0
		for ; i < len(b); i++ {
			if _, n := digitAt(b, i); n > 0 {
				break
			}
		}
		parseNum(b, i, &tk)
		if tk.end != len(b) {
			t.Errorf("%s: token ends at %d of %d", tt.in, tk.end, len(b))
		}
		c, _ := analyze(&tk, era{}, false)
		if c&tt.want != tt.want || c&tt.not != 0 {
			t.Errorf("%s: cand %b, want %b set and %b clear", tt.in, c, tt.want, tt.not)
		}
	}
}

func TestEraDates(t *testing.T) {
	tests := []struct {
		in   string
		y    int
		want bool
	}{
		{"昭和55年3月4日", 1980, true},
		{"S55.3.4", 1980, true},
		{"s55/3/4", 1980, true},
		{"H2.1.31", 1990, true},
		{"平成元年5月1日", 1989, true},
		{"令和元年5月1日", 2019, true},
		{"㍼55年3月4日", 1980, true},
		{"昭和65年1月1日", 0, false}, // Showa ended in its 64th year
		{"R2.2.30", 0, false},
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

func TestSpacedKanjiDate(t *testing.T) {
	b := []byte("1996 年 3 月 22 日")
	var tk numTok
	parseNum(b, 0, &tk)
	c, di := analyze(&tk, era{}, false)
	if c&candDate == 0 || di.y != 1996 || di.m != 3 || di.d != 22 || tk.end != len(b) {
		t.Errorf("got %b %+v end %d", c, di, tk.end)
	}
}

func TestSpaceGrouping(t *testing.T) {
	tests := []struct{ in, first string }{
		{"1980/03/04 090-1234-5678", "1980/03/04"},
		{"090 1234 5678", "090 1234 5678"},
		{"1980 090-1234-5678", "1980"},
		{"4111 1111 1111 1111 ok", "4111 1111 1111 1111"},
		{"(03) 1234 5678", "03) 1234 5678"},
	}
	for _, tt := range tests {
		b := []byte(tt.in)
		i := 0
		for b[i]-'0' > 9 {
			i++
		}
		var tk numTok
		parseNum(b, i, &tk)
		if got := string(b[tk.start:tk.end]); got != tt.first {
			t.Errorf("%q: first token %q, want %q", tt.in, got, tt.first)
		}
	}
}
