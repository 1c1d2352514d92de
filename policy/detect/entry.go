package detect

import "bytes"

// A customer list is often typed as entries: a bullet and a name on a
// line of its own, the person's details on indented lines below
//
//	・山田太郎
//	　1975/4/12
//	　東京都世田谷区桜新町2-3-4
//
// with no label saying which date is the birth date. The name is a weak
// list name (kept when a paragraph has two entries or more, see
// confirmListNames); a date alone on an indented line of an entry is
// taken for a birth date when it is at least minAge years old, which
// keeps out the dates of meeting notes and to-do lists (・山田様 /
// 　2026/5/10), all recent.

// entryWindow is how many lines below its name line an entry reaches.
const entryWindow = 4

// minAge is the age in years below which an unlabelled entry date is not
// taken for a birth date.
const minAge = 15

// entryBullets start an entry's name line.
var entryBullets = [...]string{"・", "･", "●", "○", "◎", "■", "□", "◆", "◇", "▪", "★", "☆", "-", "*", "＊"}

// bulletName returns the name of an entry line ("・山田太郎", "● 鈴木 花子"),
// or nil: the bullet and a person's name shape fill the whole line.
func bulletName(line []byte) []byte {
	// every line passes here: reject on the first byte, the lead byte
	// of the bullets (E2 ●○■…, E3 ・, EF ･＊) or - and *
	if len(line) == 0 || (line[0] != 0xE2 && line[0] != 0xE3 && line[0] != 0xEF && line[0] != '-' && line[0] != '*') {
		return nil
	}
	line = bytes.TrimRight(line, " \t\r")
	var rest []byte
	for _, bl := range entryBullets {
		if bytes.HasPrefix(line, []byte(bl)) {
			rest = line[len(bl):]
			break
		}
	}
	if rest == nil {
		return nil
	}
	rest = trimSpace(rest)
	for _, h := range [...]string{"様", "殿"} {
		if bytes.HasSuffix(rest, []byte(h)) {
			return nil // the honorific finds the name already (findNames)
		}
	}
	switch nameCell(rest) {
	case 1:
		if surnameStart(rest) || bytes.IndexByte(rest, ' ') > 0 || bytes.Contains(rest, []byte("\u3000")) {
			return rest
		}
	case 2:
		return rest
	}
	return nil
}

// skipBullet returns the index after a bullet and the spaces after it at
// b[i:le], or i when the line does not start with a bullet.
func skipBullet(b []byte, i, le int) int {
	if i >= le || (b[i] != 0xE2 && b[i] != 0xE3 && b[i] != 0xEF && b[i] != '-' && b[i] != '*') {
		return i
	}
	for _, bl := range entryBullets {
		if bytes.HasPrefix(b[i:le], []byte(bl)) {
			j := i + len(bl)
			for j < le && b[j] == ' ' {
				j++
			}
			for j+3 <= le && string(b[j:j+3]) == "\u3000" {
				j += 3
			}
			return j
		}
	}
	return i
}

// entryLine notes an entry's name line; it runs at the end of every
// line that is not a table row.
func (t *Text) entryLine(line []byte) {
	if t.inEntry && isBlank(line) {
		t.inEntry = false
		return
	}
	name := bulletName(line)
	if name == nil {
		return
	}
	t.inEntry, t.entryAt = true, t.line
	if t.lineK&(1<<kName) != 0 || len(t.lineM) > 0 {
		return
	}
	m := tmatch{k: kName, line: t.line, weak: true}
	if t.acc.wantSample(kName) {
		m.sample = maskText(name, 1)
	}
	t.para = append(t.para, m)
}

// entryDate reports a date of birth year y that stands alone on an
// indented line of an entry.
func (t *Text) entryDate(b []byte, ls int, tk *numTok, y int) bool {
	if !t.inEntry || t.line <= t.entryAt || t.line-t.entryAt > entryWindow || y > t.e.bornBy {
		return false
	}
	indent := trimEra(b[ls:tk.start])
	if len(indent) == 0 || !allSpace(indent) {
		return false
	}
	le := tk.end
	for le < len(b) && b[le] != '\n' {
		le++
	}
	return allSpace(b[tk.end:le])
}

// allSpace reports ASCII or ideographic white space only.
func allSpace(s []byte) bool {
	for i := 0; i < len(s); {
		switch {
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\r':
			i++
		case i+3 <= len(s) && string(s[i:i+3]) == "\u3000":
			i += 3
		default:
			return false
		}
	}
	return true
}

// trimEra removes the era written before a date's digits (S., 昭和, Ｈ).
func trimEra(s []byte) []byte {
	s = bytes.TrimSuffix(bytes.TrimSuffix(s, []byte(".")), []byte("．"))
	for _, w := range [...]string{"昭和", "平成", "令和", "大正", "明治", "昭", "平", "令", "㍼", "㍻", "㋿"} {
		if bytes.HasSuffix(s, []byte(w)) {
			return s[:len(s)-len(w)]
		}
	}
	if len(s) == 0 {
		return s
	}
	l := lastRuneStart(s, len(s))
	if c, _ := asciiAt(s, l); isLetter(c) {
		if _, ok := letterEra(c &^ 0x20); ok {
			return s[:l]
		}
	}
	return s
}

// nameDate reports a date of birth year y written right after the
// person's name that opens its line, as a memo lists people
// (・原田 誠様　S.49.5.2　静岡県…). The year keeps out the dates of
// visits and deadlines next to a name, as entryDate does.
func (t *Text) nameDate(b []byte, ls int, tk *numTok, y int) bool {
	if y > t.e.bornBy || tk.start-ls > 64 {
		return false
	}
	pre := trimEra(b[ls:tk.start])
	head := bytes.TrimRight(pre, " \t")
	for bytes.HasSuffix(head, []byte("\u3000")) {
		head = bytes.TrimRight(head[:len(head)-3], " \t")
	}
	if len(head) == len(pre) {
		return false // the date is not a field of its own
	}
	honor := false
	for _, h := range [...]string{"様", "さん", "殿"} {
		if bytes.HasSuffix(head, []byte(h)) {
			head, honor = head[:len(head)-len(h)], true
			break
		}
	}
	i := skipBullet(head, 0, len(head))
	e, kanji, kana, runes := nameRun(head, i, len(head))
	if e != len(head) || runes < 2 || runes > 9 || (kanji == 0 && kana < 4) {
		return false
	}
	w := head[i:e]
	spaced := bytes.IndexByte(w, ' ') >= 0 || bytes.Contains(w, []byte("\u3000"))
	return (honor || spaced && runes >= 3) && !notPerson(w)
}
