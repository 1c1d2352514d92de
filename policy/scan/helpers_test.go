package scan

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/okuri/okuri/policy/extract/extracttest"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// newTest returns a scanner whose extracted content is also recorded.
func newTest(t testing.TB, mod ...func(*Options)) (*Scanner, *extracttest.Sink) {
	t.Helper()
	opts := DefaultOptions()
	opts.TempDir = t.TempDir()
	opts.PDFCacheDir = pdfCache
	for _, m := range mod {
		m(&opts)
	}
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	sink := extracttest.New()
	s.tee = sink
	return s, sink
}

func scanMsg(t testing.TB, s *Scanner, msg string) *Result {
	t.Helper()
	res, err := s.Scan(context.Background(), strings.NewReader(msg), int64(len(msg)))
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return res
}

func scanFile(t testing.TB, s *Scanner, name string, data []byte) *Result {
	t.Helper()
	res, err := s.ScanFile(context.Background(), name, bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("ScanFile: %v", err)
	}
	return res
}

func sjis(t testing.TB, s string) []byte {
	out, _, err := transform.String(japanese.ShiftJIS.NewEncoder(), s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

func jis(t testing.TB, s string) []byte {
	out, _, err := transform.String(japanese.ISO2022JP.NewEncoder(), s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

// b64 wraps base64 at 76 columns like a mailer.
func b64(data []byte) string {
	s := base64.StdEncoding.EncodeToString(data)
	var b strings.Builder
	for len(s) > 76 {
		b.WriteString(s[:76] + "\r\n")
		s = s[76:]
	}
	b.WriteString(s + "\r\n")
	return b.String()
}

type zent struct {
	name   string
	data   []byte
	store  bool
	flags  uint16
	nonUTF bool
}

func mkzip(t testing.TB, ents ...zent) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range ents {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, NonUTF8: e.nonUTF}
		if e.store {
			h.Method = zip.Store
		}
		h.Flags |= e.flags
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func partByPath(res *Result, path string) *Part {
	for i := range res.Parts {
		if res.Parts[i].Path == path {
			return &res.Parts[i]
		}
	}
	return nil
}

func hasReason(res *Result, sub string) bool {
	for _, r := range res.Reasons {
		if strings.Contains(r, sub) {
			return true
		}
	}
	return false
}

func b64s(data []byte) string { return base64.StdEncoding.EncodeToString(data) }

func gzipWriter(w io.Writer, name string) *gzip.Writer {
	zw := gzip.NewWriter(w)
	zw.Name = name
	return zw
}

// newSink gives s a fresh recording sink.
func newSink(s *Scanner) *extracttest.Sink {
	sink := extracttest.New()
	s.tee = sink
	return sink
}

// sampleHeap collects garbage, then samples HeapInuse in the background
// until the returned stop is called; stop returns the peak above the
// level at the start (the memory tests' "extra heap").
func sampleHeap() (stop func() int64) {
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	var peak uint64
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		var m runtime.MemStats
		for {
			select {
			case <-quit:
				return
			default:
			}
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			for i := 0; i < 1e6; i++ { // a pause without sleeping past a short peak
			}
		}
	}()
	return func() int64 {
		close(quit)
		<-done
		return int64(peak) - int64(before.HeapInuse)
	}
}
