package scan

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The fixtures are made by testdata/make-7z-fixtures.sh with p7zip.
func read7z(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSevenZip(t *testing.T) {
	tests := []struct {
		name, file string
		data       func([]byte) []byte
		mod        func(*Options)
		want       Verdict
		reason     string
		part       string // a part that must exist
	}{
		{name: "LZMA2 with a customer list", file: "customers.7z", want: PersonalData, part: "1/customers.7z/顧客名簿.csv"},
		{name: "stored (Copy)", file: "customers-stored.7z", want: PersonalData},
		{name: "no personal data", file: "price.7z", want: Clean, part: "1/price.7z/price.csv"},
		{name: "AES content", file: "customers-aes.7z", want: Encrypted, reason: "encrypted"},
		{name: "AES content and headers", file: "customers-aes-headers.7z", want: Encrypted, reason: "encrypted 7z"},
		{name: "truncated", file: "customers.7z", data: func(b []byte) []byte { return b[:len(b)-40] }, want: Unscannable, reason: "7z"},
		{name: "corrupt stream", file: "customers.7z", data: func(b []byte) []byte {
			c := append([]byte(nil), b...)
			for i := 40; i < 120; i++ {
				c[i] ^= 0x5A
			}
			return c
		}, want: Unscannable},
		{name: "expansion ratio", file: "zeros.7z", want: Unscannable, reason: "max_entry_ratio"},
		{name: "entries limit", file: "customers.7z", mod: func(o *Options) { o.Limits.MaxEntries = 1 }, want: Unscannable, reason: "max_entries"},
		{name: "depth limit", file: "customers.7z", mod: func(o *Options) { o.Limits.MaxDepth = 1 }, want: Unscannable, reason: "max_depth"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := read7z(t, tc.file)
			if tc.data != nil {
				data = tc.data(data)
			}
			mods := []func(*Options){}
			if tc.mod != nil {
				mods = append(mods, tc.mod)
			}
			s, sink := newTest(t, mods...)
			msg := "Content-Type: multipart/mixed; boundary=X\r\n\r\n--X\r\n" +
				"Content-Type: application/x-7z-compressed; name=\"" + tc.file + "\"\r\nContent-Transfer-Encoding: base64\r\n" +
				"Content-Disposition: attachment; filename=\"" + tc.file + "\"\r\n\r\n" + b64(data) + "--X--\r\n"
			res := scanMsg(t, s, msg)
			if res.Verdict != tc.want {
				t.Fatalf("verdict %s, want %s (%q, parts %+v)", res.Verdict, tc.want, res.Reasons, res.Parts)
			}
			if tc.reason != "" && !hasReason(res, tc.reason) {
				t.Errorf("reasons %q, want %q", res.Reasons, tc.reason)
			}
			if tc.part != "" && partByPath(res, tc.part) == nil {
				t.Errorf("no part %s in %+v", tc.part, res.Parts)
			}
			if tc.want == PersonalData && !strings.Contains(strings.Join(sink.Rows(), "\n"), "山田太郎|ヤマダタロウ|1975/04/12") {
				t.Errorf("rows %q", sink.Rows())
			}
		})
	}
}

func FuzzSevenZip(f *testing.F) {
	for _, n := range []string{"customers.7z", "customers-stored.7z", "customers-aes.7z", "customers-aes-headers.7z", "price.7z"} {
		f.Add(read7z(f, n))
	}
	s := fuzzScanner(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := s.ScanFile(context.Background(), "a.7z", bytes.NewReader(data), int64(len(data)))
		checkResult(t, res, err)
	})
}
