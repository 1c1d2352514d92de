// Package spool holds one message's bytes between DATA and the moment
// okuri is done with them: in memory below a threshold, in an unlinked
// temporary file above it, so a 50 MB message never sits in RAM and a
// crash leaves no file behind. A Body can be read any number of times, from
// several goroutines (scan, then relay), through io.ReaderAt.
package spool

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// Spool creates Writers. It is safe for concurrent use.
type Spool struct {
	dir      string
	memLimit int64
	bufs     sync.Pool // *bytes.Buffer, recycled across messages
}

// New returns a Spool that keeps messages up to memLimit bytes in memory
// and writes larger ones to temporary files in dir ("" for os.TempDir).
func New(dir string, memLimit int64) *Spool {
	return &Spool{dir: dir, memLimit: memLimit}
}

// Writer receives one message. Call Finish to get the Body, or Abort.
type Writer struct {
	s    *Spool
	buf  *bytes.Buffer
	f    *os.File
	size int64
	err  error
}

// NewWriter starts a message.
func (s *Spool) NewWriter() *Writer {
	buf, _ := s.bufs.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	return &Writer{s: s, buf: buf}
}

// Write appends p, moving the message to a temporary file once it outgrows
// the memory limit.
func (w *Writer) Write(p []byte) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	if w.f == nil && int64(w.buf.Len()+len(p)) > w.s.memLimit {
		if err := w.toFile(); err != nil {
			w.err = err
			return 0, err
		}
	}
	var n int
	var err error
	if w.f != nil {
		n, err = w.f.Write(p)
	} else {
		n, err = w.buf.Write(p)
	}
	w.size += int64(n)
	if err != nil {
		w.err = fmt.Errorf("spool: write: %w", err)
		return n, w.err
	}
	return n, nil
}

// ReadFrom reads r to its end into the message. In memory it reads
// straight into the buffer, so a small part costs no copy buffer (io.Copy
// would allocate 32 KiB per call); past the memory limit it moves to the
// temporary file as Write does.
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	var total int64
	for w.f == nil {
		if w.err != nil {
			return total, w.err
		}
		room := w.s.memLimit - int64(w.buf.Len())
		if room < 0 {
			if err := w.toFile(); err != nil {
				w.err = err
				return total, err
			}
			break
		}
		// One byte past the limit tells a message of exactly the limit
		// (stays in memory, as with Write) from a larger one.
		w.buf.Grow(int(min(room+1, 4096)))
		p := w.buf.AvailableBuffer()
		p = p[:min(int64(cap(p)), room+1)]
		n, err := r.Read(p)
		w.buf.Write(p[:n])
		w.size += int64(n)
		total += int64(n)
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
	n, err := io.Copy(fileWriter{w}, r)
	return total + n, err
}

// fileWriter hides Writer's ReadFrom from io.Copy once the message is in
// the temporary file.
type fileWriter struct{ w *Writer }

func (f fileWriter) Write(p []byte) (int, error) { return f.w.Write(p) }

func (w *Writer) toFile() error {
	f, err := os.CreateTemp(w.s.dir, "okuri-spool-*")
	if err != nil {
		return fmt.Errorf("spool: %w", err)
	}
	// Unlink at once: the open descriptor keeps the data readable, and
	// nothing is left to clean up after a crash.
	if err := os.Remove(f.Name()); err != nil {
		f.Close()
		return fmt.Errorf("spool: %w", err)
	}
	if _, err := f.Write(w.buf.Bytes()); err != nil {
		f.Close()
		return fmt.Errorf("spool: write: %w", err)
	}
	w.f = f
	w.s.bufs.Put(w.buf)
	w.buf = nil
	return nil
}

// Finish ends the message and returns its Body.
func (w *Writer) Finish() (*Body, error) {
	if w.err != nil {
		w.Abort()
		return nil, w.err
	}
	b := &Body{s: w.s, buf: w.buf, f: w.f, size: w.size}
	w.buf, w.f = nil, nil
	return b, nil
}

// Abort discards the message.
func (w *Writer) Abort() {
	if w.f != nil {
		w.f.Close()
	}
	if w.buf != nil {
		w.s.bufs.Put(w.buf)
	}
	w.buf, w.f = nil, nil
}

// Body is a finished message. ReadAt and Reader are safe for concurrent
// use; Close releases the memory or file, after which reads fail.
type Body struct {
	s    *Spool
	buf  *bytes.Buffer
	f    *os.File
	size int64
	mu   sync.Mutex
	done bool
}

// ErrClosed is returned by reads after Close.
var ErrClosed = errors.New("spool: body closed")

// Size is the message size in bytes.
func (b *Body) Size() int64 { return b.size }

// InMemory reports whether the body is held in memory.
func (b *Body) InMemory() bool { return b.f == nil }

// ReadAt implements io.ReaderAt.
func (b *Body) ReadAt(p []byte, off int64) (int, error) {
	if b.f != nil {
		return b.f.ReadAt(p, off)
	}
	if b.buf == nil {
		return 0, ErrClosed
	}
	data := b.buf.Bytes()
	if off >= int64(len(data)) {
		return 0, io.EOF
	}
	n := copy(p, data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Reader returns a new reader over the whole body.
func (b *Body) Reader() io.Reader {
	if b.f == nil && b.buf != nil {
		return bytes.NewReader(b.buf.Bytes())
	}
	return io.NewSectionReader(b, 0, b.size)
}

// Close releases the body. It is safe to call more than once.
func (b *Body) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.done {
		return nil
	}
	b.done = true
	if b.f != nil {
		return b.f.Close()
	}
	// Very large buffers are not recycled: they would pin memory forever.
	if b.buf != nil && int64(b.buf.Cap()) <= 2*b.s.memLimit {
		b.s.bufs.Put(b.buf)
	}
	b.buf = nil
	return nil
}
