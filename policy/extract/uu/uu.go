// Package uu decodes files uuencoded inside a text body: the "begin 644
// name" ... "end" blocks that old mailers, scripts and some scanners
// (copiers) still write, and their base64 variant "begin-base64 644
// name" ... "====" (POSIX uuencode -m). A mail client shows such a block
// as an attachment, so okuri scans it as a file.
package uu

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
)

// maxLine bounds one encoded line; real encoders write 61 (uu) or 77
// (base64) characters.
const maxLine = 1024

// ErrCorrupt reports an encoded line that does not decode.
var ErrCorrupt = errors.New("uu: corrupt line")

// Begin parses a begin line ("begin 644 name.csv", "begin-base64 600
// a.zip"); the line break may be included. It returns the file name and
// whether the body is base64.
func Begin(line []byte) (name string, b64 bool, ok bool) {
	line = bytes.TrimRight(line, "\r\n")
	rest, found := bytes.CutPrefix(line, []byte("begin-base64 "))
	b64 = found
	if !found {
		if rest, found = bytes.CutPrefix(line, []byte("begin ")); !found {
			return "", false, false
		}
	}
	mode, nm, found := bytes.Cut(rest, []byte(" "))
	if !found || len(mode) < 3 || len(mode) > 4 || len(bytes.TrimSpace(nm)) == 0 {
		return "", false, false
	}
	for _, c := range mode {
		if c < '0' || c > '7' {
			return "", false, false
		}
	}
	return string(bytes.TrimSpace(nm)), b64, true
}

// Reader decodes the lines after a begin line up to the end line.
type Reader struct {
	br   *bufio.Reader
	b64  bool
	out  []byte
	line int
	done bool
	err  error
}

// NewReader returns a Reader of the file encoded in the lines br holds
// next. Read returns io.EOF after the end line, io.ErrUnexpectedEOF when
// the text ends before it, and an error wrapping ErrCorrupt for a line
// that does not decode.
func NewReader(br *bufio.Reader, b64 bool) *Reader {
	return &Reader{br: br, b64: b64}
}

// Read implements io.Reader.
func (r *Reader) Read(p []byte) (int, error) {
	for len(r.out) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.next()
	}
	n := copy(p, r.out)
	r.out = r.out[n:]
	return n, nil
}

// next decodes one line into r.out, or sets r.err.
func (r *Reader) next() {
	line, err := r.br.ReadSlice('\n')
	r.line++
	switch {
	case errors.Is(err, bufio.ErrBufferFull) || len(line) > maxLine:
		r.err = fmt.Errorf("line %d too long: %w", r.line, ErrCorrupt)
		return
	case len(line) == 0 && err != nil:
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		r.err = err
		return
	}
	line = bytes.TrimRight(line, "\r\n")
	if r.b64 {
		r.base64Line(line)
	} else {
		r.uuLine(line)
	}
	if r.err == nil && err == io.EOF && !r.done {
		r.err = io.ErrUnexpectedEOF
	}
}

func (r *Reader) base64Line(line []byte) {
	if bytes.Equal(line, []byte("====")) {
		r.err = io.EOF
		return
	}
	buf := make([]byte, base64.StdEncoding.DecodedLen(len(line)))
	n, err := base64.StdEncoding.Decode(buf, bytes.TrimSpace(line))
	if err != nil {
		r.err = fmt.Errorf("line %d: %w", r.line, ErrCorrupt)
		return
	}
	r.out = buf[:n]
}

// uuLine decodes a line of classic uuencoding: a length character, then
// groups of four characters for three bytes, each character 0x20 + six
// bits (0x60 "`" for zero). Trailing spaces that a mailer stripped are
// read as zeros.
func (r *Reader) uuLine(line []byte) {
	if r.done {
		if bytes.Equal(bytes.TrimRight(line, " "), []byte("end")) {
			r.err = io.EOF
			return
		}
		r.err = fmt.Errorf("line %d: no end line: %w", r.line, ErrCorrupt)
		return
	}
	if len(line) == 0 {
		r.err = fmt.Errorf("line %d: empty: %w", r.line, ErrCorrupt)
		return
	}
	if bytes.Equal(line, []byte("end")) {
		r.err = io.EOF // some encoders omit the zero-length line
		return
	}
	n := int((line[0] - 0x20) & 0x3F)
	if line[0] < 0x20 || line[0] > 0x60 {
		r.err = fmt.Errorf("line %d: bad length: %w", r.line, ErrCorrupt)
		return
	}
	if n == 0 {
		r.done = true
		return
	}
	groups := (n + 2) / 3
	out := make([]byte, 0, groups*3)
	for g := 0; g < groups; g++ {
		var v uint32
		for i := 0; i < 4; i++ {
			c := byte(' ')
			if k := 1 + g*4 + i; k < len(line) {
				c = line[k]
			}
			if c < 0x20 || c > 0x60 {
				r.err = fmt.Errorf("line %d: bad character: %w", r.line, ErrCorrupt)
				return
			}
			v = v<<6 | uint32((c-0x20)&0x3F)
		}
		out = append(out, byte(v>>16), byte(v>>8), byte(v))
	}
	r.out = out[:n]
}
