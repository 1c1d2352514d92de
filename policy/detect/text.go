package detect

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
)

// maxPending bounds how much of a line or paragraph Text buffers while
// waiting for a boundary to scan at.
const maxPending = 64 << 10

// textInteresting marks the bytes the free-text loop stops at: digits,
// '@', the lead byte of full-width forms, and newlines.
var textInteresting = func() (t [256]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range []byte{'@', 0xEF, '\n'} {
		t[c] = true
	}
	return t
}()

// tmatch is one finding in free text, kept until its paragraph ends so
// that nearby matches can be grouped into pseudo-records.
type tmatch struct {
	k       kind
	line    int32
	sample  string
	weak    bool // a name known only by its place at the start of a list line
	private bool // an e-mail address at a consumer domain
}

// kwHit is a context keyword found in the current block.
type kwHit struct {
	pos, end int
	c        ctx
}

// Text receives one free-text document: a body, DOCX paragraphs, PDF
// text, a TXT file. Lines with several tabs or commas (a list pasted
// into a body) are handed to an internal Table.
type Text struct {
	r       *Report
	e       *Engine
	loc     Location
	pending []byte
	line    int32
	acc     docAcc
	para    []tmatch
	lineM   []tmatch
	lineK   uint32 // kinds already found on the current line (address once per line)
	hits    []kwHit
	kwTo    int
	tbl     *Table
	cells   [][]byte
	records int
	closed  bool
	// hdr is the context of a header line ("氏名 個人番号 住所", as PDF
	// text extraction writes a table's header); it labels the values of
	// the lines below until a blank line or a few lines without matches.
	hdr     ctx
	hdrIdle int
	private bool // the current paragraph lets consumer e-mails anchor records
	// paraStart is where the current paragraph starts in the block
	paraStart int
	// A letter opens with its addressee (山田 太郎 様) in a paragraph of
	// its own: the customer the letter is about. seenText is set after
	// the first paragraph with text; addressee when that paragraph was
	// such a salutation; signed after a signature separator line, below
	// which contact details are the sender's; honor when the current
	// paragraph speaks of the addressee's own details (ご住所, お電話).
	seenText, addressee, signed, honor bool
	// hdrStaff: the header line names workplace columns (所属, 内線), so
	// the lines below list staff at work; paraStaff: the current
	// paragraph has such lines
	hdrStaff, paraStaff bool
	// addrSample is the salutation's name, masked; addrNamed is set once
	// it was reported as the name of a record
	addrSample string
	addrNamed  bool
	// inEntry: a bulleted name line was seen at line entryAt, in this
	// paragraph (entry.go)
	inEntry bool
	entryAt int32
}

// Text starts a free-text document at loc.
func (r *Report) Text(loc Location) *Text {
	return &Text{r: r, e: r.e, loc: loc}
}

// Write scans UTF-8 text. Chunks may split lines and characters anywhere;
// Write buffers up to a paragraph boundary itself. It never fails.
func (t *Text) Write(p []byte) (int, error) {
	n := len(p)
	if t.closed {
		return n, nil
	}
	if len(t.pending) > 0 {
		cut := paraCut(p)
		if cut < 0 {
			t.pending = append(t.pending, p...)
			t.drainLong()
			return n, nil
		}
		t.pending = append(t.pending, p[:cut]...)
		t.process(t.pending)
		t.pending = t.pending[:0]
		p = p[cut:]
	}
	if cut := paraCut(p); cut > 0 {
		t.process(p[:cut])
		p = p[cut:]
	}
	t.pending = append(t.pending, p...)
	t.drainLong()
	return n, nil
}

// paraCut returns the index just after the last blank line in p
// ("\n\n" or "\n\r\n"), or -1.
func paraCut(p []byte) int {
	end := len(p)
	// look back a bounded distance: drainLong handles long paragraphs
	stop := max(0, len(p)-8192)
	for end > stop {
		i := bytes.LastIndexByte(p[:end], '\n')
		if i < 0 {
			return -1
		}
		j := i - 1
		if j >= 0 && p[j] == '\r' {
			j--
		}
		if j >= 0 && p[j] == '\n' {
			return j + 1
		}
		end = i
	}
	return -1
}

// drainLong scans a pending paragraph that grew too long, at its last
// newline, or at the last space or rune boundary when there is none.
func (t *Text) drainLong() {
	if len(t.pending) < maxPending {
		return
	}
	b := t.pending
	cut := bytes.LastIndexByte(b, '\n') + 1
	if cut <= 0 {
		cut = bytes.LastIndexAny(b, " \t\r") + 1
	}
	if cut <= 0 {
		cut = len(b)
		for cut > 0 && b[cut-1]&0xC0 == 0x80 {
			cut--
		}
		if cut > 0 && b[cut-1] >= 0xC0 {
			cut--
		}
		if cut == 0 {
			cut = len(b)
		}
	}
	t.process(b[:cut])
	t.pending = append(t.pending[:0], b[cut:]...)
}

// Close scans what is left and adds the document's findings and records
// to the Report.
func (t *Text) Close() {
	if t.closed {
		return
	}
	if len(t.pending) > 0 {
		t.process(t.pending)
		t.pending = nil
	}
	t.closeTable()
	t.closed = true
	t.acc.flush(t.r, t.loc)
	t.r.records += t.records
}

// process scans one block that ends at a paragraph boundary (or a
// forced cut). Positions are block-relative.
func (t *Text) process(b []byte) {
	t.hits = t.hits[:0]
	t.kwTo = 0
	t.paraStart = 0
	paraStart, lineStart := 0, 0
	i := 0
	for i < len(b) {
		i = skipPlain(b, i)
		if i >= len(b) {
			break
		}
		c := b[i]
		if !textInteresting[c] {
			i++
			continue
		}
		switch {
		case c == '\n':
			blank := t.endLine(b, lineStart, i)
			if blank {
				t.endPara(b, paraStart, lineStart)
				paraStart = i + 1
				t.paraStart = paraStart
			}
			lineStart = i + 1
			t.line++
			i++
		case c == '@':
			t.email(b, i, 1)
			i++
		case c == 0xEF:
			if _, n := digitAt(b, i); n > 0 {
				i = t.number(b, i, lineStart)
			} else if i+2 < len(b) && b[i+1] == 0xBC && b[i+2] == 0xA0 {
				t.email(b, i, 3)
				i += 3
			} else {
				i++
			}
		default:
			i = t.number(b, i, lineStart)
		}
	}
	if lineStart < len(b) {
		t.endLine(b, lineStart, len(b))
	}
	t.endPara(b, paraStart, len(b))
}

// endLine moves the line's matches into the paragraph, or hands a
// delimited line to the internal table. It reports a blank line.
func (t *Text) endLine(b []byte, ls, le int) bool {
	lineK := t.lineK
	t.lineK = 0
	line := b[ls:le]
	// counted here, not in the loop: numbers swallow commas (1,234)
	tabs := bytes.Count(line, []byte("\t"))
	commas := 0
	if tabs < 2 {
		commas = bytes.Count(line, []byte(","))
	}
	if tabs >= 2 || commas >= 3 {
		t.lineM = t.lineM[:0]
		sep := byte(',')
		if tabs >= 2 {
			sep = '\t'
		}
		line = bytes.TrimRight(line, "\r")
		t.cells = t.cells[:0]
		for len(line) > 0 {
			j := bytes.IndexByte(line, sep)
			if j < 0 {
				t.cells = append(t.cells, bytes.Trim(line, "\""))
				break
			}
			t.cells = append(t.cells, bytes.Trim(line[:j], "\""))
			line = line[j+1:]
		}
		if t.tbl == nil {
			t.tbl = t.r.Table(t.loc)
			t.tbl.pasted = true
		}
		t.tbl.Row(t.cells)
		return false
	}
	t.closeTable()
	for _, m := range t.lineM {
		t.acc.count[m.k]++
		t.acc.addSample(m.k, m.sample)
	}
	t.headerLine(line)
	t.entryLine(line)
	if len(t.lineM) > 0 && t.hdr != 0 && t.hdrStaff {
		t.paraStaff = true
	}
	if len(t.lineM) > 0 && lineK&(1<<kName) == 0 {
		// under a header naming a name column, the header vouches for
		// the name, wherever in the line it sits
		named := t.hdr&cName != 0
		s, e := lineName(b, ls, le)
		if s < 0 && named {
			s, e = headerName(b[:le], ls)
		}
		if s >= 0 {
			m := tmatch{k: kName, line: t.line, weak: !named}
			if t.acc.wantSample(kName) {
				m.sample = maskText(b[s:e], 1)
			}
			if named {
				t.acc.count[kName]++
				t.acc.addSample(kName, m.sample)
			}
			t.para = append(t.para, m)
		}
	}
	t.para = append(t.para, t.lineM...)
	t.lineM = t.lineM[:0]
	blank := isBlank(line)
	if blank {
		t.hdr = 0
	}
	if t.addressee && !t.signed && signatureLine(line) {
		t.signed = true
	}
	return blank
}

// headerLine notices a line of column labels, or lets an old one expire.
func (t *Text) headerLine(line []byte) {
	if len(t.lineM) > 0 {
		t.hdrIdle = 0
		return
	}
	if t.hdr != 0 {
		t.hdrIdle++
		if t.hdrIdle > 3 {
			t.hdr = 0
		}
	}
	if len(line) > 200 || bytes.IndexByte(line, ' ') < 0 || bytes.IndexByte(line, '@') >= 0 {
		return
	}
	digits := 0
	for _, c := range line {
		if c-'0' <= 9 {
			digits++
		}
	}
	if digits > 2 {
		return
	}
	m := t.e.kw.ctxOf(line) & labelCtx &^ (cOrder | cDate)
	if bits.OnesCount32(uint32(m)) >= 2 {
		t.hdr, t.hdrIdle = m, 0
		t.hdrStaff = staffLine(line)
	}
}

func (t *Text) closeTable() {
	if t.tbl != nil {
		t.tbl.Close()
		t.tbl = nil
	}
}

// match records a finding on the current line.
func (t *Text) match(k kind, sample func() string) {
	m := tmatch{k: k, line: t.line}
	if t.acc.wantSample(k) && sample != nil {
		m.sample = sample()
	}
	t.lineM = append(t.lineM, m)
	t.lineK |= 1 << k
}

// context returns the keyword categories around [s,e) and the category
// of the nearest label before s. Keywords are found lazily: only blocks
// with candidates pay for the search.
func (t *Text) context(b []byte, s, e int) (all ctx, nearest ctx) {
	w := t.e.cfg.Window * 3
	// context stays inside the paragraph: a blank line separates
	// unrelated text, and blocks are cut at blank lines, so this also
	// keeps results independent of how the text was chunked
	from := max(t.paraStart, s-w)
	to := min(len(b), e+t.e.cfg.Window)
	if nl := bytes.IndexByte(b[e:to], '\n'); nl >= 0 {
		to = e + nl
	}
	if t.kwTo < to {
		t.e.kw.scan(b, max(from, t.kwTo), to, func(pos, end int, c ctx) {
			t.hits = append(t.hits, kwHit{pos, end, c})
		})
		t.kwTo = to
	}
	best := -1
	for k := len(t.hits) - 1; k >= 0; k-- {
		h := t.hits[k]
		if h.pos >= to {
			continue
		}
		if h.pos < from {
			break
		}
		all |= h.c
		if h.pos < s && h.pos > best && h.c&labelCtx != 0 && !t.covered(k) {
			best = h.pos
			nearest = h.c
		}
	}
	// prune only when at least half can go, so pruning stays linear
	if len(t.hits) > 256 && t.hits[len(t.hits)/2].pos < from {
		t.hits = slices.DeleteFunc(t.hits, func(h kwHit) bool { return h.pos < from })
	}
	return all, nearest
}

// covered reports a keyword hit inside a longer one (コード inside
// お客様コード): the longer keyword is the label.
func (t *Text) covered(k int) bool {
	h := t.hits[k]
	for j := k - 1; j >= 0 && h.pos-t.hits[j].pos < 64; j-- {
		if o := t.hits[j]; o.pos <= h.pos && o.end >= h.end && o.end-o.pos > h.end-h.pos {
			return true
		}
	}
	for j := k + 1; j < len(t.hits) && t.hits[j].pos <= h.pos; j++ {
		if o := t.hits[j]; o.end >= h.end && o.end-o.pos > h.end-h.pos {
			return true
		}
	}
	return false
}

// labelCtx are the categories that label a value (as opposed to
// describing the document).
const labelCtx = cMyNumber | cPhone | cMobile | cEmail | cAddress | cPostal | cBirth | cName | cCard |
	cBank | cPolicy | cLicense | cPassport | cHealth | cPension | cCorp | cOrder | cDate

// email handles an '@' at b[at].
func (t *Text) email(b []byte, at, atLen int) {
	var m emailTok
	if !parseEmail(b, at, atLen, &m) || t.e.ownDomain(m.domain()) {
		return
	}
	t.match(kEmail, func() string { return maskEmail(m.domain()) })
	if consumer(m.domain()) {
		// a carrier or free-mail address belongs to a person: it anchors
		// a record unless the paragraph is a company's (endPara checks)
		t.lineM[len(t.lineM)-1].private = true
	}
}

// skipPlain returns the index of the first byte at or after i that may be
// interesting (a digit or one of : ; < = > ? @, a newline, or 0xEF),
// testing eight bytes at a time (SWAR): most text is kana and kanji.
func skipPlain(b []byte, i int) int {
	const (
		lo = 0x0101010101010101
		hi = 0x8080808080808080
	)
	for i+8 <= len(b) {
		x := binary.LittleEndian.Uint64(b[i:])
		// bytes 0x30..0x3F: (x ^ 0x30) < 0x10
		y := x ^ 0x3030303030303030
		r := (y - lo*0x10) &^ y
		z := x ^ 0x4040404040404040 // '@'
		r |= (z - lo) &^ z
		z = x ^ 0x0A0A0A0A0A0A0A0A // '\n'
		r |= (z - lo) &^ z
		z = x ^ 0xEFEFEFEFEFEFEFEF // full-width forms
		r |= (z - lo) &^ z
		if r&hi != 0 {
			return i
		}
		i += 8
	}
	return i
}

// isBlank reports a line of ASCII white space only.
func isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && c != '\t' && c != '\r' {
			return false
		}
	}
	return true
}
