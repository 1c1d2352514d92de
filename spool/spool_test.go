package spool

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
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
