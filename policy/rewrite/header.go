// Package rewrite changes the header section of a message on its way out:
// forced BCC (external addresses removed from To, Cc and Bcc), split
// delivery (each external recipient sees only itself) and added fields.
//
// # Invariants
//
//   - Only the header section is read into memory (at most MaxHeaderBytes);
//     the body streams through byte for byte.
//   - A field that is not changed is written back byte-identical, folding
//     and encoded words included; fields are never reordered, replaced or
//     dropped, except a Cc or Bcc whose every address was removed (an
//     empty Cc is not valid RFC 5322) and a second emptied To.
//   - Address lists are split on their syntax (quoted strings, comments,
//     angle addresses, groups), never decoded and re-encoded: a removed
//     address takes its display name with it, a kept one keeps its bytes.
//   - An address that cannot be parsed counts as external: when in doubt,
//     hide it.
package rewrite

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxHeaderBytes bounds the header section Apply and ReadHeader read.
const MaxHeaderBytes = 4 << 20

// ErrHeaderTooLarge means the header section exceeds MaxHeaderBytes.
var ErrHeaderTooLarge = errors.New("header section too large")

// Field is one raw header field: every byte of it, from the name to the
// final line ending, continuation lines included.
type Field struct {
	Raw []byte
}

// Name returns the field name ("" for a line that is not a field, such as
// an mbox "From " line, which is kept as is).
func (f Field) Name() string {
	i := bytes.IndexByte(f.Raw, ':')
	if i <= 0 {
		return ""
	}
	name := f.Raw[:i]
	if bytes.ContainsAny(name, " \t\r\n") {
		name = bytes.TrimRight(name, " \t")
		if bytes.ContainsAny(name, " \t\r\n") {
			return ""
		}
	}
	return string(name)
}

// Value returns the unfolded value: line endings before continuation
// whitespace removed, the final line ending dropped.
func (f Field) Value() string {
	i := bytes.IndexByte(f.Raw, ':')
	if i < 0 {
		return ""
	}
	v := f.Raw[i+1:]
	var b bytes.Buffer
	b.Grow(len(v))
	for j := 0; j < len(v); j++ {
		if v[j] == '\r' || v[j] == '\n' {
			continue
		}
		b.WriteByte(v[j])
	}
	return string(bytes.TrimSpace(b.Bytes()))
}

// Header is a parsed header section.
type Header struct {
	Fields []Field
	// EOL is the line ending the message uses ("\r\n" or "\n").
	EOL string
	// Sep is the empty line that ends the header section ("" when the
	// message ended inside its header).
	Sep []byte
}

// Get returns the unfolded values of every field named name
// (case-insensitive), in order.
func (h *Header) Get(name string) []string {
	var out []string
	for _, f := range h.Fields {
		if equalFold(f.Name(), name) {
			out = append(out, f.Value())
		}
	}
	return out
}

// Size is the length of the header section as read, its separator line
// included: the offset of the body in the message.
func (h *Header) Size() int64 {
	n := int64(len(h.Sep))
	for _, f := range h.Fields {
		n += int64(len(f.Raw))
	}
	return n
}

// ReadHeader reads the header section from br, leaving br at the first
// byte of the body.
func ReadHeader(br *bufio.Reader) (*Header, error) {
	h := &Header{EOL: "\r\n"}
	total := 0
	first := true
	var cur []byte
	for {
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// A line longer than the buffer: collect it whole.
			buf := append([]byte(nil), line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				if total+len(buf) > MaxHeaderBytes {
					return nil, ErrHeaderTooLarge
				}
				line, err = br.ReadSlice('\n')
				buf = append(buf, line...)
			}
			line = buf
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read header: %w", err)
		}
		total += len(line)
		if total > MaxHeaderBytes {
			return nil, ErrHeaderTooLarge
		}
		if first && len(line) > 0 {
			if !bytes.HasSuffix(line, []byte("\r\n")) && bytes.HasSuffix(line, []byte("\n")) {
				h.EOL = "\n"
			}
			first = false
		}
		if len(line) == 0 {
			break
		}
		if isBlank(line) {
			h.Sep = append([]byte(nil), line...)
			break
		}
		if (line[0] == ' ' || line[0] == '\t') && cur != nil {
			cur = append(cur, line...)
		} else {
			if cur != nil {
				h.Fields = append(h.Fields, Field{Raw: cur})
			}
			cur = append([]byte(nil), line...)
		}
		if err != nil { // EOF inside the header
			break
		}
	}
	if cur != nil {
		h.Fields = append(h.Fields, Field{Raw: cur})
	}
	return h, nil
}

func isBlank(line []byte) bool {
	return len(line) == 1 && line[0] == '\n' || len(line) == 2 && line[0] == '\r' && line[1] == '\n'
}

// WriteTo writes the header section, ending with its separator line.
func (h *Header) WriteTo(w io.Writer) (int64, error) {
	var n int64
	for _, f := range h.Fields {
		m, err := w.Write(f.Raw)
		n += int64(m)
		if err != nil {
			return n, err
		}
	}
	m, err := w.Write(h.Sep)
	return n + int64(m), err
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
