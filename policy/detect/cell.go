package detect

import "bytes"

// commonSurnames are frequent Japanese family names. They only help to
// recognise a headerless column of kanji names; a name column with a
// header needs no list.
var commonSurnames = [...]string{
	"佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
	"吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水",
	"山崎", "森", "池田", "橋本", "阿部", "石川", "山下", "中島", "石井", "小川",
	"前田", "岡田", "長谷川", "藤田", "後藤", "近藤", "村上", "遠藤", "青木", "坂本",
	"斉藤", "福田", "太田", "西村", "藤井", "金子", "岡本", "藤原", "中野", "三浦",
	"原田", "中川", "松田", "竹内", "小野", "田村", "中山", "和田", "石田", "森田",
	"上田", "原", "内田", "柴田", "酒井", "宮崎", "横山", "高木", "安藤", "宮本",
	"大野", "小島", "工藤", "谷口", "今井", "高田", "丸山", "増田", "杉山", "村田",
	"大塚", "小山", "平野", "藤本", "河野", "上野", "野口", "武田", "松井", "千葉",
	"岩崎", "菅原", "木下", "久保", "佐野", "野村", "松尾", "菊地", "市川", "杉本",
	"古川", "大西", "島田", "水野", "桜井", "高野", "渡部", "吉川", "山内", "西田",
	"飯田", "菊池", "西川", "小松", "北村", "安田", "五十嵐", "川口", "平田", "関",
	"中田", "久保田", "服部", "東", "岩田", "土屋", "川崎", "福島", "本田", "辻",
	"樋口", "秋山", "田口", "永井", "山中", "中西", "吉村", "川上", "石原", "大橋",
	"松岡", "馬場", "浅野", "荒井", "大久保", "野田", "松下", "菅野", "大島", "小池",
	"内藤", "小西", "松村", "熊谷", "上原", "大谷", "岡崎", "西山", "矢野", "今村",
	"新井", "星野", "高山", "関口", "堀", "片山", "桑原", "平井", "武藤", "杉浦",
	"早川", "森本", "千田", "安藤", "竹田", "宮田", "須藤", "大石", "岩本", "小田",
	"宮下", "北川", "吉岡", "上村", "河合", "松浦", "小澤", "渡部", "原田", "長田",
	"堀内", "平山", "沢田", "望月", "小野寺", "森下", "福井", "荒木", "浜田", "黒田",
	"奥村", "尾崎", "佐久間", "石塚", "北野", "橋口", "内山", "金井", "中尾", "白石",
	"大森", "西尾", "坂口", "榎本", "藤川", "広瀬", "大川", "高野", "篠原", "河村",
}

func surnameStart(s []byte) bool {
	for _, n := range commonSurnames {
		if bytes.HasPrefix(s, []byte(n)) {
			return true
		}
	}
	return false
}

// firstNumber parses the first number in a cell (after labels such as
// "TEL:" or an era name).
func firstNumber(s []byte, t *numTok) bool {
	for i := 0; i < len(s); {
		if _, n := digitAt(s, i); n > 0 {
			parseNum(s, i, t)
			return true
		}
		i += runeLen(s[i])
	}
	return false
}

// cellDigits folds the digits of s into d and reports how many there
// were and whether anything but digits, spaces and hyphens appeared.
func cellDigits(s []byte, d *[40]byte) (n int, other bool) {
	for i := 0; i < len(s); {
		if v, sz := digitAt(s, i); sz > 0 {
			if n < len(d) {
				d[n] = '0' + v
			}
			n++
			i += sz
			continue
		}
		if s[i] == ' ' {
			i++
			continue
		}
		if sz := hyphenAt(s, i); sz > 0 {
			i += sz
			continue
		}
		other = true
		i += runeLen(s[i])
	}
	return n, other
}

// accept validates one non-empty cell of column c and records a masked
// sample while the column still wants one.
func (e *Engine) accept(c *column, cell []byte) bool {
	switch c.k {
	case kName:
		if c.byShape {
			if nameCell(cell) == 0 {
				return false
			}
		} else if cell[0] < 0x80 && !isLetter(cell[0]) || len(cell) > 90 {
			return false
		}
		if c.acc.wantSample(kName) {
			c.acc.addSample(kName, maskText(cell, 1))
		}
		return true
	case kPhone:
		var t numTok
		if !firstNumber(cell, &t) {
			return false
		}
		if analyzePhone(&t)&(candMobile|candLandline|candPhoneBare) == 0 && !lostZeroPhone(&t, cell) {
			return false
		}
		if len(e.ownPhones) > 0 {
			if _, own := e.ownPhones[normPhone(t.digits())]; own {
				return false
			}
		}
		if c.acc.wantSample(kPhone) {
			c.acc.addSample(kPhone, maskPhone(&t))
		}
		return true
	case kEmail:
		at, atLen := bytes.IndexByte(cell, '@'), 1
		if at < 0 {
			at, atLen = bytes.Index(cell, []byte("＠")), 3
		}
		var m emailTok
		if at < 0 || !parseEmail(cell, at, atLen, &m) || e.ownDomain(m.domain()) {
			return false
		}
		if c.acc.wantSample(kEmail) {
			c.acc.addSample(kEmail, maskEmail(m.domain()))
		}
		return true
	case kAddress:
		if c.byShape && addressCell(cell) == addrNone {
			return false
		}
		if len(cell) < 6 || e.ownAddress(cell) {
			return false
		}
		if c.acc.wantSample(kAddress) {
			c.acc.addSample(kAddress, maskText(cell, 3))
		}
		return true
	case kPostal:
		var t numTok
		var d [40]byte
		// 6 digits: a spreadsheet read 0600001 as a number
		if n, _ := cellDigits(cell, &d); n != 7 && !(n == 6 && d[0] != '0') {
			return false
		}
		if c.acc.wantSample(kPostal) && firstNumber(cell, &t) {
			c.acc.addSample(kPostal, maskTok(&t, 3, 0))
		}
		return true
	case kBirthDate:
		return e.acceptBirth(c, cell)
	case kMyNumber:
		var t numTok
		var d [40]byte
		n, other := cellDigits(cell, &d)
		if (n != 12 || other || !myNumberOK(d[:12])) && !sciDigits(cell, 12) {
			return false
		}
		if c.acc.wantSample(kMyNumber) && firstNumber(cell, &t) {
			c.acc.addSample(kMyNumber, maskTok(&t, 0, 2))
		}
		return true
	case kCreditCard:
		var t numTok
		var d [40]byte
		n, other := cellDigits(cell, &d)
		// a spreadsheet keeps 15 significant digits: the 16th comes back 0
		if n < 14 || n > 19 || other || !cardIIN(d[:n]) || !(luhn(d[:n]) || n == 16 && d[15] == '0') {
			return false
		}
		if c.acc.wantSample(kCreditCard) && firstNumber(cell, &t) {
			c.acc.addSample(kCreditCard, maskTok(&t, 4, 4))
		}
		return true
	case kCorporate:
		var d [40]byte
		n, _ := cellDigits(cell, &d)
		return n == 13 && corporateOK(d[:13])
	case kBankAccount, kPension, kDriversLicense, kHealthInsurance:
		var t numTok
		var d [40]byte
		n, _ := cellDigits(cell, &d)
		lo, hi := 4, 20
		switch c.k {
		case kBankAccount:
			lo, hi = 6, 13
		case kPension:
			lo, hi = 10, 10
		case kDriversLicense:
			lo, hi = 12, 12
		}
		if n < lo || n > hi {
			return false
		}
		// 保険者番号 (the insurer, 6 or 8 digits) carries a Luhn check
		// digit; 被保険者記号・番号 (the insured person) is free form
		if c.hdr.insurer && !((n == 6 || n == 8) && luhn(d[:n])) {
			return false
		}
		if c.k == kDriversLicense && !licenceOK(d[:12]) {
			return false
		}
		if c.acc.wantSample(c.k) && firstNumber(cell, &t) {
			c.acc.addSample(c.k, maskTok(&t, 0, 2))
		}
		return true
	case kPassport, kPolicy:
		var w [40]byte
		nw, digits, letters := foldWord(cell, &w)
		if nw == 0 {
			return false
		}
		if c.k == kPassport && !(nw == 9 && letters == 2 && digits == 7) {
			return false
		}
		if c.k == kPolicy && (digits < 3 || nw < 4 || nw > 30) {
			return false
		}
		if c.acc.wantSample(c.k) {
			c.acc.addSample(c.k, maskWord(w[:nw]))
		}
		return true
	}
	return false
}

// foldWord folds an alphanumeric code (letters, digits, hyphens) into w;
// it returns 0 when the cell holds anything else.
func foldWord(s []byte, w *[40]byte) (n, digits, letters int) {
	for i := 0; i < len(s); {
		c, sz := s[i], 1
		if c >= 0x80 {
			c, sz = asciiAt(s, i)
		}
		i += sz
		switch {
		case c-'0' <= 9:
			digits++
		case isLetter(c):
			letters++
			c &^= 0x20
		case c == '-' || c == '/' || c == '.':
		case c == ' ':
			continue
		default:
			return 0, 0, 0
		}
		if n >= len(w) {
			return 0, 0, 0
		}
		w[n] = c
		n++
	}
	return n, digits, letters
}

// maskWord keeps the first two and last two characters of a code.
func maskWord(w []byte) string {
	if len(w) <= 4 {
		return "****"
	}
	out := make([]byte, len(w))
	for i, c := range w {
		if i < 2 || i >= len(w)-2 || c == '-' {
			out[i] = c
		} else {
			out[i] = '*'
		}
	}
	return string(out)
}

// acceptBirth validates a date of birth under a DOB header: Western or
// era dates, YYYYMMDD, or an Excel date serial.
func (e *Engine) acceptBirth(c *column, cell []byte) bool {
	// Excel exports "1980/03/04 0:00:00"
	if sp := bytes.IndexByte(cell, ' '); sp > 0 {
		cell = cell[:sp]
	}
	// and serials as "29284.0"
	if dot := bytes.IndexByte(cell, '.'); dot > 0 && dot < len(cell)-1 && allZeros(cell[dot+1:]) {
		cell = cell[:dot]
	}
	var t numTok
	start := -1
	for i := 0; i < len(cell); {
		if _, n := digitAt(cell, i); n > 0 {
			start = i
			break
		}
		i += runeLen(cell[i])
	}
	if start < 0 {
		return false
	}
	parseNum(cell, start, &t)
	er, gannen := eraBefore(cell, start)
	cd, _ := analyzeDate(&t, er, gannen)
	ok := cd&(candDate|candDate8) != 0
	if !ok && t.ng == 1 && t.nd <= 5 && !t.wordPre {
		// Excel serial, possibly "29285.0"
		if t.end == len(cell) {
			if y, _, _, sok := excelSerialDate(prefix(t.digits(), t.nd)); sok && birthYearOK(y) {
				ok = true
			}
		}
	}
	if ok && c.acc.wantSample(kBirthDate) {
		c.acc.addSample(kBirthDate, maskTok(&t, 0, 0))
	}
	return ok
}

func allZeros(b []byte) bool {
	for _, c := range b {
		if c != '0' {
			return false
		}
	}
	return true
}

// shapeKind decides the kind of a headerless column from the share of
// its values each detector accepts.
func (e *Engine) shapeKind(rows [][][]byte, ci int) kind {
	var nonEmpty, phone, email, addr, postal, mynum, card, corp, kanjiName, kanaName, surname, spaced int
	for _, r := range rows {
		if ci >= len(r) {
			continue
		}
		cell := trimSpace(r[ci])
		if len(cell) == 0 {
			continue
		}
		nonEmpty++
		var t numTok
		var d [40]byte
		if bytes.IndexByte(cell, '@') >= 0 || bytes.Contains(cell, []byte("＠")) {
			email++
			continue
		}
		if n, other := cellDigits(cell, &d); !other && n >= 7 {
			switch {
			case n == 12 && myNumberOK(d[:12]):
				mynum++
			case n == 13 && corporateOK(d[:13]):
				corp++
			case n >= 14 && n <= 19 && cardIIN(d[:n]) && luhn(d[:n]):
				card++
			}
		}
		if firstNumber(cell, &t) && t.start == 0 {
			if analyzePhone(&t)&(candMobile|candLandline) != 0 && t.end == len(cell) {
				phone++
			}
			if t.nd == 7 && t.groups(3, 4) && t.end == len(cell) {
				postal++
			}
		}
		if addressCell(cell) != addrNone {
			addr++
		}
		switch nameCell(cell) {
		case 1:
			kanjiName++
			if surnameStart(cell) {
				surname++
			}
			if bytes.IndexByte(cell, ' ') > 0 || bytes.Contains(cell, []byte("\u3000")) {
				spaced++
			}
		case 2:
			kanaName++
		}
	}
	if nonEmpty == 0 {
		return kNone
	}
	share := func(n int) float64 { return float64(n) / float64(nonEmpty) }
	cs, ck := e.cfg.ColumnShare, e.cfg.CheckedShare
	switch {
	case share(email) >= cs:
		return kEmail
	case share(phone) >= cs:
		return kPhone
	case share(postal) >= cs:
		return kPostal
	case share(addr) >= cs:
		return kAddress
	case nonEmpty >= 3 && share(mynum) >= ck:
		return kMyNumber
	case nonEmpty >= 3 && share(card) >= ck:
		return kCreditCard
	case nonEmpty >= 3 && share(corp) >= ck:
		return kCorporate
	case share(kanaName) >= cs:
		return kName
	case share(kanjiName) >= cs && (share(surname) >= 0.15 || share(spaced) >= cs):
		return kName
	}
	return kNone
}

// lostZeroPhone accepts a phone number whose leading 0 a spreadsheet
// dropped (09012345678 stored as the number 9012345678), under a phone
// header only.
func lostZeroPhone(t *numTok, cell []byte) bool {
	if t.ng != 1 || t.nd < 9 || t.nd > 10 || t.d[0] == '0' || t.end != len(cell) {
		return false
	}
	var z numTok
	z.d[0] = '0'
	copy(z.d[1:], t.d[:t.nd])
	z.nd = t.nd + 1
	z.g[0] = uint8(z.nd)
	z.ng = 1
	return analyzePhone(&z)&(candMobile|candPhoneBare) != 0
}

// sciDigits accepts a number a spreadsheet printed in E notation with
// the given count of integer digits ("1.23457E+11" for 12 digits): the
// digits are lost, the column header says what they were.
func sciDigits(cell []byte, digits int) bool {
	e := bytes.IndexAny(cell, "Ee")
	if e < 2 || cell[1] != '.' || cell[0] < '1' || cell[0] > '9' || e+2 > len(cell) {
		return false
	}
	exp := cell[e+1:]
	if exp[0] == '+' {
		exp = exp[1:]
	}
	v := 0
	for _, c := range exp {
		if c-'0' > 9 {
			return false
		}
		v = v*10 + int(c-'0')
	}
	return v == digits-1
}
