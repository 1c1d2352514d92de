package approvalsui

import (
	"context"
	"html"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// TestAuditorListReasonOrderNoNotices: the security team's list shows
// why each message is held (reason, kinds, keyword), leaves out okuri's
// own notices, and is in the order of the time it shows.
func TestAuditorListReasonOrderNoNotices(t *testing.T) {
	f := newFixture(t, "embedded")
	ctx := context.Background()
	held := f.putCustomerList(20)
	f.s.Held(ctx, held) // queues notices to alice and carol

	// A message received two hours before the first but stored after it
	// (a spooled retry): the list shows it below, by the time it shows.
	d := &quarantine.Explain{V: 1, ReasonJA: "社外秘などのキーワードが含まれるため", ReasonEN: "contains a keyword such as 社外秘",
		Keywords: []string{"社外秘"},
		Rules: []quarantine.RuleResult{{Index: 1, Name: "confidential", Matched: true, Action: "quarantine",
			Conds: []quarantine.Condition{{Key: "keyword", Want: "社外秘", Got: "社外秘", OK: true}}}}}
	old := &quarantine.Message{From: uBob, AuthUser: uBob, Group: "support", To: []string{"x@partner.example"},
		Headers:  quarantine.Headers{Subject: "社外秘 見積書"},
		Decision: quarantine.Decision{Action: "quarantine", Rule: "confidential", Verdict: "clean", Explain: d},
		State:    quarantine.StateQuarantined, Received: f.clock.Now().Add(-2 * time.Hour)}
	f.clock.Add(time.Second)
	if err := f.st.Put(ctx, old, strings.NewReader(testBody)); err != nil {
		t.Fatal(err)
	}
	c, _ := f.session(uEve)
	page := html.UnescapeString(f.do("GET", "/holds?tab=all", c, nil).Body.String())
	if strings.Contains(page, "承認待ちのメールがあります") || strings.Contains(page, "保留メールのお知らせ") {
		t.Error("okuri's own notices are listed as held mail")
	}
	for _, want := range []string{"個人情報（個人データ）が含まれるため", "種類：氏名・生年月日・電話番号・住所・証券番号", "キーワード：社外秘"} {
		if !strings.Contains(page, want) {
			t.Errorf("list lacks %q", want)
		}
	}
	if i, j := strings.Index(page, held.ID), strings.Index(page, old.ID); i < 0 || j < 0 || i > j {
		t.Errorf("order: newer at %d, older at %d; want the newer first", i, j)
	}
}
