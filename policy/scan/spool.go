package scan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/okuri/okuri/policy/extract"
)

// spooled is a decoded attachment: in memory up to the threshold, else in
// an unlinked-on-close temporary file. Containers need io.ReaderAt, so a
// streamed MIME body is spooled once and then read at random.
type spooled struct {
	io.ReaderAt
	size int64
	file *os.File
}

// Close removes the temporary file, if any.
func (s *spooled) Close() error {
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	err := s.file.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	return err
}

// spool reads r completely. More than maxBytes fails with the
// max_file_bytes LimitError.
func spool(r io.Reader, memThreshold, maxBytes int64, tempDir string) (*spooled, error) {
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r, memThreshold+1))
	if err != nil {
		return nil, err
	}
	if n <= memThreshold {
		return &spooled{ReaderAt: bytes.NewReader(buf.Bytes()), size: n}, nil
	}
	f, err := os.CreateTemp(tempDir, "okuri-scan-*")
	if err != nil {
		return nil, fmt.Errorf("spool: %w", err)
	}
	sp := &spooled{ReaderAt: f, file: f}
	if _, err := f.Write(buf.Bytes()); err != nil {
		sp.Close()
		return nil, fmt.Errorf("spool: %w", err)
	}
	buf = bytes.Buffer{}
	m, err := io.Copy(f, io.LimitReader(r, maxBytes-n+1))
	if err != nil {
		sp.Close()
		return nil, err
	}
	sp.size = n + m
	if sp.size > maxBytes {
		sp.Close()
		return nil, &extract.LimitError{Limit: extract.LimitFileSize}
	}
	return sp, nil
}

// errReader records the first read error of the underlying message, so
// that Scan can tell an I/O error on its input (returned) from a decoding
// problem inside the content (a verdict).
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && e.err == nil {
		e.err = err
	}
	return n, err
}

// errReaderAt is errReader for io.ReaderAt. Reads outside [0, size) are
// requests made by a parser following hostile offsets, not I/O errors of
// the input: they fail without being recorded.
type errReaderAt struct {
	r    io.ReaderAt
	size int64
	err  *error
}

var errOutOfRange = errors.New("read outside the input")

func (e errReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errOutOfRange
	}
	if off >= e.size {
		return 0, io.EOF
	}
	if int64(len(p)) > e.size-off {
		n, err := e.ReadAt(p[:e.size-off], off)
		if err == nil {
			err = io.EOF
		}
		return n, err
	}
	n, err := e.r.ReadAt(p, off)
	if err != nil && !errors.Is(err, io.EOF) && *e.err == nil {
		*e.err = err
	}
	return n, err
}
