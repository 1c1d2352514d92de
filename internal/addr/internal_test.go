package addr

import "testing"

// TestIsInternalNormalises: the same domain written the ways Outlook,
// Thunderbird and an admin's config write it is one domain.
func TestIsInternalNormalises(t *testing.T) {
	internal := []string{"Agency.Example.JP", "保険代理店.jp"}
	for _, c := range []struct {
		addr string
		sub  bool
		want bool
	}{
		{"tanaka@agency.example.jp.", false, true},
		{"Tanaka@AGENCY.example.jp", false, true},
		{"tanaka@xn--mnqqxp76ac1u7l3b.jp", false, true},
		{"tanaka@保険代理店.jp", false, true},
		{"tanaka@tokyo.xn--mnqqxp76ac1u7l3b.jp", true, true},
		{"tanaka@tokyo.xn--mnqqxp76ac1u7l3b.jp", false, false},
		{`"tanaka@agency.example.jp"`, false, false},
		{"tanaka@agency.example.jp.evil.example", true, false},
		{"tanaka", false, false},
	} {
		if got := IsInternal(c.addr, internal, c.sub); got != c.want {
			t.Errorf("IsInternal(%q, sub=%v) = %v, want %v", c.addr, c.sub, got, c.want)
		}
	}
}
