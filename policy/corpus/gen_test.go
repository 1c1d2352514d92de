package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
)

// Published values, not computed by this package.
func TestCheckDigitsAndDates(t *testing.T) {
	if got := myNumberCheck("12345678901"); got != 8 { // 123456789018, the example in 番号法 guides
		t.Errorf("my number check digit = %d, want 8", got)
	}
	if got := janCheck("490123456789"); got != 4 { // 4901234567894, GS1 Japan's example
		t.Errorf("JAN check digit = %d, want 4", got)
	}
	if got := luhnNumber(nil, "411111111111111", 16); got != "4111111111111111" { // the Visa test number
		t.Errorf("luhn = %s", got)
	}
	for _, c := range []struct{ y, m, d, want int }{{1975, 4, 12, 27496}, {2026, 11, 19, 46345}, {1900, 3, 1, 61}} {
		if got := excelSerial(c.y, c.m, c.d); got != c.want {
			t.Errorf("excel serial %d-%d-%d = %d, want %d", c.y, c.m, c.d, got, c.want)
		}
	}
	for _, c := range []struct {
		y, m, d int
		want    string
	}{{1989, 1, 7, "昭和64"}, {1989, 1, 8, "平成1"}, {2019, 4, 30, "平成31"}, {2019, 5, 1, "令和1"}, {1975, 4, 12, "昭和50"}} {
		e, n := era(c.y, c.m, c.d)
		if got := e.kanji + strconv.Itoa(n); got != c.want {
			t.Errorf("era %d-%d-%d = %s, want %s", c.y, c.m, c.d, got, c.want)
		}
	}
	if got := halfKana("ガッコウ パン"); got != "ｶﾞｯｺｳ ﾊﾟﾝ" {
		t.Errorf("halfKana = %q", got)
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := Generate(HeldOut, 42)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(HeldOut, 42)
	c, _ := Generate(HeldOut, 43)
	same := len(a) == len(b)
	differs := false
	for i := range a {
		same = same && bytes.Equal(a[i].Message, b[i].Message)
		differs = differs || i >= len(c) || !bytes.Equal(a[i].Message, c[i].Message)
	}
	if !same || !differs {
		t.Errorf("same seed identical: %v, other seed differs: %v", same, differs)
	}
}

// The held-out part must not share layouts, document kinds or body
// encodings with the tuning part, or it would not measure anything the
// tuning did not see.
func TestPartsShareNoVariants(t *testing.T) {
	seen := map[string]Part{}
	for _, p := range []Part{Tuning, HeldOut} {
		samples, err := Generate(p, 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range samples {
			for _, k := range []string{"layout " + s.Layout, "body " + s.Body} {
				if q, ok := seen[k]; ok && q != p {
					t.Errorf("%s in both parts", k)
				}
				seen[k] = p
			}
		}
	}
	for _, k := range []string{"layout postal-master", "layout postal-kenall", "layout renewal-letter", "body iso-2022-jp/7bit", "body iso-2022-jp/7bit-jis78"} {
		if _, ok := seen[k]; !ok {
			t.Errorf("no sample has %s", k)
		}
	}
}

// Every message is well-formed MIME whose parts decode, and every file
// in it opens the way a reader of its format would open it.
func TestMessagesAreWellFormed(t *testing.T) {
	for _, p := range []Part{Tuning, HeldOut} {
		samples, err := Generate(p, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range samples {
			if err := checkMessage(s); err != nil {
				t.Errorf("%s: %v", s.Name, err)
			}
		}
	}
}

func checkMessage(s Sample) error {
	m, err := mail.ReadMessage(bytes.NewReader(s.Message))
	if err != nil {
		return err
	}
	if _, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject")); err != nil && !strings.Contains(err.Error(), "unhandled charset") {
		return err
	}
	return checkPart(s, m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), "", m.Body)
}

func checkPart(s Sample, ctype, cte, disp string, body io.Reader) error {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			if err := checkPart(s, part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), part.Header.Get("Content-Disposition"), part); err != nil {
				return err
			}
		}
	}
	var data []byte
	switch cte {
	case "base64":
		data, err = io.ReadAll(base64.NewDecoder(base64.StdEncoding, body))
	case "quoted-printable":
		data, err = io.ReadAll(quotedprintable.NewReader(body))
	default:
		data, err = io.ReadAll(body)
	}
	if err != nil {
		return err
	}
	if strings.HasPrefix(mt, "text/") && disp == "" {
		return checkText(params["charset"], cte, data)
	}
	return checkFile(s, data)
}

// checkText decodes a body strictly (no replacement characters) and
// checks 7bit bodies are 7-bit.
func checkText(cs, cte string, data []byte) error {
	var dec *encoding.Decoder
	switch strings.ToLower(cs) {
	case "iso-2022-jp":
		dec = japanese.ISO2022JP.NewDecoder()
	case "shift_jis":
		dec = japanese.ShiftJIS.NewDecoder()
	case "euc-jp":
		dec = japanese.EUCJP.NewDecoder()
	default:
		dec = unicode.UTF8.NewDecoder()
	}
	if cte == "7bit" && bytes.ContainsFunc(data, func(r rune) bool { return r >= 0x80 }) {
		return errors.New("8-bit data in a 7bit part")
	}
	out, err := dec.Bytes(data)
	if err != nil {
		return err
	}
	if bytes.ContainsRune(out, '\uFFFD') {
		return errors.New(cs + " body does not decode cleanly")
	}
	return nil
}

func checkFile(s Sample, data []byte) error {
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return checkPDF(data)
	case bytes.HasPrefix(data, []byte("PK")):
		return checkZip(s, data)
	}
	return nil
}

var objRe = regexp.MustCompile(`^(\d+) 0 obj`)

// checkPDF follows the xref table: every offset must start its object.
func checkPDF(data []byte) error {
	i := bytes.LastIndex(data, []byte("startxref\n"))
	if i < 0 {
		return errors.New("pdf: no startxref")
	}
	off, err := strconv.Atoi(strings.Fields(string(data[i+10:]))[0])
	if err != nil || !bytes.HasPrefix(data[off:], []byte("xref\n")) {
		return errors.New("pdf: startxref does not point at the xref table")
	}
	lines := strings.Split(string(data[off:]), "\n")
	for n, l := range lines[3:] {
		if !strings.HasSuffix(l, " n ") {
			break
		}
		o, _ := strconv.Atoi(l[:10])
		m := objRe.FindSubmatch(data[o:])
		if m == nil || string(m[1]) != strconv.Itoa(n+1) {
			return errors.New("pdf: xref entry " + strconv.Itoa(n+1) + " is off")
		}
	}
	return nil
}

// checkZip opens an archive (or OOXML package): encrypted samples must
// have every entry flagged encrypted, others must read and their XML
// parts parse.
func checkZip(s Sample, data []byte) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	for _, f := range z.File {
		if s.Format == "zip-encrypted" {
			if f.Flags&1 == 0 {
				return errors.New("zip: entry not encrypted: " + f.Name)
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		switch {
		case strings.HasSuffix(f.Name, ".xml") || strings.HasSuffix(f.Name, ".rels"):
			d := xml.NewDecoder(bytes.NewReader(b))
			for {
				if _, err := d.Token(); errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					return errors.New(f.Name + ": " + err.Error())
				}
			}
		case bytes.HasPrefix(b, []byte("PK")):
			if err := checkZip(s, b); err != nil {
				return err
			}
		}
	}
	return nil
}
