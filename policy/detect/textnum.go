package detect

import (
	"bytes"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// number classifies the number starting at b[i] and returns where
// scanning continues.
func (t *Text) number(b []byte, i, ls int) int {
	var tk numTok
	parseNum(b, i, &tk)
	var er era
	var gannen bool
	if tk.ng >= 2 && !tk.wordPre {
		er, gannen = eraBefore(b, tk.start)
	}
	c, di := analyze(&tk, er, gannen)
	if !t.decide(b, ls, &tk, c, di.y) && tk.ng > 1 && tk.hasSep(' ') {
		// "1980 090-1234-5678": retry each space-separated part
		p := tk.start
		for p < tk.end {
			var sub numTok
			q := p
			for q < tk.end {
				if _, n := digitAt(b, q); n > 0 {
					break
				}
				q++
			}
			if q >= tk.end {
				break
			}
			parseNumUntilSpace(b, q, tk.end, &sub)
			sc, sdi := analyze(&sub, era{}, false)
			t.decide(b, ls, &sub, sc, sdi.y)
			p = sub.end
		}
	}
	return max(tk.end, i+1)
}

// parseNumUntilSpace parses a number at b[i] that stops at a space.
func parseNumUntilSpace(b []byte, i, limit int, t *numTok) {
	end := i
	for end < limit && b[end] != ' ' && !(end+3 <= limit && string(b[end:end+3]) == "\u3000") {
		end++
	}
	parseNum(b[:end], i, t)
}

// decide turns a number's candidates into a finding using context. It
// reports whether anything was found; y is the year when c is a date.
func (t *Text) decide(b []byte, ls int, tk *numTok, c cand, y int) bool {
	e := t.e
	var all, near ctx
	ctxDone := false
	getCtx := func() {
		if !ctxDone {
			all, near = t.context(b, tk.start, tk.end)
			ctxDone = true
		}
	}
	labelled := func(want ctx) bool {
		if t.hdr&want != 0 {
			return true // under a header line: no need to look for words
		}
		getCtx()
		return near&want != 0 || (near == 0 && all&want != 0)
	}
	switch {
	case c&candCard != 0:
		getCtx()
		if c&candCardGrouped != 0 || all&cCard != 0 {
			t.match(kCreditCard, func() string { return maskTok(tk, 4, 4) })
			return true
		}
	case c&candMyNum != 0 && labelled(cMyNumber):
		t.match(kMyNumber, func() string { return maskTok(tk, 0, 2) })
		return true
	case c&cand12 != 0 && labelled(cLicense):
		t.match(kDriversLicense, func() string { return maskTok(tk, 0, 2) })
		return true
	case c&candCorp != 0 && labelled(cCorp):
		t.match(kCorporate, nil)
		return true
	case c&candPension != 0 && labelled(cPension):
		t.match(kPension, func() string { return maskTok(tk, 0, 2) })
		return true
	case c&candPassport != 0 && labelled(cPassport):
		t.match(kPassport, func() string { return string(tk.pre[:2]) + "*****" + string(tk.d[5:7]) })
		return true
	case c&candHealth != 0 && labelled(cHealth):
		t.match(kHealthInsurance, func() string { return maskTok(tk, 0, 1) })
		return true
	case c&(candMobile|candLandline|candPhoneBare) != 0:
		if len(e.ownPhones) > 0 {
			if _, own := e.ownPhones[normPhone(tk.digits())]; own {
				return true
			}
		}
		if c&(candMobile|candLandline) == candMobile && c&candPhoneBare != 0 {
			// bare 11 digits: a phone unless it sits among order numbers
			getCtx()
			if all&(cOrder|cPolicy) != 0 && all&(cPhone|cMobile) == 0 {
				return false
			}
		} else if c&candPhoneBare != 0 && !labelled(cPhone|cMobile) {
			return false
		}
		t.match(kPhone, func() string { return maskPhone(tk) })
		return true
	case c&candBizPhone != 0:
		return true
	case c&(candDate|candDate8) != 0:
		if bornAfter(b, tk.end) || labelled(cBirth) || t.entryDate(b, ls, tk, y) || t.nameDate(b, ls, tk, y) {
			t.match(kBirthDate, func() string { return maskTok(tk, 0, 0) })
			return true
		}
		return false
	case c&(candPostal|candPostal7) != 0:
		if postalMark(b, tk.start) || (c&candPostal != 0 && (labelled(cPostal) || prefectureAfter(b, tk.end))) {
			if t.lineK&(1<<kAddress) == 0 && !e.ownAddressLine(b, ls, tk.end) {
				t.match(kAddress, func() string { return maskTok(tk, 3, 0) })
			}
			return true
		}
	}
	if c&candBank != 0 && labelled(cBank) && (all&cTransfer == 0 || personHolder(b[max(t.paraStart, tk.start-300):min(len(b), tk.end+300)])) {
		t.match(kBankAccount, func() string { return maskTok(tk, 0, 2) })
		return true
	}
	if c&(candDate|candAmount) != 0 {
		return false
	}
	// a block number after a prefecture or municipality is an address
	if !tk.wordPre && tk.nd <= 8 && t.lineK&(1<<kAddress) == 0 && blockNumber(tk) {
		if st := addressBefore(b, max(ls, tk.start-150), tk.start); st == addrPrefec || (st == addrMunic && labelled(cAddress)) {
			if !e.ownAddressLine(b, ls, tk.end) {
				t.match(kAddress, func() string { return maskText(addrStart(b, ls, tk.start), 3) })
			}
			return true
		}
	}
	// policy numbers: the word around the number under a policy label,
	// or any configured insurer shape
	if (tk.nd >= 4 && labelled(cPolicy)) || len(e.policies) > 0 {
		if t.policy(b, ls, tk, labelled) {
			return true
		}
	}
	// any other number right after an address is its block number
	if !tk.wordPre && tk.nd <= 8 && t.lineK&(1<<kAddress) == 0 && !blockNumber(tk) {
		if st := addressBefore(b, max(ls, tk.start-150), tk.start); st == addrPrefec || (st == addrMunic && labelled(cAddress)) {
			if !e.ownAddressLine(b, ls, tk.end) {
				t.match(kAddress, func() string { return maskText(addrStart(b, ls, tk.start), 3) })
			}
			return true
		}
	}
	return false
}

// personHolder reports an account holder (口座名義, 名義人) in p (a
// bounded window around the account number, so that a long form costs
// linear time) that is a person: on an invoice "振込先 … 名義 カ）サクラホケン" is the
// company's own account, on a transfer request or a payout notice
// "口座名義 ヤマダ ハナコ" is a customer's.
func personHolder(p []byte) bool {
	const meigi = "名義"
	for off := 0; ; {
		i := bytes.Index(p[off:], []byte(meigi))
		if i < 0 {
			return false
		}
		j := off + i + len(meigi)
		off = j
		if j+3 <= len(p) && string(p[j:j+3]) == "人" {
			j += 3
		}
		le := j + bytes.IndexByte(p[j:], '\n')
		if le < j {
			le = len(p)
		}
		s, e := nameAfter(p, j, le)
		if s < 0 || companyWord(p[s:le]) || companyKana(p[e:le]) {
			continue
		}
		return true
	}
}

// companyWord reports a company or organisation name (a person's
// name may hold 部 or 室: 阿部, 室井).
func companyWord(w []byte) bool {
	for _, m := range [...]string{"会社", "(株)", "（株）", "㈱", "(有)", "（有）", "法人", "組合", "協会", "財団", "社団", "銀行", "信用金庫"} {
		if bytes.Contains(w, []byte(m)) {
			return true
		}
	}
	return false
}

// companyKanaName reports a company name as banks register it: カ）サクラ,
// ｶ)ｻｸﾗ, サクラ（カ, ユ）ミドリ (株式会社, 有限会社).
func companyKanaName(w []byte) bool {
	for _, p := range [...]string{"カ）", "カ)", "ｶ)", "ユ）", "ユ)", "ﾕ)", "ド）", "ド)", "ﾄﾞ)"} {
		if bytes.HasPrefix(w, []byte(p)) {
			return true
		}
	}
	for i := 0; i < len(w); i++ {
		if (w[i] == '(' || w[i] == 0xEF) && companyKana(w[i:]) {
			return true
		}
	}
	return false
}

// companyKana reports the bank-register suffix of a company name right
// at the start of rest: サクラホケン(カ, ｻｸﾗﾎｹﾝ(ﾕ (株式会社, 有限会社).
func companyKana(rest []byte) bool {
	for _, p := range [...]string{"(", "（"} {
		if len(rest) > len(p) && string(rest[:len(p)]) == p {
			r, _ := decodeRune(rest[len(p):])
			return isKatakana(r)
		}
	}
	return false
}

// bornAfter reports 生 right after a date ending at i (1975年4月12日生,
// S50.4.12生), the way a profile line says "born on" without a label.
// A kanji after it makes another word (生命, 生保, 生産): no birth.
func bornAfter(b []byte, i int) bool {
	if i < len(b) && b[i] == ' ' {
		i++
	}
	const sei = "生"
	if i+len(sei) > len(b) || string(b[i:i+len(sei)]) != sei {
		return false
	}
	r, _ := decodeRune(b[i+len(sei):])
	return !isKanji(r)
}

// blockNumber reports the shape of a Japanese block number: 1-2-3,
// 12-3, 1丁目 (groups of at most four digits joined by hyphens).
func blockNumber(tk *numTok) bool {
	if tk.ng > 4 {
		return false
	}
	for i := 0; i < tk.ng; i++ {
		if tk.g[i] > 4 || (i < tk.ng-1 && tk.s[i] != '-') {
			return false
		}
	}
	return true
}

// policy reports a policy number around tk.
func (t *Text) policy(b []byte, ls int, tk *numTok, labelled func(ctx) bool) bool {
	ws, we := tk.start, tk.end
	for ws > max(ls, tk.start-40) {
		j := lastRuneStart(b, ws)
		c, _ := asciiAt(b, j)
		if !isAlnum(c) && c != '-' {
			break
		}
		ws = j
	}
	for we < min(len(b), tk.end+40) {
		c, n := asciiAt(b, we)
		if !isAlnum(c) && c != '-' {
			break
		}
		we += n
	}
	var w [40]byte
	nw, digits, _ := foldWord(b[ws:we], &w)
	if nw == 0 {
		return false
	}
	for i := range t.e.policies {
		if t.e.policies[i].match(w[:nw]) {
			t.match(kPolicy, func() string { return maskWord(w[:nw]) })
			return true
		}
	}
	if digits >= 4 && nw >= 5 && nw <= 24 && labelled(cPolicy) {
		t.match(kPolicy, func() string { return maskWord(w[:nw]) })
		return true
	}
	return false
}

// postalMark reports 〒 right before b[i] (one space allowed).
func postalMark(b []byte, i int) bool {
	if i > 0 && b[i-1] == ' ' {
		i--
	}
	return i >= 3 && string(b[i-3:i]) == "〒"
}

// prefectureAfter reports a prefecture name right after b[i].
func prefectureAfter(b []byte, i int) bool {
	for i < len(b) && b[i] == ' ' {
		i++
	}
	if i+3 <= len(b) && string(b[i:i+3]) == "\u3000" {
		i += 3
	}
	return i < len(b) && prefectureAt(b, i) > 0
}

// ownAddressLine reports one of the organisation's addresses on the
// line of a match ending at e; the line is cut only when there are any.
func (e *Engine) ownAddressLine(b []byte, ls, end int) bool {
	return len(e.ownAddrs) > 0 && e.ownAddress(lineOf(b, ls, end))
}

// lineOf returns b[ls:] up to the end of the line containing e.
func lineOf(b []byte, ls, e int) []byte {
	end := e
	for end < min(len(b), e+200) && b[end] != '\n' {
		end++
	}
	return b[max(ls, e-200):end]
}

// addrStart returns the address text from its prefecture on.
func addrStart(b []byte, ls, s int) []byte {
	for j := max(ls, s-150); j < s; j++ {
		if n := prefectureAt(b, j); n > 0 {
			return b[j:s]
		}
	}
	return b[max(ls, s-30):s]
}

// endPara groups the paragraph's matches into pseudo-records. Names are
// searched for only here, and only in paragraphs that have other
// matches: a name is what turns contact details into a person.
func (t *Text) endPara(b []byte, ps, pe int) {
	if !t.seenText && !isBlank(b[ps:pe]) {
		t.seenText = true
		t.addressee = len(t.para) == 0 && t.salutation(b, ps, pe)
	}
	if len(t.para) == 0 {
		return
	}
	t.honor = t.addressee && !t.signed && honorParagraph(b[ps:min(pe, ps+8192)])
	staff := t.paraStaff
	t.paraStaff = false
	t.confirmListNames()
	// only paragraphs with a consumer e-mail pay for the company check
	t.private = slices.ContainsFunc(t.para, func(m tmatch) bool { return m.private }) &&
		!businessParagraph(b[ps:min(pe, ps+8192)])
	// Names complete records; when every group already is one, names are
	// still looked for until a few were seen, for the findings' sake.
	var g groups
	if pe-ps > 0 && t.acc.count[kName] < 3 {
		t.findNames(b, ps, min(pe, ps+8192))
		t.groupRecords(&g, staff)
	} else if t.groupRecords(&g, staff); pe-ps > 0 && !g.all {
		t.findNames(b, ps, min(pe, ps+8192))
		t.groupRecords(&g, staff)
	}
	t.records += g.records
	for k, n := range g.recs {
		t.acc.recs[k] += n
	}
	if g.records > 0 && t.addressee && !t.signed && !t.addrNamed {
		// a record in a letter, above its signature, is the addressee's:
		// the salutation's name is its name (reported once)
		t.addrNamed = true
		t.acc.count[kName]++
		t.acc.recs[kName]++
		t.acc.addSample(kName, t.addrSample)
	}
	t.para = t.para[:0]
}

// groups is what groupRecords found in a paragraph.
type groups struct {
	all     bool // every group is a record (names would add nothing)
	records int
	recs    [numKinds]int // records per kind
}

// groupRecords walks the paragraph's matches in line order and groups
// them into pseudo-records: a group ends after a gap of more than four
// lines or when an identifying kind repeats. It fills g; endPara adds
// g to the document, and needs no names when g.all. In a staff list
// (staff) a group is a record only with a birth date or a strong ID.
func (t *Text) groupRecords(g *groups, staff bool) {
	*g = groups{all: true}
	byLine := func(x, y tmatch) int { return int(x.line - y.line) }
	if !slices.IsSortedFunc(t.para, byLine) {
		slices.SortStableFunc(t.para, byLine)
	}
	var cur uint32
	var private bool
	var curKinds [numKinds]kind
	nk := 0
	last := int32(-1 << 30)
	flush := func() {
		if cur == 0 {
			return
		}
		if staff && cur&(1<<kBirthDate|strongMask) == 0 {
			g.all = false
		} else if textRecord(cur, private && t.private) || t.honor && addresseeRecord(cur) {
			g.records++
			for _, k := range curKinds[:nk] {
				g.recs[k]++
			}
		} else {
			g.all = false
		}
		cur, nk, private = 0, 0, false
	}
	for _, m := range t.para {
		repeat := cur&(1<<m.k) != 0 && (m.k == kName || m.k == kBirthDate || m.k == kMyNumber || m.k == kPolicy)
		if cur != 0 && (m.line-last > 4 || repeat) {
			flush()
		}
		if cur&(1<<m.k) == 0 {
			curKinds[nk] = m.k
			nk++
		}
		cur |= 1 << m.k
		private = private || m.private
		last = m.line
	}
	flush()
}

// textRecord decides whether the kinds of one group describe a person.
func textRecord(kinds uint32, privateMail bool) bool {
	var personal, anchors int
	if privateMail {
		anchors++
	}
	for k := kind(1); k < numKinds; k++ {
		if kinds&(1<<k) == 0 || !k.personal() {
			continue
		}
		if k.strong() {
			return true
		}
		personal++
		if k.anchor() {
			anchors++
		}
	}
	return anchors >= 1 && personal >= 2
}

// staffLine reports a header line with workplace columns (staffWords).
func staffLine(line []byte) bool {
	for _, w := range staffWords {
		if bytes.Contains(line, []byte(w)) {
			return true
		}
	}
	return false
}

// headerName finds a name in a line of a text table whose header names
// a name column: two adjacent space-separated words of kanji or kana
// (高橋 和夫), anywhere in the line (C514615 高橋 和夫 kazuo@…). It
// returns the name's bounds or -1.
func headerName(b []byte, ls int) (int, int) {
	prevS, prevRunes := -1, 0
	for i := ls; i < len(b); {
		// the next word: up to a space, a tab or an ideographic space
		j := i
		for j < len(b) && b[j] != ' ' && b[j] != '\t' && b[j] != '\r' && !(j+3 <= len(b) && string(b[j:j+3]) == "\u3000") {
			j++
		}
		e, kanji, kana, runes := nameRun(b, i, j)
		if j > i && e == j && runes <= 5 && (kanji > 0 || kana >= 2) {
			if prevS >= 0 && prevRunes+runes >= 2 && prevRunes+runes <= 9 && !notPerson(b[prevS:j]) {
				return prevS, j
			}
			prevS, prevRunes = i, runes
		} else {
			prevS = -1
		}
		if j < len(b) && b[j] == 0xE3 {
			j += 3
		} else {
			j++
		}
		i = j
	}
	return -1, -1
}

// addresseeRecord decides a group below a letter's salutation, in a
// paragraph about the addressee's own details: the salutation is its
// anchor, so two kinds of personal data make the record.
func addresseeRecord(kinds uint32) bool {
	return bits.OnesCount32(kinds&personalMask&^(1<<kName)) >= 2
}

// salutation reports a letter's opening paragraph that names one person:
// at most three short lines, one of them ending in "name 様" (or 殿),
// and not a company's contact (株式会社… 総務部 鈴木 様).
func (t *Text) salutation(b []byte, ps, pe int) bool {
	p := bytes.TrimRight(b[ps:pe], " \t\r\n")
	if len(p) > 240 || bytes.Count(p, []byte("\n")) > 2 {
		return false
	}
	for ls := 0; ls < len(p); {
		le := bytes.IndexByte(p[ls:], '\n')
		if le < 0 {
			le = len(p)
		} else {
			le += ls
		}
		line := bytes.TrimRight(p[ls:le], " \t\r\u3000")
		for _, h := range [...]string{"様", "殿", "さま"} {
			if !bytes.HasSuffix(line, []byte(h)) {
				continue
			}
			pos := ps + ls + len(line) - len(h)
			if s := nameBefore(b, ps+ls, pos); s >= 0 && !businessContact(b, ps, pos) {
				t.addrSample = maskText(bytes.TrimRight(b[s:pos], " \u3000"), 1)
				return true
			}
		}
		ls = le + 1
	}
	return false
}

// honorWords are how a letter refers to its addressee's own details:
// the honorific お/ご is not used for the sender's (TEL, 弊社住所). The
// home words say it on their own; the others (お電話ください, ご連絡先
// as where to call) only in pairs.
var (
	honorHome  = [...]string{"ご住所", "お住まい", "ご自宅", "ご携帯", "ご本人", "ご生年月日"}
	honorWords = [...]string{"お電話番号", "ご連絡先", "お届け先", "ご登録", "お客様の", "ご契約者", "ご勤務先"}
)

// senderWords mark a paragraph that gives the sender's own contact
// details, honorific or not (お電話は弊社窓口まで).
var senderWords = [...]string{"弊社", "当社", "小社", "窓口", "問い合わせ", "問合せ", "営業時間", "受付時間", "までご連絡"}

func honorParagraph(p []byte) bool {
	home, words := false, 0
	for _, w := range honorHome {
		home = home || bytes.Contains(p, []byte(w))
	}
	for _, w := range honorWords {
		if bytes.Contains(p, []byte(w)) {
			words++
		}
	}
	if !home && words < 2 || businessParagraph(p) {
		return false
	}
	for _, w := range senderWords {
		if bytes.Contains(p, []byte(w)) {
			return false
		}
	}
	return true
}

// signatureLine reports a line that starts a mail signature: "--",
// "-- " (RFC 3676), or a rule of dashes, equals signs, underscores or
// box-drawing characters.
func signatureLine(line []byte) bool {
	line = bytes.TrimRight(line, " \t\r")
	if len(line) < 2 {
		return false
	}
	r0, n := decodeRune(line)
	switch r0 {
	case '-', '=', '_', '*', '~', '─', '━', '＝', '－', '＿', '―', '‐', '＊', '〜', '～':
	default:
		return false
	}
	for i := n; i < len(line); {
		r, m := decodeRune(line[i:])
		if r != r0 {
			return false
		}
		i += m
	}
	return true
}

// findNames adds names labelled by 氏名/お名前… or followed by 様/殿.
func (t *Text) findNames(b []byte, ps, pe int) {
	line := t.line
	// line numbers of the paragraph: count back from the current line
	nl := 0
	for i := ps; i < pe; i++ {
		if b[i] == '\n' {
			nl++
		}
	}
	base := line - int32(nl)
	// hits arrive in position order: count lines incrementally
	cnt, cntPos := int32(0), ps
	lineAt := func(pos int) int32 {
		for ; cntPos < pos; cntPos++ {
			if b[cntPos] == '\n' {
				cnt++
			}
		}
		return base + cnt
	}
	t.e.kw.scan(b, ps, pe, func(pos, kend int, c ctx) {
		switch {
		case c&cHonor != 0:
			ls := pos
			for ls > max(ps, pos-64) && b[ls-1] != '\n' {
				ls--
			}
			next := string(b[kend:min(len(b), kend+3)])
			if next == "々" || next == "式" || next == "ざ" { // 様々, 様式, さまざま
				return
			}
			if s := nameBefore(b, ls, pos); s >= 0 && !businessContact(b, ps, pos) {
				t.addName(b[s:pos], lineAt(pos))
			}
		case c&cName != 0:
			le := pos
			for le < min(pe, pos+256) && b[le] != '\n' {
				le++
			}
			j := min(kend, le)
			if s, e := nameAfter(b, j, le); s >= 0 {
				t.addName(b[s:e], lineAt(pos))
			}
		}
	})
}

func (t *Text) addName(name []byte, line int32) {
	m := tmatch{k: kName, line: line}
	if t.acc.wantSample(kName) {
		m.sample = maskText(name, 1)
	}
	t.acc.count[kName]++
	t.acc.addSample(kName, m.sample)
	t.para = append(t.para, m)
}

// confirmListNames keeps names found only at the start of list lines
// (山田 花子 090-…) when the paragraph has at least two such lines: one
// such line is as likely a signature as a list.
func (t *Text) confirmListNames() {
	weak := 0
	for _, m := range t.para {
		if m.weak {
			weak++
		}
	}
	if weak == 0 {
		return
	}
	keep := weak >= 2
	t.para = slices.DeleteFunc(t.para, func(m tmatch) bool {
		if m.weak && keep {
			t.acc.count[kName]++
			t.acc.addSample(kName, m.sample)
		}
		return m.weak && !keep
	})
}

// notListNames are words that start list lines without being names.
var notListNames = []string{"支店", "営業", "会社", "株式", "本社", "本店", "部", "課", "店", "所", "様", "係", "室", "センター", "合計", "小計"}

// lineName finds a person's name at the start of a list line: two parts
// (surname, given name) separated by one space, then a space or tab.
// The line may start with a bullet or a number.
func lineName(b []byte, ls, le int) (int, int) {
	// a name and a value are separated by a space: "電話：090-…" is not
	// a list line, and is rejected without decoding runes
	head := b[ls:min(le, ls+48)]
	if bytes.IndexByte(head, ' ') < 0 && !bytes.Contains(head, []byte("\u3000")) {
		return -1, -1
	}
	// a bullet ("● 山田 花子 …", as a memo lists people) or list
	// numbering: "1. ", "12) "
	i := skipBullet(b, ls, le)
	for i < le && (b[i]-'0' <= 9 || b[i] == '.' || b[i] == ')' || b[i] == ' ') {
		i++
	}
	e, kanji, kana, runes := nameRun(b, i, min(le, i+60))
	if runes < 3 || runes > 9 || e >= le || (kanji == 0 && kana < 4) {
		return -1, -1
	}
	if c := b[e]; c != ' ' && c != '\t' && !(e+3 <= le && string(b[e:e+3]) == "\u3000") {
		return -1, -1
	}
	w := b[i:e]
	if bytes.IndexByte(w, ' ') < 0 && !bytes.Contains(w, []byte("\u3000")) {
		return -1, -1
	}
	if notPerson(w) {
		return -1, -1
	}
	return i, e
}

// businessMarkers on the line of "X 様" or the line above mark a
// company's contact person (an invoice, a letter to a firm), not a
// customer.
var businessMarkers = []string{
	"株式会社", "有限会社", "合同会社", "(株)", "（株）", "㈱", "御中", "支店", "営業所", "事務所",
	"事業所", "担当", "法人", "協会", "組合", "センター", "病院", "大学", "部 ", "部\u3000", "課 ", "課\u3000",
}

func businessContact(b []byte, ps, pos int) bool {
	// the line of pos and the one before it, bounded
	ls := pos
	for ls > max(ps, pos-120) && b[ls-1] != '\n' {
		ls--
	}
	from := ls
	if from > ps {
		from--
		for from > max(ps, ls-90) && b[from-1] != '\n' {
			from--
		}
	}
	seg := b[from:pos]
	for _, m := range businessMarkers {
		if bytes.Contains(seg, []byte(m)) {
			return true
		}
	}
	prev := bytes.TrimRight(b[from:max(from, ls-1)], " \r\t")
	return bytes.HasSuffix(prev, []byte("部")) || bytes.HasSuffix(prev, []byte("課"))
}

// businessParagraph reports company markers in a paragraph: there a
// free-mail address is a small company's, not a customer's.
func businessParagraph(p []byte) bool {
	for _, m := range [...]string{"株式会社", "有限会社", "合同会社", "(株)", "（株）", "㈱", "FAX", "Fax", "fax", "ＦＡＸ", "代理店", "事務所", "営業所", "支店", "本社"} {
		if bytes.Contains(p, []byte(m)) {
			return true
		}
	}
	return false
}

// notPerson reports name-shaped words that are places or organisations:
// 新宿 支店, 札幌 中央区, 東京都 …, 営業 二課.
func notPerson(w []byte) bool {
	if last, _ := utf8.DecodeLastRune(w); last == '市' || last == '区' || last == '町' || last == '村' || last == '郡' {
		return true
	}
	for j := 0; j < len(w); {
		// a prefecture starts a word: at 0 or after the inner space
		if (j == 0 || w[j-1] == ' ' || w[j-1] == 0x80) && prefectureAt(w, j) > 0 {
			return true
		}
		// kana and kanji decoded inline; anything else by decodeRune
		var r rune
		n := 3
		if c := w[j]; c&0xF0 == 0xE0 && j+3 <= len(w) && w[j+1]&0xC0 == 0x80 && w[j+2]&0xC0 == 0x80 {
			r = rune(c&0x0F)<<12 | rune(w[j+1]&0x3F)<<6 | rune(w[j+2]&0x3F)
			if r < 0x3000 || r > 0x9FFF {
				r, n = decodeRune(w[j:])
			}
		} else {
			r, n = decodeRune(w[j:])
		}
		switch r {
		case '部', '課', '店', '所', '様', '係', '室', '社':
			return true
		case '支', '営', '会', '株', '本', '合', '小', 'セ':
			for _, nn := range notListNames {
				if bytes.HasPrefix(w[j:], []byte(nn)) {
					return true
				}
			}
		}
		j += n
	}
	return false
}
