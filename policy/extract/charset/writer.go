package charset

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"golang.org/x/text/transform"
)

// Writer decodes bytes in charset c and writes UTF-8 to the destination in
// chunks of up to 64 KiB. Input may be split anywhere. A leading UTF-8 or
// UTF-16 byte-order mark is dropped. Close flushes the tail.
type Writer struct {
	dst     io.Writer
	t       transform.Transformer // nil: UTF-8 pass-through
	carry   []byte                // undecoded tail of the last Write
	out     []byte
	started bool
	bomSkip []byte
	invalid int64 // U+FFFD produced by the decoder
	runes   int64 // rough count of decoded output bytes
}

const chunk = 64 << 10

// NewWriter returns a Writer decoding c into dst.
func NewWriter(c Charset, dst io.Writer) *Writer {
	w := &Writer{dst: dst}
	switch c.Name {
	case "utf-8":
		w.bomSkip = []byte{0xEF, 0xBB, 0xBF}
	case "utf-16le":
		w.bomSkip = []byte{0xFF, 0xFE}
	case "utf-16be":
		w.bomSkip = []byte{0xFE, 0xFF}
	}
	if c.enc != nil {
		w.t = c.decoder()
		w.out = make([]byte, chunk)
	}
	return w
}

// Invalid returns how many undecodable sequences were replaced by U+FFFD,
// and how many output bytes were produced, so callers can judge whether the
// charset was wrong.
func (w *Writer) Invalid() (invalid, total int64) { return w.invalid, w.runes }

var replacement = []byte("\uFFFD")

// Write decodes p.
func (w *Writer) Write(p []byte) (int, error) {
	n := len(p)
	if !w.started {
		if len(w.carry)+len(p) < len(w.bomSkip) {
			w.carry = append(w.carry, p...)
			return n, nil
		}
		w.started = true
		if len(w.carry) > 0 {
			p = append(w.carry, p...)
			w.carry = nil
		}
		if len(w.bomSkip) > 0 && bytes.HasPrefix(p, w.bomSkip) {
			p = p[len(w.bomSkip):]
		}
	}
	if w.t == nil {
		w.runes += int64(len(p))
		if _, err := w.dst.Write(p); err != nil {
			return 0, err
		}
		return n, nil
	}
	if len(w.carry) > 0 {
		p = append(w.carry, p...)
		w.carry = w.carry[:0]
	}
	if err := w.transform(p, false); err != nil {
		return 0, err
	}
	return n, nil
}

func (w *Writer) transform(p []byte, atEOF bool) error {
	for {
		nDst, nSrc, err := w.t.Transform(w.out, p, atEOF)
		if nDst > 0 {
			out := w.out[:nDst]
			w.invalid += int64(bytes.Count(out, replacement))
			w.runes += int64(nDst)
			if _, werr := w.dst.Write(out); werr != nil {
				return werr
			}
		}
		p = p[nSrc:]
		switch {
		case err == nil:
			return nil
		case errors.Is(err, transform.ErrShortDst):
			continue
		case errors.Is(err, transform.ErrShortSrc):
			if atEOF {
				w.invalid++
				return nil
			}
			w.carry = append(w.carry[:0], p...)
			return nil
		default:
			return fmt.Errorf("decode charset: %w", err)
		}
	}
}

// Close decodes what is left; it does not close the destination.
func (w *Writer) Close() error {
	if !w.started && len(w.carry) > 0 {
		w.started = true
		p := w.carry
		w.carry = nil
		if w.t == nil {
			_, err := w.dst.Write(p)
			return err
		}
		return w.transform(p, true)
	}
	if w.t == nil {
		return nil
	}
	p := w.carry
	w.carry = nil
	return w.transform(p, true)
}

// DecodeString decodes a short string (a header parameter, a file name).
func DecodeString(c Charset, s []byte) (string, error) {
	if c.enc == nil {
		return string(s), nil
	}
	out, _, err := transform.Bytes(c.decoder(), s)
	if err != nil {
		return "", fmt.Errorf("decode %s: %w", c.Name, err)
	}
	return string(out), nil
}

// NewReader returns a reader that decodes r from c to UTF-8; used for
// MIME header words (mime.WordDecoder.CharsetReader).
func NewReader(c Charset, r io.Reader) io.Reader {
	if c.enc == nil {
		return r
	}
	return transform.NewReader(r, c.decoder())
}
