package cfb

import (
	"encoding/binary"
	"unicode/utf16"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/charset"
)

// PowerPoint record types ([MS-PPT] 2.13.24).
const (
	pptTextChars    = 0x0FA0
	pptTextBytes    = 0x0FA8
	pptCryptSession = 0x2F14
)

// ppt extracts the text atoms of a PowerPoint 97-2003 presentation by a
// linear walk of its record tree: containers (version 0xF) are entered,
// atoms skipped unless they hold text.
func (x *cfbDoc) ppt() error {
	data, err := x.read("PowerPoint Document")
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	tw := x.Sink.Text(x.Loc)
	defer tw.Close()
	cp1252 := charset.Lookup1252()
	for p := 0; p+8 <= len(data); {
		verInst := le.Uint16(data[p:])
		typ := le.Uint16(data[p+2:])
		n := int(le.Uint32(data[p+4:]))
		p += 8
		if typ == pptCryptSession {
			return extract.ErrEncrypted
		}
		if verInst&0x000F == 0x000F {
			continue // container: its children follow
		}
		if n < 0 || p+n > len(data) {
			break
		}
		body := data[p : p+n]
		p += n
		switch typ {
		case pptTextChars:
			u := make([]uint16, len(body)/2)
			for i := range u {
				u[i] = le.Uint16(body[2*i:])
			}
			tw.Write([]byte(string(utf16.Decode(u)) + "\n"))
		case pptTextBytes:
			s, _ := charset.DecodeString(cp1252, body)
			tw.Write([]byte(s + "\n"))
		}
	}
	return nil
}
