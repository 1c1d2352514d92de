// Package markup extracts text from markup formats: HTML (tag-stripped,
// with tables as tables), generic XML (every text node) and RTF.
package markup

import (
	"bytes"
	"io"
	"strconv"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/xmltok"
)

// HTML reads UTF-8 HTML (html true) or XML (html false) from r. Text
// outside tables goes to one text stream; each table goes to its own
// table, one Row per <tr>. Script and style contents are dropped.
func HTML(r io.Reader, sink extract.Sink, loc extract.Location, html bool, maxToken int) error {
	h := &htmlState{sink: sink, loc: loc, html: html}
	err := h.run(xmltok.New(r, maxToken))
	if cerr := h.close(); err == nil {
		err = cerr
	}
	return err
}

type htmlState struct {
	sink   extract.Sink
	loc    extract.Location
	html   bool
	tw     extract.TextWriter
	skip   int
	text   []byte
	tables []*htmlTable
	n      int
	// titleInHead: inside <head>'s <title>, which is read although the
	// rest of <head> is skipped.
	titleInHead bool
	// pre counts open <pre>/<textarea>, whose white space is kept.
	pre     int
	scratch []byte
	// mailto is the address of the open <a href="mailto:…">, and
	// linkFrom where its text starts in h.text
	mailto   []byte
	linkFrom int
	// midLine: text was written since the last line break (h.text may
	// have been flushed, so its last byte cannot tell).
	midLine bool
}

type htmlTable struct {
	tw     extract.TableWriter
	cells  [][]byte
	n      int
	inCell bool
}

func (h *htmlState) run(s *xmltok.Scanner) error {
	for {
		k, err := s.Next()
		if err != nil {
			return err
		}
		switch k {
		case xmltok.EOF:
			return h.flush()
		case xmltok.Text:
			if h.skip > 0 {
				continue
			}
			txt := s.Text()
			if t := h.top(); t != nil && t.inCell {
				t.cells[t.n-1] = h.appendText(t.cells[t.n-1], txt, len(t.cells[t.n-1]) == 0)
				continue
			}
			n := len(h.text)
			h.text = h.appendText(h.text, txt, !h.midLine)
			if len(h.text) > n {
				h.midLine = h.text[len(h.text)-1] != '\n'
			}
			if len(h.text) > 32<<10 {
				if err := h.flush(); err != nil {
					return err
				}
			}
		case xmltok.StartTag:
			if h.html && h.skip == 0 && lower(s.Name()) == "a" && !s.SelfClosing() {
				h.startLink(s)
			}
			if err := h.start(s.Name(), s.SelfClosing()); err != nil {
				return err
			}
		case xmltok.EndTag:
			if err := h.end(s.Name()); err != nil {
				return err
			}
		}
	}
}

func lower(b []byte) string {
	if len(b) > 16 {
		return ""
	}
	var buf [16]byte
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return string(buf[:len(b)])
}

func (h *htmlState) start(name []byte, self bool) error {
	if !h.html {
		return nil
	}
	switch lower(name) {
	case "script", "style", "template", "head":
		if !self {
			h.skip++
		}
	case "pre", "textarea", "listing", "plaintext", "xmp":
		if !self {
			h.breakLine(name)
			h.pre++
		}
	case "title":
		// <title> sits in <head>; it is text people wrote.
		if h.skip > 0 && !self {
			h.skip--
			h.titleInHead = true
		}
	case "table":
		if self {
			return nil
		}
		h.n++
		loc := h.loc
		loc.Sheet = "table " + strconv.Itoa(h.n)
		h.tables = append(h.tables, &htmlTable{tw: h.sink.Table(loc)})
	case "tr":
		if t := h.top(); t != nil {
			if err := t.endRow(); err != nil {
				return err
			}
		}
	case "td", "th":
		if t := h.top(); t != nil {
			if t.n < len(t.cells) {
				t.cells[t.n] = t.cells[t.n][:0]
			} else {
				t.cells = append(t.cells, nil)
			}
			t.n++
			t.inCell = true
		}
	default:
		h.breakLine(name)
	}
	return nil
}

func (h *htmlState) end(name []byte) error {
	if !h.html {
		h.text = append(h.text, '\n')
		return nil
	}
	switch lower(name) {
	case "script", "style", "template", "head":
		if h.skip > 0 {
			h.skip--
		}
	case "pre", "textarea", "listing", "plaintext", "xmp":
		if h.pre > 0 {
			h.pre--
		}
		h.breakLine(name)
	case "title":
		if h.titleInHead {
			h.titleInHead = false
			h.newline()
			h.skip++
		}
	case "a":
		h.endLink()
	case "td", "th":
		if t := h.top(); t != nil {
			t.inCell = false
		}
	case "tr":
		if t := h.top(); t != nil {
			return t.endRow()
		}
	case "table":
		if t := h.top(); t != nil {
			h.tables = h.tables[:len(h.tables)-1]
			err := t.endRow()
			t.tw.Close()
			return err
		}
	default:
		h.breakLine(name)
	}
	return nil
}

// breakLine ends the current line at block-level elements, as a
// browser lays them out: the start and end of a block end a line that
// has text, but do not make blank lines of their own (an empty line
// comes from <br>, or a block holding only &nbsp;, as Outlook and Gmail
// write one). The detector reads a blank line as the end of a paragraph
// and groups a person's data by nearby lines, so a blank line between
// the items of a list would hide a list of customers.
func (h *htmlState) breakLine(name []byte) {
	switch n := lower(name); n {
	case "br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
		"dl", "dt", "dd", "blockquote", "pre", "section", "article", "header",
		"footer", "hr", "address", "caption", "tr", "table", "form", "fieldset",
		"main", "nav", "aside", "figure", "figcaption", "center", "textarea",
		"listing", "plaintext", "xmp":
		if t := h.top(); t != nil && t.inCell {
			t.cells[t.n-1] = append(t.cells[t.n-1], ' ')
			return
		}
		if n == "br" || h.midLine {
			h.newline()
		}
	}
}

// startLink notes the address of a mailto link: a mail client shows
// people's names as links (<a href="mailto:taro@gmail.com">山田様</a>),
// and the address is then only in the attribute.
func (h *htmlState) startLink(s *xmltok.Scanner) {
	h.mailto = h.mailto[:0]
	href, ok := s.Attr("href")
	if !ok || len(href) < 8 || !bytes.EqualFold(href[:7], []byte("mailto:")) {
		return
	}
	addr := href[7:]
	if q := bytes.IndexAny(addr, "?,;"); q >= 0 {
		addr = addr[:q]
	}
	if len(addr) > 254 {
		return
	}
	h.mailto = append(h.mailto, bytes.TrimSpace(addr)...)
	h.linkFrom = len(h.text)
}

// endLink writes the address of a mailto link after its text, unless
// the text shows it already (or went to a table cell, whose text is not
// tracked: then it is written too, at worst twice).
func (h *htmlState) endLink() {
	if len(h.mailto) == 0 {
		return
	}
	addr := h.mailto
	h.mailto = h.mailto[:0]
	if t := h.top(); t != nil && t.inCell {
		t.cells[t.n-1] = append(append(append(t.cells[t.n-1], ' '), addr...), ' ')
		return
	}
	if h.linkFrom <= len(h.text) && bytes.Contains(h.text[h.linkFrom:], addr) {
		return
	}
	if h.midLine {
		h.text = append(h.text, ' ')
	}
	h.text = append(append(h.text, addr...), ' ')
	h.midLine = true
}

// newline ends the current line.
func (h *htmlState) newline() {
	h.text = append(h.text, '\n')
	h.midLine = false
}

// appendText appends a text node to dst. In HTML, white space is kept
// inside <pre> and elsewhere collapsed as a browser does (a run of
// spaces, tabs and newlines is one space, none at the start of a line:
// source line breaks and indentation are not the text's lines); then
// entities are decoded, so that &nbsp; stays a space.
func (h *htmlState) appendText(dst, txt []byte, lineStart bool) []byte {
	if !h.html {
		return append(dst, txt...)
	}
	if h.pre == 0 {
		h.scratch = appendCollapsed(h.scratch[:0], txt, lineStart || endsWithSpace(dst))
		txt = h.scratch
	}
	if bytes.IndexByte(txt, '&') >= 0 {
		return appendEntities(dst, txt)
	}
	return append(dst, txt...)
}

func endsWithSpace(b []byte) bool { return len(b) > 0 && b[len(b)-1] == ' ' }

// appendCollapsed appends txt to dst with each run of HTML white space
// turned into one space, dropping a leading run when lineStart.
func appendCollapsed(dst, txt []byte, lineStart bool) []byte {
	space := lineStart
	for _, c := range txt {
		switch c {
		case ' ', '\t', '\n', '\r', '\f':
			if !space {
				dst = append(dst, ' ')
				space = true
			}
		default:
			dst = append(dst, c)
			space = false
		}
	}
	return dst
}

func (h *htmlState) top() *htmlTable {
	if len(h.tables) == 0 {
		return nil
	}
	return h.tables[len(h.tables)-1]
}

func (h *htmlState) flush() error {
	if len(bytes.TrimSpace(h.text)) == 0 {
		h.text = h.text[:0]
		return nil
	}
	if h.tw == nil {
		h.tw = h.sink.Text(h.loc)
	}
	_, err := h.tw.Write(h.text)
	h.text = h.text[:0]
	return err
}

func (h *htmlState) close() error {
	for _, t := range h.tables {
		t.endRow()
		t.tw.Close()
	}
	h.tables = nil
	err := h.flush()
	if h.tw != nil {
		if cerr := h.tw.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (t *htmlTable) endRow() error {
	n := t.n
	t.n = 0
	t.inCell = false
	if n == 0 {
		return nil
	}
	cells := t.cells[:n]
	for i := range cells {
		cells[i] = bytes.TrimSpace(cells[i])
	}
	return t.tw.Row(cells)
}

// entities are the named HTML entities that occur in mail; numeric
// references and the XML five are decoded by xmltok already.
var entities = map[string]string{
	"nbsp": " ", "yen": "¥", "copy": "©", "reg": "®", "middot": "·",
	"ndash": "–", "mdash": "—", "hellip": "…", "laquo": "«", "raquo": "»",
	"times": "×", "divide": "÷", "emsp": " ", "ensp": " ", "thinsp": " ",
	"zwnj": "", "zwj": "", "shy": "", "minus": "−", "bull": "•",
}

func appendEntities(dst, t []byte) []byte {
	for {
		i := bytes.IndexByte(t, '&')
		if i < 0 {
			return append(dst, t...)
		}
		dst = append(dst, t[:i]...)
		t = t[i:]
		semi := bytes.IndexByte(t, ';')
		if semi > 1 && semi < 10 {
			if v, ok := entities[string(bytes.ToLower(t[1:semi]))]; ok {
				dst = append(dst, v...)
				t = t[semi+1:]
				continue
			}
		}
		dst = append(dst, '&')
		t = t[1:]
	}
}
