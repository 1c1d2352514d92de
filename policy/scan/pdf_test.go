package scan

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/pdf/pdftest"
)

// TestPDFFlateBomb: a page content stream of 1 GiB of zeros, compressed
// to about 1 MiB, must be unscannable (never clean) within a bounded time,
// and the next ordinary PDF must scan right after it on the same engine
// (issue 12 item 14: the bomb took 3.3 GB RSS, kept until restart, and held
// every other PDF behind it for about 35 s).
func TestPDFFlateBomb(t *testing.T) {
	letter, err := os.ReadFile(filepath.Join("testdata", "letter.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute; o.PDFWorkers = 1 })
	// Start PDFium first: its compilation is not what is measured.
	if res := scanFile(t, s, "letter.pdf", letter); res.Verdict != PersonalData {
		t.Fatalf("letter.pdf before the bomb: %s %q", res.Verdict, res.Reasons)
	}
	bomb := pdftest.FlateBomb(1024, "Price list 2026")
	runtime.GC()
	resetPeakRSS(t)
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	res := scanFile(t, s, "pricelist.pdf", bomb)
	took := time.Since(start)
	rss := peakRSS(t)
	t.Logf("bomb (%d KiB → 1 GiB): %s %q in %v; peak RSS %d MiB", len(bomb)>>10, res.Verdict, res.Reasons, took, rss>>20)
	if res.Verdict != Unscannable || !hasReason(res, "memory") {
		t.Errorf("bomb verdict %s %q, want unscannable for its memory", res.Verdict, res.Reasons)
	}
	if lim := 20 * time.Second; !raceEnabled && took > lim {
		t.Errorf("bomb took %v, want under %v", took, lim)
	}
	if lim := int64(1 << 30); rss > lim && rss > 0 {
		t.Errorf("peak RSS %d MiB, want under %d MiB", rss>>20, lim>>20)
	}
	start = time.Now()
	res = scanFile(t, s, "letter.pdf", letter)
	t.Logf("letter.pdf after the bomb: %s in %v", res.Verdict, time.Since(start))
	if res.Verdict != PersonalData {
		t.Errorf("letter.pdf after the bomb: %s %q", res.Verdict, res.Reasons)
	}
}

// resetPeakRSS resets the kernel's high-water mark of this process's
// resident set (Linux; elsewhere peakRSS reports 0).
func resetPeakRSS(t *testing.T) {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Logf("cannot reset peak RSS: %v", err)
	}
}

// peakRSS returns VmHWM in bytes, or 0 where /proc is missing.
func peakRSS(t *testing.T) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// TestPDFBombDoesNotBlock: with two workers, an ordinary PDF is read while
// a bomb occupies the other one, instead of waiting behind it.
func TestPDFBombDoesNotBlock(t *testing.T) {
	letter, err := os.ReadFile(filepath.Join("testdata", "letter.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute; o.PDFWorkers = 2 })
	if res := scanFile(t, s, "letter.pdf", letter); res.Verdict != PersonalData {
		t.Fatalf("letter.pdf: %s %q", res.Verdict, res.Reasons)
	}
	bomb := pdftest.FlateBomb(1024, "Price list 2026")
	bombDone := make(chan *Result, 1)
	go func() {
		res, _ := s.ScanFile(context.Background(), "pricelist.pdf", bytes.NewReader(bomb), int64(len(bomb)))
		bombDone <- res
	}()
	res := scanFile(t, s, "letter.pdf", letter)
	select {
	case <-bombDone:
		t.Errorf("the ordinary PDF finished after the bomb")
	default:
	}
	if res.Verdict != PersonalData {
		t.Errorf("letter.pdf next to the bomb: %s %q", res.Verdict, res.Reasons)
	}
	if b := <-bombDone; b == nil || b.Verdict != Unscannable {
		t.Errorf("bomb: %+v", b)
	}
}

// TestPDFEmbeddedFiles: files carried inside a PDF are scanned as files
// (issue 11 item 5): a customer CSV attached to an invoice is personal
// data, a password zip attached to it is encrypted, and a file on a
// page's attachment annotation is found too.
func TestPDFEmbeddedFiles(t *testing.T) {
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("testdata", "pdf", name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	csv := sjis(t, "氏名,電話番号,生年月日\r\n山田 太郎,090-1234-5678,1975/04/12\r\n佐藤 花子,080-2345-6789,1982/11/03\r\n鈴木 一郎,070-3456-7890,1968/01/20\r\n")
	tests := []struct {
		name string
		data []byte
		want Verdict
		part string // the embedded file's part, with its own verdict
	}{
		{"invoice.pdf", read("invoice.pdf"), Clean, ""},
		{"invoice-attached-csv.pdf", read("invoice-attached-csv.pdf"), PersonalData, "1/invoice-attached-csv.pdf/顧客リスト.csv"},
		{"invoice-attached-zip.pdf", read("invoice-attached-zip.pdf"), Encrypted, "1/invoice-attached-zip.pdf/顧客リスト.zip"},
		{"annotation.pdf", pdftest.FileAnnotation("Quotation", "list.csv", csv), PersonalData, "1/annotation.pdf/list.csv"},
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := scanFile(t, s, tc.name, tc.data)
			if res.Verdict != tc.want {
				t.Errorf("verdict %s want %s (%q)", res.Verdict, tc.want, res.Reasons)
			}
			if tc.part == "" {
				return
			}
			if p := partByPath(res, tc.part); p == nil || p.Verdict != tc.want {
				t.Errorf("part %s: %+v; parts %+v", tc.part, p, res.Parts)
			}
		})
	}
}

// TestPDFEmbeddedLimits: an embedded file past the depth limit, or larger
// than max_file_bytes, is unscannable, never skipped.
func TestPDFEmbeddedLimits(t *testing.T) {
	csv := []byte("name,phone\nTaro Yamada,090-1234-5678\n")
	doc := pdftest.FileAnnotation("Quotation", "list.csv", csv)
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute; o.Limits.MaxFileBytes = 16 })
	if res := scanFile(t, s, "a.pdf", doc); res.Verdict != Unscannable || !hasReason(res, extract.LimitFileSize) {
		t.Errorf("file over max_file_bytes: %s %q", res.Verdict, res.Reasons)
	}
	inner := mkzip(t, zent{name: "a.pdf", data: doc})
	s, _ = newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute; o.Limits.MaxDepth = 1 })
	if res := scanFile(t, s, "a.zip", inner); res.Verdict != Unscannable || !hasReason(res, extract.LimitDepth) {
		t.Errorf("file past max_depth: %s %q", res.Verdict, res.Reasons)
	}
}

// TestPDFTables: customer lists printed to PDF by other programs keep
// their rows (issue 11 item 3): the rows are rebuilt from glyph positions
// and go through the table detector, so records count people. Company
// documents without people stay clean.
func TestPDFTables(t *testing.T) {
	tests := []struct {
		file       string
		want       Verdict
		minRecords int
		maxRecords int
	}{
		{"customers50.pdf", PersonalData, 48, 52},          // Calc, no grid
		{"customers50-writer.pdf", PersonalData, 45, 60},   // Writer table, wrapped cells, 6 pages
		{"customers50-noborder.pdf", PersonalData, 45, 60}, // the same without borders
		{"clients30.pdf", PersonalData, 29, 31},            // groff tbl + ghostscript, English
		{"transfer.pdf", PersonalData, 1, 1},               // one-customer form
		{"pricelist.pdf", Clean, 0, 0},
		{"invoice.pdf", Clean, 0, 0},
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "pdf", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			res := scanFile(t, s, tc.file, data)
			rec := res.Summary.Records
			if res.Verdict != tc.want || rec < tc.minRecords || rec > tc.maxRecords {
				t.Errorf("verdict %s records %d, want %s with %d–%d records (%q)", res.Verdict, rec, tc.want, tc.minRecords, tc.maxRecords, res.Reasons)
			}
		})
	}
}
