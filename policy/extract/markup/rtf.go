package markup

import (
	"bufio"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/charset"
)

// maxRTFDepth bounds group nesting; deeper input is malformed or hostile.
const maxRTFDepth = 1000

// rtfSkip lists destinations whose content is not document text.
var rtfSkip = map[string]bool{
	"fonttbl": true, "colortbl": true, "stylesheet": true, "listtable": true,
	"listoverridetable": true, "pict": true, "object": true, "objdata": true,
	"themedata": true, "colorschememapping": true, "datastore": true,
	"latentstyles": true, "rsidtbl": true, "generator": true, "xmlnstbl": true,
	"mmathPr": true, "filetbl": true, "revtbl": true, "pgdsctbl": true,
	"bkmkstart": true, "bkmkend": true, "fldinst": true, "wgrffmtfilter": true,
}

type rtfGroup struct {
	skip bool
	uc   int
	line bool // end a line when the group closes (document info fields)
}

// rtfInfo are document-information destinations: kept as text, one per line.
var rtfInfo = map[string]bool{
	"title": true, "subject": true, "author": true, "operator": true, "company": true,
	"manager": true, "category": true, "keywords": true, "doccomm": true, "comment": true,
}

// ErrEmbeddedObject reports an RTF document that embeds an OLE object
// (\object): its text was extracted, but the object (often a spreadsheet)
// was not, so the document is not fully scanned.
var ErrEmbeddedObject = errors.New("rtf embeds an object")

// RTF extracts the text of an RTF document and writes it as UTF-8.
// Bytes given as \'hh escapes are decoded in the document's code page
// (\ansicpg932 or a Japanese font charset means Shift_JIS).
func RTF(r io.Reader, w extract.TextWriter) error {
	br := bufio.NewReaderSize(r, 64<<10)
	p := &rtfParser{br: br, w: w, cs: charset.Lookup1252()}
	return p.run()
}

type rtfParser struct {
	br      *bufio.Reader
	w       extract.TextWriter
	cs      charset.Charset
	stack   []rtfGroup
	object  bool // an embedded \object was skipped
	cur     rtfGroup
	out     []byte
	pending []byte // \'hh bytes awaiting charset decoding
	skipN   int    // fallback characters still to skip after \uN
}

func (p *rtfParser) run() error {
	p.cur.uc = 1
	for {
		c, err := p.br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if err := p.flush(true); err != nil {
					return err
				}
				if p.object {
					return ErrEmbeddedObject
				}
				return nil
			}
			return err
		}
		switch c {
		case '{':
			if len(p.stack) >= maxRTFDepth {
				return extract.Malformed("rtf", errors.New("nesting too deep"))
			}
			p.stack = append(p.stack, p.cur)
			p.cur.line = false
			// "{\*\dest …}" marks an ignorable destination.
			if nx, _ := p.br.Peek(2); len(nx) == 2 && nx[0] == '\\' && nx[1] == '*' {
				p.cur.skip = true
			}
		case '}':
			if len(p.stack) == 0 {
				continue
			}
			p.endBytes()
			if p.cur.line && !p.cur.skip {
				p.out = append(p.out, '\n')
			}
			p.cur = p.stack[len(p.stack)-1]
			p.stack = p.stack[:len(p.stack)-1]
		case '\\':
			if err := p.control(); err != nil {
				return err
			}
		case '\r', '\n':
		default:
			if p.skipN > 0 {
				p.skipN--
				continue
			}
			if !p.cur.skip {
				p.endBytes()
				p.out = append(p.out, c)
			}
		}
		if len(p.out) > 32<<10 {
			if err := p.flush(false); err != nil {
				return err
			}
		}
	}
}

// control reads a control word or symbol after a backslash.
func (p *rtfParser) control() error {
	c, err := p.br.ReadByte()
	if err != nil {
		return nil
	}
	if c == '\'' {
		h := make([]byte, 2)
		if _, err := io.ReadFull(p.br, h); err != nil {
			return nil
		}
		v, err := strconv.ParseUint(string(h), 16, 8)
		if err != nil {
			return nil
		}
		if p.skipN > 0 {
			p.skipN--
			return nil
		}
		if !p.cur.skip {
			p.pending = append(p.pending, byte(v))
			if len(p.pending) >= 64<<10 && !isSJISLead(p.pending) {
				p.endBytes() // bound memory on long runs of escapes
			}
		}
		return nil
	}
	if !isAlpha(c) {
		if !p.cur.skip {
			switch c {
			case '\\', '{', '}':
				p.endBytes()
				p.out = append(p.out, c)
			case '~':
				p.endBytes()
				p.out = append(p.out, ' ')
			case '_':
				p.endBytes()
				p.out = append(p.out, '-')
			}
		}
		return nil
	}
	word := []byte{c}
	for {
		b, err := p.br.ReadByte()
		if err != nil {
			break
		}
		if !isAlpha(b) {
			p.br.UnreadByte()
			break
		}
		if len(word) < 32 {
			word = append(word, b)
		}
	}
	num, hasNum := 0, false
	neg := false
	if b, err := p.br.ReadByte(); err == nil {
		if b == '-' {
			neg = true
		} else {
			p.br.UnreadByte()
		}
	}
	for i := 0; i < 10; i++ {
		b, err := p.br.ReadByte()
		if err != nil {
			break
		}
		if b < '0' || b > '9' {
			p.br.UnreadByte()
			break
		}
		num = num*10 + int(b-'0')
		hasNum = true
	}
	if neg {
		num = -num
	}
	if b, err := p.br.ReadByte(); err == nil && b != ' ' {
		p.br.UnreadByte()
	}
	return p.word(string(word), num, hasNum)
}

func (p *rtfParser) word(w string, num int, hasNum bool) error {
	if rtfSkip[w] {
		p.cur.skip = true
		if w == "object" || w == "objdata" {
			p.object = true
		}
		return nil
	}
	if rtfInfo[w] {
		p.cur.line = true
	}
	switch w {
	case "ansicpg":
		if num == 932 {
			p.cs = charset.ShiftJIS
		}
	case "fcharset":
		if num == 128 {
			p.cs = charset.ShiftJIS
		}
	case "uc":
		if hasNum && num >= 0 && num < 10 {
			p.cur.uc = num
		}
	case "u":
		if !p.cur.skip {
			if num < 0 {
				num += 65536
			}
			p.endBytes()
			p.out = utf8.AppendRune(p.out, rune(num))
		}
		p.skipN = p.cur.uc
	case "par", "line", "row", "sect", "page":
		if !p.cur.skip {
			p.endBytes()
			p.out = append(p.out, '\n')
		}
	case "tab", "cell":
		if !p.cur.skip {
			p.endBytes()
			p.out = append(p.out, '\t')
		}
	case "bin":
		// Binary data of num bytes follows: skip it unseen.
		if num > 0 {
			if _, err := p.br.Discard(num); err != nil {
				return nil
			}
		}
	}
	return nil
}

// endBytes decodes collected \'hh bytes in the document charset.
func (p *rtfParser) endBytes() {
	if len(p.pending) == 0 {
		return
	}
	s, err := charset.DecodeString(p.cs, p.pending)
	if err == nil {
		p.out = append(p.out, s...)
	}
	p.pending = p.pending[:0]
}

func (p *rtfParser) flush(final bool) error {
	if final {
		p.endBytes()
	}
	if len(p.out) == 0 {
		return nil
	}
	_, err := p.w.Write(p.out)
	p.out = p.out[:0]
	return err
}

func isAlpha(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

// isSJISLead reports whether b ends in a byte that starts a Shift_JIS
// double-byte character (cutting there would split the character).
func isSJISLead(b []byte) bool {
	c := b[len(b)-1]
	return (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC)
}
