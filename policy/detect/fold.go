package detect

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Byte-level folding. The scanners see raw UTF-8 and fold the few code
// points that matter as they go, so the common byte never leaves the
// fast loop. NFKC is used only on short strings (config, headers): it
// also turns ① into 1, which must not happen inside the scanners.

// digitAt reports the value of the digit at b[i] (ASCII or full-width)
// and its byte length, or size 0.
func digitAt(b []byte, i int) (v byte, size int) {
	c := b[i]
	if c-'0' <= 9 {
		return c - '0', 1
	}
	if c == 0xEF && i+2 < len(b) && b[i+1] == 0xBC && b[i+2]-0x90 <= 9 {
		return b[i+2] - 0x90, 3
	}
	return 0, 0
}

// hyphenAt reports the byte length of a hyphen variant at b[i], or 0:
// - ‐ ‑ ‒ – — ― − ー － ｰ.
func hyphenAt(b []byte, i int) int {
	c := b[i]
	if c == '-' {
		return 1
	}
	if i+2 >= len(b) {
		return 0
	}
	c1, c2 := b[i+1], b[i+2]
	switch c {
	case 0xE2:
		if c1 == 0x80 && c2 >= 0x90 && c2 <= 0x95 { // U+2010..U+2015
			return 3
		}
		if c1 == 0x88 && c2 == 0x92 { // U+2212 minus
			return 3
		}
	case 0xE3:
		if c1 == 0x83 && c2 == 0xBC { // U+30FC prolonged sound mark
			return 3
		}
	case 0xEF:
		if c1 == 0xBC && c2 == 0x8D { // U+FF0D
			return 3
		}
		if c1 == 0xBD && c2 == 0xB0 { // U+FF70
			return 3
		}
	}
	return 0
}

// asciiAt folds the character at b[i] to printable ASCII when it is ASCII
// or a full-width form (U+FF01..U+FF5E), returning 0 and the rune length
// otherwise. Hyphen variants fold to '-'.
func asciiAt(b []byte, i int) (c byte, size int) {
	c = b[i]
	if c < 0x80 {
		return c, 1
	}
	if n := hyphenAt(b, i); n > 0 {
		return '-', n
	}
	if c == 0xEF && i+2 < len(b) {
		c1, c2 := b[i+1], b[i+2]
		if c1 == 0xBC && c2 >= 0x81 { // U+FF01..U+FF3F
			return c2 - 0x81 + 0x21, 3
		}
		if c1 == 0xBD && c2 >= 0x80 && c2 <= 0x9E { // U+FF40..U+FF5E
			return c2 - 0x80 + 0x60, 3
		}
	}
	return 0, runeLen(c)
}

// runeLen is the byte length of a UTF-8 sequence from its lead byte; a
// stray continuation byte counts as one.
func runeLen(c byte) int {
	switch {
	case c < 0xC0:
		return 1
	case c < 0xE0:
		return 2
	case c < 0xF0:
		return 3
	default:
		return 4
	}
}

// lastRuneStart returns the start of the rune ending just before i.
func lastRuneStart(b []byte, i int) int {
	j := i - 1
	for j > 0 && i-j < 4 && b[j]&0xC0 == 0x80 {
		j--
	}
	return j
}

// foldString normalises a short string (config values, headers): NFKC,
// hyphen variants to '-', spaces removed.
func foldString(s string) string {
	s = norm.NFKC.String(s)
	var sb strings.Builder
	b := []byte(s)
	for i := 0; i < len(b); {
		// ー is a hyphen only after a digit (０９０ー…); in カード it is
		// part of the word
		if n := hyphenAt(b, i); n > 0 && (n == 1 || string(b[i:i+n]) != "ー" || (i > 0 && b[i-1]-'0' <= 9)) {
			sb.WriteByte('-')
			i += n
			continue
		}
		if b[i] == ' ' || b[i] == '\t' {
			i++
			continue
		}
		sb.WriteByte(b[i])
		i++
	}
	return sb.String()
}

// digitsOf returns the digits of s, folded to ASCII.
func digitsOf(s string) []byte {
	b := []byte(s)
	var out []byte
	for i := 0; i < len(b); {
		if v, n := digitAt(b, i); n > 0 {
			out = append(out, '0'+v)
			i += n
			continue
		}
		i++
	}
	return out
}

// lowerASCII lowercases ASCII letters in place and returns b.
func lowerASCII(b []byte) []byte {
	for i, c := range b {
		if c-'A' < 26 {
			b[i] = c + 32
		}
	}
	return b
}

// isKatakana reports whether r is a katakana letter or the prolonged
// sound mark (full or half width).
func isKatakana(r rune) bool {
	return (r >= 0x30A1 && r <= 0x30FA) || r == 0x30FC || (r >= 0xFF66 && r <= 0xFF9F)
}

// isKanji reports whether r is a CJK unified ideograph or 々.
func isKanji(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) || r == 0x3005 || (r >= 0xF900 && r <= 0xFAFF)
}

// isHiragana reports whether r is a hiragana letter.
func isHiragana(r rune) bool { return r >= 0x3041 && r <= 0x3096 }

// decodeRune is utf8.DecodeRune with the three-byte case (kana, kanji)
// inlined; invalid input decodes as in utf8.
func decodeRune(b []byte) (rune, int) {
	if len(b) >= 3 && b[0]&0xF0 == 0xE0 && b[1]&0xC0 == 0x80 && b[2]&0xC0 == 0x80 {
		r := rune(b[0]&0x0F)<<12 | rune(b[1]&0x3F)<<6 | rune(b[2]&0x3F)
		if r >= 0x800 && (r < 0xD800 || r > 0xDFFF) {
			return r, 3
		}
	}
	if len(b) > 0 && b[0] < 0x80 {
		return rune(b[0]), 1
	}
	return utf8.DecodeRune(b)
}
