package office

import (
	"archive/zip"
	"bytes"
	"math"
	"path"
	"strings"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/xmltok"
)

// xlsx holds what a workbook's sheets need: shared strings and sheet names.
type xlsx struct {
	strs  []byte   // all shared strings, concatenated
	offs  []uint32 // end offset of string i in strs (4 bytes per string)
	names map[string]string
	row   [][]byte
	cell  []byte
	cells []byte
	ends  []int
}

// loadWorkbook reads sheet names (workbook.xml + its relationships) and the
// shared string table.
func loadWorkbook(p Package) (*xlsx, error) {
	x := &xlsx{names: map[string]string{}}
	if err := x.loadNames(p); err != nil {
		return nil, err
	}
	f := p.Zip.Find("xl/sharedStrings.xml")
	if f == nil {
		return x, nil
	}
	rc, err := p.open(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	s := xmltok.New(rc, p.MaxToken)
	inSI, inT, phonetic := false, false, 0
	for {
		k, err := s.Next()
		if err != nil {
			return nil, err
		}
		switch k {
		case xmltok.EOF:
			return x, nil
		case xmltok.StartTag:
			switch string(s.Name()) {
			case "si":
				inSI = !s.SelfClosing()
				if s.SelfClosing() {
					x.offs = append(x.offs, uint32(len(x.strs)))
				}
			case "t":
				inT = !s.SelfClosing()
			case "rPh":
				if !s.SelfClosing() {
					phonetic++
				}
			}
		case xmltok.EndTag:
			switch string(s.Name()) {
			case "si":
				if inSI {
					if len(x.strs) > math.MaxUint32 {
						return nil, &extract.LimitError{Limit: extract.LimitTokenSize}
					}
					x.offs = append(x.offs, uint32(len(x.strs)))
				}
				inSI = false
			case "t":
				inT = false
			case "rPh":
				phonetic--
			}
		case xmltok.Text:
			if inSI && inT && phonetic == 0 {
				x.strs = append(x.strs, s.Text()...)
			}
		}
	}
}

// shared returns shared string i, or nil when out of range.
func (x *xlsx) shared(i int) []byte {
	if i < 0 || i >= len(x.offs) {
		return nil
	}
	start := uint32(0)
	if i > 0 {
		start = x.offs[i-1]
	}
	return x.strs[start:x.offs[i]]
}

func (x *xlsx) loadNames(p Package) error {
	rels := map[string]string{}
	if f := p.Zip.Find("xl/_rels/workbook.xml.rels"); f != nil {
		err := eachStart(p, f, func(s *xmltok.Scanner) {
			if string(s.Name()) != "Relationship" {
				return
			}
			id, _ := s.Attr("Id")
			target, _ := s.Attr("Target")
			t := strings.TrimPrefix(string(target), "/")
			if !strings.HasPrefix(t, "xl/") {
				t = path.Join("xl", t)
			}
			rels[string(id)] = strings.ToLower(t)
		})
		if err != nil {
			return err
		}
	}
	f := p.Zip.Find("xl/workbook.xml")
	return eachStart(p, f, func(s *xmltok.Scanner) {
		if string(s.Name()) != "sheet" {
			return
		}
		name, _ := s.Attr("name")
		id, _ := s.Attr("id")
		if t, ok := rels[string(id)]; ok {
			x.names[t] = string(name)
		}
	})
}

// eachStart calls fn for each start tag of an XML entry.
func eachStart(p Package, f *zip.File, fn func(*xmltok.Scanner)) error {
	rc, err := p.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	s := xmltok.New(rc, p.MaxToken)
	for {
		k, err := s.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmltok.EOF:
			return nil
		case xmltok.StartTag:
			fn(s)
		}
	}
}

// maxColumn bounds the column index taken from a cell reference; Excel's
// own limit is 16384 (XFD).
const maxColumn = 16384

// sheet streams one worksheet as table rows. Cells are placed by their
// reference so that columns stay aligned with their headers.
func (x *xlsx) sheet(p Package, f *zip.File) error {
	rc, err := p.open(f)
	if err != nil {
		return err
	}
	defer rc.Close()
	// The sheet name says where the rows are; the XML entry name would
	// only clutter findings.
	loc := p.Loc
	loc.Sheet = x.names[strings.ToLower(f.Name)]
	if loc.Sheet == "" {
		loc.Sheet = strings.TrimSuffix(path.Base(f.Name), ".xml")
	}
	tw := p.Sink.Table(loc)
	s := xmltok.New(rc, p.MaxToken)
	var (
		inCell, inV, inIS, inT bool
		phonetic               int
		typ                    []byte
		typBuf                 [16]byte
		col, nextCol           int
	)
	x.cells, x.ends = x.cells[:0], x.ends[:0]
	for {
		k, err := s.Next()
		if err != nil {
			tw.Close()
			return err
		}
		switch k {
		case xmltok.EOF:
			return tw.Close()
		case xmltok.StartTag:
			name := s.Name()
			switch {
			case len(name) == 1 && name[0] == 'c':
				col = nextCol
				if r, ok := s.Attr("r"); ok {
					if c := columnIndex(r); c >= 0 {
						col = c
					}
				}
				t, _ := s.Attr("t")
				typ = append(typBuf[:0], t...)
				x.cell = x.cell[:0]
				inCell = !s.SelfClosing()
				nextCol = col + 1
			case len(name) == 1 && name[0] == 'v':
				inV = inCell && !s.SelfClosing()
			case len(name) == 1 && name[0] == 't':
				inT = !s.SelfClosing()
			case string(name) == "is":
				inIS = !s.SelfClosing()
			case string(name) == "rPh":
				if !s.SelfClosing() {
					phonetic++
				}
			case string(name) == "row":
				x.cells, x.ends = x.cells[:0], x.ends[:0]
				nextCol = 0
				if s.SelfClosing() {
					continue
				}
			}
		case xmltok.Text:
			if inV || (inIS && inT && phonetic == 0) {
				x.cell = append(x.cell, s.Text()...)
			}
		case xmltok.EndTag:
			name := s.Name()
			switch {
			case len(name) == 1 && name[0] == 'c':
				if inCell {
					x.put(col, typ)
				}
				inCell = false
			case len(name) == 1 && name[0] == 'v':
				inV = false
			case len(name) == 1 && name[0] == 't':
				inT = false
			case string(name) == "is":
				inIS = false
			case string(name) == "rPh":
				phonetic--
			case string(name) == "row":
				if len(x.ends) > 0 {
					if err := tw.Row(x.rowCells()); err != nil {
						tw.Close()
						return err
					}
				}
			}
		}
	}
}

// put stores the current cell's value at column col of the row.
func (x *xlsx) put(col int, typ []byte) {
	val := x.cell
	if string(typ) == "s" {
		n, ok := atoi(val)
		if !ok {
			return
		}
		val = x.shared(n)
	}
	if len(val) == 0 || col >= maxColumn {
		return
	}
	// Pad skipped columns with empty cells.
	for len(x.ends) < col {
		x.ends = append(x.ends, len(x.cells))
	}
	if len(x.ends) > col {
		// Out-of-order reference: append the value to the last cell.
		x.cells = append(x.cells, ' ')
		x.cells = append(x.cells, val...)
		x.ends[len(x.ends)-1] = len(x.cells)
		return
	}
	x.cells = append(x.cells, val...)
	x.ends = append(x.ends, len(x.cells))
}

func (x *xlsx) rowCells() [][]byte {
	x.row = x.row[:0]
	start := 0
	for _, e := range x.ends {
		x.row = append(x.row, x.cells[start:e])
		start = e
	}
	return x.row
}

// columnIndex turns the letters of a cell reference ("AB12") into a
// zero-based column, or -1.
func columnIndex(ref []byte) int {
	c := 0
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		c = c*26 + int(ref[i]-'A'+1)
		if c > maxColumn {
			return -1
		}
	}
	if i == 0 {
		return -1
	}
	return c - 1
}

func atoi(b []byte) (int, bool) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
