package detect_test

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/okuri/okuri/policy/detect"
	"github.com/okuri/okuri/policy/scan"
)

// BenchmarkEndToEnd runs policy/scan's Scanner.ScanFile on the inputs of
// policy/scan's BenchmarkScan* (same generators, 32 MiB) and reports
// MB/cpu-s next to MB/s: on a shared machine the wall clock swings with
// other people's load, CPU time much less. The detectors are most of
// this cost for CSV; see docs/perf-detect.md.
func BenchmarkEndToEnd(b *testing.B) {
	csv := e2eCSV(32 << 20)
	sj, _, err := transform.String(japanese.ShiftJIS.NewEncoder(), csv)
	if err != nil {
		b.Fatal(err)
	}
	xlsx, xml := e2eXLSX(b, 32<<20)
	for _, tc := range []struct {
		name string
		file string
		data []byte
		size int
	}{
		{"CSVUTF8", "list.csv", []byte(csv), len(csv)},
		{"CSVShiftJIS", "list.csv", []byte(sj), len(sj)},
		{"XLSX", "list.xlsx", xlsx, xml},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, err := scan.New(scan.DefaultOptions())
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.SetBytes(int64(tc.size))
			b.ReportAllocs()
			start := detect.CPUTime()
			for b.Loop() {
				res, err := s.ScanFile(context.Background(), tc.file, bytes.NewReader(tc.data), int64(len(tc.data)))
				if err != nil {
					b.Fatal(err)
				}
				if res.Verdict != scan.PersonalData {
					b.Fatalf("verdict %s %q", res.Verdict, res.Reasons)
				}
			}
			if d := detect.CPUTime() - start; d > 0 {
				b.ReportMetric(float64(tc.size)*float64(b.N)/1e6/d.Seconds(), "MB/cpu-s")
			}
		})
	}
}

// e2eCSV is policy/scan's benchCSV.
func e2eCSV(n int) string {
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

// e2eXLSX is policy/scan's benchXLSX: an XLSX whose sheet XML is about
// n bytes, and the size of its XML (the target is MB/s of XML).
func e2eXLSX(tb testing.TB, n int) ([]byte, int) {
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
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []struct{ name, data string }{
		{"[Content_Types].xml", `<Types/>`},
		{"xl/workbook.xml", `<workbook><sheets><sheet name="顧客" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/sharedStrings.xml", sst.String()},
		{"xl/worksheets/sheet1.xml", sheet.String()},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate})
		if err != nil {
			tb.Fatal(err)
		}
		w.Write([]byte(e.data))
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), sst.Len() + sheet.Len()
}
