package detect

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"slices"
	"strings"
)

// sampleRows is how many rows a Table buffers to find the header and to
// classify headerless columns before it streams.
const sampleRows = 32

// maxColumns bounds the columns a table is classified on (and so the
// memory of the buffered rows); cells beyond it are not inspected.
const maxColumns = 1024

// maxHeaderRow bounds how far down a header row is looked for (titles
// and notes come first in hand-made sheets).
const maxHeaderRow = 16

// maxWindows bounds how many windows of sampleRows rows are classified
// before a table that shows nothing recognisable is given up on.
const maxWindows = 64

// column is one table column: what its header says, what it was
// decided to hold, and its counts.
type column struct {
	name string
	hdr  headerInfo
	k    kind
	// byShape: the kind was decided by the share of values, so each
	// value is validated strictly; under a header values are trusted
	// more (a name column holds names whatever their shape).
	byShape bool
	acc     docAcc
}

// Table receives the rows of one table: a CSV/TSV file, a spreadsheet
// sheet, a DOCX/HTML table. It finds the header row itself.
type Table struct {
	r          *Report
	e          *Engine
	loc        Location
	buf        [][][]byte
	classified bool
	closed     bool
	cols       []*column
	hasName    bool
	company    bool
	// shapeName: every name column was recognised by its values alone,
	// with no header saying it holds people
	shapeName bool
	// staff: a header names workplace columns (所属, 内線, 勤務地), so
	// phones and addresses are the office's; home: one names a home
	// (自宅住所), which is the person's again
	staff, home bool
	kv          bool
	kvCols      map[string]*column
	kvRec       record
	records     int
	arena       []byte   // bytes of the rows in buf
	cellArena   [][]byte // cells of the rows in buf
	hits        []int    // scratch: columns accepted in the current row
	windows     int      // row windows classified without finding anything
	txt         *Text    // free text found in unclassified cells (forms, notes)
	hdrMemo     map[string]headerInfo
	// split is, per column, how many columns were merged into it: a
	// header cell "証券番号 契約日" over values "CA14867563 2023/06/17"
	// (a PDF grid whose column gap was too narrow to cut at)
	split        []int
	splitChecked bool
	expBuf       [][]byte
	// pasted: the rows are comma- or tab-separated lines of free text,
	// whose short cells often hold a labelled value ("card 4111…")
	pasted bool
}

// maxHdrMemo bounds the per-table memo of header classifications.
const maxHdrMemo = 1024

// header is classifyHeader with a per-table memo: an unlabelled sheet is
// re-examined window after window, and its cells repeat (product names,
// yes/no, units), while the classification costs a fold and a few dozen
// substring searches.
func (t *Table) header(c []byte) headerInfo {
	if h, ok := t.hdrMemo[string(c)]; ok {
		return h
	}
	h := classifyHeader(c)
	if t.hdrMemo == nil {
		t.hdrMemo = make(map[string]headerInfo)
	}
	if len(t.hdrMemo) < maxHdrMemo {
		t.hdrMemo[string(c)] = h
	}
	return h
}

// Table starts a table at loc.
func (r *Report) Table(loc Location) *Table {
	return &Table{r: r, e: r.e, loc: loc}
}

// Row scans one row. Cells are UTF-8 and valid only during the call.
func (t *Table) Row(cells [][]byte) {
	if t.closed {
		return
	}
	if t.classified {
		if t.split != nil {
			cells = t.expand(cells)
		}
		t.row(cells)
		return
	}
	if len(cells) > maxColumns {
		cells = cells[:maxColumns]
	}
	t.buf = append(t.buf, t.keep(cells))
	if len(t.buf) >= sampleRows {
		t.classify(false)
	}
}

// keep copies a row to be buffered (its cells are valid only during
// Row) into the table's arenas: a few allocations per table instead of
// one per cell. A full arena is replaced, not grown; the rows already
// kept go on referring to the old one.
func (t *Table) keep(cells [][]byte) [][]byte {
	need := 0
	for _, c := range cells {
		need += min(len(c), maxKeptCell)
	}
	if cap(t.arena)-len(t.arena) < need {
		t.arena = make([]byte, 0, max(2*cap(t.arena), need, 4096))
	}
	if cap(t.cellArena)-len(t.cellArena) < len(cells) {
		t.cellArena = make([][]byte, 0, max(2*cap(t.cellArena), len(cells), 64))
	}
	start := len(t.cellArena)
	for _, c := range cells {
		off := len(t.arena)
		t.arena = append(t.arena, c[:min(len(c), maxKeptCell)]...)
		t.cellArena = append(t.cellArena, t.arena[off:len(t.arena):len(t.arena)])
	}
	return t.cellArena[start:len(t.cellArena):len(t.cellArena)]
}

// maxKeptCell bounds the bytes of a buffered cell.
const maxKeptCell = 4096

// Close finishes the table and adds its findings and records to the
// Report. Rows after Close are ignored.
func (t *Table) Close() {
	if t.closed {
		return
	}
	if !t.classified {
		t.classify(true)
	}
	t.closed = true
	if t.txt != nil {
		t.txt.Close()
	}
	if t.kv {
		t.closeKV()
	}
	for _, c := range t.cols {
		loc := t.loc
		loc.Column = c.name
		c.acc.flush(t.r, loc)
	}
	for _, c := range t.kvCols {
		loc := t.loc
		loc.Column = c.name
		c.acc.flush(t.r, loc)
	}
	t.r.records += t.records
}

func colLetter(i int) string {
	s := ""
	for i >= 0 {
		s = string(rune('A'+i%26)) + s
		i = i/26 - 1
	}
	return s
}

// classify finds the header, decides each column's kind and replays the
// buffered rows. Unless final, a window with nothing recognisable is
// dropped and the next rows are looked at instead.
func (t *Table) classify(final bool) {
	t.classified = true
	rows := t.buf
	t.buf = nil
	// the buffered rows are done with when classify returns: their
	// arenas are reused by the next window, or freed
	defer func() {
		if t.classified {
			t.arena, t.cellArena = nil, nil
		} else {
			t.arena, t.cellArena = t.arena[:0], t.cellArena[:0]
		}
	}()
	ncol := 0
	for _, r := range rows {
		ncol = max(ncol, len(r))
	}
	if ncol <= 4 && len(rows) >= 2 && t.kvForm(rows) {
		t.kv = true
		for _, r := range rows {
			t.row(r)
		}
		return
	}
	hdrRow := -1
	var hdrs []headerInfo
	// The header is the first row of labels above any data (a title
	// or notes may come first).
	for ri := 0; ri < len(rows) && ri < maxHeaderRow; ri++ {
		nonEmpty, values := 0, 0
		for _, c := range rows[ri] {
			if c = trimSpace(c); len(c) > 0 {
				nonEmpty++
				if valueLike(c) {
					values++
				}
			}
		}
		// A row with a value in it is data, never the header: spare the
		// header classification, which costs microseconds per cell and
		// would run on every row of every window of an unlabelled sheet.
		if values > 0 {
			if nonEmpty >= 2 {
				break // a header sits above the data: once data went by, stop looking
			}
			continue
		}
		hs, known, kinds := make([]headerInfo, len(rows[ri])), 0, 0
		for ci, c := range rows[ri] {
			if c = trimSpace(c); len(c) == 0 {
				continue
			}
			hs[ci] = t.header(c)
			if hs[ci].known {
				known++
			}
			if hs[ci].k != kNone {
				kinds++
			}
		}
		nextValues := ri+1 < len(rows) && rowHasValues(rows[ri+1])
		labels := kinds >= 1 && (known*2 >= nonEmpty || kinds >= 2 || nextValues)
		// a header of only non-personal labels (担当者名, 店舗 …) still
		// keeps its row out of the shape statistics
		plain := kinds == 0 && known >= 2 && known*2 >= nonEmpty
		if (nonEmpty >= 2 || kinds == 1 && nextValues) && (labels || plain) {
			hdrRow, hdrs = ri, hs
			break
		}
	}
	if hdrRow >= 0 && hdrRow+1 < len(rows) && !t.splitChecked {
		t.splitChecked = true
		if t.split = t.findSplit(rows[hdrRow], rows[hdrRow+1]); t.split != nil {
			exp := make([][][]byte, len(rows))
			for i, r := range rows {
				exp[i] = slices.Clone(t.expand(r))
			}
			rows = exp
			hdrs = make([]headerInfo, len(rows[hdrRow]))
			for ci, c := range rows[hdrRow] {
				hdrs[ci] = t.header(trimSpace(c))
				ncol = max(ncol, ci+1)
			}
		}
	}
	data := rows
	if hdrRow >= 0 {
		data = rows[hdrRow+1:]
	}
	t.cols = make([]*column, ncol)
	for ci := range t.cols {
		c := &column{name: colLetter(ci)}
		if ci < len(hdrs) {
			c.hdr = hdrs[ci]
			if h := trimSpace(rows[hdrRow][ci]); len(h) > 0 {
				c.name = string(h)
			}
		}
		c.k = c.hdr.k
		if c.hdr.company {
			t.company = true
		}
		if c.k == kNone && (!c.hdr.known || c.hdr.generic) {
			c.k = t.e.shapeKind(data, ci)
			c.byShape = c.k != kNone
		}
		if c.k == kCorporate {
			t.company = true
		}
		if c.k == kName {
			t.hasName = true
		}
		t.cols[ci] = c
	}
	t.shapeName = t.hasName && !slices.ContainsFunc(t.cols, func(c *column) bool { return c.k == kName && !c.byShape })
	if hdrRow >= 0 {
		t.staff, t.home = staffHeader(rows[hdrRow])
	}
	if !t.staff {
		// a roster printed without its heading, or under one the header
		// finder does not know (担当者 / 役職 / 直通), still lists its
		// staff's job titles
		t.staff = titleColumn(data, ncol)
	}
	t.dropLoneNumbers(data)
	// Nothing recognisable and no header: the sheet may open with notes
	// or another block. Look again at the next rows, a bounded number of
	// times, so that a list further down is not missed.
	if !final && hdrRow < 0 && t.windows < maxWindows && !slices.ContainsFunc(t.cols, func(c *column) bool { return c.k != kNone }) {
		t.windows++
		t.classified = false
		t.cols = nil
		return
	}
	for _, r := range data {
		t.row(r)
	}
}

// rowHasValues reports a row with at least one data-like cell.
func rowHasValues(r [][]byte) bool {
	for _, c := range r {
		if valueLike(c) {
			return true
		}
	}
	return false
}

// valueLike reports a cell that looks like data rather than a header.
func valueLike(c []byte) bool {
	if bytes.IndexByte(c, '@') >= 0 {
		return true
	}
	digits := 0
	for i := 0; i < len(c); {
		if _, n := digitAt(c, i); n > 0 {
			digits++
			i += n
			continue
		}
		i++
	}
	return digits >= 6
}

// kvForm reports a key-value table (氏名 | 山田 花子 / 生年月日 | …), the
// usual layout of a form in a Word document.
func (t *Table) kvForm(rows [][][]byte) bool {
	labelled, filled := 0, 0
	for _, r := range rows {
		if slices.ContainsFunc(r, func(c []byte) bool { return len(trimSpace(c)) > 0 }) {
			filled++
		}
		if len(r) >= 2 && t.header(trimSpace(r[0])).k != kNone && len(trimSpace(r[1])) > 0 {
			labelled++
		} else if len(r) >= 1 {
			if _, _, ok := t.splitLabel(r[0]); ok {
				labelled++
			}
		}
	}
	// a form has a title and unlabelled lines (振込依頼書, 金額, 備考)
	// among its labelled ones: a third of the filled rows is enough
	return labelled >= 2 && labelled*3 >= filled
}

// row evaluates one data row.
func (t *Table) row(cells [][]byte) {
	if t.kv {
		t.rowKV(cells)
		return
	}
	var kinds uint32
	houseNo := false
	t.hits = t.hits[:0]
	for ci, cell := range cells {
		if ci >= len(t.cols) {
			break
		}
		c := t.cols[ci]
		if c.k == kNone {
			if len(cell) >= minTextCell || t.pasted && len(cell) >= minPastedCell {
				t.textCell(cell)
			}
			continue
		}
		if len(cell) == 0 {
			continue
		}
		if trimEdge[cell[0]] || trimEdge[cell[len(cell)-1]] {
			if cell = trimSpace(cell); len(cell) == 0 {
				continue
			}
		}
		k := c.k
		if !t.e.accept(c, cell) {
			continue
		}
		if k == kName && c.byShape && t.placeLabel(cells, cell) {
			continue
		}
		if k == kPostal {
			k = kAddress
		} else if k == kAddress && t.shapeName && !houseNo {
			houseNo = houseNumber(cell)
		}
		c.acc.count[c.k]++
		kinds |= 1 << k
		t.hits = append(t.hits, ci)
	}
	if kinds == 0 {
		return
	}
	recKinds := kinds
	if t.shapeName && !houseNo {
		// a prefecture, a town or a postal code next to a word that
		// only looks like a name (KEN_ALL's katakana readings) is an
		// area, not where a person lives
		recKinds &^= 1 << kAddress
	}
	if t.isRecord(recKinds) {
		t.records++
		for _, ci := range t.hits {
			c := t.cols[ci]
			c.acc.recs[c.k]++
		}
	}
}

// isRecord decides whether the kinds found in one row make it a
// personal-data record.
func (t *Table) isRecord(kinds uint32) bool {
	if kinds&strongMask != 0 {
		return true
	}
	personal := bits.OnesCount32(kinds & personalMask)
	if t.company || t.staff && !t.home {
		// companies with contacts: only a birth date makes it personal
		return kinds&(1<<kBirthDate) != 0 && personal >= 2
	}
	if kinds&(1<<kName) != 0 {
		return personal >= 2
	}
	return kinds&anchorMask != 0 && personal >= 2
}

// findSplit looks in the header row for cells made of several header
// words ("運転免許証番号 旅券番号 基礎年金番号") over cells of the next
// row that hold as many space-separated values, and returns the split
// per column, or nil.
func (t *Table) findSplit(hdr, next [][]byte) []int {
	var split []int
	for ci, c := range hdr {
		if ci >= len(next) || bytes.IndexByte(c, ' ') < 0 && !bytes.Contains(c, []byte("\u3000")) {
			continue
		}
		words := fields(c)
		if len(words) < 2 || len(words) > 8 || len(fields(next[ci])) != len(words) {
			continue
		}
		kinds := 0
		for _, w := range words {
			h := t.header(w)
			if !h.known {
				kinds = -1
				break
			}
			if h.k != kNone {
				kinds++
			}
		}
		if kinds < 1 {
			continue
		}
		if split == nil {
			split = make([]int, len(hdr))
		}
		split[ci] = len(words)
	}
	return split
}

// expand cuts the merged cells of a row (see split); the result is
// valid until the next call.
func (t *Table) expand(cells [][]byte) [][]byte {
	out := t.expBuf[:0]
	for ci, c := range cells {
		n := 0
		if ci < len(t.split) {
			n = t.split[ci]
		}
		if n < 2 {
			out = append(out, c)
			continue
		}
		words := fields(c)
		if len(words) != n {
			// not this row's shape: keep the cell whole in the first
			out = append(out, c)
			words = nil
			n--
		}
		out = append(out, words...)
		for range n - len(words) {
			out = append(out, nil)
		}
	}
	t.expBuf = out
	return out
}

// fields splits a cell at ASCII and ideographic spaces.
func fields(c []byte) [][]byte {
	var out [][]byte
	for len(c) > 0 {
		i := bytes.IndexByte(c, ' ')
		j := bytes.Index(c, []byte("\u3000"))
		n := 1
		if j >= 0 && (i < 0 || j < i) {
			i, n = j, 3
		}
		if i < 0 {
			out = append(out, c)
			break
		}
		if i > 0 {
			out = append(out, c[:i])
		}
		c = c[i+n:]
	}
	return out
}

// houseNumber reports a block or house number in an address: a digit
// (1-2-3, ２丁目) or 番/号 (三番地, 五号). A prefecture, city or town
// alone has none.
func houseNumber(cell []byte) bool {
	for i := 0; i < len(cell); {
		if _, n := digitAt(cell, i); n > 0 {
			return true
		}
		i++
	}
	return bytes.Contains(cell, []byte("番")) || bytes.Contains(cell, []byte("号"))
}

// staffWords in a header row make a table of staff at work: their
// phones, e-mail and addresses are the office's. homeWords bring the
// person back (自宅住所, 現住所, 個人携帯).
var (
	staffWords = [...]string{"所属", "部署", "部門", "内線", "勤務地", "勤務先", "役職", "職位", "社員番号", "従業員番号", "extension", "department"}
	homeWords  = [...]string{"自宅", "現住所", "個人", "私用", "緊急連絡", "home", "private"}
)

// jobTitles end the cells of a job-title column (営業課長, 主任,
// 支店長代理): the people of the table are staff at work.
var jobTitles = [...]string{"社長", "会長", "取締役", "専務", "常務", "執行役員", "部長", "次長", "課長", "係長", "主任",
	"主査", "主事", "支店長", "所長", "店長", "室長", "参事", "代理", "顧問", "センター長", "マネージャー", "リーダー"}

// titleColumn reports a column of the rows whose cells are mostly job
// titles: at least minTitles of them, and more than half of the
// column's non-empty cells. Classification runs once per table, on a
// bounded window of rows.
func titleColumn(rows [][][]byte, ncol int) bool {
	const minTitles = 3
	for ci := range ncol {
		titles, filled := 0, 0
		for _, r := range rows {
			if ci >= len(r) {
				continue
			}
			c := trimSpace(r[ci])
			if len(c) == 0 {
				continue
			}
			filled++
			if len(c) <= 24 && slices.ContainsFunc(jobTitles[:], func(w string) bool { return bytes.HasSuffix(c, []byte(w)) }) {
				titles++
			}
		}
		if titles >= minTitles && titles*2 > filled {
			return true
		}
	}
	return false
}

// staffHeader looks for staffWords and homeWords in a header row.
func staffHeader(row [][]byte) (staff, home bool) {
	for _, c := range row {
		if c = trimSpace(c); len(c) == 0 || len(c) > 60 {
			continue
		}
		h := foldHeader(c)
		for _, w := range staffWords {
			staff = staff || strings.Contains(h, w)
		}
		for _, w := range homeWords {
			home = home || strings.Contains(h, w)
		}
	}
	return staff, home
}

// dropLoneNumbers unclassifies a column taken for My Number by its
// check digits alone when no other column of the table holds personal
// data: one value in eleven passes the check at random, and product,
// JAN-derived and order codes of a price list pass it often; next to
// names, phones or addresses they are My Numbers. A table of that one
// column only keeps it.
func (t *Table) dropLoneNumbers(data [][][]byte) {
	lone := -1
	for i, c := range t.cols {
		switch {
		case c.k == kMyNumber && c.byShape:
			lone = i
		case c.k != kNone && c.k.personal():
			return
		}
	}
	if lone < 0 {
		return
	}
	used := 0
	for i := range t.cols {
		if slices.ContainsFunc(data, func(r [][]byte) bool { return i < len(r) && len(trimSpace(r[i])) > 0 }) {
			used++
		}
	}
	if used >= 2 {
		t.cols[lone].k, t.cols[lone].byShape = kNone, false
	}
}

// rowKV evaluates one label/value row of a form table.
func (t *Table) rowKV(cells [][]byte) {
	for i := 0; i < len(cells); {
		if label, val, ok := t.splitLabel(cells[i]); ok {
			t.kvPair(label, val)
			i++
			continue
		}
		if i+1 < len(cells) {
			t.kvPair(trimSpace(cells[i]), trimSpace(cells[i+1]))
		}
		i += 2
	}
}

// splitLabel splits a cell that holds a label and its value
// ("口座番号：1234567") when the label names a kind of personal data.
func (t *Table) splitLabel(cell []byte) (label, val []byte, ok bool) {
	i, n := bytes.Index(cell, []byte("：")), 3
	if j := bytes.IndexByte(cell, ':'); j >= 0 && (i < 0 || j < i) {
		i, n = j, 1
	}
	if i <= 0 || i > 60 {
		return nil, nil, false
	}
	label, val = trimSpace(cell[:i]), trimSpace(cell[i+n:])
	if len(label) == 0 || len(val) == 0 || t.header(label).k == kNone {
		return nil, nil, false
	}
	return label, val, true
}

// kvPair evaluates one label and its value in a form table.
func (t *Table) kvPair(label, val []byte) {
	if len(label) == 0 || len(val) == 0 {
		return
	}
	h := t.header(label)
	if h.k == kNone {
		return
	}
	if t.kvCols == nil {
		t.kvCols = map[string]*column{}
	}
	c := t.kvCols[string(label)]
	if c == nil {
		c = &column{name: string(label), hdr: h, k: h.k}
		t.kvCols[string(label)] = c
	}
	if c.k == kName && (companyWord(val) || companyKanaName(val)) {
		return // 口座名義 | カ）サクラホケン: an invoice's own account
	}
	if !t.e.accept(c, val) {
		return
	}
	c.acc.count[c.k]++
	k := c.k
	if k == kPostal {
		k = kAddress
	}
	if t.kvRec.has(k) && (k == kName || k == kBirthDate || k == kMyNumber || k == kPolicy) {
		t.closeKV()
	}
	t.kvRec.add(k, c)
}

func (t *Table) closeKV() {
	if t.kvRec.kinds != 0 && t.isRecord(t.kvRec.kinds) {
		t.records++
		for _, c := range t.kvRec.cols {
			c.acc.recs[c.k]++
		}
	}
	t.kvRec = record{}
}

// record is a group of matches that may describe one person.
type record struct {
	kinds uint32
	cols  []*column
}

func (r *record) has(k kind) bool { return r.kinds&(1<<k) != 0 }

func (r *record) add(k kind, c *column) {
	r.kinds |= 1 << k
	r.cols = append(r.cols, c)
}

// minTextCell is the length from which a cell of an unclassified column
// is scanned as free text: a form laid out in one cell, a notes column
// with "携帯 090-…".
const minTextCell = 24

// minPastedCell is minTextCell for a line pasted into free text: there
// a cell is as short as a label and a number ("card 4111111111111111",
// "TEL 0312345678"); such tables are small, so the cost does not matter.
const minPastedCell = 8

// paraBreak ends a text cell's paragraph.
var paraBreak = []byte("\n\n")

// textCell scans one long cell as its own paragraph.
func (t *Table) textCell(cell []byte) {
	if plainCell(cell) {
		return
	}
	if t.txt == nil {
		t.txt = t.r.Text(t.loc)
	}
	t.txt.Write(cell)
	t.txt.Write(paraBreak)
}

// plainCell reports a one-line cell in which free text finds nothing:
// no digit, '@', full-width form or newline (the bytes the text loop
// stops at), and too few tabs and commas to be a delimited list line.
// Such a paragraph has no candidates, so no matches, names or records;
// the header context it might set ends at its own blank line. Skipping
// it leaves the results unchanged (notes columns: 特記事項なし, 継続).
func plainCell(cell []byte) bool {
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	tabs, commas := 0, 0
	i := 0
	for ; i+8 <= len(cell); i += 8 {
		// eight bytes at a time: as skipPlain, any byte that may be
		// interesting sends this block through the exact test
		x := binary.LittleEndian.Uint64(cell[i:])
		y := x ^ 0x3030303030303030
		r := (y - lo*0x10) &^ y
		z := x ^ 0x4040404040404040 // '@'
		r |= (z - lo) &^ z
		z = x ^ 0x0A0A0A0A0A0A0A0A // '\n'
		r |= (z - lo) &^ z
		z = x ^ 0xEFEFEFEFEFEFEFEF // full-width forms
		r |= (z - lo) &^ z
		if r&hi != 0 {
			for _, c := range cell[i : i+8] {
				if textInteresting[c] {
					return false
				}
			}
		}
		tabs += bits.OnesCount64(zeroBytes(x ^ 0x0909090909090909))
		commas += bits.OnesCount64(zeroBytes(x ^ 0x2C2C2C2C2C2C2C2C))
	}
	for _, c := range cell[i:] {
		if textInteresting[c] {
			return false
		}
		if c == '\t' {
			tabs++
		} else if c == ',' {
			commas++
		}
	}
	return tabs < 2 && commas < 3
}

// zeroBytes has the high bit set in exactly the bytes of z that are 0.
func zeroBytes(z uint64) uint64 {
	const m = 0x7F7F7F7F7F7F7F7F
	return ^((z&m + m) | z) &^ m
}

// placeLabel reports a headerless "name" that is the row's own address
// (千葉 | 千葉県千葉市… : a branch named after its town).
func (t *Table) placeLabel(cells [][]byte, name []byte) bool {
	for ci, c := range t.cols {
		if c.k == kAddress && ci < len(cells) && bytes.Contains(cells[ci], trimSpace(name)) {
			return true
		}
	}
	return false
}
