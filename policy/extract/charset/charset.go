package charset

import (
	"strings"

	"golang.org/x/text/transform"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// Charset is a character set okuri can decode to UTF-8.
type Charset struct {
	// Name is the canonical lower-case name ("utf-8", "shift_jis", …).
	Name string
	enc  encoding.Encoding // nil for UTF-8 (no transformation needed)
}

// Well-known charsets.
var (
	Unknown    = Charset{}
	UTF8       = Charset{Name: "utf-8"}
	UTF16LE    = Charset{Name: "utf-16le", enc: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)}
	UTF16BE    = Charset{Name: "utf-16be", enc: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)}
	ShiftJIS   = Charset{Name: "shift_jis", enc: japanese.ShiftJIS}
	EUCJP      = Charset{Name: "euc-jp", enc: japanese.EUCJP}
	ISO2022JP  = Charset{Name: "iso-2022-jp", enc: japanese.ISO2022JP}
	utf16BOM   = Charset{Name: "utf-16", enc: unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)}
	windows932 = ShiftJIS
)

// Known reports whether c is a charset (not Unknown).
func (c Charset) Known() bool { return c.Name != "" }

// Lookup returns the charset for a MIME or HTML label. Labels are matched
// case-insensitively; Japanese aliases (cp932, windows-31j, x-sjis, ms_kanji,
// iso-2022-jp-2/-3 …) are mapped to the decoders okuri has.
func Lookup(label string) (Charset, bool) {
	l := strings.ToLower(strings.TrimSpace(strings.Trim(label, `"'`)))
	switch l {
	case "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "unicode-1-1-utf-8":
		return UTF8, true
	case "shift_jis", "shift-jis", "sjis", "x-sjis", "cp932", "windows-31j", "ms932", "ms_kanji", "csshiftjis", "x-ms-cp932", "ibm-943":
		return windows932, true
	case "euc-jp", "eucjp", "x-euc-jp", "cseucpkdfmtjapanese", "euc-jis-2004", "eucjp-win", "eucjp-ms":
		return EUCJP, true
	case "iso-2022-jp", "iso-2022-jp-1", "iso-2022-jp-2", "iso-2022-jp-3", "iso-2022-jp-2004", "csiso2022jp", "iso-2022-jp-ms":
		return ISO2022JP, true
	case "utf-16le":
		return UTF16LE, true
	case "utf-16be":
		return UTF16BE, true
	case "utf-16", "ucs-2", "unicode":
		return utf16BOM, true
	}
	enc, err := htmlindex.Get(l)
	if err != nil || enc == nil {
		return Unknown, false
	}
	if enc == encoding.Replacement {
		// WHATWG maps some dangerous labels (iso-2022-kr, hz-gb-2312) to the
		// replacement encoding; that would turn everything into U+FFFD.
		return Unknown, false
	}
	name, _ := htmlindex.Name(enc)
	if name == "utf-8" {
		return UTF8, true
	}
	return Charset{Name: name, enc: enc}, true
}

// Lookup1252 returns windows-1252, the default code page of RTF.
func Lookup1252() Charset {
	c, _ := Lookup("windows-1252")
	return c
}

// decoder returns a fresh decoder for c (c must not be UTF-8).
func (c Charset) decoder() transform.Transformer {
	switch c.Name {
	case ShiftJIS.Name:
		return newSJISDecoder()
	case ISO2022JP.Name:
		return newISO2022JPDecoder()
	}
	return c.enc.NewDecoder()
}
