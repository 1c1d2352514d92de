// Package delim splits CSV and TSV text into rows at byte level.
//
// encoding/csv allocates per record and validates more than mail
// attachments need; this splitter finds line and field boundaries with
// bytes.IndexByte, handles RFC 4180 quoting ("" inside quotes, separators
// and line breaks inside quoted fields), and passes cells to the sink
// without copying when a row has no quotes. Malformed quoting never fails:
// a stray quote is kept as text, and a quoted field that never closes is
// cut at MaxRecord bytes, so all input always reaches the detectors.
package delim

import (
	"bytes"

	"github.com/okuri/okuri/policy/extract"
)

// MaxRecord bounds how much text one record may buffer while waiting for a
// closing quote; beyond it the record is emitted as it stands.
const MaxRecord = 1 << 20

// Splitter is a push parser: Write UTF-8 text in chunks of any size, then
// Close. Rows go to the table writer as they complete.
type Splitter struct {
	sep     byte
	out     extract.TableWriter
	pending []byte
	cells   [][]byte
	scratch []byte // unquoted cell bytes of the current slow-path row
	offs    []int
	rows    int64
}

// NewSplitter returns a splitter for separator sep (',' or '\t' or ';').
func NewSplitter(sep byte, out extract.TableWriter) *Splitter {
	return &Splitter{sep: sep, out: out}
}

// Rows returns how many rows were emitted.
func (s *Splitter) Rows() int64 { return s.rows }

// Write consumes p.
func (s *Splitter) Write(p []byte) (int, error) {
	data := p
	if len(s.pending) > 0 {
		s.pending = append(s.pending, p...)
		data = s.pending
	}
	n, err := s.process(data, false)
	if err != nil {
		return 0, err
	}
	rest := data[n:]
	if len(rest) > MaxRecord {
		if _, err := s.process(rest, true); err != nil {
			return 0, err
		}
		rest = nil
	}
	if len(s.pending) > 0 {
		s.pending = s.pending[:copy(s.pending, rest)]
	} else {
		s.pending = append(s.pending[:0], rest...)
	}
	return len(p), nil
}

// Close emits the last row and closes the table writer.
func (s *Splitter) Close() error {
	if len(s.pending) > 0 {
		if _, err := s.process(s.pending, true); err != nil {
			return err
		}
		s.pending = nil
	}
	return s.out.Close()
}

// process emits every complete row of data and returns the bytes consumed.
// With atEOF the final row need not end in a newline.
func (s *Splitter) process(data []byte, atEOF bool) (int, error) {
	i := 0
	for i < len(data) {
		rest := data[i:]
		nl := bytes.IndexByte(rest, '\n')
		var line []byte
		if nl < 0 {
			if !atEOF {
				return i, nil
			}
			line = rest
		} else {
			line = rest[:nl]
		}
		if bytes.IndexByte(line, '"') < 0 {
			// Fast path: no quotes on this line.
			adv := len(line)
			if nl >= 0 {
				adv++
			}
			if err := s.emitPlain(trimCR(line)); err != nil {
				return 0, err
			}
			i += adv
			continue
		}
		n, ok, err := s.quoted(rest, atEOF)
		if err != nil {
			return 0, err
		}
		if !ok {
			return i, nil
		}
		i += n
	}
	return i, nil
}

func trimCR(line []byte) []byte {
	if len(line) > 0 && line[len(line)-1] == '\r' {
		return line[:len(line)-1]
	}
	return line
}

func (s *Splitter) emitPlain(line []byte) error {
	if len(line) == 0 {
		return nil
	}
	cells := s.cells[:0]
	for {
		j := bytes.IndexByte(line, s.sep)
		if j < 0 {
			cells = append(cells, line)
			break
		}
		cells = append(cells, line[:j])
		line = line[j+1:]
	}
	s.cells = cells
	s.rows++
	return s.out.Row(cells)
}

// quoted parses one record that contains quotes. It returns the bytes
// consumed and false when the record is incomplete and more input may come.
// Unquoted fields are found with IndexByte like the fast path; only quoted
// fields are scanned quote by quote.
func (s *Splitter) quoted(data []byte, atEOF bool) (int, bool, error) {
	s.scratch = s.scratch[:0]
	s.offs = s.offs[:0]
	i := 0
	lineEnd := -1 // index of the '\n' ending the current line, or len(data)
	for {
		// Start of a field.
		if i < len(data) && data[i] == '"' {
			i++
			for {
				j := bytes.IndexByte(data[i:], '"')
				if j < 0 {
					if !atEOF {
						return 0, false, nil
					}
					s.scratch = append(s.scratch, data[i:]...)
					i = len(data)
					break
				}
				s.scratch = append(s.scratch, data[i:i+j]...)
				i += j + 1
				if i < len(data) && data[i] == '"' {
					s.scratch = append(s.scratch, '"')
					i++
					continue
				}
				if i >= len(data) && !atEOF {
					return 0, false, nil
				}
				break
			}
		}
		// Unquoted field, or text after a closing quote, up to the next
		// separator or the end of the line.
		if lineEnd < i {
			if nl := bytes.IndexByte(data[i:], '\n'); nl >= 0 {
				lineEnd = i + nl
			} else {
				if !atEOF {
					return 0, false, nil
				}
				lineEnd = len(data)
			}
		}
		end := lineEnd
		if k := bytes.IndexByte(data[i:lineEnd], s.sep); k >= 0 {
			end = i + k
		}
		field := data[i:end]
		if end == lineEnd {
			field = trimCR(field)
		}
		s.scratch = append(s.scratch, field...)
		s.offs = append(s.offs, len(s.scratch))
		i = end
		if i >= len(data) {
			return i, true, s.emitScratch()
		}
		if data[i] == '\n' {
			return i + 1, true, s.emitScratch()
		}
		i++ // separator
	}
}

func (s *Splitter) emitScratch() error {
	cells := s.cells[:0]
	start := 0
	for _, end := range s.offs {
		cells = append(cells, s.scratch[start:end])
		start = end
	}
	s.cells = cells
	s.rows++
	return s.out.Row(cells)
}

// Sniff guesses the separator of delimited text from its first lines and
// reports whether the text looks like a table at all: at least two lines
// with the same, non-zero count of one separator.
func Sniff(p []byte) (sep byte, ok bool) {
	best, bestScore := byte(0), 0
	for _, c := range []byte{',', '\t', ';'} {
		score := consistency(p, c)
		if score > bestScore {
			best, bestScore = c, score
		}
	}
	return best, bestScore >= 2
}

// consistency counts leading lines (up to 20) whose count of sep equals the
// first line's, ignoring quoted text.
func consistency(p []byte, sep byte) int {
	want, lines := -1, 0
	for n := 0; n < 20 && len(p) > 0; n++ {
		nl := bytes.IndexByte(p, '\n')
		var line []byte
		if nl < 0 {
			line, p = p, nil
		} else {
			line, p = p[:nl], p[nl+1:]
		}
		if len(trimCR(line)) == 0 {
			continue
		}
		c, inQ := 0, false
		for _, b := range line {
			if b == '"' {
				inQ = !inQ
			} else if b == sep && !inQ {
				c++
			}
		}
		if want < 0 {
			if c == 0 {
				return 0
			}
			want = c
		}
		if c != want {
			break
		}
		lines++
	}
	return lines
}
