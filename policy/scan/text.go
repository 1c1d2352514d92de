package scan

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/okuri/okuri/policy/extract/charset"
	"github.com/okuri/okuri/policy/extract/delim"
	"github.com/okuri/okuri/policy/extract/jsontext"
	"github.com/okuri/okuri/policy/extract/markup"
)

// maxInvalidShare is the share of undecodable characters above which the
// charset is judged wrong and the text unscannable: a few stray bytes are
// normal in exported files, a tenth of the text is not.
const maxInvalidShare = 0.02

// chooseCharset returns the declared charset if okuri knows it, otherwise
// one detected from the head of the content.
func chooseCharset(declared string, head []byte) (charset.Charset, error) {
	if declared != "" {
		c, ok := charset.Lookup(declared)
		if !ok {
			return charset.Unknown, unscannable("unknown charset %q", printable(declared))
		}
		// A UTF-16 file with a BOM wins over a (wrong) declaration, and
		// so does detection when "us-ascii"/"utf-8" text is not UTF-8 at
		// all (mailers label Shift_JIS attachments that way).
		if d := charset.Detect(head[:min(len(head), 4)]); (d == charset.UTF16LE || d == charset.UTF16BE) && c != d {
			return d, nil
		}
		// 8-bit text labelled ISO-2022-JP (a 7-bit charset) and without
		// its escapes is in some other Japanese charset.
		if c == charset.ISO2022JP && !bytes.Contains(head, []byte{0x1b}) && hasHigh(head) {
			if d := charset.Detect(head); d.Known() {
				return d, nil
			}
		}
		if c == charset.UTF8 && !utf8.Valid(head[:max(0, len(head)-3)]) {
			if d := charset.Detect(head); d.Known() {
				return d, nil
			}
		}
		return c, nil
	}
	c := charset.Detect(head)
	if !c.Known() {
		return c, unscannable("unsupported binary format")
	}
	return c, nil
}

// hasHigh reports whether p has a byte above 0x7F.
func hasHigh(p []byte) bool {
	for _, b := range p {
		if b >= 0x80 {
			return true
		}
	}
	return false
}

// printable keeps a label (charset name) short and ASCII for reasons.
func printable(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r < 0x20 || r > 0x7E || b.Len() >= 40 {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// text scans a text-like file: plain text, CSV/TSV, HTML, XML.
func (r *run) text(f *file, kind format, head []byte) error {
	c, err := chooseCharset(f.charset, head)
	if err != nil {
		return err
	}
	if kind == fmtJSON {
		tw := r.sink.Text(f.loc)
		err := jsontext.Extract(charset.NewReader(c, r.reader(f)), tw)
		tw.Close()
		if !errors.Is(err, jsontext.ErrNotJSON) {
			return err
		}
		// Not JSON after all: scan the bytes as plain text (what was
		// already written is valid text too).
		kind = fmtText
	}
	var consumer io.Writer
	var closer func() error
	switch kind {
	case fmtCSV, fmtTSV:
		sep := byte(',')
		if kind == fmtTSV {
			sep = '\t'
		}
		if s, ok := delim.Sniff(utf8Head(c, head)); ok {
			sep = s
		}
		sp := delim.NewSplitter(sep, r.sink.Table(f.loc))
		consumer, closer = sp, sp.Close
	case fmtHTML, fmtXML:
		return markup.HTML(charset.NewReader(c, r.reader(f)), r.sink, f.loc, kind == fmtHTML, r.lim.MaxTokenBytes)
	default:
		// Undeclared text that is plainly a table is scanned as one:
		// column headers are what tells a customer list from prose.
		if s, ok := delim.Sniff(utf8Head(c, head)); ok && f.name != "" {
			sp := delim.NewSplitter(s, r.sink.Table(f.loc))
			consumer, closer = sp, sp.Close
		} else {
			tw := r.sink.Text(f.loc)
			consumer, closer = tw, tw.Close
		}
	}
	cw := charset.NewWriter(c, consumer)
	_, err = io.CopyBuffer(cw, r.reader(f), make([]byte, bufSize(f.size)))
	if err == nil {
		err = cw.Close()
	}
	if cerr := closer(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if bad, total := cw.Invalid(); bad > 16 && float64(bad*3) > maxInvalidShare*float64(total) {
		return unscannable("text does not decode as %s", c.Name)
	}
	if kind == fmtText && !strings.HasPrefix(c.Name, "utf-16") {
		return r.uuencoded(f)
	}
	return nil
}

// utf8Head decodes the head of a file for sniffing the CSV separator.
func utf8Head(c charset.Charset, head []byte) []byte {
	var b strings.Builder
	w := charset.NewWriter(c, &b)
	w.Write(head)
	return []byte(b.String())
}

// rtf scans an RTF document as text.
func (r *run) rtf(f *file) error {
	tw := r.sink.Text(f.loc)
	err := markup.RTF(r.reader(f), tw)
	if cerr := tw.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, markup.ErrEmbeddedObject) {
		return unscannable("RTF embeds an object that is not scanned")
	}
	return err
}

// bufSize is the size of a read buffer for a file of size bytes: 64 KiB
// for large files, no more than the file for small ones (a 4 KB mail body
// needs no 64 KiB buffer, and every message has one).
func bufSize(size int64) int {
	return int(max(min(size+1, 64<<10), 512))
}
