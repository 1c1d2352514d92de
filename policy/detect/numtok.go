package detect

// numTok is a run of digits (ASCII or full-width) with the separators
// that may sit inside phone numbers, dates, codes and amounts. It is
// filled by parseNum without allocating.
type numTok struct {
	start, end int // byte range in the scanned buffer
	d          [40]byte
	nd         int      // digits kept (at most 40)
	g          [8]uint8 // group lengths
	s          [8]byte  // separator after group i: - / . space ( ) Y M , :
	ng         int      // number of groups
	over       bool     // more than 40 digits or 8 groups
	day        bool     // ended with 日
	pre        [4]byte  // ASCII letters glued before, folded, in order
	npre       int
	wordPre    bool // glued to a letter or digit before
	wordPost   bool // glued to a letter or digit after
	open       bool // preceded by an opening parenthesis
	plus       bool // preceded by '+' (international form)
}

func (t *numTok) digits() []byte { return t.d[:t.nd] }

// sepAt reports a separator inside a number at b[i] and its length.
func sepAt(b []byte, i int) (byte, int) {
	c := b[i]
	switch c {
	case '-', '/', '.', ' ', '(', ')', ',', ':':
		return c, 1
	}
	if n := hyphenAt(b, i); n > 0 {
		return '-', n
	}
	if i+2 >= len(b) {
		return 0, 0
	}
	c1, c2 := b[i+1], b[i+2]
	switch {
	case c == 0xEF && c1 == 0xBC:
		switch c2 {
		case 0x8F:
			return '/', 3
		case 0x8E:
			return '.', 3
		case 0x88:
			return '(', 3
		case 0x89:
			return ')', 3
		case 0x8C:
			return ',', 3
		case 0x9A:
			return ':', 3
		}
	case c == 0xE3 && c1 == 0x80 && c2 == 0x80: // ideographic space
		return ' ', 3
	case c == 0xE5 && c1 == 0xB9 && c2 == 0xB4: // 年
		return 'Y', 3
	case c == 0xE6 && c1 == 0x9C && c2 == 0x88: // 月
		return 'M', 3
	}
	return 0, 0
}

// kanjiSep reports 年 or 月 at b[i] with an optional space on either
// side ("1996 年 3 月"), as PDF text extraction often writes them.
func kanjiSep(b []byte, i int) (byte, int) {
	j := i
	if j < len(b) && b[j] == ' ' {
		j++
	}
	if j+3 > len(b) {
		return 0, 0
	}
	var s byte
	switch string(b[j : j+3]) {
	case "年":
		s = 'Y'
	case "月":
		s = 'M'
	default:
		return 0, 0
	}
	j += 3
	if j < len(b) && b[j] == ' ' {
		j++
	}
	return s, j - i
}

// isDay reports 日 at b[i].
func isDay(b []byte, i int) bool {
	return i+2 < len(b) && b[i] == 0xE6 && b[i+1] == 0x97 && b[i+2] == 0xA5
}

// parseNum reads the number starting at b[i], which must be a digit.
// Counts live in locals until the end (the hot loop of every detector).
func parseNum(b []byte, i int, t *numTok) {
	*t = numTok{start: i}
	nd, ng, gl := 0, 0, 0
	// A space joins groups only in space-written numbers (090 1234 5678);
	// "1980/03/04 090-1234-5678" is two numbers. On a mix the token is
	// rolled back to before the last space.
	var spaced, other bool
	var back struct{ i, nd, ng, gl int }
	for {
		// a run of digits: ASCII on the fast path, full-width folded
		for i < len(b) {
			c := b[i]
			if c-'0' <= 9 {
				i++
			} else if c == 0xEF && i+2 < len(b) && b[i+1] == 0xBC && b[i+2]-0x90 <= 9 {
				c = b[i+2] - 0x90 + '0'
				i += 3
			} else {
				break
			}
			if nd < len(t.d) {
				t.d[nd] = c
				nd++
			} else {
				t.over = true
			}
			gl++
		}
		// a group is never empty after a separator (checked below)
		if gl == 0 || i >= len(b) {
			break
		}
		n := b[i]
		var s byte
		var sn int
		if n < 0x80 && n != ' ' {
			// ASCII separators; kanjiSep needs a space or 年/月 here
			switch n {
			case '-', '/', '.', '(', ')', ',', ':':
				s, sn = n, 1
			}
		} else if s, sn = kanjiSep(b, i); sn == 0 {
			s, sn = sepAt(b, i)
		}
		if sn == 0 || i+sn >= len(b) {
			break
		}
		if _, dn := digitAt(b, i+sn); dn == 0 {
			// ")-" as in (03)-1234: allow one more separator
			if s == ')' {
				if s2, sn2 := sepAt(b, i+sn); sn2 > 0 && (s2 == '-' || s2 == ' ') && i+sn+sn2 < len(b) {
					if _, dn2 := digitAt(b, i+sn+sn2); dn2 > 0 {
						sn += sn2
						goto sep
					}
				}
			}
			break
		}
	sep:
		switch s {
		case ' ':
			if other {
				goto done
			}
			spaced = true
			back.i, back.nd, back.ng, back.gl = i, nd, ng, gl
		case '(', ')':
		default:
			if spaced {
				i, nd, ng, gl = back.i, back.nd, back.ng, back.gl
				goto done
			}
			other = true
		}
		if ng >= len(t.g)-1 {
			t.over = true
			break
		}
		t.g[ng] = uint8(min(gl, 255))
		t.s[ng] = s
		ng++
		gl = 0
		i += sn
	}
done:
	t.g[ng] = uint8(min(gl, 255))
	ng++
	t.nd, t.ng = nd, ng
	if isDay(b, i) {
		t.day = true
		i += 3
	} else if i+1 < len(b) && b[i] == ' ' && isDay(b, i+1) && ng >= 2 && t.s[ng-2] == 'M' {
		t.day = true // "3 月 22 日" as PDF text extraction spaces it
		i += 4
	}
	t.end = i
	// context glued to the token
	if t.start > 0 {
		j := lastRuneStart(b, t.start)
		c, _ := asciiAt(b, j)
		switch {
		case c == '(':
			t.open = true
		case c == '+':
			t.plus = true
		case isAlnum(c) || c == '_':
			t.wordPre = true
			// collect up to 4 letters before
			k := t.start
			for t.npre < len(t.pre) && k > 0 {
				j := lastRuneStart(b, k)
				c, _ := asciiAt(b, j)
				if !isLetter(c) {
					break
				}
				t.npre++
				k = j
			}
			p := k
			for n := 0; n < t.npre; n++ {
				c, sz := asciiAt(b, p)
				t.pre[n] = c &^ 0x20
				p += sz
			}
		}
	}
	if t.end < len(b) {
		c, _ := asciiAt(b, t.end)
		if isAlnum(c) || c == '_' {
			t.wordPost = true
		}
	}
}

// shape helpers

func (t *numTok) sepsAll(c byte) bool {
	for i := 0; i < t.ng-1; i++ {
		if t.s[i] != c {
			return false
		}
	}
	return true
}

func (t *numTok) hasSep(c byte) bool {
	for i := 0; i < t.ng-1; i++ {
		if t.s[i] == c {
			return true
		}
	}
	return false
}

func (t *numTok) groups(gs ...uint8) bool {
	if t.ng != len(gs) {
		return false
	}
	for i, g := range gs {
		if t.g[i] != g {
			return false
		}
	}
	return true
}

// phoneSeps reports whether all separators are phone-like.
func (t *numTok) phoneSeps() bool {
	for i := 0; i < t.ng-1; i++ {
		switch t.s[i] {
		case '-', '(', ')', ' ', '.':
		default:
			return false
		}
	}
	return true
}
