package scan

import (
	"errors"
	"io"

	"github.com/okuri/okuri/policy/extract"
	spoolpkg "github.com/okuri/okuri/spool"
)

// spooled is a decoded attachment, held by the gateway's message spooler
// (package spool): in memory up to the threshold, else in a temporary file
// unlinked at once, so a crash mid-scan leaves no decoded personal data on
// disk. Containers need io.ReaderAt, so a streamed MIME body is spooled
// once and then read at random.
type spooled struct {
	*spoolpkg.Body
	size int64
}

// spool reads r completely into sp (the Scanner's, so memory buffers are
// recycled across parts and messages). More than maxBytes fails with the
// max_file_bytes LimitError.
func spool(sp *spoolpkg.Spool, r io.Reader, maxBytes int64) (*spooled, error) {
	w := sp.NewWriter()
	n, err := io.Copy(w, io.LimitReader(r, maxBytes+1))
	if err != nil {
		w.Abort()
		return nil, err
	}
	if n > maxBytes {
		w.Abort()
		return nil, &extract.LimitError{Limit: extract.LimitFileSize}
	}
	b, err := w.Finish()
	if err != nil {
		return nil, err
	}
	return &spooled{Body: b, size: n}, nil
}

// errReaderAt records the first read error of the underlying message, so
// that Scan can tell an I/O error on its input (returned) from a decoding
// problem inside the content (a verdict). Reads outside [0, size) are
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
