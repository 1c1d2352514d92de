package corpus

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"unicode/utf16"
)

// pdfDoc lays text out on A4 pages the way office software exports it:
// every string placed at an absolute position (Tm), tables drawn as a
// grid with each cell's text at its own x/y, one font for everything.
// The font is a Type0/Identity-H composite font with a ToUnicode CMap,
// as Word and LibreOffice write Japanese text; the glyphs are not
// embedded (viewers substitute a Mincho/Gothic face), which changes
// nothing for text extraction.
type pdfDoc struct {
	mode  pdfMode
	cids  map[rune]int
	order []rune
	pages []*bytes.Buffer
	w, h  float64
	y     float64 // next baseline on the current page
}

// pdfMode is the order and operators a producer writes table text with;
// the page looks the same in each, only the content stream differs.
type pdfMode int

// pdfModes in variant order (even: tuning, odd: held-out).
var pdfModes = []pdfMode{pdfRowsTm, pdfColumnsTm, pdfRowsTd, pdfRowsTJ}

const (
	pdfRowsTm    pdfMode = iota // each cell its own BT … Tm … Tj ET, row by row
	pdfColumnsTm                // the same, column by column (content order ≠ reading order)
	pdfRowsTd                   // one BT per row, cells reached by relative Td moves
	pdfRowsTJ                   // cell text in TJ arrays with kerning, split in runs
)

func newPDF(landscape bool, mode pdfMode) *pdfDoc {
	d := &pdfDoc{mode: mode, cids: map[rune]int{}, w: 595, h: 842}
	if landscape {
		d.w, d.h = 842, 595
	}
	d.newPage()
	return d
}

func (d *pdfDoc) newPage() {
	d.pages = append(d.pages, &bytes.Buffer{})
	d.y = d.h - 60
}

func (d *pdfDoc) page() *bytes.Buffer { return d.pages[len(d.pages)-1] }

// hex encodes s as 2-byte CIDs, assigning each new rune the next CID.
func (d *pdfDoc) hex(s string) string {
	var b strings.Builder
	b.WriteByte('<')
	for _, r := range s {
		id, ok := d.cids[r]
		if !ok {
			id = len(d.order) + 1
			d.cids[r] = id
			d.order = append(d.order, r)
		}
		fmt.Fprintf(&b, "%04X", id)
	}
	b.WriteByte('>')
	return b.String()
}

// textAt places s with its baseline at x, y.
func (d *pdfDoc) textAt(x, y, size float64, s string) {
	if s == "" {
		return
	}
	fmt.Fprintf(d.page(), "BT /F1 %.1f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n", size, x, y, d.hex(s))
}

// line writes a paragraph line at the left margin, moving down.
func (d *pdfDoc) line(s string, size float64) {
	if d.y < 60 {
		d.newPage()
	}
	for _, part := range wrap(s, int((d.w-120)/size)) {
		d.textAt(60, d.y, size, part)
		d.y -= size * 1.7
	}
}

// runeWidth is the advance of r in ems: half for ASCII and half-width
// katakana, full otherwise (what the /W array below declares).
func runeWidth(r rune) float64 {
	if r < 0x80 || (r >= 0xFF61 && r <= 0xFF9F) {
		return 0.5
	}
	return 1
}

func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return w
}

// wrap breaks s into lines of at most n full-width characters.
func wrap(s string, n int) []string {
	var out []string
	var cur strings.Builder
	w := 0.0
	for _, r := range s {
		if w+runeWidth(r) > float64(n) {
			out = append(out, cur.String())
			cur.Reset()
			w = 0
		}
		cur.WriteRune(r)
		w += runeWidth(r)
	}
	return append(out, cur.String())
}

// grid draws rows as a ruled table: column widths from the longest text,
// the font shrunk until the table fits the page width; rows flow onto
// new pages.
func (d *pdfDoc) grid(rows [][]string) {
	if len(rows) == 0 {
		return
	}
	ncol := 0
	for _, r := range rows {
		ncol = max(ncol, len(r))
	}
	widths := make([]float64, ncol)
	for _, r := range rows {
		for i, c := range r {
			widths[i] = max(widths[i], textWidth(c)+1)
		}
	}
	total := 0.0
	for _, w := range widths {
		total += w
	}
	size := min(10, (d.w-80)/total)
	rowH := size * 1.8
	var page []placed // the current page's cells
	flush := func() {
		d.emit(page, size)
		page = page[:0]
	}
	for _, r := range rows {
		if d.y-rowH < 40 {
			flush()
			d.newPage()
		}
		x := 40.0
		for i := range ncol {
			cw := widths[i] * size
			fmt.Fprintf(d.page(), "%.2f %.2f %.2f %.2f re S\n", x, d.y-rowH*0.3, cw, rowH)
			if i < len(r) && r[i] != "" {
				page = append(page, placed{x + size*0.5, d.y, i, r[i]})
			}
			x += cw
		}
		d.y -= rowH
	}
	flush()
	d.y -= rowH
}

// placed is one cell's text at its position.
type placed struct {
	x, y float64
	col  int
	text string
}

// emit writes a page's cells in the document's mode.
func (d *pdfDoc) emit(cells []placed, size float64) {
	w := d.page()
	switch d.mode {
	case pdfColumnsTm:
		for col := 0; len(cells) > 0; col++ {
			rest := cells[:0:0]
			for _, c := range cells {
				if c.col == col {
					d.textAt(c.x, c.y, size, c.text)
				} else {
					rest = append(rest, c)
				}
			}
			cells = rest
		}
	case pdfRowsTd:
		for i := 0; i < len(cells); {
			j := i
			fmt.Fprintf(w, "BT /F1 %.1f Tf %.2f %.2f Td %s Tj", size, cells[i].x, cells[i].y, d.hex(cells[i].text))
			for j = i + 1; j < len(cells) && cells[j].y == cells[i].y; j++ {
				fmt.Fprintf(w, " %.2f 0 Td %s Tj", cells[j].x-cells[j-1].x, d.hex(cells[j].text))
			}
			w.WriteString(" ET\n")
			i = j
		}
	case pdfRowsTJ:
		for _, c := range cells {
			rs := []rune(c.text)
			h := len(rs) / 2
			fmt.Fprintf(w, "BT /F1 %.1f Tf 1 0 0 1 %.2f %.2f Tm [%s -12 %s] TJ ET\n", size, c.x, c.y, d.hex(string(rs[:h])), d.hex(string(rs[h:])))
		}
	default:
		for _, c := range cells {
			d.textAt(c.x, c.y, size, c.text)
		}
	}
}

// bytes writes the file: catalog, pages, font, content streams, xref.
func (d *pdfDoc) bytes() []byte {
	var out bytes.Buffer
	var offs []int
	obj := func(body string) {
		offs = append(offs, out.Len())
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", len(offs), body)
	}
	stream := func(dict string, data []byte) {
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(data)
		zw.Close()
		obj(fmt.Sprintf("<< %s /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", dict, z.Len(), z.Bytes()))
	}
	out.WriteString("%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
	n := len(d.pages)
	// objects: 1 catalog, 2 pages, 3 font, 4 cidfont, 5 descriptor,
	// 6 tounicode, then page i at 7+2i and its content at 8+2i
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := make([]string, n)
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", 7+2*i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n))
	obj("<< /Type /Font /Subtype /Type0 /BaseFont /MS-Gothic /Encoding /Identity-H /DescendantFonts [4 0 R] /ToUnicode 6 0 R >>")
	obj(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MS-Gothic /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 5 0 R /DW 1000 /W [%s] /CIDToGIDMap /Identity >>", d.widths()))
	obj("<< /Type /FontDescriptor /FontName /MS-Gothic /Flags 5 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 859 /StemV 80 >>")
	stream("", d.toUnicode())
	for i, p := range d.pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.0f %.0f] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", d.w, d.h, 8+2*i))
		stream("", p.Bytes())
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return out.Bytes()
}

func (d *pdfDoc) widths() string {
	var b strings.Builder
	for i, r := range d.order {
		if runeWidth(r) < 1 {
			fmt.Fprintf(&b, "%d [500] ", i+1)
		}
	}
	return b.String()
}

func (d *pdfDoc) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for i := 0; i < len(d.order); i += 100 {
		chunk := d.order[i:min(i+100, len(d.order))]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for j, r := range chunk {
			var u strings.Builder
			for _, c := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&u, "%04X", c)
			}
			fmt.Fprintf(&b, "<%04X> <%s>\n", i+j+1, u.String())
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
