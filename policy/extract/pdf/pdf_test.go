package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"

	"github.com/okuri/okuri/policy/extract"
	"github.com/okuri/okuri/policy/extract/extracttest"
)

// buildPDF writes a one-page PDF by hand: objs are the bodies of objects
// 1..n (object 1 must be the catalog).
func buildPDF(objs ...string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func stream(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

// cjkPDF uses a non-embedded CID font with a predefined CMap and no
// ToUnicode map: the kind of Japanese PDF pure-Go parsers garble.
func cjkPDF(cmap string, text []byte) []byte {
	content := fmt.Sprintf("BT /F1 12 Tf 50 800 Td <%X> Tj ET", text)
	return buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream(content),
		"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiMin-W3 /Encoding /"+cmap+" /DescendantFonts [6 0 R] >>",
		"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiMin-W3 /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 0 R >>",
		"<< /Type /FontDescriptor /FontName /HeiseiMin-W3 /Flags 6 /FontBBox [-123 -257 1001 910] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 709 /StemV 69 >>",
	)
}

func imagePDF() []byte {
	return buildPDF(
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>",
		stream("q 100 0 0 100 50 700 cm /Im1 Do Q"),
		"<< /Type /XObject /Subtype /Image /Width 2 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 2 >>\nstream\n\x00\xff\nendstream",
	)
}

var (
	poolOnce sync.Once
	testPool *Pool
	poolErr  error
)

func pool(t testing.TB) *Pool {
	poolOnce.Do(func() { testPool, poolErr = NewPool(1, "") })
	if poolErr != nil {
		t.Fatal(poolErr)
	}
	return testPool
}

func run(t testing.TB, data []byte) (string, error) {
	sink := extracttest.New()
	ctx := context.Background()
	err := pool(t).Extract(ctx, Doc{R: bytes.NewReader(data), Size: int64(len(data)), Sink: sink, MaxPages: 100, Budget: extract.NewBudget(ctx, 1<<30)})
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
		{"UniJIS-UCS2-H without ToUnicode", cjkPDF("UniJIS-UCS2-H", ucs2), want, nil},
		{"90ms-RKSJ-H without ToUnicode", cjkPDF("90ms-RKSJ-H", rksj), want, nil},
		{"LibreOffice export", letter, "東京都千代田区丸の内", nil},
		{"image only", imagePDF(), "", ErrNoText},
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
	f.Add(cjkPDF("UniJIS-UCS2-H", []byte{0x5c, 0x71}))
	f.Add(imagePDF())
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
		p, err := NewPool(1, dir)
		if err != nil {
			t.Fatal(err)
		}
		letter, _ := os.ReadFile("../../scan/testdata/letter.pdf")
		ctx := context.Background()
		var times []time.Duration
		for i := 0; i < 3; i++ {
			start := time.Now()
			err := p.Extract(ctx, Doc{R: bytes.NewReader(letter), Size: int64(len(letter)), Sink: extracttest.New(), MaxPages: 10, Budget: extract.NewBudget(ctx, 1<<30)})
			if err != nil {
				t.Fatal(err)
			}
			times = append(times, time.Since(start))
		}
		t.Logf("%s: start-up %v; letter.pdf first %v, then %v, %v", name, p.Startup, times[0], times[1], times[2])
		p.Close()
	}
}
