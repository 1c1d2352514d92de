package charset

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// sjisTable maps a Shift_JIS (CP932) double-byte code, indexed by
// (lead-0x80)<<8 | trail, to its UTF-8 bytes packed little-endian in the
// low 24 bits and their count in the top byte; 0 means invalid. It is
// derived once from golang.org/x/text's decoder, so the mapping is the
// same, and is read-only afterwards.
var sjisTable = sync.OnceValue(func() *[0x80 << 8]uint32 {
	t := new([0x80 << 8]uint32)
	dec := japanese.ShiftJIS.NewDecoder()
	var out [8]byte
	// Single bytes 0x80-0xFF that x/text decodes on their own (0x80,
	// 0xA0, 0xFD-0xFF and half-width katakana) live in row 0 of the table.
	for b := 0x80; b <= 0xFF; b++ {
		dec.Reset()
		n, m, err := dec.Transform(out[:], []byte{byte(b), 'a'}, true)
		if err != nil || m != 2 || n < 2 || out[n-1] != 'a' {
			continue
		}
		r, size := utf8.DecodeRune(out[:n-1])
		if r == utf8.RuneError || size != n-1 {
			continue
		}
		var v uint32
		for i := size - 1; i >= 0; i-- {
			v = v<<8 | uint32(out[i])
		}
		t[b] = v | uint32(size)<<24
	}
	for lead := 0x81; lead <= 0xFC; lead++ {
		if lead >= 0xA0 && lead <= 0xDF {
			continue
		}
		for trail := 0x40; trail <= 0xFC; trail++ {
			if trail == 0x7F {
				continue
			}
			dec.Reset()
			n, m, err := dec.Transform(out[:], []byte{byte(lead), byte(trail)}, true)
			if err != nil || m != 2 {
				continue
			}
			r, size := utf8.DecodeRune(out[:n])
			if r == utf8.RuneError || size != n || n > 3 {
				continue
			}
			var v uint32
			for i := n - 1; i >= 0; i-- {
				v = v<<8 | uint32(out[i])
			}
			t[(lead-0x80)<<8|trail] = v | uint32(n)<<24
		}
	}
	return t
})

// sjisDecoder is a table-driven Shift_JIS decoder, about three times
// faster than x/text's on Japanese CSV (see BenchmarkShiftJISDecode), with
// the same output. Invalid sequences become U+FFFD.
type sjisDecoder struct {
	t *[0x80 << 8]uint32
}

func newSJISDecoder() transform.Transformer { return sjisDecoder{t: sjisTable()} }

func (sjisDecoder) Reset() {}

// Transform implements transform.Transformer.
func (d sjisDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	t := d.t
	for nSrc < len(src) {
		c := src[nSrc]
		if c < 0x80 {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = c
			nDst++
			nSrc++
			continue
		}
		if nDst+3 > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		if v := t[c]; v != 0 {
			// A single-byte character (half-width katakana and the few
			// other bytes CP932 maps alone).
			n := int(v >> 24)
			dst[nDst] = byte(v)
			if n > 1 {
				dst[nDst+1] = byte(v >> 8)
			}
			if n > 2 {
				dst[nDst+2] = byte(v >> 16)
			}
			nDst += n
			nSrc++
			continue
		}
		if nSrc+1 >= len(src) {
			if !atEOF {
				return nDst, nSrc, transform.ErrShortSrc
			}
			nDst += copy(dst[nDst:], "\uFFFD")
			nSrc++
			continue
		}
		trail := src[nSrc+1]
		v := t[int(c-0x80)<<8|int(trail)]
		if v == 0 {
			// As x/text: an ASCII-range trail byte is left for the next
			// round, any other unmapped pair is consumed whole.
			nDst += copy(dst[nDst:], "\uFFFD")
			nSrc += 2
			if trail < 0x40 || trail == 0x7F || !isLead(c) {
				nSrc--
			}
			continue
		}
		n := int(v >> 24)
		dst[nDst] = byte(v)
		if n > 1 {
			dst[nDst+1] = byte(v >> 8)
		}
		if n > 2 {
			dst[nDst+2] = byte(v >> 16)
		}
		nDst += n
		nSrc += 2
	}
	return nDst, nSrc, nil
}

func isLead(c byte) bool { return (c >= 0x81 && c <= 0x9F) || (c >= 0xE0 && c <= 0xFC) }
