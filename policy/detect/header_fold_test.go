package detect

import (
	"strings"
	"testing"
)

// TestFoldHeaderASCII: the ASCII fast path agrees with the general fold.
func TestFoldHeaderASCII(t *testing.T) {
	for _, c := range []string{"Customer Name", "E-MAIL", "\tphone  no ", "sku", "P-00001", "unit_price_jpy", "氏名", "Ｔｅｌ", "電話ー番号", "x\x7f"} {
		if got, want := foldHeader([]byte(c)), strings.ToLower(foldString(c)); got != want {
			t.Errorf("foldHeader(%q) = %q, want %q", c, got, want)
		}
	}
}
