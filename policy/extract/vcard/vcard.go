// Package vcard turns vCard files (2.1, 3.0, 4.0) into a table, one row
// per card, because an exported address book is a customer list: the
// detectors decide personal data per table, from its column headers.
//
// Folded lines, quoted-printable values with soft line breaks, per
// property CHARSET parameters (Shift_JIS in phones' 2.1 exports) and
// backslash escapes are decoded. Binary properties (PHOTO, LOGO, SOUND,
// KEY) are skipped: they are images and keys, not text.
package vcard

import (
	"bufio"
	"bytes"
	"io"
	"mime/quotedprintable"
	"strings"
	"unicode/utf8"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/charset"
)

// Header is the header row written before the cards; Japanese names
// because the detectors know Japanese column headers best.
var header = []string{"氏名", "フリガナ", "電話番号", "メール", "住所", "生年月日", "会社", "備考"}

const (
	colName = iota
	colKana
	colTel
	colMail
	colAddr
	colBirth
	colOrg
	colNote
	nCols
)

// maxLine bounds one unfolded property line.
const maxLine = 4 << 20

// Extract reads vCards from r and writes one table.
func Extract(r io.Reader, sink extract.Sink, loc extract.Location) error {
	tw := sink.Table(loc)
	defer tw.Close()
	row := make([][]byte, nCols)
	hdr := make([][]byte, nCols)
	for i, h := range header {
		hdr[i] = []byte(h)
	}
	if err := tw.Row(hdr); err != nil {
		return err
	}
	var card [nCols][]string
	inCard := false
	err := lines(r, func(line []byte) error {
		name, params, value := split(line)
		switch name {
		case "BEGIN":
			inCard = true
			card = [nCols][]string{}
			return nil
		case "END":
			if !inCard {
				return nil
			}
			inCard = false
			for i := range row {
				row[i] = []byte(strings.Join(card[i], "; "))
			}
			return tw.Row(row)
		case "PHOTO", "LOGO", "KEY", "VERSION", "PRODID", "REV", "UID", "KIND", "CLASS", "SOURCE":
			// Binary data and bookkeeping, not text about the person.
			return nil
		case "SOUND":
			if !strings.Contains(params, "X-IRMC-N") { // a kana reading in 2.1 exports
				return nil
			}
		}
		v := decode(params, value)
		col := -1
		switch {
		case name == "FN":
			col = colName
		case name == "N":
			if len(card[colName]) > 0 {
				return nil // FN already gives the display name
			}
			col = colName
			v = strings.TrimSpace(strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == ';' }), " "))
		case name == "X-PHONETIC-LAST-NAME", name == "X-PHONETIC-FIRST-NAME", name == "SORT-STRING",
			name == "SOUND" && strings.Contains(params, "X-IRMC-N"), name == "X-FURIGANA":
			col = colKana
			v = strings.TrimSpace(strings.ReplaceAll(v, ";", " "))
		case name == "TEL":
			col = colTel
		case name == "EMAIL":
			col = colMail
		case name == "ADR", name == "LABEL":
			col = colAddr
			v = strings.TrimSpace(strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == ';' }), " "))
		case name == "BDAY":
			col = colBirth
		case name == "ORG", name == "TITLE":
			col = colOrg
		case name == "NOTE":
			col = colNote
		default:
			col = colNote
		}
		if v != "" && inCard {
			card[col] = append(card[col], v)
		}
		return nil
	})
	return err
}

// lines calls fn for each unfolded logical line.
func lines(r io.Reader, fn func([]byte) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var cur []byte
	qpSoft := false
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		err := fn(cur)
		cur = cur[:0]
		return err
	}
	for sc.Scan() {
		l := bytes.TrimRight(sc.Bytes(), "\r")
		switch {
		case qpSoft:
			// quoted-printable soft line break: the value continues.
			cur = append(cur, l...)
		case len(l) > 0 && (l[0] == ' ' || l[0] == '\t'):
			cur = append(cur, l[1:]...)
		default:
			if err := flush(); err != nil {
				return err
			}
			cur = append(cur, l...)
		}
		if len(cur) > maxLine {
			return &extract.LimitError{Limit: extract.LimitTokenSize}
		}
		qpSoft = bytes.HasSuffix(l, []byte("=")) && isQP(cur)
		if qpSoft {
			cur = cur[:len(cur)-1]
		}
	}
	if err := sc.Err(); err != nil {
		if err == bufio.ErrTooLong {
			return &extract.LimitError{Limit: extract.LimitTokenSize}
		}
		return err
	}
	return flush()
}

func isQP(line []byte) bool {
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		return false
	}
	return bytes.Contains(bytes.ToUpper(line[:colon]), []byte("QUOTED-PRINTABLE"))
}

// split separates "group.NAME;PARAMS:value".
func split(line []byte) (name, params string, value []byte) {
	colon := bytes.IndexByte(line, ':')
	if colon < 0 {
		return "", "", nil
	}
	head := string(line[:colon])
	value = line[colon+1:]
	name, params, _ = strings.Cut(head, ";")
	if dot := strings.LastIndexByte(name, '.'); dot >= 0 {
		name = name[dot+1:]
	}
	return strings.ToUpper(name), strings.ToUpper(params), value
}

// decode applies ENCODING and CHARSET parameters and vCard escapes.
func decode(params string, value []byte) string {
	if strings.Contains(params, "QUOTED-PRINTABLE") {
		if b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(value))); err == nil {
			value = b
		}
	}
	cs := charset.UTF8
	for _, p := range strings.Split(params, ";") {
		if k, v, ok := strings.Cut(p, "="); ok && k == "CHARSET" {
			if c, ok := charset.Lookup(v); ok {
				cs = c
			}
		}
	}
	if cs == charset.UTF8 && !utf8.Valid(value) {
		cs = charset.Detect(value)
		if !cs.Known() {
			cs = charset.ShiftJIS
		}
	}
	s, err := charset.DecodeString(cs, value)
	if err != nil {
		s = string(value)
	}
	r := strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`)
	return strings.TrimSpace(r.Replace(s))
}
