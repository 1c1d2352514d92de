package addr

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestDomain(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"tanaka@example.co.jp", "example.co.jp"},
		{"Tanaka.Taro@Example.CO.JP", "example.co.jp"},
		{"sales@example.jp.", "example.jp"},           // root dot, as some CRMs write it
		{"<suzuki@Agency.example>", "agency.example"}, // envelope form
		{"  yamada@example.jp \t", "example.jp"},      // pasted with blanks
		{"担当@例え.jp", "xn--r8jz45g.jp"},                // IDN to punycode
		{"info@xn--r8jz45g.jp", "xn--r8jz45g.jp"},     // already punycode
		{"info@XN--R8JZ45G.JP", "xn--r8jz45g.jp"},     // upper-case punycode
		{"info@ＥＸＡＭＰＬＥ.jp", "example.jp"},             // full-width from a Japanese IME
		{"info@例え。jp", "xn--r8jz45g.jp"},              // ideographic full stop
		{"kunde@Bücher.DE", "xn--bcher-kva.de"},
		{`"tanaka@home"@example.jp`, "example.jp"}, // quoted local part with @
		{`"tanaka@evil.example"`, ""},              // all quoted: no domain
		{`"a\"@b"@example.jp`, "example.jp"},       // escaped quote
		{`"unterminated@example.jp`, ""},
		{"postmaster", ""},
		{"user@", ""},
		{"user@.", ""},
		{"", ""},
		{"user@[192.0.2.1]", "[192.0.2.1]"},
		{"user@Mail_Relay.Example.jp", "mail_relay.example.jp"},
	} {
		if got := Domain(c.in); got != c.want {
			t.Errorf("Domain(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizeDomain(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Example.JP", "example.jp"},
		{"example.jp.", "example.jp"},
		{" 例え.jp ", "xn--r8jz45g.jp"},
		{"", ""},
		{"a b.jp", ""},
		{"a@b.jp", ""},
	} {
		if got := NormalizeDomain(c.in); got != c.want {
			t.Errorf("NormalizeDomain(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// FuzzDomain checks the invariants every caller relies on: the result is
// already normal (normalising again changes nothing), never has upper
// case, a trailing dot or blanks, and is "" whenever there is no "@".
func FuzzDomain(f *testing.F) {
	for _, s := range []string{"a@Example.JP.", `"x@y"@z.jp`, `"x@y"`, "担当@例え.jp", "@", "a@[1.2.3.4]", "<a@b>", "a@xn--zz.jp"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := Domain(s)
		if d == "" {
			return
		}
		if !strings.Contains(s, "@") {
			t.Fatalf("Domain(%q) = %q without an @", s, d)
		}
		if utf8.ValidString(s) && NormalizeDomain(d) != d {
			t.Fatalf("Domain(%q) = %q is not stable: %q", s, d, NormalizeDomain(d))
		}
		if strings.HasSuffix(d, ".") || strings.ContainsAny(d, " \t\r\n@") {
			t.Fatalf("Domain(%q) = %q is not normal", s, d)
		}
	})
}

func TestUnicode(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"xn--r8jz45g.jp", "例え.jp"},
		{"example.jp", "example.jp"},
		{"xn--zz.jp", "xn--zz.jp"}, // invalid punycode stays as written
		{Domain("info@аgency.example.jp"), "аgency.example.jp"},
	} {
		if got := Unicode(c.in); got != c.want {
			t.Errorf("Unicode(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKey(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Tanaka@Partner.Example.JP.", "tanaka@partner.example.jp"},
		{"<担当@保険代理店.jp>", "担当@xn--mnqqxp76ac1u7l3b.jp"},
		{`"Sato@X"@Insurer.Example`, `"sato@x"@insurer.example`},
		{" Postmaster ", "postmaster"},
		{"user@", "user@"},
	} {
		if got := Key(c.in); got != c.want {
			t.Errorf("Key(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
