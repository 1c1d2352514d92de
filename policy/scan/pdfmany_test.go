package scan

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// brokenPDFs returns n tiny files named *.pdf that no PDF reader opens,
// of four kinds in turn: truncated after a few hundred bytes, the header
// alone, text without a header, and random bytes.
func brokenPDFs(t testing.TB, n int) []zent {
	letter, err := os.ReadFile(filepath.Join("testdata", "letter.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	var ents []zent
	for i := range n {
		var data []byte
		switch i % 4 {
		case 0:
			data = letter[:20+rnd.IntN(400)]
		case 1:
			data = []byte("%PDF-1.4\n")
		case 2:
			data = []byte(fmt.Sprintf("Quotation %d\n", i))
		case 3:
			data = make([]byte, 4+rnd.IntN(20))
			for j := range data {
				data[j] = byte(rnd.Uint32())
			}
		}
		ents = append(ents, zent{name: fmt.Sprintf("scan%03d.pdf", i), data: data})
	}
	return ents
}

// TestManyBrokenPDFs: a zip of 250 tiny broken PDFs (issue 12) is
// unscannable with a reason naming each file, none of them clean, and
// costs no PDFium instance: PDFium's refusal is an answer, not a fault,
// and files that are no PDF at all never reach it. Each instance
// replaced cost ~10 ms; 250 of them took ~42 s on a loaded machine.
func TestManyBrokenPDFs(t *testing.T) {
	letter, err := os.ReadFile(filepath.Join("testdata", "letter.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	if res := scanFile(t, s, "letter.pdf", letter); res.Verdict != PersonalData { // start PDFium
		t.Fatalf("letter.pdf: %s %q", res.Verdict, res.Reasons)
	}
	started := s.pdfPool.Instances()
	ents := brokenPDFs(t, 250)
	start := time.Now()
	res := scanFile(t, s, "broken.zip", mkzip(t, ents...))
	t.Logf("250 broken PDFs: %s in %v", res.Verdict, time.Since(start))
	if res.Verdict != Unscannable {
		t.Errorf("verdict %s, want unscannable", res.Verdict)
	}
	for _, e := range ents {
		path := "1/broken.zip/" + e.name
		p := partByPath(res, path)
		if p == nil || p.Verdict != Unscannable || p.Reason == "" {
			t.Errorf("%s (%q): %+v", e.name, e.data[:min(len(e.data), 12)], p)
			continue
		}
		if !hasReason(res, path+": ") {
			t.Errorf("no reason names %s", path)
		}
	}
	if n := s.pdfPool.Instances() - started; n != 0 {
		t.Errorf("%d PDFium instances started for the broken PDFs, want 0", n)
	}
	if res := scanFile(t, s, "letter.pdf", letter); res.Verdict != PersonalData {
		t.Errorf("letter.pdf after the broken ones: %s %q", res.Verdict, res.Reasons)
	}
}

// TestPDFHeader: a file is read as a PDF when "%PDF-" starts within its
// first 1024 bytes (where PDFium looks for it); a file named or typed as
// a PDF without it is not clean, and its text is still scanned.
func TestPDFHeader(t *testing.T) {
	letter, err := os.ReadFile(filepath.Join("testdata", "letter.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	junk := func(n int) []byte { return bytes.Repeat([]byte("x"), n) }
	customers := []byte("氏名,電話番号,生年月日\n山田 太郎,090-1234-5678,1975/04/12\n佐藤 花子,080-2345-6789,1982/11/03\n")
	tests := []struct {
		name   string
		data   []byte
		want   Verdict
		reason string
	}{
		{"letter.pdf", letter, PersonalData, ""},
		{"junk-then-letter.pdf", append(junk(1019), letter...), PersonalData, ""},
		{"header-at-1024.pdf", append(junk(1024), letter...), PersonalData, ""},
		{"header-at-1025.pdf", append(junk(1025), letter...), Unscannable, "no %PDF- header"},
		{"note.pdf", []byte("Quotation for April\n"), Unscannable, "no %PDF- header"},
		{"list.pdf", customers, PersonalData, "no %PDF- header"},
		{"note.txt", []byte("Quotation for April\n"), Clean, ""},
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := scanFile(t, s, tc.name, tc.data)
			if res.Verdict != tc.want || tc.reason != "" && !hasReason(res, "1/"+tc.name+": "+"not a PDF") {
				t.Errorf("verdict %s %q, want %s with %q", res.Verdict, res.Reasons, tc.want, tc.reason)
			}
			if tc.reason != "" && !hasReason(res, tc.reason) {
				t.Errorf("reasons %q lack %q", res.Reasons, tc.reason)
			}
		})
	}
	msg := attachMsg("application/pdf", "quote", []byte("Quotation for April\n"))
	if res := scanMsg(t, s, msg); res.Verdict != Unscannable || !hasReason(res, "no %PDF- header") {
		t.Errorf("application/pdf part without a header: %s %q", res.Verdict, res.Reasons)
	}
}

// BenchmarkManyPDFs: the cost per PDF of a zip of n PDFs, valid
// (letter.pdf, one page) or broken (brokenPDFs), against one alone: a
// message with many PDFs must cost no more than n single ones
// (docs/perf-scan.md).
func BenchmarkManyPDFs(b *testing.B) {
	letter, err := os.ReadFile(filepath.Join("testdata", "letter.pdf"))
	if err != nil {
		b.Fatal(err)
	}
	valid := func(n int) []zent {
		var ents []zent
		for i := range n {
			ents = append(ents, zent{name: fmt.Sprintf("letter%03d.pdf", i), data: letter})
		}
		return ents
	}
	s, _ := newTest(b, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	s.tee = nil
	scanFile(b, s, "letter.pdf", letter) // start PDFium
	for _, bc := range []struct {
		name string
		ents []zent
	}{
		{"valid-1", valid(1)},
		{"valid-50", valid(50)},
		{"broken-1", brokenPDFs(b, 1)},
		{"broken-250", brokenPDFs(b, 250)},
	} {
		z := mkzip(b, bc.ents...)
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				scanFile(b, s, "a.zip", z)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(bc.ents))/1000, "ms/pdf")
		})
	}
}

// TestPDFWorkersOption: Options.PDFWorkers (scan.pdf_workers) is the
// number of PDFium instances started.
func TestPDFWorkersOption(t *testing.T) {
	letter, err := os.ReadFile(filepath.Join("testdata", "letter.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 3} {
		s, _ := newTest(t, func(o *Options) { o.PDFWorkers = n })
		scanFile(t, s, "letter.pdf", letter)
		if got := s.pdfPool.Instances(); got != int64(n) {
			t.Errorf("PDFWorkers %d: %d instances started", n, got)
		}
	}
}
