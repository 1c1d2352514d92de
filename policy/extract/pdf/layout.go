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
	gs     []glyph
	cy, em float64 // centre and height scale of the line
	segs   []segment
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
	var block []int
	flush := func() {
		if len(block) >= 2 {
			if rows, ok := columns(lines, block); ok {
				out.tables = append(out.tables, rows)
				for _, i := range block {
					used[i] = true
				}
			}
		}
		block = block[:0]
	}
	for i, l := range lines {
		if used[i] || len(l.segs) < 2 {
			flush()
			continue
		}
		block = append(block, i)
	}
	flush()
	for i, l := range lines {
		if !used[i] {
			out.text = append(out.text, joinSegs(l.segs))
		}
	}
	return out
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

// columns finds the columns of an unruled block of lines: the x ranges
// covered by the union of their segments. A block whose segments leave
// no gutter is not a table.
func columns(lines []line, block []int) ([][]string, bool) {
	var spans [][2]float64
	for _, i := range block {
		for _, s := range lines[i].segs {
			spans = append(spans, [2]float64{s.x0, s.x1})
		}
	}
	slices.SortFunc(spans, func(a, b [2]float64) int {
		switch {
		case a[0] < b[0]:
			return -1
		case a[0] > b[0]:
			return 1
		}
		return 0
	})
	var cols [][2]float64
	for _, s := range spans {
		if n := len(cols); n > 0 && s[0] <= cols[n-1][1] {
			cols[n-1][1] = max(cols[n-1][1], s[1])
			continue
		}
		cols = append(cols, s)
	}
	if len(cols) < 2 {
		return nil, false
	}
	rows := make([][]string, 0, len(block))
	for _, i := range block {
		row := make([]string, len(cols))
		for _, s := range lines[i].segs {
			c := colOf(cols, (s.x0+s.x1)/2)
			if row[c] != "" {
				row[c] += " "
			}
			row[c] += s.text
		}
		rows = append(rows, row)
	}
	return rows, true
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
// at spaces, which the wrap took away.
func joinWrapped(cell, text string) string {
	if cell == "" {
		return text
	}
	last, _ := utf8.DecodeLastRuneInString(cell)
	first, _ := utf8.DecodeRuneInString(text)
	if isLatin(last) && isLatin(first) {
		return cell + " " + text
	}
	return cell + text
}

func isLatin(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == ',' || r == '.')
}
