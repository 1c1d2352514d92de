package charset

import "testing"

// TestDecodeHeader: header words as Japanese mailers label them.
func TestDecodeHeader(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"=?CP932?B?gXmO0IpPlOmBeozai3GDioNYg2c=?=", "【社外秘】顧客リスト"}, // Outlook on Japanese Windows
		{"=?ISO-2022-JP?B?GyRCOFw1UiVqJTklSBsoQg==?=", "顧客リスト"},    // Thunderbird, old default
		{"=?UTF-8?Q?=E9=A1=A7=E5=AE=A2?= list", "顧客 list"},         // Q with a plain tail
		{"plain subject", "plain subject"},
	} {
		got, err := DecodeHeader(c.in)
		if err != nil || got != c.want {
			t.Errorf("DecodeHeader(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	if _, err := DecodeHeader("=?X-UNKNOWN-CS?B?AAAA?="); err == nil {
		t.Error("unknown charset decoded without error")
	}
}

// FuzzDecodeHeader: hostile header values (broken words, unknown or
// stateful charsets) return a result or an error, never panic.
func FuzzDecodeHeader(f *testing.F) {
	for _, s := range []string{"=?CP932?B?gXmO0IpPlOmBeozai3GDioNYg2c=?=", "=?ISO-2022-JP?B?GyRCOFw1UiVqJTklSBsoQg==?=", "=?utf-8?q?a_b?=", "=?", "=?x?y?z?="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		DecodeHeader(s)
	})
}
