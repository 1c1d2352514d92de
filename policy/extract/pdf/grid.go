package pdf

import (
	"slices"
	"strings"
)

// grid is a ruled table: the x of its vertical borders, left to right,
// and the y of its horizontal borders, top to bottom.
type grid struct {
	xs, ys []float64
}

// Border tolerances, in points: how thin a path must be to count as a
// border, how long at least, and how close two borders are to be one.
const (
	ruleThin = 2.0
	ruleLong = 5.0
	ruleSame = 1.5
)

// findGrid collects the page's borders into one grid. It needs two
// columns and two rows at least (three borders each way).
func findGrid(rules []rule) (grid, bool) {
	var xs, ys []float64
	for _, r := range rules {
		w, h := r.x1-r.x0, r.y1-r.y0
		switch {
		case w <= ruleThin && h >= ruleLong:
			xs = append(xs, (r.x0+r.x1)/2)
		case h <= ruleThin && w >= ruleLong:
			ys = append(ys, (r.y0+r.y1)/2)
		}
	}
	xs, ys = dedupe(xs, false), dedupe(ys, true)
	if len(xs) < 3 || len(ys) < 3 {
		return grid{}, false
	}
	return grid{xs: xs, ys: ys}, true
}

// dedupe sorts v (descending if desc) and merges values closer than
// ruleSame.
func dedupe(v []float64, desc bool) []float64 {
	slices.Sort(v)
	var out []float64
	for _, x := range v {
		if n := len(out); n > 0 && x-out[n-1] < ruleSame {
			continue
		}
		out = append(out, x)
	}
	if desc {
		slices.Reverse(out)
	}
	return out
}

// inside reports whether y lies between the grid's first and last
// horizontal border.
func (g grid) inside(y float64) bool {
	return y <= g.ys[0] && y >= g.ys[len(g.ys)-1]
}

// cell returns the column and row of a point inside the grid.
func (g grid) cell(x, y float64) (col, row int) {
	for col < len(g.xs)-2 && x > g.xs[col+1] {
		col++
	}
	for row < len(g.ys)-2 && y < g.ys[row+1] {
		row++
	}
	return col, row
}

// rows puts every glyph of the lines inside the grid into its cell, marks
// those lines used, and returns the non-empty rows.
func (g grid) rows(lines []line, used []bool) [][]string {
	ncol, nrow := len(g.xs)-1, len(g.ys)-1
	cells := make([][]string, nrow)
	for i := range cells {
		cells[i] = make([]string, ncol)
	}
	for i, l := range lines {
		if !g.inside(l.cy) {
			continue
		}
		used[i] = true
		// The line's glyphs per cell, then spelt as segments of their
		// own: a cell's text on this line.
		per := map[[2]int][]glyph{}
		var order [][2]int
		for _, gl := range l.gs {
			c, r := g.cell((gl.x0+gl.x1)/2, l.cy)
			k := [2]int{c, r}
			if per[k] == nil {
				order = append(order, k)
			}
			per[k] = append(per[k], gl)
		}
		for _, k := range order {
			text := joinSegs(segments(per[k], l.em))
			cells[k[1]][k[0]] = joinWrapped(cells[k[1]][k[0]], text)
		}
	}
	var rows [][]string
	for _, r := range cells {
		if strings.Join(r, "") != "" {
			rows = append(rows, r)
		}
	}
	return rows
}
