package pdf

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/extracttest"
	"github.com/okuri/okuri/policy/extract/pdf/pdftest"
)

var (
	poolOnce sync.Once
	testPool *Pool
	poolErr  error
)

func pool(t testing.TB) *Pool {
	poolOnce.Do(func() { testPool, poolErr = NewPool(Config{Workers: 1}) })
	if poolErr != nil {
		t.Fatal(poolErr)
	}
	return testPool
}

func run(t testing.TB, data []byte) (string, error) {
	sink := extracttest.New()
	ctx := context.Background()
	_, err := pool(t).Extract(ctx, Doc{R: bytes.NewReader(data), Size: int64(len(data)), Sink: sink, MaxPages: 100, Budget: extract.NewBudget(ctx, 1<<30)})
	return sink.AllText(), err
}

func TestPDF(t *testing.T) {
	const want = "山田太郎 ０９０－１２３４－５６７８ 東京都千代田区"
	ucs2, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte(want))
	rksj, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte(want))
	letter, err := os.ReadFile("../../scan/testdata/letter.pdf")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		want string
		err  error
	}{
		{"UniJIS-UCS2-H without ToUnicode", extracttest.CJKPDF("UniJIS-UCS2-H", ucs2), want, nil},
		{"90ms-RKSJ-H without ToUnicode", extracttest.CJKPDF("90ms-RKSJ-H", rksj), want, nil},
		{"LibreOffice export", letter, "東京都千代田区丸の内", nil},
		{"image only", extracttest.ImagePDF(), "", ErrNoText},
		{"garbage", []byte("%PDF-1.4\nnot really"), "", errors.New("any")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := run(t, tc.data)
			switch {
			case tc.err == nil && err != nil:
				t.Fatalf("err %v", err)
			case tc.err == ErrNoText && !errors.Is(err, ErrNoText):
				t.Fatalf("err %v, want ErrNoText", err)
			case tc.err != nil && err == nil:
				t.Fatalf("no error; text %q", got)
			}
			if !strings.Contains(got, tc.want) {
				t.Fatalf("text %q does not contain %q", got, tc.want)
			}
		})
	}
}

func FuzzPDF(f *testing.F) {
	f.Add(extracttest.CJKPDF("UniJIS-UCS2-H", []byte{0x5c, 0x71}))
	f.Add(extracttest.ImagePDF())
	f.Add(pdftest.FileAnnotation("Quotation", "list.csv", []byte("name,phone\nTaro,090-1234-5678\n")))
	f.Add(pdftest.Page([]pdftest.Text{{X: 50, Y: 800, Size: 10, S: "氏名"}, {X: 200, Y: 800, Size: 10, S: "電話 090-1234-5678 a@b.jp"}, {X: 50, Y: 784, Size: 10, S: "山田 太郎"}}))
	f.Add(pdftest.RotatedPage(90, []pdftest.Text{{X: 50, Y: 500, Size: 10, S: "Name 1975/04/12 090-1234-5678 x@y.jp"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		run(t, data)
	})
}

// TestStartup measures the one-time cost of starting PDFium, cold and with
// the compilation cache (numbers go to docs/perf-scan.md).
func TestStartup(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	dir := t.TempDir()
	for _, name := range []string{"cold (fills cache)", "warm cache"} {
		p, err := NewPool(Config{Workers: 1, CacheDir: dir})
		if err != nil {
			t.Fatal(err)
		}
		letter, _ := os.ReadFile("../../scan/testdata/letter.pdf")
		ctx := context.Background()
		var times []time.Duration
		for i := 0; i < 3; i++ {
			start := time.Now()
			_, err := p.Extract(ctx, Doc{R: bytes.NewReader(letter), Size: int64(len(letter)), Sink: extracttest.New(), MaxPages: 10, Budget: extract.NewBudget(ctx, 1<<30)})
			if err != nil {
				t.Fatal(err)
			}
			times = append(times, time.Since(start))
		}
		t.Logf("%s: start-up %v; letter.pdf first %v, then %v, %v", name, p.Startup, times[0], times[1], times[2])
		p.Close()
	}
}
