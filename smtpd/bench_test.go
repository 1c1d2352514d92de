package smtpd

import (
	"io"
	"os"
	"testing"
)

// BenchmarkDataChecker measures the per-byte checks on DATA (line ends,
// NUL, line length, header size) over the bench harness's messages, in
// go-smtp's 32 KB writes. Run with:
//
//	go test -run '^$' -bench DataChecker -benchtime 1s ./smtpd
func BenchmarkDataChecker(b *testing.B) {
	for _, name := range []string{"text4k", "csv100k"} {
		data, err := os.ReadFile("../gateway/testdata/bench-" + name + ".eml")
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				d := newDataChecker(io.Discard, 1<<20)
				for p := data; len(p) > 0; {
					n := min(len(p), 32<<10)
					d.Write(p[:n])
					p = p[n:]
				}
				if err := d.verdict(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
