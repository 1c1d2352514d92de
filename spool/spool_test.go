package spool

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"
)

func TestSpoolMemoryAndFile(t *testing.T) {
	s := New(t.TempDir(), 1024)
	for _, size := range []int{0, 10, 1024, 1025, 200000} {
		data := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		w := s.NewWriter()
		// Write in odd chunks to cross the threshold mid-write.
		for rest := data; len(rest) > 0; {
			n := min(len(rest), 333)
			if _, err := w.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		b, err := w.Finish()
		if err != nil {
			t.Fatal(err)
		}
		if b.Size() != int64(size) || b.InMemory() != (size <= 1024) {
			t.Fatalf("size %d: Size=%d InMemory=%v", size, b.Size(), b.InMemory())
		}
		for range 2 { // readable more than once
			got, err := io.ReadAll(b.Reader())
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("size %d: read back %d bytes, err %v", size, len(got), err)
			}
		}
		if size > 20 {
			p := make([]byte, 5)
			if _, err := b.ReadAt(p, 16); err != nil || string(p) != "01234" {
				t.Fatalf("ReadAt = %q, %v", p, err)
			}
		}
		b.Close()
		b.Close()
	}
}

func TestSpoolFileLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	s := New(dir, 4)
	w := s.NewWriter()
	io.Copy(w, strings.NewReader("more than four bytes"))
	b, err := w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("spool left %d files in %s", len(entries), dir)
	}
	b.Close()
}

// TestReadFrom: io.Copy into a Writer (as the scanner spools parts) keeps
// what Write keeps, in memory up to the limit and in a file past it,
// whatever sizes the reader returns.
func TestReadFrom(t *testing.T) {
	const limit = 1000
	s := New(t.TempDir(), limit)
	for _, size := range []int{0, 1, limit - 1, limit, limit + 1, 5*limit + 3} {
		data := bytes.Repeat([]byte("0123456789abcdef"), size/16+1)[:size]
		for name, r := range map[string]func() io.Reader{
			"whole":    func() io.Reader { return bytes.NewReader(data) },
			"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
			"half":     func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) },
		} {
			w := s.NewWriter()
			n, err := io.Copy(w, r())
			if err != nil || n != int64(size) {
				t.Fatalf("%d %s: copied %d, %v", size, name, n, err)
			}
			b, err := w.Finish()
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(b.Reader())
			if !bytes.Equal(got, data) || b.Size() != int64(size) {
				t.Errorf("%d %s: read back %d bytes (size %d), want the %d written", size, name, len(got), b.Size(), size)
			}
			if want := size <= limit; b.InMemory() != want {
				t.Errorf("%d %s: in memory %v, want %v", size, name, b.InMemory(), want)
			}
			b.Close()
		}
	}
}
