package charset

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

const sample = "山田太郎,ヤマダタロウ,東京都千代田区丸の内1-2-3,０９０－１２３４－５６７８\n顧客一覧です。よろしくお願いします。\n"

func enc(t testing.TB, tr transform.Transformer, s string) []byte {
	out, _, err := transform.String(tr, s)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(out)
}

func TestDetectAndDecode(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want Charset
	}{
		{"utf8", []byte(sample), UTF8},
		{"utf8 bom", append([]byte{0xEF, 0xBB, 0xBF}, sample...), UTF8},
		{"utf16le bom", enc(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder(), sample), UTF16LE},
		{"utf16be bom", enc(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder(), sample), UTF16BE},
		{"utf16le ascii no bom", enc(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder(), "name,phone\nyamada,0312345678\n"), UTF16LE},
		{"shift_jis", enc(t, japanese.ShiftJIS.NewEncoder(), sample), ShiftJIS},
		{"euc-jp", enc(t, japanese.EUCJP.NewEncoder(), sample), EUCJP},
		{"iso-2022-jp", enc(t, japanese.ISO2022JP.NewEncoder(), sample), ISO2022JP},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Detect(tc.in)
			if got.Name != tc.want.Name {
				t.Fatalf("Detect = %q, want %q", got.Name, tc.want.Name)
			}
			for _, chunk := range []int{1, 3, 4096} {
				var b strings.Builder
				w := NewWriter(got, &b)
				for i := 0; i < len(tc.in); i += chunk {
					w.Write(tc.in[i:min(i+chunk, len(tc.in))])
				}
				w.Close()
				want := sample
				if strings.HasPrefix(tc.name, "utf16le ascii") {
					want = "name,phone\nyamada,0312345678\n"
				}
				if b.String() != want {
					t.Fatalf("chunk %d: decoded %q", chunk, b.String())
				}
				if bad, _ := w.Invalid(); bad != 0 {
					t.Fatalf("chunk %d: %d invalid", chunk, bad)
				}
			}
		})
	}
}

func TestDetectBinary(t *testing.T) {
	bin := []byte{0x00, 0x01, 0x02, 0xFF, 0xFE, 0x00, 0x00, 0x13, 0x88, 0x00, 0x90, 0x00, 0x07}
	if c := Detect(bin[2:]); c.Known() && c != UTF16LE && c != UTF16BE {
		t.Fatalf("binary detected as %q", c.Name)
	}
}

func TestLookup(t *testing.T) {
	for label, want := range map[string]string{
		"Shift_JIS": "shift_jis", "CP932": "shift_jis", "windows-31j": "shift_jis",
		"ISO-2022-JP": "iso-2022-jp", "euc-jp": "euc-jp", "UTF-8": "utf-8", "us-ascii": "utf-8",
		"\"utf-8\"": "utf-8", "iso-8859-1": "windows-1252",
	} {
		c, ok := Lookup(label)
		if !ok || c.Name != want {
			t.Errorf("Lookup(%q) = %q, %v; want %q", label, c.Name, ok, want)
		}
	}
	if _, ok := Lookup("x-unknown-42"); ok {
		t.Error("unknown label accepted")
	}
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte(sample))
	f.Add(enc(f, japanese.ShiftJIS.NewEncoder(), sample))
	f.Add(enc(f, japanese.ISO2022JP.NewEncoder(), sample))
	f.Add([]byte{0xFF, 0xFE, 0x41})
	f.Fuzz(func(t *testing.T, p []byte) {
		c := Detect(p)
		if !c.Known() {
			return
		}
		var b strings.Builder
		w := NewWriter(c, &b)
		w.Write(p)
		w.Close()
		if b.Len() > 4*len(p)+16 {
			t.Fatalf("output %d bytes for %d input", b.Len(), len(p))
		}
	})
}

func BenchmarkShiftJISDecode(b *testing.B) {
	src := enc(b, japanese.ShiftJIS.NewEncoder(), strings.Repeat(sample, 20000))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		w := NewWriter(ShiftJIS, discardW{})
		for i := 0; i < len(src); i += 64 << 10 {
			w.Write(src[i:min(i+64<<10, len(src))])
		}
		w.Close()
	}
}

type discardW struct{}

func (discardW) Write(p []byte) (int, error) { return len(p), nil }

// The table decoder must agree with x/text on every two-byte sequence and
// on arbitrary input.
func TestSJISMatchesXText(t *testing.T) {
	var in []byte
	for lead := 0x80; lead <= 0xFF; lead++ {
		for trail := 0x30; trail <= 0xFF; trail += 1 {
			in = append(in, byte(lead), byte(trail), 'a')
		}
	}
	check := func(in []byte) {
		want, _, _ := transform.Bytes(japanese.ShiftJIS.NewDecoder(), in)
		var b strings.Builder
		w := NewWriter(ShiftJIS, &b)
		w.Write(in)
		w.Close()
		if got := b.String(); got != string(want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("mismatch at output %d:\n got %q\nwant %q", i, got[max(0, i-12):min(len(got), i+12)], string(want)[max(0, i-12):min(len(want), i+12)])
		}
	}
	check(in)
	for i := 0; i+6 <= len(in); i += 3 {
		check(in[i : i+6])
	}
}
