// Package tnef reads Transport Neutral Encapsulation Format streams
// ([MS-OXTNEF]): the winmail.dat that Outlook sends instead of MIME
// attachments. It extracts the attachments (handed to the caller for a
// recursive scan), the subject and body attributes, every string MAPI
// property, and the compressed RTF body (LZFu, [MS-OXRTFCP]) as text.
//
// Anything it cannot follow (an embedded message object, a property type
// it does not know) is an error, so the caller reports the part as
// unscannable rather than clean.
package tnef

import (
	"encoding/binary"
	"errors"
	"unicode/utf16"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/charset"
)

// Signature is the first four bytes of a TNEF stream (little-endian).
const Signature = 0x223E9F78

// TNEF attribute IDs (type in the high word).
const (
	attSubject        = 0x00018004
	attBody           = 0x0002800C
	attMAPIProps      = 0x00069003
	attAttachRendData = 0x00069002
	attAttachTitle    = 0x00018010
	attAttachData     = 0x0006800F
	attAttachment     = 0x00069005
	attOemCodepage    = 0x00069007
)

// MAPI property tags used here.
const (
	prAttachLongFilename = 0x3707
	prAttachDataObj      = 0x3701
	prRTFCompressed      = 0x1009
)

// Handler receives what a TNEF stream holds.
type Handler struct {
	// Text receives subject, body and string properties, one per call.
	Text func(s string) error
	// Attachment receives each attachment's file name and data.
	Attachment func(name string, data []byte) error
	// RTF receives the decompressed RTF body.
	RTF func(rtf []byte) error
}

var errFormat = errors.New("malformed TNEF")

// Parse reads a whole TNEF stream.
func Parse(data []byte, h Handler) error {
	le := binary.LittleEndian
	if len(data) < 6 || le.Uint32(data) != Signature {
		return extract.Malformed("tnef", errFormat)
	}
	cs := charset.Lookup1252()
	p := 6
	var att *attachment
	flush := func() error {
		if att == nil || att.data == nil {
			att = nil
			return nil
		}
		name := att.longName
		if name == "" {
			name = att.title
		}
		a := att
		att = nil
		return h.Attachment(name, a.data)
	}
	for p < len(data) {
		if p+9 > len(data) {
			return extract.Malformed("tnef", errFormat)
		}
		id := le.Uint32(data[p+1:])
		n := int(le.Uint32(data[p+5:]))
		p += 9
		if n < 0 || p+n+2 > len(data) {
			return extract.Malformed("tnef", errFormat)
		}
		v := data[p : p+n]
		p += n + 2 // value and checksum
		var err error
		switch id {
		case attOemCodepage:
			if len(v) >= 4 && le.Uint32(v) == 932 {
				cs = charset.ShiftJIS
			}
		case attSubject, attBody:
			s, _ := charset.DecodeString(cs, trimNul(v))
			err = h.Text(s)
		case attAttachRendData:
			if err = flush(); err == nil {
				att = &attachment{}
			}
		case attAttachTitle:
			if att != nil {
				att.title, _ = charset.DecodeString(cs, trimNul(v))
			}
		case attAttachData:
			if att != nil {
				att.data = v
			}
		case attMAPIProps, attAttachment:
			err = props(v, cs, h, att)
		}
		if err != nil {
			return err
		}
	}
	return flush()
}

type attachment struct {
	title, longName string
	data            []byte
}

func trimNul(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}

// props walks a MAPI property list ([MS-OXTNEF] 2.1.3.4).
func props(b []byte, cs charset.Charset, h Handler, att *attachment) error {
	le := binary.LittleEndian
	r := &reader{b: b}
	count := r.u32()
	for i := uint32(0); i < count && r.ok(); i++ {
		typ := r.u16()
		id := r.u16()
		if id >= 0x8000 { // named property: GUID, kind, id or name
			r.skip(16)
			if r.u32() == 0 {
				r.skip(4)
			} else {
				r.skip(pad4(int(r.u32())))
			}
		}
		multi := typ&0x1000 != 0
		base := typ &^ 0x1000
		values := uint32(1)
		if multi {
			values = r.u32()
		}
		if size := fixedSize(base); size > 0 {
			r.skip(int(values) * size)
			continue
		}
		switch base {
		case 0x001E, 0x001F, 0x0102, 0x000D:
		default:
			return extract.Malformed("tnef", errors.New("unknown MAPI property type"))
		}
		if !multi {
			values = r.u32()
		}
		for k := uint32(0); k < values && r.ok(); k++ {
			n := int(r.u32())
			v := r.bytes(n)
			r.skip(pad4(n) - n)
			if !r.ok() {
				break
			}
			var err error
			switch {
			case base == 0x000D || id == prAttachDataObj && base != 0x0102:
				return extract.Malformed("tnef", errors.New("embedded object not supported"))
			case id == prAttachDataObj && att != nil:
				att.data = v
			case id == prRTFCompressed && base == 0x0102:
				var rtf []byte
				if rtf, err = decompressRTF(v); err == nil {
					err = h.RTF(rtf)
				}
			case base == 0x001F:
				u := make([]uint16, len(v)/2)
				for j := range u {
					u[j] = le.Uint16(v[2*j:])
				}
				s := string(utf16.Decode(u))
				if id == prAttachLongFilename && att != nil {
					att.longName = string(trimNul([]byte(s)))
				} else {
					err = h.Text(s)
				}
			case base == 0x001E:
				s, _ := charset.DecodeString(cs, trimNul(v))
				if id == prAttachLongFilename && att != nil {
					att.longName = s
				} else {
					err = h.Text(s)
				}
			}
			if err != nil {
				return err
			}
		}
	}
	if !r.ok() {
		return extract.Malformed("tnef", errFormat)
	}
	return nil
}

// fixedSize is the encoded size of fixed-length MAPI types (0: variable).
func fixedSize(t uint16) int {
	switch t {
	case 0x0001, 0x0002, 0x0003, 0x0004, 0x000A, 0x000B:
		return 4
	case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040:
		return 8
	case 0x0048:
		return 16
	}
	return 0
}

func pad4(n int) int { return (n + 3) &^ 3 }

type reader struct {
	b   []byte
	bad bool
}

func (r *reader) ok() bool { return !r.bad }

func (r *reader) bytes(n int) []byte {
	if r.bad || n < 0 || n > len(r.b) {
		r.bad = true
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) skip(n int) { r.bytes(n) }

func (r *reader) u16() uint16 {
	v := r.bytes(2)
	if v == nil {
		return 0
	}
	return binary.LittleEndian.Uint16(v)
}

func (r *reader) u32() uint32 {
	v := r.bytes(4)
	if v == nil {
		return 0
	}
	return binary.LittleEndian.Uint32(v)
}
