package pdftest

import (
	"bytes"
	"compress/zlib"
	"io"
	"testing"
)

// TestZeros checks the hand-assembled stream against the standard
// library's reader, checksum included.
func TestZeros(t *testing.T) {
	r, err := zlib.NewReader(bytes.NewReader(Zeros(8)))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	buf := make([]byte, 1<<16)
	for {
		m, err := r.Read(buf)
		if bytes.ContainsFunc(buf[:m], func(r rune) bool { return r != 0 }) {
			t.Fatal("non-zero byte")
		}
		n += int64(m)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("after %d bytes: %v", n, err)
		}
	}
	if n != 8<<20 {
		t.Fatalf("inflated %d bytes, want %d", n, 8<<20)
	}
}
