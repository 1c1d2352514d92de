package cfb

import (
	"encoding/binary"
	"errors"
	"unicode/utf16"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/charset"
)

// word extracts the text of a Word 97-2003 document through its piece
// table ([MS-DOC] 2.4.1): the CLX in the table stream lists pieces of
// text, each either 8-bit (cp1252, "compressed") or UTF-16LE, at a file
// offset in the WordDocument stream. All pieces are read: main text,
// footnotes, headers, comments, text boxes.
func (x *cfbDoc) word() error {
	wd, err := x.read("WordDocument")
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	if len(wd) < 34 || le.Uint16(wd) != 0xA5EC {
		return extract.Malformed("doc", errors.New("bad FIB"))
	}
	flags := le.Uint16(wd[0x0A:])
	if flags&0x0100 != 0 || flags&0x8000 != 0 {
		return extract.ErrEncrypted
	}
	if nFib := le.Uint16(wd[2:]); nFib < 0x00C1 {
		// Word 6/95 and older: a different FIB and text layout.
		return ErrUnsupported
	}
	table := "0Table"
	if flags&0x0200 != 0 {
		table = "1Table"
	}
	// FIB: base (32) | csw, fibRgW | cslw, fibRgLw | cbRgFcLcb, fibRgFcLcb.
	off := 32
	csw := int(le.Uint16(wd[off:]))
	off += 2 + csw*2
	if off+2 > len(wd) {
		return extract.Malformed("doc", errors.New("short FIB"))
	}
	cslw := int(le.Uint16(wd[off:]))
	off += 2 + cslw*4
	if off+2 > len(wd) {
		return extract.Malformed("doc", errors.New("short FIB"))
	}
	off += 2
	clxAt := off + 33*8 // fcClx is entry 33 of FibRgFcLcb97
	if clxAt+8 > len(wd) {
		return extract.Malformed("doc", errors.New("no CLX"))
	}
	fcClx, lcbClx := int64(le.Uint32(wd[clxAt:])), int64(le.Uint32(wd[clxAt+4:]))
	ts, err := x.read(table)
	if err != nil {
		return err
	}
	if fcClx+lcbClx > int64(len(ts)) || lcbClx <= 0 {
		return extract.Malformed("doc", errors.New("CLX out of range"))
	}
	clx := ts[fcClx : fcClx+lcbClx]
	i := 0
	for i < len(clx) && clx[i] == 0x01 { // Prc: skip property modifiers
		if i+3 > len(clx) {
			return extract.Malformed("doc", errors.New("bad Prc"))
		}
		i += 3 + int(le.Uint16(clx[i+1:]))
	}
	if i+5 > len(clx) || clx[i] != 0x02 {
		return extract.Malformed("doc", errors.New("no Pcdt"))
	}
	lcb := int(le.Uint32(clx[i+1:]))
	plc := clx[i+5:]
	if lcb > len(plc) || lcb < 4 {
		return extract.Malformed("doc", errors.New("bad PlcPcd"))
	}
	plc = plc[:lcb]
	n := (lcb - 4) / 12
	tw := x.Sink.Text(x.Loc)
	defer tw.Close()
	cp1252 := charset.Lookup1252()
	clean := &wordCleaner{}
	for k := 0; k < n; k++ {
		cpStart, cpEnd := int64(le.Uint32(plc[4*k:])), int64(le.Uint32(plc[4*(k+1):]))
		if cpEnd <= cpStart {
			continue
		}
		pcd := plc[4*(n+1)+8*k:]
		fc := le.Uint32(pcd[2:])
		count := cpEnd - cpStart
		compressed := fc&0x40000000 != 0
		start, width := int64(fc), int64(2)
		if compressed {
			start, width = int64(fc&0x3FFFFFFF)/2, 1
		}
		if start < 0 || start+width*count > int64(len(wd)) {
			return extract.Malformed("doc", errors.New("piece out of range"))
		}
		// Decode in chunks so memory stays proportional to the chunk,
		// not to the piece.
		for count > 0 {
			m := min(count, wordChunk)
			var text []rune
			if compressed {
				s, _ := charset.DecodeString(cp1252, wd[start:start+m])
				text = []rune(s)
			} else {
				u := make([]uint16, m)
				for j := range u {
					u[j] = le.Uint16(wd[start+2*int64(j):])
				}
				if m < count && m > 1 && u[m-1] >= 0xD800 && u[m-1] < 0xDC00 {
					m-- // keep a surrogate pair together
					u = u[:m]
				}
				text = utf16.Decode(u)
			}
			if _, err := tw.Write(clean.clean(text)); err != nil {
				return err
			}
			start += width * m
			count -= m
		}
	}
	return nil
}

// wordChunk is how many characters of a piece are decoded at a time.
const wordChunk = 32 << 10

// wordCleaner turns Word's special characters into plain text: paragraph
// and cell marks into line breaks and tabs; field codes (between 0x13 and
// 0x14) dropped, field results kept; object anchors dropped.
type wordCleaner struct {
	fields []bool // per open field: still in its code part
	out    []byte
}

func (c *wordCleaner) clean(text []rune) []byte {
	c.out = c.out[:0]
	for _, r := range text {
		switch r {
		case 0x13:
			c.fields = append(c.fields, true)
			continue
		case 0x14:
			if len(c.fields) > 0 {
				c.fields[len(c.fields)-1] = false
			}
			continue
		case 0x15:
			if len(c.fields) > 0 {
				c.fields = c.fields[:len(c.fields)-1]
			}
			continue
		}
		if len(c.fields) > 0 && c.fields[len(c.fields)-1] {
			continue
		}
		switch {
		case r == 0x0D || r == 0x0B || r == 0x0C:
			c.out = append(c.out, '\n')
		case r == 0x07:
			c.out = append(c.out, '\t')
		case r == 0x1E:
			c.out = append(c.out, '-')
		case r == '\t':
			c.out = append(c.out, '\t')
		case r < 0x20:
		default:
			c.out = append(c.out, string(r)...)
		}
	}
	return c.out
}
