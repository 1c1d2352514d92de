package approvalsui

import (
	"testing"

	"github.com/okuri/okuri/quarantine"
)

// TestWhereDomainsNormalised: the list page names each recipient domain
// once, however Outlook or a CRM wrote the addresses, shows a Japanese
// domain as people read it, and never shows part of a quoted local part
// as a domain.
func TestWhereDomainsNormalised(t *testing.T) {
	m := &quarantine.Message{To: []string{"a@Partner.Example.JP.", "b@partner.example.jp", `"c@x"`, "d@xn--mnqqxp76ac1u7l3b.jp", "e@保険代理店.jp"}}
	got := where("en", m, nil)
	want := "partner.example.jp, 保険代理店.jp"
	if got != want {
		t.Fatalf("where = %q, want %q", got, want)
	}
}
