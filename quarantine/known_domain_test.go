package quarantine

import (
	"context"
	"testing"
	"time"
)

// TestKnownDomainNormalised: a domain delivered to once is known however
// policy later spells it (policy asks with the internal/addr form: lower
// case, no root dot, punycode), so returning customers do not trigger a
// first-time-domain hold again.
func TestKnownDomainNormalised(t *testing.T) {
	e, _ := openEmbeddedT(t, nil, "", true)
	ctx := context.Background()
	if err := e.NoteDelivered(ctx, time.Now(), "Tanaka@Partner.Example.JP.", "担当@保険代理店.jp", `"sato@x"@Insurer.Example`); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"partner.example.jp", "xn--mnqqxp76ac1u7l3b.jp", "保険代理店.jp", "insurer.example",
		"tanaka@partner.example.jp", "担当@xn--mnqqxp76ac1u7l3b.jp"} {
		if _, ok, err := e.Known(ctx, q); err != nil || !ok {
			t.Errorf("Known(%q) = %v, %v; want known", q, ok, err)
		}
	}
	if _, ok, _ := e.Known(ctx, "x"); ok {
		t.Error(`Known("x") from a quoted local part`)
	}
}
