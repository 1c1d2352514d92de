package pdf

import (
	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/requests"

	"github.com/okuri/okuri/policy/extract"
)

// maxRuleObjects bounds the page objects inspected for table borders: a
// page of vector drawing has tens of thousands, and no table needs them.
const maxRuleObjects = 20000

// pageGlyphs returns every character of a page with its box.
func pageGlyphs(inst pdfium.Pdfium, page requests.Page) ([]glyph, error) {
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: page})
	if err != nil {
		return nil, extract.Malformed("pdf page", err)
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return nil, extract.Malformed("pdf page", err)
	}
	gs := make([]glyph, 0, n.Count)
	for i := 0; i < n.Count; i++ {
		u, err := inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: i})
		if err != nil {
			return nil, extract.Malformed("pdf text", err)
		}
		if u.Unicode == 0 || u.Unicode == ' ' || u.Unicode == '\r' || u.Unicode == '\n' {
			continue
		}
		// The loose box spans the glyph's advance and the font's
		// ascent to descent: neighbouring glyphs touch, so a gap is a
		// space, and every glyph of a line has the same height.
		b, err := inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: i})
		if err != nil {
			return nil, extract.Malformed("pdf text", err)
		}
		r := b.Rect
		gs = append(gs, glyph{r: rune(u.Unicode), x0: float64(min(r.Left, r.Right)), y0: float64(min(r.Bottom, r.Top)), x1: float64(max(r.Left, r.Right)), y1: float64(max(r.Bottom, r.Top))})
	}
	return gs, nil
}

// pageRules returns the bounding boxes of the page's path objects that
// are thin enough to be table borders.
func pageRules(inst pdfium.Pdfium, page requests.Page) ([]rule, error) {
	n, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: page})
	if err != nil {
		return nil, extract.Malformed("pdf page", err)
	}
	var rules []rule
	for i := 0; i < min(n.Count, maxRuleObjects); i++ {
		o, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: page, Index: i})
		if err != nil {
			return nil, extract.Malformed("pdf page object", err)
		}
		t, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: o.PageObject})
		if err != nil || t.Type != enums.FPDF_PAGEOBJ_PATH {
			continue
		}
		b, err := inst.FPDFPageObj_GetBounds(&requests.FPDFPageObj_GetBounds{PageObject: o.PageObject})
		if err != nil {
			continue
		}
		r := rule{x0: float64(b.Left), y0: float64(b.Bottom), x1: float64(b.Right), y1: float64(b.Top)}
		if r.x1-r.x0 <= ruleThin || r.y1-r.y0 <= ruleThin {
			rules = append(rules, r)
		}
	}
	return rules, nil
}

// rotate turns page-space boxes into display space for a page shown
// rotated clockwise by quarter quarter-turns (/Rotate 90 is 1).
func rotate(gs []glyph, rules []rule, quarter int) {
	if quarter%4 == 0 {
		return
	}
	f := func(x, y float64) (float64, float64) {
		switch quarter % 4 {
		case 1:
			return y, -x
		case 2:
			return -x, -y
		}
		return -y, x
	}
	box := func(x0, y0, x1, y1 float64) (float64, float64, float64, float64) {
		ax, ay := f(x0, y0)
		bx, by := f(x1, y1)
		return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)
	}
	for i := range gs {
		g := &gs[i]
		g.x0, g.y0, g.x1, g.y1 = box(g.x0, g.y0, g.x1, g.y1)
	}
	for i := range rules {
		r := &rules[i]
		r.x0, r.y0, r.x1, r.y1 = box(r.x0, r.y0, r.x1, r.y1)
	}
}
