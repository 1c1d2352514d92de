package office

import (
	"archive/zip"
	"fmt"
	"strconv"
	"strings"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/xmltok"
)

// maxRepeat bounds ODF's number-columns-repeated / number-rows-repeated
// expansion: LibreOffice writes huge repeat counts for empty ranges, and a
// hostile file could use them as an amplifier.
const maxRepeat = 64

// flow extracts a document body (DOCX, PPTX, ODF content): paragraphs go to
// a text stream with their runs joined, tables go to table rows.
type flow struct {
	p      Package
	entry  string
	odf    bool
	tw     extract.TextWriter
	para   []byte
	inPara int
	inT    bool
	skip   int
	tables []*table
	nTable int
}

type table struct {
	tw        extract.TableWriter
	cells     [][]byte
	n         int // cells used in the current row
	inCell    bool
	colRepeat int
	rowRepeat int
	row       [][]byte
}

func (p Package) flow(f *zip.File, kind string) error {
	rc, err := p.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	fl := &flow{p: p, entry: f.Name, odf: kind == ODS || kind == ODT || kind == ODP}
	err = fl.run(xmltok.New(rc, p.MaxToken))
	if cerr := fl.close(); err == nil {
		err = cerr
	}
	return err
}

func (fl *flow) run(s *xmltok.Scanner) error {
	for {
		k, err := s.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmltok.EOF:
			return nil
		case xmltok.StartTag:
			if err := fl.start(s); err != nil {
				return err
			}
		case xmltok.EndTag:
			if err := fl.end(s); err != nil {
				return err
			}
		case xmltok.Text:
			if fl.skip == 0 && fl.inPara > 0 && (fl.inT || fl.odf) {
				fl.para = append(fl.para, s.Text()...)
			}
		}
	}
}

func (fl *flow) start(s *xmltok.Scanner) error {
	name := string(s.Name())
	self := s.SelfClosing()
	if fl.skip > 0 {
		if !self {
			fl.skip++
		}
		return nil
	}
	switch name {
	case "Fallback", "instrText", "tracked-changes-placeholder":
		// mc:Fallback repeats its mc:Choice sibling; field codes are not text.
		if !self {
			fl.skip = 1
		}
	case "p", "h":
		if !self {
			fl.inPara++
		}
	case "t", "delText":
		fl.inT = !self
	case "tab":
		fl.para = append(fl.para, '\t')
	case "br", "cr", "line-break":
		fl.para = append(fl.para, '\n')
	case "s":
		if fl.odf {
			n := repeat(s, "c")
			for i := 0; i < n; i++ {
				fl.para = append(fl.para, ' ')
			}
		}
	case "tbl", "table":
		if self {
			return nil
		}
		fl.nTable++
		loc := fl.p.loc(fl.entry)
		if v, ok := s.Attr("name"); ok && fl.odf {
			loc = fl.p.Loc // a named sheet: the name says where
			loc.Sheet = string(v)
		} else {
			loc.Sheet = "table " + strconv.Itoa(fl.nTable)
		}
		fl.tables = append(fl.tables, &table{tw: fl.p.Sink.Table(loc)})
	case "tr", "table-row":
		if t := fl.top(); t != nil {
			t.n = 0
			t.rowRepeat = 1
			if fl.odf {
				t.rowRepeat = repeat(s, "number-rows-repeated")
			}
			if self {
				t.n = 0
			}
		}
	case "tc", "table-cell", "covered-table-cell":
		if t := fl.top(); t != nil {
			t.colRepeat = 1
			if fl.odf {
				t.colRepeat = repeat(s, "number-columns-repeated")
			}
			t.newCell()
			if self {
				t.endCell()
			} else {
				t.inCell = true
			}
		}
	}
	return nil
}

func (fl *flow) end(s *xmltok.Scanner) error {
	if fl.skip > 0 {
		fl.skip--
		return nil
	}
	switch string(s.Name()) {
	case "p", "h":
		if fl.inPara > 0 {
			fl.inPara--
		}
		return fl.endPara()
	case "t", "delText":
		fl.inT = false
	case "tc", "table-cell", "covered-table-cell":
		if t := fl.top(); t != nil && t.inCell {
			t.endCell()
		}
	case "tr", "table-row":
		if t := fl.top(); t != nil {
			return t.endRow()
		}
	case "tbl", "table":
		if t := fl.top(); t != nil {
			fl.tables = fl.tables[:len(fl.tables)-1]
			return t.tw.Close()
		}
	}
	return nil
}

// endPara sends the joined runs of a paragraph to the open table cell or
// to the text stream.
func (fl *flow) endPara() error {
	if len(fl.para) == 0 {
		return nil
	}
	defer func() { fl.para = fl.para[:0] }()
	if t := fl.top(); t != nil && t.inCell {
		c := &t.cells[t.n-1]
		if len(*c) > 0 {
			*c = append(*c, ' ')
		}
		*c = append(*c, fl.para...)
		return nil
	}
	if fl.tw == nil {
		fl.tw = fl.p.Sink.Text(fl.p.loc(fl.entry))
	}
	fl.para = append(fl.para, '\n')
	_, err := fl.tw.Write(fl.para)
	return err
}

func (fl *flow) top() *table {
	if len(fl.tables) == 0 {
		return nil
	}
	return fl.tables[len(fl.tables)-1]
}

func (fl *flow) close() error {
	var first error
	for _, t := range fl.tables {
		if err := t.tw.Close(); err != nil && first == nil {
			first = err
		}
	}
	fl.tables = nil
	if fl.tw != nil {
		if err := fl.tw.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (t *table) newCell() {
	if t.n < len(t.cells) {
		t.cells[t.n] = t.cells[t.n][:0]
	} else {
		t.cells = append(t.cells, nil)
	}
	t.n++
}

// endCell applies an ODF column repeat to the cell just finished.
func (t *table) endCell() {
	t.inCell = false
	for i := 1; i < t.colRepeat && i < maxRepeat; i++ {
		prev := t.cells[t.n-1]
		t.newCell()
		t.cells[t.n-1] = append(t.cells[t.n-1], prev...)
	}
}

func (t *table) endRow() error {
	n := t.n
	for n > 0 && len(t.cells[n-1]) == 0 {
		n--
	}
	if n == 0 {
		return nil
	}
	t.row = append(t.row[:0], t.cells[:n]...)
	for i := 0; i < t.rowRepeat && i < maxRepeat; i++ {
		if err := t.tw.Row(t.row); err != nil {
			return fmt.Errorf("table row: %w", err)
		}
	}
	t.n = 0
	return nil
}

// repeat reads a positive repeat-count attribute (default 1).
func repeat(s *xmltok.Scanner, attr string) int {
	v, ok := s.Attr(attr)
	if !ok {
		return 1
	}
	n, ok := atoi(v)
	if !ok || n < 1 {
		return 1
	}
	return n
}

// plainText sends every text node of an XML part to a text stream, one
// line per element: used for comments, properties, notes, drawings.
func (p Package) plainText(f *zip.File) error {
	rc, err := p.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	s := xmltok.New(rc, p.MaxToken)
	var tw extract.TextWriter
	defer func() {
		if tw != nil {
			tw.Close()
		}
	}()
	var phonetic int
	pending := false // text written since the last line break
	attrs := strings.Contains(strings.ToLower(f.Name), "pivotcache")
	for {
		k, err := s.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmltok.EOF:
			if tw != nil {
				err := tw.Close()
				tw = nil
				return err
			}
			return nil
		case xmltok.StartTag:
			if string(s.Name()) == "rPh" && !s.SelfClosing() {
				phonetic++
			}
			if attrs {
				// Pivot caches keep cell values in attributes:
				// <s v="山田太郎"/>, <cacheField name="氏名">.
				for _, a := range [...]string{"v", "name"} {
					if v, ok := s.Attr(a); ok && len(v) > 0 {
						if tw == nil {
							tw = p.Sink.Text(p.loc(f.Name))
						}
						if _, err := tw.Write(append(v, '\n')); err != nil {
							return err
						}
					}
				}
			}
		case xmltok.EndTag:
			switch string(s.Name()) {
			case "rPh":
				phonetic--
			case "r", "t", "span", "fld":
				// Runs inside a paragraph: keep joining.
			default:
				// Any other element ends a line (a property value, a
				// paragraph, a comment), so values never run together.
				if pending && tw != nil {
					if _, err := tw.Write([]byte{'\n'}); err != nil {
						return err
					}
					pending = false
				}
			}
		case xmltok.Text:
			txt := s.Text()
			if phonetic > 0 || isSpace(txt) {
				continue
			}
			if tw == nil {
				tw = p.Sink.Text(p.loc(f.Name))
			}
			if _, err := tw.Write(txt); err != nil {
				return err
			}
			pending = true
		}
	}
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\n' && c != '\r' && c != '\t' {
			return false
		}
	}
	return true
}
