package charset

import (
	"bytes"
	"unicode/utf8"
)

// Detect guesses the charset of undeclared text from a prefix of it (a few
// kilobytes are enough; more costs time). It returns Unknown for data that
// looks binary.
func Detect(p []byte) Charset {
	switch {
	case bytes.HasPrefix(p, []byte{0xEF, 0xBB, 0xBF}):
		return UTF8
	case bytes.HasPrefix(p, []byte{0xFF, 0xFE}):
		return UTF16LE
	case bytes.HasPrefix(p, []byte{0xFE, 0xFF}):
		return UTF16BE
	}
	if c, ok := detectUTF16(p); ok {
		return c
	}
	if bytes.IndexByte(p, 0) >= 0 {
		return Unknown
	}
	if bytes.Contains(p, []byte("\x1b$B")) || bytes.Contains(p, []byte("\x1b$@")) || bytes.Contains(p, []byte("\x1b(J")) ||
		bytes.Contains(p, []byte("\x1b$(")) || bytes.Contains(p, []byte("\x1b(I")) {
		return ISO2022JP
	}
	if validUTF8Prefix(p) {
		if controlShare(p) > 0.05 {
			return Unknown
		}
		return UTF8
	}
	sj := scoreShiftJIS(p)
	eu := scoreEUCJP(p)
	if sj < 0 && eu < 0 {
		return Unknown
	}
	if eu > sj {
		return EUCJP
	}
	return ShiftJIS
}

// validUTF8Prefix is utf8.Valid that tolerates a sequence cut at the end.
func validUTF8Prefix(p []byte) bool {
	if utf8.Valid(p) {
		return true
	}
	for cut := 1; cut <= 3 && cut < len(p); cut++ {
		if utf8.Valid(p[:len(p)-cut]) {
			// Only acceptable if the cut part starts a multi-byte sequence.
			return !utf8.FullRune(p[len(p)-cut:])
		}
	}
	return false
}

// controlShare is the share of C0 control bytes other than tab, CR, LF, FF
// and ESC: high in binary data, near zero in text.
func controlShare(p []byte) float64 {
	if len(p) == 0 {
		return 0
	}
	n := 0
	for _, b := range p {
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != 0x1b {
			n++
		}
	}
	return float64(n) / float64(len(p))
}

// detectUTF16 recognises BOM-less UTF-16 by zero bytes: ASCII and many
// CJK-free texts put a zero in every other byte.
func detectUTF16(p []byte) (Charset, bool) {
	if len(p) < 8 {
		return Unknown, false
	}
	n := len(p) &^ 1
	var even, odd int
	for i := 0; i < n; i += 2 {
		if p[i] == 0 {
			even++
		}
		if p[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd > pairs*4/10 && even < pairs/20:
		return UTF16LE, true
	case even > pairs*4/10 && odd < pairs/20:
		return UTF16BE, true
	}
	return Unknown, false
}

// scoreShiftJIS counts valid double-byte and half-width kana characters;
// -1 when an invalid sequence (other than at the very end) appears.
func scoreShiftJIS(p []byte) int {
	score := 0
	for i := 0; i < len(p); i++ {
		b := p[i]
		switch {
		case b < 0x80:
		case b >= 0xA1 && b <= 0xDF: // half-width katakana
			score++
		case (b >= 0x81 && b <= 0x9F) || (b >= 0xE0 && b <= 0xFC):
			if i+1 >= len(p) {
				return score
			}
			t := p[i+1]
			if t < 0x40 || t == 0x7F || t > 0xFC {
				return -1
			}
			score += 2
			i++
		default:
			return -1
		}
	}
	return score
}

// scoreEUCJP counts valid EUC-JP multi-byte characters; -1 on invalid input.
func scoreEUCJP(p []byte) int {
	score := 0
	for i := 0; i < len(p); i++ {
		b := p[i]
		switch {
		case b < 0x80:
		case b == 0x8E: // half-width katakana
			if i+1 >= len(p) {
				return score
			}
			if p[i+1] < 0xA1 || p[i+1] > 0xDF {
				return -1
			}
			score++
			i++
		case b == 0x8F: // JIS X 0212
			if i+2 >= len(p) {
				return score
			}
			if p[i+1] < 0xA1 || p[i+2] < 0xA1 || p[i+1] == 0xFF || p[i+2] == 0xFF {
				return -1
			}
			score += 2
			i += 2
		case b >= 0xA1 && b <= 0xFE:
			if i+1 >= len(p) {
				return score
			}
			if p[i+1] < 0xA1 || p[i+1] == 0xFF {
				return -1
			}
			score += 2
			i++
		default:
			return -1
		}
	}
	return score
}
