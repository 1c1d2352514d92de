package detect

// cand is the set of things a number could be, judged from its digits
// and shape alone. Context (keywords, column headers) turns candidates
// into findings.
type cand uint32

const (
	candMobile      cand = 1 << iota // 060/070/080/090 + 8
	candLandline                     // 10-digit geographic number, well grouped
	candPhoneBare                    // 10/11-digit phone without separators
	candBizPhone                     // 0120, 0800, 0570 … (not personal)
	candDate                         // valid calendar date, plausible birth year
	candDate8                        // YYYYMMDD
	candPostal                       // NNN-NNNN
	candPostal7                      // NNNNNNN
	candMyNum                        // 12 digits, mod-11 check passes
	cand12                           // 12 digits (driver's licence shape)
	candCorp                         // 13 digits, corporate check passes
	candCard                         // IIN + Luhn
	candCardGrouped                  // … and written in card groups
	candPension                      // 10 digits (4-6)
	candBank                         // 7 digits, or ゆうちょ 5-8
	candHealth                       // 6/8 digits with Luhn check
	candPassport                     // 2 letters + 7 digits
	candSerial                       // Excel date serial range
	candAmount                       // 1,234,567
	candEra                          // date written with a Japanese era
)

// dateInfo is filled for date candidates (for masking).
type dateInfo struct{ y, m, d int }

// analyze judges t; eraAt is the era written before the token (zero if
// none) and gannen reports 元年 before a month-day token.
func analyze(t *numTok, er era, gannen bool) (c cand, di dateInfo) {
	if t.over {
		return 0, di
	}
	d := t.digits()
	n := t.nd
	// amounts: 1,234 or 12,345,678
	if t.hasSep(',') {
		if t.sepsAll(',') && t.g[0] <= 3 {
			ok := true
			for i := 1; i < t.ng; i++ {
				if t.g[i] != 3 {
					ok = false
				}
			}
			if ok {
				return candAmount, di
			}
		}
		return 0, di
	}
	if t.hasSep(':') {
		return 0, di // times, ratios
	}
	// dates
	if dc, dd := analyzeDate(t, er, gannen); dc != 0 {
		return dc, dd
	}
	if t.wordPre && t.npre == 2 && n == 7 && t.ng == 1 && !t.wordPost {
		c |= candPassport
	}
	if t.wordPre || t.wordPost {
		return c, di
	}
	c |= analyzePhone(t)
	if c&(candMobile|candLandline|candPhoneBare|candBizPhone) != 0 {
		return c, di
	}
	if n == 7 && (t.groups(3, 4) && t.sepsAll('-')) {
		c |= candPostal
	}
	if n == 7 && t.ng == 1 {
		c |= candPostal7 | candBank
	}
	if n == 13 && t.groups(5, 8) {
		c |= candBank
	}
	if n == 12 && (t.ng == 1 || t.groups(4, 4, 4) && !t.hasSep('/') && !t.hasSep('.')) {
		if licenceOK(d) {
			c |= cand12
		}
		if myNumberOK(d) {
			c |= candMyNum
		}
	}
	if n == 13 && (t.ng == 1 || t.groups(1, 4, 4, 4)) && corporateOK(d) {
		c |= candCorp
	}
	if n >= 14 && n <= 19 && (t.ng == 1 || t.sepsAll('-') || t.sepsAll(' ')) && cardIIN(d) && luhn(d) {
		grouped := t.ng > 1 && (t.g[0] == 4 && (t.groups(4, 4, 4, 4) || t.groups(4, 6, 5) || t.groups(4, 6, 4) || t.groups(4, 4, 4, 4, 3)))
		if t.ng == 1 || grouped {
			c |= candCard
			if grouped {
				c |= candCardGrouped
			}
		}
	}
	if n == 10 && (t.ng == 1 || t.groups(4, 6)) {
		c |= candPension
	}
	if (n == 8 || n == 6) && t.ng == 1 && luhn(d) {
		c |= candHealth
	}
	if t.ng == 1 && n <= 5 {
		v := prefix(d, n)
		if v >= 1 && v <= 73050 {
			c |= candSerial
		}
	}
	return c, di
}

// analyzePhone judges Japanese phone numbers, national or +81.
func analyzePhone(t *numTok) cand {
	d := t.digits()
	n := t.nd
	if n < 10 || n > 13 {
		return 0
	}
	var nat [13]byte
	nn := 0
	switch {
	case d[0] == '0':
		nn = copy(nat[:], d)
	case (t.plus || t.ng > 1) && d[0] == '8' && d[1] == '1' && t.g[0] == 2:
		nat[0] = '0'
		nn = 1 + copy(nat[1:], d[2:])
		if nat[1] == '0' { // +81 0X… written with the trunk zero
			nn = copy(nat[:], nat[1:nn])
		}
	default:
		return 0
	}
	p := nat[:nn]
	if !t.phoneSeps() {
		return 0
	}
	last := t.g[t.ng-1]
	grouped := t.ng >= 2 && last == 4
	if t.ng == 2 && t.g[0] > 6 {
		grouped = false // 0312-345678 style: still fine only with 3 groups
	}
	switch {
	case nn == 10 && (string(p[:4]) == "0120" || string(p[:4]) == "0570" || string(p[:4]) == "0180" || string(p[:4]) == "0990"),
		nn == 11 && string(p[:4]) == "0800":
		return candBizPhone
	case nn == 11 && p[2] == '0' && p[1] >= '6' && p[1] <= '9':
		if grouped || t.ng == 1 {
			if t.ng == 1 {
				return candMobile | candPhoneBare
			}
			return candMobile
		}
	case nn == 11 && p[1] == '5' && p[2] == '0': // 050 IP phone
		if grouped {
			return candLandline
		}
		if t.ng == 1 {
			return candPhoneBare
		}
	case nn == 10 && p[1] != '0':
		if t.ng == 1 {
			return candPhoneBare
		}
		if grouped && t.g[0] >= 1 && t.g[0] <= 5 {
			return candLandline
		}
	}
	return 0
}

// analyzeDate judges Western and Japanese-era dates.
func analyzeDate(t *numTok, er era, gannen bool) (cand, dateInfo) {
	d := t.digits()
	var di dateInfo
	dateSeps := func() bool {
		for i := 0; i < t.ng-1; i++ {
			switch t.s[i] {
			case '/', '-', '.', 'Y', 'M':
			default:
				return false
			}
		}
		// mixed / and - (1980/03-04) is not a date
		return t.ng < 3 || t.s[0] == t.s[1] || (t.s[0] == 'Y' && t.s[1] == 'M')
	}
	eraLetter := t.npre == 1 && !t.wordPost
	if eraLetter {
		var e era
		if e, eraLetter = letterEra(t.pre[0]); eraLetter {
			er = e
		}
	}
	if t.wordPre && !eraLetter {
		return 0, di
	}
	if t.wordPost {
		return 0, di
	}
	switch {
	case er.start != 0 && gannen && t.ng == 2 && t.g[0] <= 2 && t.g[1] <= 2 && dateSeps():
		di = dateInfo{er.start, prefix(d, int(t.g[0])), prefix(d[t.g[0]:], int(t.g[1]))}
	case er.start != 0 && t.ng == 3 && t.g[0] <= 2 && t.g[1] <= 2 && t.g[2] <= 2 && dateSeps():
		y := er.year(prefix(d, int(t.g[0])))
		if y == 0 {
			return 0, di
		}
		di = dateInfo{y, prefix(d[t.g[0]:], int(t.g[1])), prefix(d[t.g[0]+t.g[1]:], int(t.g[2]))}
	case t.ng == 3 && t.g[0] == 4 && t.g[1] <= 2 && t.g[2] <= 2 && dateSeps():
		di = dateInfo{prefix(d, 4), prefix(d[4:], int(t.g[1])), prefix(d[4+t.g[1]:], int(t.g[2]))}
	case t.ng == 3 && t.g[0] <= 2 && t.g[1] <= 2 && t.g[2] == 4 && t.sepsAll('/'):
		// M/D/YYYY or D/M/YYYY
		a, b := prefix(d, int(t.g[0])), prefix(d[t.g[0]:], int(t.g[1]))
		y := prefix(d[t.g[0]+t.g[1]:], 4)
		if validDate(y, a, b) {
			di = dateInfo{y, a, b}
		} else {
			di = dateInfo{y, b, a}
		}
	case t.ng == 1 && t.nd == 8 && !t.day:
		y, m, dd := prefix(d, 4), prefix(d[4:], 2), prefix(d[6:], 2)
		if birthYearOK(y) && validDate(y, m, dd) {
			return candDate8, dateInfo{y, m, dd}
		}
		return 0, di
	default:
		return 0, di
	}
	if !birthYearOK(di.y) || !validDate(di.y, di.m, di.d) {
		return 0, di
	}
	if er.start != 0 {
		return candDate | candEra, di
	}
	return candDate, di
}

// eraBefore looks for a Japanese era name (昭和, S is handled by the
// tokenizer) right before b[i], allowing one space, and for 元年 between
// the era and a month-day token.
func eraBefore(b []byte, i int) (er era, gannen bool) {
	j := i
	if j >= 1 && b[j-1] == ' ' {
		j--
	} else if j >= 3 && b[j-3] == 0xE3 && b[j-2] == 0x80 && b[j-1] == 0x80 {
		j -= 3
	}
	if j >= 6 && string(b[j-6:j]) == "元年" {
		gannen = true
		j -= 6
	}
	if er, ok := abbrevEra(b, j); ok {
		return er, gannen
	}
	if j >= 6 {
		switch string(b[j-6 : j]) {
		case "昭和":
			return eraShowa, gannen
		case "平成":
			return eraHeisei, gannen
		case "令和":
			return eraReiwa, gannen
		case "大正":
			return eraTaisho, gannen
		case "明治":
			return eraMeiji, gannen
		}
	}
	if j >= 3 {
		switch string(b[j-3 : j]) {
		case "㍼":
			return eraShowa, gannen
		case "㍻":
			return eraHeisei, gannen
		case "㋿":
			return eraReiwa, gannen
		case "㍽":
			return eraTaisho, gannen
		case "㍾":
			return eraMeiji, gannen
		}
	}
	return era{}, false
}

// letterEra maps an upper-case era initial (S50.4.12) to its era.
func letterEra(c byte) (era, bool) {
	switch c {
	case 'S':
		return eraShowa, true
	case 'H':
		return eraHeisei, true
	case 'R':
		return eraReiwa, true
	case 'T':
		return eraTaisho, true
	case 'M':
		return eraMeiji, true
	}
	return era{}, false
}

// abbrevEra reads the abbreviated eras ending at b[j] that the tokenizer
// cannot see because a dot stands between them and the digits: S.48,
// Ｓ．４８ (the initial alone, not ending a word like VS.), and the
// one-kanji forms 昭.48 and 昭48 that forms and CRMs short of space use.
func abbrevEra(b []byte, j int) (era, bool) {
	k, dot := j, false
	if k >= 1 && b[k-1] == '.' {
		k, dot = k-1, true
	} else if k >= 3 && b[k-3] == 0xEF && b[k-2] == 0xBC && b[k-1] == 0x8E { // ．
		k, dot = k-3, true
	}
	if k >= 3 {
		switch string(b[k-3 : k]) {
		case "昭":
			return eraShowa, true
		case "平":
			return eraHeisei, true
		case "令":
			return eraReiwa, true
		}
	}
	if !dot || k == 0 {
		return era{}, false
	}
	l := lastRuneStart(b, k)
	c, _ := asciiAt(b, l)
	er, ok := letterEra(c &^ 0x20)
	if !ok || !isLetter(c) {
		return era{}, false
	}
	if l > 0 {
		if p, _ := asciiAt(b, lastRuneStart(b, l)); isAlnum(p) || p == '.' {
			return era{}, false
		}
	}
	return er, true
}
