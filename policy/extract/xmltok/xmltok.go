// Package xmltok is a streaming XML tag scanner for the office formats.
//
// encoding/xml builds a token per attribute and copies every name and
// value; okuri only needs element names, a few attributes and text, so this
// scanner slices its read buffer instead (roughly ten times faster). It is
// not a validating parser: it accepts what Office and LibreOffice write and
// degrades gracefully on anything else.
//
// Security: document type declarations that declare entities are refused
// with a LimitError ("xml_entities"), so there is no entity expansion of
// any kind; only the five predefined entities and character references are
// decoded. Tokens larger than the configured maximum fail with a LimitError
// instead of growing the buffer without bound.
package xmltok

import (
	"bytes"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/okuri/okuri/policy/extract"
)

// Kind is the type of a token.
type Kind int

// Token kinds.
const (
	EOF Kind = iota
	StartTag
	EndTag
	Text
)

// Scanner reads tokens from an XML stream. Byte slices it returns are valid
// until the next call to Next.
type Scanner struct {
	rd        io.Reader
	buf       []byte
	r, w      int
	eof       bool
	grew      bool // the last fill added data (it may also have hit EOF)
	err       error
	maxTok    int
	tag       []byte // raw tag content between '<' and '>' (start/end tags)
	name      []byte
	selfClose bool
	text      []byte
	scratch   []byte
	attrBuf   []byte
}

// DefaultMaxToken is the default limit on one token (a tag or a text run
// between tags that cannot be split).
const DefaultMaxToken = 16 << 20

// New returns a scanner over r. maxToken <= 0 means DefaultMaxToken.
func New(r io.Reader, maxToken int) *Scanner {
	if maxToken <= 0 {
		maxToken = DefaultMaxToken
	}
	return &Scanner{rd: r, buf: make([]byte, min(64<<10, maxToken)), maxTok: maxToken}
}

// Name returns the local name (without namespace prefix) of the current tag.
func (s *Scanner) Name() []byte { return s.name }

// SelfClosing reports whether the current start tag ends in "/>"; no
// EndTag token follows such a tag.
func (s *Scanner) SelfClosing() bool { return s.selfClose }

// Text returns the decoded text of the current Text token.
func (s *Scanner) Text() []byte { return s.text }

// fill reads more input, compacting the buffer. It returns false when no
// more data can be read.
func (s *Scanner) fill() bool {
	s.grew = false
	if s.eof {
		return false
	}
	if s.r > 0 {
		n := copy(s.buf, s.buf[s.r:s.w])
		s.w, s.r = n, 0
	}
	if s.w == len(s.buf) {
		if len(s.buf) >= s.maxTok {
			s.err = &extract.LimitError{Limit: extract.LimitTokenSize}
			return false
		}
		nb := make([]byte, min(2*len(s.buf), s.maxTok))
		copy(nb, s.buf[:s.w])
		s.buf = nb
	}
	for {
		n, err := s.rd.Read(s.buf[s.w:])
		s.w += n
		s.grew = s.grew || n > 0
		if err != nil {
			s.eof = true
			if err != io.EOF {
				s.err = err
			}
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
}

// Next advances to the next token. At the end of input it returns EOF and
// the read error, if any.
func (s *Scanner) Next() (Kind, error) {
	for {
		if s.r >= s.w && !s.fill() {
			return EOF, s.err
		}
		if s.buf[s.r] != '<' {
			k, ok := s.scanText()
			if ok {
				return k, nil
			}
			if s.err != nil {
				return EOF, s.err
			}
			continue
		}
		k, ok := s.scanMarkup()
		if ok {
			if k == EOF {
				continue // comment, PI, doctype: skipped
			}
			return k, nil
		}
		if s.err != nil {
			return EOF, s.err
		}
		if s.eof && !s.grew {
			// Truncated markup at end of input. (A reader may return the
			// last bytes together with io.EOF, as zip entries do: then
			// the markup is scanned again with them.)
			s.r = s.w
			return EOF, extract.Malformed("xml", io.ErrUnexpectedEOF)
		}
	}
}

// scanText returns a Text token or false when more data is needed.
func (s *Scanner) scanText() (Kind, bool) {
	data := s.buf[s.r:s.w]
	j := bytes.IndexByte(data, '<')
	if j < 0 {
		if !s.eof && len(data) < 32<<10 {
			if s.fill() {
				return 0, false
			}
			data = s.buf[s.r:s.w]
		}
		j = len(data)
		if !s.eof {
			// Emit a long text run in pieces, never splitting an entity.
			if a := bytes.LastIndexByte(data, '&'); a >= 0 && len(data)-a < 16 {
				j = a
			}
			if j == 0 {
				j = len(data)
			}
		}
	}
	raw := data[:j]
	s.r += j
	s.text = s.unescape(raw)
	return Text, true
}

// scanMarkup handles everything starting with '<'. It returns EOF kind for
// skipped markup and false when more data is needed.
func (s *Scanner) scanMarkup() (Kind, bool) {
	data := s.buf[s.r:s.w]
	if len(data) < 2 {
		s.fill()
		return 0, false
	}
	switch data[1] {
	case '?':
		return s.skipUntil([]byte("?>"))
	case '!':
		return s.scanBang()
	}
	end := tagEnd(data)
	if end < 0 {
		s.fill()
		return 0, false
	}
	s.r += end + 1
	tag := data[1:end]
	if len(tag) == 0 {
		return EOF, true // "<>": not a tag, skipped
	}
	if tag[0] == '/' {
		s.tag = tag[1:]
		s.name = localName(s.tag)
		s.selfClose = false
		return EndTag, true
	}
	s.selfClose = len(tag) > 0 && tag[len(tag)-1] == '/'
	if s.selfClose {
		tag = tag[:len(tag)-1]
	}
	s.tag = tag
	s.name = localName(tag)
	return StartTag, true
}

// tagEnd finds the '>' closing the tag at data[0], skipping '>' inside
// quoted attribute values.
func tagEnd(data []byte) int {
	i := 1
	for {
		j := bytes.IndexByte(data[i:], '>')
		if j < 0 {
			return -1
		}
		seg := data[i : i+j]
		if bytes.IndexByte(seg, '"') < 0 && bytes.IndexByte(seg, '\'') < 0 {
			return i + j
		}
		break
	}
	var q byte
	for i := 1; i < len(data); i++ {
		c := data[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			return i
		}
	}
	return -1
}

func (s *Scanner) skipUntil(end []byte) (Kind, bool) {
	data := s.buf[s.r:s.w]
	j := bytes.Index(data[2:], end)
	if j < 0 {
		s.fill()
		return 0, false
	}
	s.r += 2 + j + len(end)
	return EOF, true
}

func (s *Scanner) scanBang() (Kind, bool) {
	data := s.buf[s.r:s.w]
	switch {
	case bytes.HasPrefix(data, []byte("<!--")):
		j := bytes.Index(data[4:], []byte("-->"))
		if j < 0 {
			s.fill()
			return 0, false
		}
		s.r += 4 + j + 3
		return EOF, true
	case bytes.HasPrefix(data, []byte("<![CDATA[")):
		j := bytes.Index(data[9:], []byte("]]>"))
		if j < 0 {
			s.fill()
			return 0, false
		}
		s.text = data[9 : 9+j]
		s.r += 9 + j + 3
		return Text, true
	case len(data) < 9:
		s.fill()
		return 0, false
	}
	// <!DOCTYPE …> possibly with an internal subset in brackets.
	depth, q := 0, byte(0)
	for i := 2; i < len(data); i++ {
		c := data[i]
		switch {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '>' && depth <= 0:
			decl := data[:i+1]
			if bytes.Contains(decl, []byte("<!ENTITY")) {
				s.err = &extract.LimitError{Limit: extract.LimitXMLEntities}
				return 0, false
			}
			s.r += i + 1
			return EOF, true
		}
	}
	s.fill()
	return 0, false
}

func localName(tag []byte) []byte {
	end := len(tag)
	for i, c := range tag {
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' {
			end = i
			break
		}
	}
	name := tag[:end]
	if k := bytes.IndexByte(name, ':'); k >= 0 {
		name = name[k+1:]
	}
	return name
}

// Attr returns the decoded value of the attribute with local name name on
// the current start tag.
func (s *Scanner) Attr(name string) ([]byte, bool) {
	t := s.tag
	// Skip the element name.
	i := 0
	for i < len(t) && t[i] != ' ' && t[i] != '\t' && t[i] != '\n' && t[i] != '\r' {
		i++
	}
	for i < len(t) {
		for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') {
			i++
		}
		ns := i
		for i < len(t) && t[i] != '=' && t[i] != ' ' {
			i++
		}
		an := t[ns:i]
		for i < len(t) && (t[i] == ' ' || t[i] == '=') {
			i++
		}
		if i >= len(t) {
			return nil, false
		}
		q := t[i]
		if q != '"' && q != '\'' {
			return nil, false
		}
		i++
		vs := i
		for i < len(t) && t[i] != q {
			i++
		}
		val := t[vs:min(i, len(t))]
		i++
		if k := bytes.IndexByte(an, ':'); k >= 0 {
			an = an[k+1:]
		}
		if string(an) == name {
			s.attrBuf = s.attrBuf[:0]
			if bytes.IndexByte(val, '&') < 0 {
				return val, true
			}
			s.attrBuf = appendUnescaped(s.attrBuf, val)
			return s.attrBuf, true
		}
	}
	return nil, false
}

func (s *Scanner) unescape(raw []byte) []byte {
	if bytes.IndexByte(raw, '&') < 0 {
		return raw
	}
	s.scratch = appendUnescaped(s.scratch[:0], raw)
	return s.scratch
}

// appendUnescaped decodes predefined entities and character references.
// Any other entity reference is kept literally: okuri never expands
// declared entities.
func appendUnescaped(dst, raw []byte) []byte {
	for {
		j := bytes.IndexByte(raw, '&')
		if j < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:j]...)
		raw = raw[j:]
		semi := bytes.IndexByte(raw, ';')
		if semi < 0 || semi > 12 {
			dst = append(dst, '&')
			raw = raw[1:]
			continue
		}
		ent := raw[1:semi]
		switch string(ent) {
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "amp":
			dst = append(dst, '&')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		default:
			if len(ent) > 1 && ent[0] == '#' {
				var v uint64
				var err error
				if ent[1] == 'x' || ent[1] == 'X' {
					v, err = strconv.ParseUint(string(ent[2:]), 16, 32)
				} else {
					v, err = strconv.ParseUint(string(ent[1:]), 10, 32)
				}
				if err == nil && v <= utf8.MaxRune {
					dst = utf8.AppendRune(dst, rune(v))
					break
				}
			}
			dst = append(dst, raw[:semi+1]...)
		}
		raw = raw[semi+1:]
	}
}
