package main

import (
	"io"
	"strings"

	"golang.org/x/text/width"
)

// textTable lays out rows of cells in columns for a terminal. Unlike
// text/tabwriter it measures cells in display columns: Japanese kanji,
// kana and full-width forms take two columns in a terminal, so counting
// runes would push every later cell of a Japanese row to the right.
type textTable struct {
	indent string
	rows   [][]string
}

// add appends one row.
func (t *textTable) add(cells ...string) { t.rows = append(t.rows, cells) }

// write prints the rows, columns separated by at least two spaces; the
// last cell of a row is not padded.
func (t *textTable) write(w io.Writer) {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, r := range t.rows {
		b.Reset()
		b.WriteString(t.indent)
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		b.WriteByte('\n')
		io.WriteString(w, b.String())
	}
}

// displayWidth is the number of terminal columns s takes: two for
// East Asian wide and full-width characters, none for combining marks
// and zero-width characters, one for the rest (ambiguous characters are
// narrow in the terminals Japanese offices use with UTF-8).
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case r < 0x20 || r == 0x200B || r == 0x200C || r == 0x200D || r == 0xFEFF:
		case r >= 0x0300 && r <= 0x036F, r == 0x3099, r == 0x309A:
			// combining marks (and the combining kana voiced marks)
		default:
			switch width.LookupRune(r).Kind() {
			case width.EastAsianWide, width.EastAsianFullwidth:
				n += 2
			default:
				n++
			}
		}
	}
	return n
}
