package detect

import (
	"bytes"
	"fmt"
	"testing"
)

// FuzzText checks that free-text scanning never panics and that the
// result does not depend on how the text is chunked.
func FuzzText(f *testing.F) {
	for _, tc := range textCases {
		f.Add([]byte(tc.in), uint8(7))
	}
	f.Add([]byte("\xef\xbc"), uint8(1))
	f.Add([]byte("〒\n様\n@＠\xef\xbc\x90"), uint8(2))
	e := newEngine(f)
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		if len(data) > 32<<10 {
			return
		}
		whole := scanText(e, string(data), 0)
		parts := scanText(e, string(data), int(chunk)+1)
		a, b := fmt.Sprint(whole.Summary(), whole.Findings()), fmt.Sprint(parts.Summary(), parts.Findings())
		if a != b {
			t.Fatalf("chunking changed the result:\nwhole %s\nparts %s", a, b)
		}
	})
}

// FuzzTable checks that table scanning never panics on any rows.
func FuzzTable(f *testing.F) {
	for _, tc := range tableCases {
		f.Add([]byte(tc.csv))
	}
	f.Add([]byte("氏名,生年月日\n,\xff\n\xef\xbc\x90,29284.0\n"))
	e := newEngine(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := e.NewReport()
		tb := r.Table(Location{Path: "f.csv"})
		for _, line := range bytes.Split(data, []byte("\n")) {
			tb.Row(bytes.Split(line, []byte(",")))
		}
		tb.Close()
		tb.Row([][]byte{[]byte("after close")})
		s := r.Summary()
		if s.Records < 0 {
			t.Fatal("negative records")
		}
		for _, fd := range r.Findings() {
			if len(fd.Samples) > 3 {
				t.Fatalf("%d samples", len(fd.Samples))
			}
		}
	})
}
