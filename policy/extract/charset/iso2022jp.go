package charset

import (
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// ISO-2022-JP (RFC 1468) as mailers really write it, decoded the way
// Windows does (CP50220/CP50221, what Outlook emits):
//
//   - ESC ( B ASCII, ESC ( J JIS X 0201 Roman, ESC ( I and SO/SI
//     half-width katakana, 8-bit bytes 0xA1-0xDF as half-width katakana;
//   - ESC $ @ (JIS C 6226-1978), ESC $ B, ESC & @ ESC $ B (JIS X
//     0208-1990), ESC $ ( Q / ESC $ ( O (JIS X 0213 plane 1, decoded as
//     its JIS X 0208 subset) and ESC $ ( D (JIS X 0212);
//   - JIS X 0208 through the CP932 table: NEC row 13 (①, ㈱, №), the
//     NEC-selected IBM extensions (rows 89-92) and the Windows mappings
//     (0x2141 → U+FF5E ～, 0x215D → U+FF0D －).
//
// golang.org/x/text's decoder misreads a line break or space inside a
// double-byte run (it takes CR LF as one invalid character and loses the
// LF) and knows neither SO/SI nor ESC $ ( Q.

// iso2022 decoding modes.
const (
	modeASCII = iota
	modeKana
	modeJIS0208
	modeJIS0212
)

// jis0212Table maps a JIS X 0212 code ((row-0x21)*94 + col-0x21) to a rune
// (0: unmapped), derived once from x/text's EUC-JP decoder.
var jis0212Table = sync.OnceValue(func() *[94 * 94]rune {
	t := new([94 * 94]rune)
	dec := japanese.EUCJP.NewDecoder()
	var out [8]byte
	for i := range t {
		dec.Reset()
		in := []byte{0x8F, byte(i/94 + 0xA1), byte(i%94 + 0xA1)}
		n, m, err := dec.Transform(out[:], in, true)
		if err != nil || m != 3 {
			continue
		}
		if r, size := utf8.DecodeRune(out[:n]); r != utf8.RuneError && size == n {
			t[i] = r
		}
	}
	return t
})

// iso2022Decoder is a transform.Transformer for ISO-2022-JP.
type iso2022Decoder struct {
	mode  int
	shift bool // SO seen: half-width katakana until SI
	sjis  *[0x80 << 8]uint32
}

func newISO2022JPDecoder() transform.Transformer {
	return &iso2022Decoder{sjis: sjisTable()}
}

// Reset implements transform.Transformer.
func (d *iso2022Decoder) Reset() { d.mode, d.shift = modeASCII, false }

// Transform implements transform.Transformer.
func (d *iso2022Decoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		if nDst+utf8.UTFMax > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		c := src[nSrc]
		var r rune
		size := 1
		switch {
		case c == 0x1B:
			n, ok := d.escape(src[nSrc:], atEOF)
			if n == 0 {
				return nDst, nSrc, transform.ErrShortSrc
			}
			if ok {
				nSrc += n
				continue
			}
			r, size = utf8.RuneError, n
		case c == 0x0E:
			d.shift = true
			nSrc++
			continue
		case c == 0x0F:
			d.shift = false
			nSrc++
			continue
		case c == '\r' || c == '\n':
			// A line break ends a double-byte run even when the sender
			// forgot ESC ( B.
			d.mode, d.shift = modeASCII, false
			r = rune(c)
		case c >= 0xA1 && c <= 0xDF:
			r = rune(c) - 0xA1 + 0xFF61 // 8-bit half-width katakana
		case c >= 0x80:
			r = utf8.RuneError
		case c < 0x21 || c == 0x7F:
			r = rune(c) // controls and space, in any mode
		case d.shift || d.mode == modeKana:
			r = kana(c)
		case d.mode == modeASCII:
			r = rune(c)
		default:
			if nSrc+1 >= len(src) {
				if !atEOF {
					return nDst, nSrc, transform.ErrShortSrc
				}
				r = utf8.RuneError
				break
			}
			r, size = d.double(c, src[nSrc+1])
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc += size
	}
	return nDst, nSrc, nil
}

// kana decodes a 7-bit half-width katakana byte.
func kana(c byte) rune {
	if c > 0x5F {
		return utf8.RuneError
	}
	return rune(c) - 0x21 + 0xFF61
}

// double decodes the two-byte character c1 c2 in the current mode. A
// second byte that is not graphic is left for the next round.
func (d *iso2022Decoder) double(c1, c2 byte) (rune, int) {
	if c2 < 0x21 || c2 > 0x7E {
		return utf8.RuneError, 1
	}
	if d.mode == modeJIS0212 {
		if r := jis0212Table()[int(c1-0x21)*94+int(c2-0x21)]; r != 0 {
			return r, 2
		}
		return utf8.RuneError, 2
	}
	// JIS row/cell to Shift_JIS, then the CP932 table.
	s1 := (int(c1)+1)>>1 + 0x70
	if c1 >= 0x5F {
		s1 += 0x40
	}
	s2 := int(c2) + 0x7E
	if c1&1 == 1 {
		s2 = int(c2) + 0x1F
		if c2 >= 0x60 {
			s2++
		}
	}
	v := d.sjis[(s1-0x80)<<8|s2]
	if v == 0 || v>>24 > 3 {
		return utf8.RuneError, 2
	}
	var b [3]byte
	n := int(v >> 24)
	for i := 0; i < n; i++ {
		b[i] = byte(v >> (8 * i))
	}
	r, _ := utf8.DecodeRune(b[:n])
	return r, 2
}

// escape interprets the escape sequence at the start of p. It returns the
// bytes consumed (0: need more input) and whether the sequence was known;
// an unknown one consumes the ESC alone.
func (d *iso2022Decoder) escape(p []byte, atEOF bool) (int, bool) {
	need := 3
	if len(p) >= 3 && p[1] == '$' && p[2] == '(' {
		need = 4
	}
	if len(p) < need {
		if !atEOF {
			return 0, false
		}
		return 1, false
	}
	switch string(p[1:3]) {
	case "(B", "(J", "(H":
		d.mode = modeASCII
	case "(I":
		d.mode = modeKana
	case "$@", "$B":
		d.mode = modeJIS0208
	case "&@":
		// Announces JIS X 0208-1990; ESC $ B follows.
	case "$(":
		switch p[3] {
		case 'B', '@', 'Q', 'O':
			d.mode = modeJIS0208
		case 'D':
			d.mode = modeJIS0212
		default:
			return 1, false
		}
		return 4, true
	default:
		return 1, false
	}
	return 3, true
}
