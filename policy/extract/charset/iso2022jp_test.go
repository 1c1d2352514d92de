package charset

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// decodeJIS decodes p through a Writer fed in pieces of chunk bytes.
func decodeJIS(p []byte, chunk int) (string, int64) {
	var b strings.Builder
	w := NewWriter(ISO2022JP, &b)
	for i := 0; i < len(p); i += chunk {
		w.Write(p[i:min(i+chunk, len(p))])
	}
	w.Close()
	bad, _ := w.Invalid()
	return b.String(), bad
}

func TestISO2022JP(t *testing.T) {
	tests := []struct {
		name, in, want string
		invalid        int64
	}{
		{"JIS X 0208 with ASCII", "\x1b$BCfEg\x1b(B \x1b$BMM\x1b(B\r\n", "中島 様\r\n", 0},
		{"JIS C 6226-1978 and JIS Roman", "\x1b$@CfEg\x1b(J san\x1b(B\r\n", "中島 san\r\n", 0},
		{"JIS X 0208-1990 announcer", "\x1b&@\x1b$BEl5~\x1b(B", "東京", 0},
		{"JIS X 0213 plane 1 designation", "\x1b$(QEl5~\x1b(B", "東京", 0},
		{"half-width katakana ESC ( I", "\x1b(I6E@^\x1b(B", "ｶﾅﾀﾞ", 0},
		{"half-width katakana SO/SI (CP50222)", "a\x0e6E\x0fb", "aｶﾅb", 0},
		{"8-bit half-width katakana", "\xb6\xc5", "ｶﾅ", 0},
		{"CP50220 wave dash and minus", "\x1b$B!A!]\x1b(B", "～－", 0},
		{"NEC row 13", "\x1b$B-!-\"-j-b-p\x1b(B", "①②㈱№≒", 0},
		{"NEC-selected IBM extension", "\x1b$By!\x1b(B", "纊", 0},
		{"JIS X 0212", "\x1b$(D\"q\x1b(B", "№", 0},
		{"line break without ESC ( B", "\x1b$BCfEg\r\nabc\r\n", "中島\r\nabc\r\n", 0},
		{"space inside a double-byte run", "\x1b$BCf Eg\x1b(B", "中 島", 0},
		{"unknown escape", "\x1b$)C", "\uFFFD$)C", 1},
		{"odd byte at end", "\x1b$BCfE", "中\uFFFD", 1},
		{"unmapped code", "\x1b$B)!\x1b(B", "\uFFFD", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, chunk := range []int{1, 2, 3, 4096} {
				got, bad := decodeJIS([]byte(tc.in), chunk)
				if got != tc.want || bad != tc.invalid {
					t.Fatalf("chunk %d: %q (%d invalid), want %q (%d)", chunk, got, bad, tc.want, tc.invalid)
				}
			}
		})
	}
}

// Text the JIS X 0208 encoder of x/text writes decodes back unchanged.
func TestISO2022JPRoundTrip(t *testing.T) {
	in, _, err := transform.String(japanese.ISO2022JP.NewEncoder(), sample+"ｱｲｳ 〒100-0005 ～")
	if err != nil {
		t.Fatal(err)
	}
	got, bad := decodeJIS([]byte(in), 7)
	if got != sample+"ｱｲｳ 〒100-0005 ～" || bad != 0 {
		t.Fatalf("%q, %d invalid", got, bad)
	}
}

func TestDecodeStringISO2022JP(t *testing.T) {
	s, err := DecodeString(ISO2022JP, []byte("\x1b$B8\\5RL>Jm\x1b(B.csv"))
	if err != nil || s != "顧客名簿.csv" {
		t.Fatalf("%q %v", s, err)
	}
}

func FuzzISO2022JP(f *testing.F) {
	f.Add([]byte("\x1b$BCfEg\x1b(B \x1b$BMM\x1b(B\r\n"), uint8(3))
	f.Add([]byte("\x1b$(D\"q\x1b(I26\x1b$@-!\x0e6\x0f\xb6\x1b&@\x1b$(Q"), uint8(1))
	f.Add([]byte("\x1b$BCf\r\n\x1b$"), uint8(2))
	f.Fuzz(func(t *testing.T, p []byte, chunk uint8) {
		whole, bad := decodeJIS(p, len(p)+1)
		if !utf8.ValidString(whole) {
			t.Fatalf("invalid UTF-8 out: %q", whole)
		}
		if bad > int64(len(p)) {
			t.Fatalf("%d invalid for %d bytes", bad, len(p))
		}
		if len(whole) > 3*len(p) {
			t.Fatalf("%d bytes out for %d in", len(whole), len(p))
		}
		// Where the input is cut must not change the result.
		if pieces, _ := decodeJIS(p, int(chunk)%16+1); pieces != whole {
			t.Fatalf("chunked %q != whole %q", pieces, whole)
		}
		if s, err := DecodeString(ISO2022JP, p); err != nil || s != whole {
			t.Fatalf("DecodeString %q %v != %q", s, err, whole)
		}
	})
}
