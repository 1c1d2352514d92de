package pdf

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A PDF has no rows or cells, only glyphs at positions, and its text
// order is whatever the producer drew first: a Writer table with wrapped
// cells comes out as fragments of several rows on one text line. The
// layout here rebuilds what a reader sees. Glyphs are grouped into lines
// by their vertical centre; a line is cut into segments at gaps wider
// than a word space. Tables are then found two ways:
//
//   - ruled: the page's thin horizontal and vertical paths (cell borders,
//     as Word, Writer and most report tools draw them) form a grid, and
//     every glyph goes to the cell under its centre, so a cell wrapped
//     over several lines stays one cell;
//   - unruled (Calc and Excel print no grid by default; groff tbl and
//     plain reports neither): consecutive lines with two or more segments
//     form a block, and the block's columns are the x ranges its segments
//     cover, separated by gutters no line crosses.
//
// Everything else is text, one line per visual line, in reading order.
// Coordinates are PDF points with y growing upwards.

// glyph is one character with its box.
type glyph struct {
	r              rune
	x0, y0, x1, y1 float64
}

func (g glyph) cy() float64 { return (g.y0 + g.y1) / 2 }
func (g glyph) h() float64  { return g.y1 - g.y0 }

// rule is the bounding box of a thin path: a table border.
type rule struct{ x0, y0, x1, y1 float64 }

// line is one visual line of glyphs, left to right.
type line struct {
	gs          []glyph
	cy, em      float64 // centre and height scale of the line
	top, bottom float64
	segs        []segment
}

// segment is a run of a line's glyphs without a wide gap.
type segment struct {
	x0, x1 float64
	text   string
}

// layout is the result for one page: table blocks (rows of cells) and
// the remaining text lines, both top to bottom.
type layout struct {
	tables [][][]string
	text   []string
}

// Gaps are measured between loose glyph boxes (advance width by the
// font's ascent to descent), so glyphs without a space between them
// touch, and a line's height is about 1.1 to 1.3 times its font size.
//
// wideGap, in line heights, separates segments: wider than a word space
// (a Latin space is about 0.25, a half-width space in a Japanese font
// about 0.45), narrower than the space printed between columns.
const wideGap = 0.6

// wordGap, in line heights, is where a space is put between two glyphs.
const wordGap = 0.12

// layoutPage rebuilds lines, tables and text from a page's glyphs and
// thin paths.
func layoutPage(gs []glyph, rules []rule) layout {
	lines := buildLines(gs)
	var out layout
	used := make([]bool, len(lines))
	if g, ok := findGrid(rules); ok {
		if rows := g.rows(lines, used); len(rows) >= 2 {
			out.tables = append(out.tables, rows)
		}
	}
	for i := 0; i < len(lines); {
		end := blockEnd(lines, used, i)
		if end > i {
			if rows, ok := columns(lines[i : end+1]); ok {
				out.tables = append(out.tables, rows)
				for k := i; k <= end; k++ {
					used[k] = true
				}
			}
		}
		i = end + 1
	}
	for i, l := range lines {
		if !used[i] {
			out.text = append(out.text, textLine(l.segs))
		}
	}
	return out
}

// rowSegs is how many segments make a lone line a row of fields: a
// one-customer list printed without its heading (name, reading, birth
// date, address and phone apart by wide gaps).
const rowSegs = 3

// textLine spells a line that is not part of a table. A line of rowSegs
// or more segments has its segments apart by tabs, as a row pasted into
// a mail body is: the text detector reads such lines as table rows. A
// bulleted line is prose whatever its gaps (a memo entry: ● name, birth
// date, address, phone).
func textLine(segs []segment) string {
	if len(segs) < rowSegs || bulleted(segs[0].text) {
		return joinSegs(segs)
	}
	parts := make([]string, len(segs))
	for i, s := range segs {
		parts[i] = s.text
	}
	return strings.Join(parts, "\t")
}

// bullets start the entries of a bulleted list.
const bullets = "・･●○◎■□◆◇▪★☆※-*＊•‣➢➤→"

// bulleted reports a line that starts with a bullet.
func bulleted(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune(bullets, r)
}

// buildLines groups glyphs into lines by vertical centre (top to bottom)
// and orders each line left to right. White space is dropped: spaces
// are put back from the gaps.
func buildLines(gs []glyph) []line {
	gs = slices.DeleteFunc(slices.Clone(gs), func(g glyph) bool {
		return unicode.IsSpace(g.r) || g.r == 0 || g.x1 <= g.x0 || g.y1 <= g.y0
	})
	slices.SortStableFunc(gs, func(a, b glyph) int {
		switch {
		case a.cy() > b.cy():
			return -1
		case a.cy() < b.cy():
			return 1
		}
		return 0
	})
	var lines []line
	for _, g := range gs {
		n := len(lines)
		if n > 0 && lines[n-1].cy-g.cy() <= 0.5*max(lines[n-1].em, g.h()) {
			l := &lines[n-1]
			l.gs = append(l.gs, g)
			l.em = max(l.em, g.h())
			continue
		}
		lines = append(lines, line{gs: []glyph{g}, cy: g.cy(), em: g.h()})
	}
	for i := range lines {
		l := &lines[i]
		slices.SortStableFunc(l.gs, func(a, b glyph) int {
			switch {
			case a.x0 < b.x0:
				return -1
			case a.x0 > b.x0:
				return 1
			}
			return 0
		})
		l.em = lineEm(l.gs)
		l.segs = segments(l.gs, l.em)
		l.top, l.bottom = l.gs[0].y1, l.gs[0].y0
		for _, g := range l.gs {
			l.top, l.bottom = max(l.top, g.y1), min(l.bottom, g.y0)
		}
	}
	return lines
}

// lineEm is the line's height scale: a high percentile of its glyph
// heights, so that small glyphs (ー, punctuation) do not shrink it.
func lineEm(gs []glyph) float64 {
	hs := make([]float64, len(gs))
	for i, g := range gs {
		hs[i] = g.h()
	}
	slices.Sort(hs)
	return hs[len(hs)*9/10]
}

// segments cuts a line at wide gaps and spells each segment, with one
// space where glyphs are a word apart.
func segments(gs []glyph, em float64) []segment {
	var segs []segment
	var b strings.Builder
	start := 0
	for i, g := range gs {
		if i > start {
			gap := g.x0 - gs[i-1].x1
			if gap > wideGap*em {
				segs = append(segs, segment{x0: gs[start].x0, x1: gs[i-1].x1, text: b.String()})
				b.Reset()
				start = i
			} else if gap > wordGap*em {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(g.r)
	}
	segs = append(segs, segment{x0: gs[start].x0, x1: maxX1(gs[start:]), text: b.String()})
	return segs
}

func maxX1(gs []glyph) float64 {
	m := gs[0].x1
	for _, g := range gs[1:] {
		m = max(m, g.x1)
	}
	return m
}

func joinSegs(segs []segment) string {
	parts := make([]string, len(segs))
	for i, s := range segs {
		parts[i] = s.text
	}
	return strings.Join(parts, " ")
}

// blockBreak, in line heights, is the vertical gap that ends a block.
const blockBreak = 2.5

// rowBreak, in line heights, is the vertical gap between two lines of a
// block that may separate rows made of several lines.
const rowBreak = 0.6

// blockEnd returns the last line of the unruled block starting at line i:
// lines close below each other, from a line with two or more segments
// to the last such line. Single-segment lines inside a block are the
// wrapped parts of cells. It returns i when no block starts there.
func blockEnd(lines []line, used []bool, i int) int {
	if used[i] || len(lines[i].segs) < 2 {
		return i
	}
	last := i
	for k := i + 1; k < len(lines) && !used[k]; k++ {
		if lines[k-1].bottom-lines[k].top > blockBreak*lines[k-1].em {
			break
		}
		if len(lines[k].segs) >= 2 {
			last = k
		}
	}
	return last
}

// columns finds the columns of an unruled block of lines, the x ranges
// covered by the union of their segments, and its rows. A block whose
// segments leave no gutter is not a table.
func columns(block []line) ([][]string, bool) {
	cols := spans(block)
	if len(cols) < 2 {
		return nil, false
	}
	cells := make([][]string, len(block))
	filled := make([]int, len(block))
	multi, shared, bullets := 0, 0, 0
	for i, l := range block {
		cells[i] = make([]string, len(cols))
		if bulleted(l.segs[0].text) {
			bullets++
		}
		share := false
		for _, s := range l.segs {
			c := colOf(cols, (s.x0+s.x1)/2)
			if cells[i][c] == "" {
				filled[i]++
			} else {
				cells[i][c] += " "
				share = true
			}
			cells[i][c] += s.text
		}
		if len(l.segs) >= 2 {
			multi++
		}
		if share {
			shared++
		}
	}
	// In a table the segments of a line fall in different columns, or,
	// where a gutter was too narrow to see, at least start or end where
	// those of the rows next to it do. When most lines put two segments
	// in one column and they do not line up, the gutters are chance:
	// lines of prose, or a memo with wide spaces between its fields.
	if shared*2 > multi && !aligned(block) {
		return nil, false
	}
	// Entries of a bulleted list are prose however their fields line up
	// (names of the same length put the dates after them in a column).
	if bullets*2 > len(block) {
		return nil, false
	}
	return rowsOf(block, cells, filled), true
}

// alignNear is how many lines above and below a segment is compared
// with: rows of a table line up with their neighbours, and comparing
// with a few keeps the check linear.
const alignNear = 2

// alignTol, in line heights, is how close two segments' edges are to
// line up: cells of one column start (or, for numbers, end) at the same
// x give or take rounding; fields after names of different lengths are
// a character or more apart.
const alignTol = 0.25

// aligned reports whether most segments after the first of their line
// start or end where a segment of a nearby line does.
func aligned(block []line) bool {
	total, hits := 0, 0
	for i, l := range block {
		for _, s := range l.segs[min(1, len(l.segs)):] {
			total++
			if alignedWith(block, i, s) {
				hits++
			}
		}
	}
	return hits*2 >= total
}

func alignedWith(block []line, i int, s segment) bool {
	tol := alignTol * block[i].em
	for k := max(0, i-alignNear); k <= min(len(block)-1, i+alignNear); k++ {
		if k == i {
			continue
		}
		for _, o := range block[k].segs {
			if abs(o.x0-s.x0) <= tol || abs(o.x1-s.x1) <= tol {
				return true
			}
		}
	}
	return false
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// spans merges the x ranges of a block's segments into column spans.
func spans(block []line) [][2]float64 {
	var sp [][2]float64
	for _, l := range block {
		for _, s := range l.segs {
			sp = append(sp, [2]float64{s.x0, s.x1})
		}
	}
	slices.SortFunc(sp, func(a, b [2]float64) int {
		switch {
		case a[0] < b[0]:
			return -1
		case a[0] > b[0]:
			return 1
		}
		return 0
	})
	var cols [][2]float64
	for _, s := range sp {
		if n := len(cols); n > 0 && s[0] <= cols[n-1][1] {
			cols[n-1][1] = max(cols[n-1][1], s[1])
			continue
		}
		cols = append(cols, s)
	}
	return cols
}

// rowsOf turns a block's lines into rows. Where lines are separated by
// clear vertical gaps into groups, and most lines of a group fill only
// a few columns, the group is one row whose cells wrapped (a borderless
// Word table); otherwise, as in a printed spreadsheet, every line is a
// row.
func rowsOf(block []line, cells [][]string, filled []int) [][]string {
	most := slices.Max(filled)
	var rows [][]string
	start := 0
	for i := 1; i <= len(block); i++ {
		if i < len(block) && block[i-1].bottom-block[i].top <= rowBreak*block[i-1].em {
			continue
		}
		rows = append(rows, group(cells[start:i], filled[start:i], most, start > 0 || i < len(block))...)
		start = i
	}
	return rows
}

// group returns the rows of one group of lines: one merged row when the
// group is separated from others (split) and most of its lines are
// partial, else one row per line.
func group(cells [][]string, filled []int, most int, split bool) [][]string {
	partial := 0
	for _, f := range filled {
		if f*5 < most*4 {
			partial++
		}
	}
	if !split || len(cells) < 2 || partial*2 <= len(cells) {
		return cells
	}
	row := make([]string, len(cells[0]))
	for _, line := range cells {
		for c, t := range line {
			if t != "" {
				row[c] = joinWrapped(row[c], t)
			}
		}
	}
	return [][]string{row}
}

// colOf returns the index of the span containing x (the last one left of
// it, for x in a gutter).
func colOf(cols [][2]float64, x float64) int {
	c := 0
	for i, s := range cols {
		if s[0] <= x {
			c = i
		}
	}
	return c
}

// joinWrapped appends the next line of a wrapped cell. Japanese wraps
// anywhere and continues without a break; Latin words and numbers wrap
// at spaces, which the wrap took away. An e-mail address or a date has
// no space to wrap at, so a narrow cell breaks inside it (Writer:
// "c00.user@docomo.n" / "e.jp", "2000/0" / "9/28"): it goes on without
// one.
func joinWrapped(cell, text string) string {
	if cell == "" {
		return text
	}
	last, _ := utf8.DecodeLastRuneInString(cell)
	first, _ := utf8.DecodeRuneInString(text)
	if isLatin(last) && isLatin(first) && !unbroken(cell[strings.LastIndexByte(cell, ' ')+1:]) {
		return cell + " " + text
	}
	return cell + text
}

// unbroken reports a word that a wrap can only have cut: an e-mail
// address, or a date with a slash.
func unbroken(w string) bool {
	return strings.ContainsRune(w, '@') || strings.ContainsRune(w, '/')
}

func isLatin(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ',' || r == '.')
}
