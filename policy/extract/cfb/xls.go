package cfb

import (
	"bufio"
	"encoding/binary"
	"io"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/okuri/okuri/policy/extract"
)

// BIFF8 record types used here ([MS-XLS] 2.3).
const (
	recBOF        = 0x0809
	recEOF        = 0x000A
	recFilePass   = 0x002F
	recBoundSheet = 0x0085
	recSST        = 0x00FC
	recContinue   = 0x003C
	recLabelSST   = 0x00FD
	recLabel      = 0x0204
	recNumber     = 0x0203
	recRK         = 0x027E
	recMulRK      = 0x00BD
	recFormula    = 0x0006
	recString     = 0x0207
	recTxo        = 0x01B6
)

// maxXLSColumn is BIFF8's column limit.
const maxXLSColumn = 256

// biff reads BIFF8 records from a stream without holding the whole
// workbook stream in memory: only the current record (and, for records
// that may continue, its CONTINUE records) is buffered.
type biff struct {
	br   *bufio.Reader
	pos  int64 // stream offset of the next record
	body []byte
	cont []byte
	offs []int
	err  error
}

// record reads one record header and body into buf.
func (b *biff) record(buf []byte) (typ uint16, body []byte, ok bool) {
	var h [4]byte
	if _, err := io.ReadFull(b.br, h[:]); err != nil {
		b.setErr(err)
		return 0, nil, false
	}
	typ = binary.LittleEndian.Uint16(h[:])
	n := int(binary.LittleEndian.Uint16(h[2:]))
	body = append(buf[:0], make([]byte, n)...)
	if _, err := io.ReadFull(b.br, body); err != nil {
		b.setErr(err)
		return 0, nil, false
	}
	b.pos += int64(4 + n)
	return typ, body, true
}

func (b *biff) setErr(err error) {
	if err != io.EOF && b.err == nil {
		b.err = err
	}
}

// next returns the next record and, for records that may continue, the
// bodies of the CONTINUE records that follow it. Slices are valid until
// the next call.
func (b *biff) next() (typ uint16, body []byte, conts [][]byte, ok bool) {
	typ, b.body, ok = b.record(b.body)
	if !ok {
		return 0, nil, nil, false
	}
	if typ == recSST || typ == recString || typ == recLabel {
		b.cont, b.offs = b.cont[:0], b.offs[:0]
		for {
			h, err := b.br.Peek(2)
			if err != nil || binary.LittleEndian.Uint16(h) != recContinue {
				break
			}
			var c []byte
			if _, c, ok = b.record(nil); !ok {
				break
			}
			b.cont = append(b.cont, c...)
			b.offs = append(b.offs, len(b.cont))
		}
		start := 0
		for _, e := range b.offs {
			conts = append(conts, b.cont[start:e])
			start = e
		}
	}
	return typ, b.body, conts, true
}

func (x *cfbDoc) xls() error {
	name := "Workbook"
	if x.streams[name] == nil {
		name = "Book"
	}
	rd, err := x.open(name)
	if err != nil {
		return err
	}
	b := &biff{br: bufio.NewReaderSize(rd, 64<<10)}
	var (
		sst      []string
		sheets   = map[uint32]string{}
		sheetN   int
		tw       extract.TableWriter
		row      = -1
		cells    []string
		pendStr  bool
		pendRow  int
		pendCol  int
		notes    extract.TextWriter
		txoChars int
	)
	flush := func() error {
		if tw == nil || row < 0 {
			return nil
		}
		out := make([][]byte, 0, len(cells))
		last := 0
		for i, c := range cells {
			out = append(out, []byte(c))
			if c != "" {
				last = i + 1
			}
		}
		cells = cells[:0]
		row = -1
		if last == 0 {
			return nil
		}
		return tw.Row(out[:last])
	}
	put := func(r, c int, v string) error {
		if tw == nil || c < 0 || c >= maxXLSColumn {
			return nil
		}
		if r != row {
			if err := flush(); err != nil {
				return err
			}
			row = r
		}
		for len(cells) <= c {
			cells = append(cells, "")
		}
		cells[c] = v
		return nil
	}
	closeSheet := func() error {
		err := flush()
		if tw != nil {
			tw.Close()
			tw = nil
		}
		return err
	}
	defer func() {
		closeSheet()
		if notes != nil {
			notes.Close()
		}
	}()
	for {
		if err := x.Budget.Err(); err != nil {
			return err
		}
		recStart := uint32(b.pos)
		typ, body, conts, ok := b.next()
		if !ok {
			if b.err != nil {
				return extract.Malformed("xls", b.err)
			}
			break
		}
		le := binary.LittleEndian
		switch typ {
		case recFilePass:
			return extract.ErrEncrypted
		case recBOF:
			if len(body) < 4 || le.Uint16(body) != 0x0600 {
				// BIFF5 and older store strings differently; reading
				// them as BIFF8 would produce garbage, not a verdict.
				return ErrUnsupported
			}
			if le.Uint16(body[2:]) == 0x0010 {
				if err := closeSheet(); err != nil {
					return err
				}
				sheetN++
				loc := x.Loc
				loc.Sheet = sheets[recStart]
				if loc.Sheet == "" {
					loc.Sheet = "sheet" + strconv.Itoa(sheetN)
				}
				tw = x.Sink.Table(loc)
			}
		case recEOF:
			if err := closeSheet(); err != nil {
				return err
			}
		case recBoundSheet:
			if len(body) >= 8 {
				s, _ := shortString(body[6:])
				sheets[le.Uint32(body)] = s
			}
		case recSST:
			sst = parseSST(body, conts)
		case recLabelSST:
			if len(body) >= 10 {
				i := int(le.Uint32(body[6:]))
				if i < len(sst) {
					if err := put(int(le.Uint16(body)), int(le.Uint16(body[2:])), sst[i]); err != nil {
						return err
					}
				}
			}
		case recLabel:
			if len(body) >= 8 {
				s, _ := longString(body[6:], conts)
				if err := put(int(le.Uint16(body)), int(le.Uint16(body[2:])), s); err != nil {
					return err
				}
			}
		case recNumber:
			if len(body) >= 14 {
				v := math.Float64frombits(le.Uint64(body[6:]))
				if err := put(int(le.Uint16(body)), int(le.Uint16(body[2:])), number(v)); err != nil {
					return err
				}
			}
		case recRK:
			if len(body) >= 10 {
				if err := put(int(le.Uint16(body)), int(le.Uint16(body[2:])), number(rk(le.Uint32(body[6:])))); err != nil {
					return err
				}
			}
		case recMulRK:
			if len(body) >= 6 {
				r, c := int(le.Uint16(body)), int(le.Uint16(body[2:]))
				for p := 4; p+6 <= len(body)-2; p += 6 {
					if err := put(r, c, number(rk(le.Uint32(body[p+2:])))); err != nil {
						return err
					}
					c++
				}
			}
		case recFormula:
			if len(body) >= 14 {
				r, c := int(le.Uint16(body)), int(le.Uint16(body[2:]))
				val := body[6:14]
				if val[6] == 0xFF && val[7] == 0xFF {
					if val[0] == 0 {
						pendStr, pendRow, pendCol = true, r, c
					}
				} else if err := put(r, c, number(math.Float64frombits(le.Uint64(val)))); err != nil {
					return err
				}
			}
		case recString:
			if pendStr {
				s, _ := longString(body, conts)
				if err := put(pendRow, pendCol, s); err != nil {
					return err
				}
				pendStr = false
			}
		case recTxo:
			if len(body) >= 12 {
				txoChars = int(le.Uint16(body[10:]))
			}
		case recContinue:
			// A CONTINUE after TXO carries the text of a cell note.
			if txoChars > 0 && len(body) > 1 {
				s := chars(body[1:], body[0]&1 != 0, txoChars)
				txoChars = 0
				if notes == nil {
					notes = x.Sink.Text(x.Loc)
				}
				notes.Write([]byte(s + "\n"))
			}
		}
	}
	return nil
}

// number formats a cell value as Excel shows it in General format.
func number(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// rk decodes an RK number ([MS-XLS] 2.5.217).
func rk(v uint32) float64 {
	var f float64
	if v&2 != 0 {
		f = float64(int32(v) >> 2)
	} else {
		f = math.Float64frombits(uint64(v&0xFFFFFFFC) << 32)
	}
	if v&1 != 0 {
		f /= 100
	}
	return f
}

// chars decodes n characters, 16-bit if high, else 8-bit Latin-1.
func chars(p []byte, high bool, n int) string {
	if high {
		n = min(n, len(p)/2)
		u := make([]uint16, n)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(p[2*i:])
		}
		return string(utf16.Decode(u))
	}
	n = min(n, len(p))
	out := make([]byte, 0, n)
	for _, c := range p[:n] {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// shortString decodes a ShortXLUnicodeString (8-bit count).
func shortString(p []byte) (string, int) {
	if len(p) < 2 {
		return "", len(p)
	}
	n, high := int(p[0]), p[1]&1 != 0
	w := 1
	if high {
		w = 2
	}
	return chars(p[2:], high, n), 2 + n*w
}

// longString decodes an XLUnicodeString that may continue in CONTINUE
// records (each starting with a new flags byte).
func longString(p []byte, conts [][]byte) (string, int) {
	if len(p) < 3 {
		return "", len(p)
	}
	n := int(binary.LittleEndian.Uint16(p))
	s := &sstReader{cur: p[2:], conts: conts}
	return s.chars(n, true), 0
}

// sstReader reads strings that may straddle CONTINUE boundaries.
type sstReader struct {
	cur   []byte
	conts [][]byte
	high  bool
}

func (s *sstReader) advance() bool {
	if len(s.conts) == 0 {
		return false
	}
	s.cur, s.conts = s.conts[0], s.conts[1:]
	return true
}

// take returns n raw bytes (runs and extension data may straddle a
// boundary without a flags byte).
func (s *sstReader) skip(n int) bool {
	for n > 0 {
		if len(s.cur) == 0 && !s.advance() {
			return false
		}
		k := min(n, len(s.cur))
		s.cur = s.cur[k:]
		n -= k
	}
	return true
}

func (s *sstReader) byte() (byte, bool) {
	if len(s.cur) == 0 && !s.advance() {
		return 0, false
	}
	c := s.cur[0]
	s.cur = s.cur[1:]
	return c, true
}

func (s *sstReader) u16() (uint16, bool) {
	a, ok1 := s.byte()
	b, ok2 := s.byte()
	return uint16(a) | uint16(b)<<8, ok1 && ok2
}

// chars reads n characters; the flags byte is read first when withFlags,
// and again at each CONTINUE boundary.
func (s *sstReader) chars(n int, withFlags bool) string {
	if withFlags {
		f, ok := s.byte()
		if !ok {
			return ""
		}
		s.high = f&1 != 0
	}
	var out []rune
	for n > 0 {
		if len(s.cur) == 0 {
			if !s.advance() || len(s.cur) == 0 {
				break
			}
			s.high = s.cur[0]&1 != 0
			s.cur = s.cur[1:]
		}
		if s.high {
			if len(s.cur) < 2 {
				s.cur = nil
				continue
			}
			out = append(out, rune(binary.LittleEndian.Uint16(s.cur)))
			s.cur = s.cur[2:]
		} else {
			out = append(out, rune(s.cur[0]))
			s.cur = s.cur[1:]
		}
		n--
	}
	// Surrogate pairs were appended as separate halves; recombine.
	u := make([]uint16, len(out))
	for i, r := range out {
		u[i] = uint16(r)
	}
	return string(utf16.Decode(u))
}

// parseSST decodes the shared string table ([MS-XLS] 2.4.265).
func parseSST(body []byte, conts [][]byte) []string {
	if len(body) < 8 {
		return nil
	}
	unique := int(binary.LittleEndian.Uint32(body[4:]))
	s := &sstReader{cur: body[8:], conts: conts}
	out := make([]string, 0, min(unique, 1<<16))
	for i := 0; i < unique; i++ {
		n, ok := s.u16()
		if !ok {
			break
		}
		flags, ok := s.byte()
		if !ok {
			break
		}
		s.high = flags&1 != 0
		runs, ext := 0, 0
		if flags&0x08 != 0 {
			r, _ := s.u16()
			runs = int(r)
		}
		if flags&0x04 != 0 {
			a, _ := s.u16()
			b, _ := s.u16()
			ext = int(uint32(a) | uint32(b)<<16)
		}
		out = append(out, s.chars(int(n), false))
		if !s.skip(runs*4) || (ext > 0 && !s.skip(ext)) {
			break
		}
	}
	return out
}
