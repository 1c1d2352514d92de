package approvalsui

import (
	"context"
	"strings"
	"testing"

	"github.com/okuri/okuri/quarantine"
)

// TestQuarantineNotifiesSecurityTeam: a quarantined message is announced
// to policy.security_team with the headline, sender, recipients and
// attachment names, and a link to the page.
func TestQuarantineNotifiesSecurityTeam(t *testing.T) {
	f := newFixture(t, "embedded")
	f.cfg.Policy.SecurityTeam = []string{"security@agency.test"}
	m := f.putCustomerListIn(20, quarantine.StateQuarantined)
	f.s.Held(context.Background(), m)
	n := f.queuedNotices()["security@agency.test"]
	if len(n) != 1 {
		t.Fatalf("security team notices: %d", len(n))
	}
	_, text, _ := noticeParts(t, n[0])
	for _, want := range []string{"顧客20名分", uAlice, "tanaka@example.com", "customers_2026-11.csv", "https://ui.test/holds/" + m.ID} {
		if !strings.Contains(text, want) {
			t.Errorf("security team notice lacks %q:\n%s", want, text)
		}
	}
}

// TestDelayNoticeModes: with ui.delay_notice "digest" or "none", a
// delayed send no longer mails the sender one notice per message; the
// default still does, and says which password the UI wants.
func TestDelayNoticeModes(t *testing.T) {
	for _, c := range []struct {
		mode string
		want int
	}{{"", 1}, {"each", 1}, {"digest", 0}, {"none", 0}} {
		f := newFixture(t, "embedded")
		f.cfg.UI.DelayNotice = c.mode
		m := f.put(uAlice, "sales", quarantine.StateHeldDelay)
		f.s.Held(context.Background(), m)
		n := f.queuedNotices()[uAlice]
		if len(n) != c.want {
			t.Errorf("delay_notice %q: %d notices, want %d", c.mode, len(n), c.want)
			continue
		}
		if c.want == 1 {
			if _, text, _ := noticeParts(t, n[0]); !strings.Contains(text, "メールソフトの送信設定と同じメールアドレスとパスワード") {
				t.Errorf("delay notice does not say which password:\n%s", text)
			}
		}
	}
}
