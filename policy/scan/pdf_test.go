package scan

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/policy/detect"
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
	// Before the cap: 42 s on an idle machine. PDFium inflates at 15-40
	// MB/s here depending on the load of the shared machine, so the
	// bound is loose; the memory bound below is the sharp one.
	if lim := 40 * time.Second; !raceEnabled && took > lim {
		t.Errorf("bomb took %v, want under %v", took, lim)
	}
	// The race detector's shadow memory multiplies RSS.
	if lim := int64(1 << 30); !raceEnabled && rss > lim {
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
func peakRSS(t *testing.T) int64 { return procStatus(t, "VmHWM") }

// procStatus returns a memory figure of /proc/self/status in bytes, or 0
// where /proc is missing.
func procStatus(t *testing.T, name string) int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+":"); ok {
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
		{"customers50.pdf", PersonalData, 48, 52},        // Calc, no grid
		{"customers50-writer.pdf", PersonalData, 49, 51}, // Writer table, wrapped cells, 6 pages, rows split by page breaks
		// heading repeated on every page, one row split by a page break:
		// 14 people, not 17 rows (issue 11)
		{"customers14-writer-split.pdf", PersonalData, 14, 14},
		// era dates of short parts only (S.48.9.12): no three-digit
		// number on the page, which was read as plain text (1 record)
		{"birthdays60-writer.pdf", PersonalData, 60, 60},
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

// TestPDFLostRows: a customer list whose columns were printed one after
// the other (all e-mail addresses, then all bank accounts) gives the
// detector loose identifiers and no records; it is personal data all the
// same (issue 11 item 3, fallback when no table is recoverable).
func TestPDFLostRows(t *testing.T) {
	var texts []pdftest.Text
	y := 800.0
	add := func(s string) { texts = append(texts, pdftest.Text{X: 50, Y: y, Size: 9, S: s}); y -= 12 }
	add("メールアドレス")
	for i := 0; i < 12; i++ {
		add(fmt.Sprintf("user%02d.name@docomo.ne.jp", i))
	}
	y -= 12
	add("振込口座")
	for i := 0; i < 12; i++ {
		add(fmt.Sprintf("三井住友銀行 新宿支店 普通 %07d", 1234567+i*7919))
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	res := scanFile(t, s, "list.pdf", pdftest.Page(texts))
	if res.Verdict != PersonalData || !hasReason(res, "could not be rebuilt") {
		t.Errorf("verdict %s %q", res.Verdict, res.Reasons)
	}
}

func TestLostRowsRule(t *testing.T) {
	loc := extract.Location{Part: "1", Path: "a.pdf"}
	at := func(kind string, count, records int) detect.Finding {
		return detect.Finding{Kind: kind, Count: count, Records: records, Where: detect.Location{Part: "1", Path: "a.pdf"}}
	}
	tests := []struct {
		name string
		fs   []detect.Finding
		want bool
	}{
		{"issue: email×50, bank×50, no records", []detect.Finding{at("email", 50, 0), at("bank_account", 50, 0)}, true},
		{"staff roster: phones and e-mails", []detect.Finding{at("phone", 60, 0), at("email", 60, 0)}, false},
		{"invoice: one of each", []detect.Finding{at("phone", 1, 0), at("bank_account", 1, 0), at("postal_address", 1, 0)}, false},
		{"bank accounts alone", []detect.Finding{at("bank_account", 40, 0)}, false},
		{"rows already found", []detect.Finding{at("email", 50, 48), at("birth_date", 50, 48)}, false},
		{"elsewhere in the message", []detect.Finding{{Kind: "email", Count: 50, Where: detect.Location{Part: "2"}}, at("bank_account", 50, 0)}, false},
	}
	for _, tc := range tests {
		if _, got := lostRows(tc.fs, loc); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestMemoryPDF50MB: a 50 MB message whose attachment is a 36 MB PDF (a
// photo under a customer table) stays within the 64 MB extra-heap goal,
// with the PDF engine already running (issue 12 item 14: 97-118 MB
// before, when PDFium's WebAssembly memory was a Go slice grown by
// copying). PDFium reads the file through a callback and never holds it
// whole, and its memory is a mapping outside the Go heap; what it adds
// shows in the resident set instead, logged next to the same message
// with a 36 MB attachment that is not read (a JPEG).
func TestMemoryPDF50MB(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("large; heap figures are meaningless under the race detector")
	}
	var texts []pdftest.Text
	for r, row := range [][]string{{"氏名", "電話番号", "生年月日"}, {"山田 太郎", "090-1234-5678", "1975/04/12"}, {"佐藤 花子", "080-2345-6789", "1982/11/03"}} {
		for c, cell := range row {
			texts = append(texts, pdftest.Text{X: 50 + 150*float64(c), Y: 780 - 16*float64(r), Size: 10, S: cell})
		}
	}
	s, _ := newTest(t, func(o *Options) { o.Limits.Timeout = 10 * time.Minute })
	s.tee = nil
	scanFile(t, s, "warm.pdf", pdftest.Page(texts[:1])) // start the engine
	photo := bytes.Repeat([]byte{0xff, 0xd8, 0xff, 0xe0}, 9<<20)
	base, res := peakExtra(t, s, attachMsg("application/octet-stream", "photo.jpg", photo))
	if res.Verdict != Clean {
		t.Errorf("photo: verdict %s %q", res.Verdict, res.Reasons)
	}
	pdf, res := peakExtra(t, s, attachMsg("application/pdf", "list.pdf", pdftest.WithPhoto(texts, 36)))
	mb := func(n int64) float64 { return float64(n) / (1 << 20) }
	t.Logf("peak extra heap: 36 MB PDF %.1f MB, 36 MB JPEG %.1f MB", mb(pdf.heap), mb(base.heap))
	t.Logf("peak extra RSS: 36 MB PDF %.1f MB, 36 MB JPEG %.1f MB (peak RSS of the test process %.0f MB, %.0f MB)",
		mb(pdf.rss), mb(base.rss), mb(pdf.peakRSS), mb(base.peakRSS))
	if res.Verdict != PersonalData {
		t.Errorf("pdf: verdict %s %q", res.Verdict, res.Reasons)
	}
	if lim := int64(64 << 20); pdf.heap > lim {
		t.Errorf("36 MB PDF: peak extra heap %.1f MB, want at most %d MB", mb(pdf.heap), lim>>20)
	}
}

func attachMsg(ctype, name string, data []byte) string {
	return "From: a@example.jp\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nhi\r\n--X\r\nContent-Type: " + ctype + "; name=" + name + "\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64(data) + "--X--\r\n"
}

// extraMem is what scanning one message added at its peak: Go heap in
// use, and the process's resident set (0 without /proc).
type extraMem struct{ heap, rss, peakRSS int64 }

// peakExtra scans raw and returns the peaks of HeapInuse and of the
// resident set above what they were before. The resident set includes
// heap pages the runtime kept from earlier work, so its growth can be
// less than the heap's.
func peakExtra(t *testing.T, s *Scanner, raw string) (extraMem, *Result) {
	stop := sampleHeap()
	rss := procStatus(t, "VmRSS")
	resetPeakRSS(t)
	start := time.Now()
	res := scanMsg(t, s, raw)
	heap := stop()
	peak := peakRSS(t)
	extra := extraMem{heap: heap, rss: max(peak-rss, 0), peakRSS: peak}
	t.Logf("message %d MB: %s in %v", len(raw)>>20, res.Verdict, time.Since(start))
	return extra, res
}
