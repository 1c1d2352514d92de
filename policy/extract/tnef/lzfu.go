package tnef

import (
	"encoding/binary"
	"errors"

	"github.com/okuri/okuri/policy/extract"
)

// lzfuPrebuf initialises the LZFu dictionary ([MS-OXRTFCP] 2.1.2.1).
const lzfuPrebuf = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

// maxRTF bounds the decompressed RTF body.
const maxRTF = 64 << 20

// decompressRTF decodes PR_RTF_COMPRESSED.
func decompressRTF(b []byte) ([]byte, error) {
	le := binary.LittleEndian
	if len(b) < 16 {
		return nil, extract.Malformed("compressed rtf", nil)
	}
	raw := int(le.Uint32(b[4:]))
	typ := le.Uint32(b[8:])
	body := b[16:]
	switch typ {
	case 0x414C454D: // "MELA": stored uncompressed
		return body[:min(raw, len(body))], nil
	case 0x75465A4C: // "LZFu"
	default:
		return nil, extract.Malformed("compressed rtf", errors.New("unknown type"))
	}
	if raw > maxRTF {
		return nil, &extract.LimitError{Limit: extract.LimitTokenSize}
	}
	var dict [4096]byte
	copy(dict[:], lzfuPrebuf)
	wp := len(lzfuPrebuf)
	out := make([]byte, 0, raw)
	for i := 0; i < len(body); {
		ctrl := body[i]
		i++
		for bit := 0; bit < 8; bit++ {
			if i >= len(body) {
				return out, nil
			}
			if ctrl&(1<<bit) == 0 {
				c := body[i]
				i++
				out = append(out, c)
				dict[wp] = c
				wp = (wp + 1) & 4095
			} else {
				if i+1 >= len(body) {
					return out, nil
				}
				ref := int(body[i])<<8 | int(body[i+1])
				i += 2
				off, n := ref>>4, ref&15+2
				if off == wp {
					return out, nil
				}
				for k := 0; k < n; k++ {
					c := dict[(off+k)&4095]
					out = append(out, c)
					dict[wp] = c
					wp = (wp + 1) & 4095
				}
			}
			if len(out) > maxRTF {
				return nil, &extract.LimitError{Limit: extract.LimitTokenSize}
			}
		}
	}
	return out, nil
}
