package scan

import (
	"bytes"
	"context"
	"fmt"
	"github.com/okuri/okuri/policy/extract"
	"strings"
	"testing"
)

// benchCSV returns a customer-list-like CSV of about n bytes: realistic
// cells (names, kana, dates, phones, addresses, mail) so the detectors do
// their real work.
func benchCSV(n int) string {
	var b strings.Builder
	b.WriteString("顧客番号,氏名,フリガナ,生年月日,電話番号,住所,メール,備考\r\n")
	sur := []string{"山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村"}
	giv := []string{"太郎", "花子", "一郎", "美咲", "健太", "陽子", "翔", "愛"}
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "%06d,%s%s,ヤマダ タロウ,19%02d/%02d/%02d,090-%04d-%04d,東京都千代田区丸の内%d-%d-%d,user%d@example.jp,\"特記事項なし, 継続\"\r\n",
			i, sur[i%8], giv[(i/8)%8], 40+i%50, 1+i%12, 1+i%28, i%10000, (i*7)%10000, 1+i%9, 1+i%20, 1+i%30, i)
	}
	return b.String()
}

// benchXLSX returns an XLSX whose sheet XML is about n bytes, and that
// size (the throughput target is MB/s of uncompressed XML).
func benchXLSX(tb testing.TB, n int) ([]byte, int) {
	var sst, sheet strings.Builder
	sst.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	sheet.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	sheet.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>氏名</t></is></c><c r="B1" t="inlineStr"><is><t>フリガナ</t></is></c><c r="C1" t="inlineStr"><is><t>電話番号</t></is></c><c r="D1" t="inlineStr"><is><t>住所</t></is></c><c r="E1" t="inlineStr"><is><t>生年月日</t></is></c></row>`)
	nstr := 0
	for i := 2; sheet.Len() < n; i++ {
		fmt.Fprintf(&sst, `<si><t>山田%d太郎</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh></si><si><t>ヤマダ タロウ</t></si>`, i)
		fmt.Fprintf(&sheet, `<row r="%d" spans="1:5"><c r="A%d" s="1" t="s"><v>%d</v></c><c r="B%d" s="1" t="s"><v>%d</v></c><c r="C%d" t="str"><v>090-%04d-%04d</v></c><c r="D%d" t="inlineStr"><is><t>東京都千代田区丸の内%d-2-3</t></is></c><c r="E%d" s="2"><v>%d</v></c></row>`,
			i, i, nstr, i, nstr+1, i, i%10000, (i*7)%10000, i, i%9+1, i, 20000+i%9000)
		nstr += 2
	}
	sst.WriteString(`</sst>`)
	sheet.WriteString(`</sheetData></worksheet>`)
	data := mkzip(tb,
		zent{name: "[Content_Types].xml", data: []byte(`<Types/>`)},
		zent{name: "xl/workbook.xml", data: []byte(`<workbook><sheets><sheet name="顧客" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
		zent{name: "xl/sharedStrings.xml", data: []byte(sst.String())},
		zent{name: "xl/worksheets/sheet1.xml", data: []byte(sheet.String())},
	)
	return data, sst.Len() + sheet.Len()
}

func benchScanFile(b *testing.B, name string, data []byte, size int) {
	s, err := New(DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		res, err := s.ScanFile(context.Background(), name, bytes.NewReader(data), int64(len(data)))
		if err != nil {
			b.Fatal(err)
		}
		if res.Verdict != PersonalData {
			b.Fatalf("verdict %s %q", res.Verdict, res.Reasons)
		}
	}
}

func BenchmarkScanCSVUTF8(b *testing.B) {
	data := []byte(benchCSV(32 << 20))
	benchScanFile(b, "list.csv", data, len(data))
}

func BenchmarkScanCSVShiftJIS(b *testing.B) {
	data := sjis(b, benchCSV(32<<20))
	benchScanFile(b, "list.csv", data, len(data))
}

func BenchmarkScanXLSX(b *testing.B) {
	data, xml := benchXLSX(b, 32<<20)
	benchScanFile(b, "list.xlsx", data, xml)
}

// TestMemory50MB scans a message with a 50 MB base64 attachment and
// checks the extra heap stays under 64 MB: the body is decoded to a temp
// file above MemThreshold and streamed from there.
func TestMemory50MB(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("large; heap figures are meaningless under the race detector")
	}
	csv := benchCSV(50 << 20)
	var msg strings.Builder
	msg.WriteString("From: a@example.jp\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nhi\r\n--X\r\nContent-Type: text/csv; name=big.csv\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	msg.WriteString(b64([]byte(csv)))
	msg.WriteString("--X--\r\n")
	raw := msg.String()
	csv = ""
	s, _ := newTest(t)
	s.tee = nil
	stop := sampleHeap()
	res := scanMsg(t, s, raw)
	extra := stop()
	t.Logf("verdict %s; message %d MB; peak extra heap %.1f MB", res.Verdict, len(raw)>>20, float64(extra)/(1<<20))
	if res.Verdict != PersonalData {
		t.Errorf("verdict %s %q", res.Verdict, res.Reasons)
	}
	if extra > 64<<20 {
		t.Errorf("extra heap %d MB > 64 MB", extra>>20)
	}
}

// discardSink receives extracted content and drops it: the Extract
// benchmarks measure okuri's extraction alone, without the detectors.
type discardSink struct{}

func (discardSink) Text(extract.Location) extract.TextWriter   { return discardText{} }
func (discardSink) Table(extract.Location) extract.TableWriter { return discardTable{} }

type discardText struct{}

func (discardText) Write(p []byte) (int, error) { return len(p), nil }
func (discardText) Close() error                { return nil }

type discardTable struct{}

func (discardTable) Row([][]byte) error { return nil }
func (discardTable) Close() error       { return nil }

func benchExtract(b *testing.B, name string, data []byte, size int) {
	s, err := New(DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		r, cancel := s.newRun(context.Background())
		r.sink = discardSink{}
		f := &file{loc: extract.Location{Part: "1", Path: name}, name: name, ra: bytes.NewReader(data), size: int64(len(data))}
		if err := r.scanPart(f, true, ""); err != nil {
			b.Fatal(err)
		}
		if v := r.parts[0].Verdict; v != "" {
			b.Fatalf("verdict %s %s", v, r.parts[0].Reason)
		}
		cancel()
	}
}

func BenchmarkExtractCSVUTF8(b *testing.B) {
	data := []byte(benchCSV(32 << 20))
	benchExtract(b, "list.csv", data, len(data))
}

func BenchmarkExtractCSVShiftJIS(b *testing.B) {
	data := sjis(b, benchCSV(32<<20))
	benchExtract(b, "list.csv", data, len(data))
}

func BenchmarkExtractXLSX(b *testing.B) {
	data, xml := benchXLSX(b, 32<<20)
	benchExtract(b, "list.xlsx", data, xml)
}

// BenchmarkExtractMessage runs the MIME walk on a message with a 16 MB
// base64 CSV attachment (splitting, transfer decoding, spooling) and
// drops the extracted content; MB/s is per MB of message.
func BenchmarkExtractMessage(b *testing.B) {
	var msg strings.Builder
	msg.WriteString("From: a@example.jp\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: text/plain\r\n\r\nhi\r\n--X\r\nContent-Type: text/csv; name=big.csv\r\nContent-Transfer-Encoding: base64\r\n\r\n")
	msg.WriteString(b64([]byte(benchCSV(16 << 20))))
	msg.WriteString("--X--\r\n")
	raw := []byte(msg.String())
	opts := DefaultOptions()
	opts.TempDir = b.TempDir()
	s, err := New(opts)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		r, cancel := s.newRun(context.Background())
		r.sink = discardSink{}
		if err := r.message(bytes.NewReader(raw), "", 0, -1); err != nil {
			b.Fatal(err)
		}
		if len(r.parts) != 2 || r.parts[1].Verdict != "" {
			b.Fatalf("parts %+v", r.parts)
		}
		cancel()
	}
}
