package scan

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Fuzz targets: seeds only in CI (go test runs them as tests); run with
// -fuzz locally. Each checks no panic escapes, no hang (the scan deadline
// bounds the work) and that a verdict is always produced.

func fuzzScanner(t testing.TB) *Scanner {
	opts := DefaultOptions()
	opts.TempDir = t.TempDir()
	opts.Limits.Timeout = 5 * time.Second
	opts.Limits.MaxTotalBytes = 64 << 20
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func checkResult(t *testing.T, res *Result, err error) {
	if err != nil {
		t.Fatalf("error %v", err)
	}
	if res.Verdict == "" {
		t.Fatal("empty verdict")
	}
	for _, p := range res.Parts {
		if p.Verdict == "" {
			t.Fatalf("part %s without verdict", p.Path)
		}
		// Panics are recovered into verdicts in production; here they
		// are bugs to find.
		if strings.Contains(p.Reason, "internal error") {
			t.Fatalf("part %s: extractor panicked", p.Path)
		}
	}
}

func FuzzMIME(f *testing.F) {
	f.Add([]byte("Content-Type: text/plain; charset=iso-2022-jp\r\n\r\n\x1b$B;3ED\x1b(B\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\nContent-Type: message/rfc822\r\n\r\nContent-Type: text/csv; name=a.csv\r\n\r\na,b\r\n1,2\r\n--X\r\nContent-Disposition: attachment; filename*0*=utf-8''%E5; filename*1=x\r\nContent-Transfer-Encoding: base64\r\n\r\nUEsDBA==\r\n--X--\r\n"))
	f.Add([]byte("Subject: =?Shift_JIS?B?gqA=?=\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<table><tr><td>=E5=B1=B1</td></tr></table>\r\n"))
	f.Add([]byte("Content-Type: multipart/mixed; boundary=X\r\n\r\npreamble a,b\r\n--X\r\nContent-Type: application/pgp-signature\r\nContent-Type: text/csv\r\n\r\na,b\r\n--X--\r\nepilogue\r\n"))
	f.Add([]byte("Content-Type: text/plain\r\n\r\ntext\r\nbegin 644 a.csv\r\n#0V%T\r\n`\r\nend\r\nbegin-base64 644 b.txt\r\nSGVsbG8=\r\n====\r\n"))
	s := fuzzScanner(f)
	f.Fuzz(func(t *testing.T, msg []byte) {
		res, err := s.Scan(context.Background(), bytes.NewReader(msg), int64(len(msg)))
		checkResult(t, res, err)
	})
}

func FuzzZip(f *testing.F) {
	f.Add(mkzip(f, zent{name: "a.csv", data: []byte("a,b\n1,2\n")}, zent{name: "n.zip", data: mkzip(f, zent{name: "x.txt", data: []byte("x")})}))
	var z rawZip
	off := z.local("k", []byte("kernel"))
	z.central("k", []byte("kernel"), off)
	z.central("k2", []byte("kernel"), off)
	f.Add(z.bytes())
	s := fuzzScanner(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := s.ScanFile(context.Background(), "a.zip", bytes.NewReader(data), int64(len(data)))
		checkResult(t, res, err)
	})
}

func FuzzOOXML(f *testing.F) {
	for _, fx := range []func(testing.TB) []byte{xlsxFixture, docxFixture, pptxFixture, odsFixture} {
		f.Add(fx(f))
	}
	for _, name := range []string{"customers.xlsx", "letter.docx"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
	s := fuzzScanner(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := s.ScanFile(context.Background(), "a.xlsx", bytes.NewReader(data), int64(len(data)))
		checkResult(t, res, err)
	})
}

// FuzzText covers the text paths: charset detection, CSV, HTML, RTF.
func FuzzText(f *testing.F) {
	f.Add("a.csv", []byte("氏名,電話\n\"山田\",\"090\"\"1\"\n"))
	f.Add("a.html", []byte("<html><body><table><tr><td>a&nbsp;b</td></tr></table><script>x</script></body></html>"))
	f.Add("a.rtf", []byte(`{\rtf1\ansi\ansicpg932{\fonttbl{\f0\fcharset128 MS;}}\f0 \'8e\'81\u23665?\par}`))
	f.Add("a.txt", []byte("\xff\xfeA\x00B\x00"))
	f.Add("a.json", []byte(`[{"氏名":"山田","n":1.5e3,"x":[null,true,{"y":"z"}]}]`))
	f.Add("a.vcf", []byte("BEGIN:VCARD\r\nN;ENCODING=QUOTED-PRINTABLE:=E5=\r\n=B1=B1\r\nEND:VCARD\r\n"))
	s := fuzzScanner(f)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		res, err := s.ScanFile(context.Background(), name, bytes.NewReader(data), int64(len(data)))
		checkResult(t, res, err)
	})
}
