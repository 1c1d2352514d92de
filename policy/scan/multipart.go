package scan

import (
	"bufio"
	"bytes"
	"io"
)

// splitter cuts a multipart body (RFC 2046 section 5.1.1) into its
// preamble, its parts and its epilogue. mime/multipart and go-message
// drop the preamble and epilogue, but a sender can put text there that
// some mail clients show, so okuri scans them like any body.
//
// It streams: Read returns the current section up to the next delimiter
// line, Next moves on. The line break before a delimiter belongs to the
// delimiter and is not part of the section.
type splitter struct {
	br        *bufio.Reader
	dash      []byte // "--" + boundary
	held      []byte // line break held back until the next line is known
	out       []byte // bytes of the current section not yet returned
	buf       []byte // backing store of out, reused line after line
	lineStart bool   // the next byte read starts a line
	ended     bool   // the current section reached its delimiter or EOF
	epilogue  bool   // the current section is the epilogue
	err       error  // sticky error (io.ErrUnexpectedEOF: no close delimiter)
}

// newSplitter starts at the preamble of body, delimited by boundary.
func newSplitter(body io.Reader, boundary string) *splitter {
	return &splitter{
		br:        bufio.NewReaderSize(body, 64<<10),
		dash:      []byte("--" + boundary),
		lineStart: true,
	}
}

// Read reads the current section. It fills p with as many lines as fit:
// base64 bodies come in 76-byte lines, and a Read per line would cost
// more than the decoding.
func (s *splitter) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(s.out) == 0 {
			if s.ended {
				break
			}
			s.fill()
			continue
		}
		m := copy(p[n:], s.out)
		s.out = s.out[m:]
		n += m
	}
	if n == 0 && s.ended {
		if s.err != nil {
			return 0, s.err
		}
		return 0, io.EOF
	}
	return n, nil
}

// Next skips the rest of the current section and reports whether a part
// follows. After false, the reader is at the epilogue (err nil) or the
// body ended without a close delimiter (err io.ErrUnexpectedEOF, and the
// last section was read to the end of the body).
func (s *splitter) Next() (bool, error) {
	if _, err := io.Copy(io.Discard, s); err != nil {
		return false, err
	}
	s.ended = false
	return !s.epilogue, nil
}

// fill reads one line (or a piece of a long one) of the current section.
func (s *splitter) fill() {
	line, err := s.br.ReadSlice('\n')
	if len(line) == 0 && err != nil {
		s.buf = append(s.buf[:0], s.held...)
		s.out = s.buf
		s.held = s.held[:0]
		s.ended = true
		if err == io.EOF && !s.epilogue {
			err = io.ErrUnexpectedEOF
		}
		if err != io.EOF {
			s.err = err
		}
		return
	}
	complete := line[len(line)-1] == '\n' || err == io.EOF
	if !s.epilogue && s.lineStart && complete && bytes.HasPrefix(line, s.dash) {
		if closing, ok := delimiterRest(line[len(s.dash):]); ok {
			s.held = s.held[:0]
			s.ended = true
			s.epilogue = closing
			s.lineStart = true
			return
		}
	}
	s.lineStart = line[len(line)-1] == '\n'
	body, brk := line, line[len(line):]
	if s.lineStart {
		cut := len(line) - 1
		if cut > 0 && line[cut-1] == '\r' {
			cut--
		}
		body, brk = line[:cut], line[cut:]
	}
	s.buf = append(append(s.buf[:0], s.held...), body...)
	s.out = s.buf
	s.held = append(s.held[:0], brk...)
}

// delimiterRest reports whether what follows "--boundary" on a line makes
// it a delimiter line, and whether it is the close delimiter: an optional
// "--", then only transport padding (spaces, tabs) and the line break.
func delimiterRest(rest []byte) (closing, ok bool) {
	if bytes.HasPrefix(rest, []byte("--")) {
		closing = true
		rest = rest[2:]
	}
	return closing, len(bytes.TrimLeft(rest, " \t\r\n")) == 0
}
