package approvalsui

import (
	"context"
	"log/slog"
	"mime"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// TestLostNoticesQueuedBySweeper: okuri stopped after the hold committed
// and before its notices were queued. The record still says so
// (NoticeDue), and the sweeper's pass with the UI's Held queues them —
// once, to the sender and the approver — as the gateway would have.
func TestLostNoticesQueuedBySweeper(t *testing.T) {
	f := newFixture(t, "embedded")
	ctx := context.Background()
	m := &quarantine.Message{
		From: uAlice, AuthUser: uAlice, Group: "sales", To: []string{"a@customer-one.test"},
		Headers: quarantine.Headers{From: uAlice, To: "a@customer-one.test", Subject: "顧客リスト"},
		Decision: quarantine.Decision{Action: "hold_approval", Rule: "pii-external", Verdict: "personal_data",
			Explain: &quarantine.Explain{V: 1, ReasonJA: "個人情報（個人データ）が含まれるため", ReasonEN: "contains personal data",
				Records: 1, Approvers: []string{uCarol}, External: 1, ExternalDomains: []string{"customer-one.test"}}},
		State: quarantine.StateHeldApproval, HoldUntil: f.clock.Now().Add(72 * time.Hour), NoticeDue: true,
	}
	if err := f.st.Put(ctx, m, strings.NewReader(testBody)); err != nil {
		t.Fatal(err)
	}
	sw, err := quarantine.NewSweeper(quarantine.SweeperOptions{Store: f.st, Now: f.clock.Now, OnNoticeDue: f.s.Held,
		BodyRetention: -1, RecordRetention: -1, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Add(2 * time.Minute)
	for range 2 {
		if _, err := sw.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
	}
	n := f.queuedNotices()
	if len(n[uAlice]) != 1 || len(n[uCarol]) != 1 {
		t.Fatalf("notices: sender %d, approver %d; want one each", len(n[uAlice]), len(n[uCarol]))
	}
	msg, err := mail.ReadMessage(strings.NewReader(n[uCarol][0]))
	if err != nil {
		t.Fatal(err)
	}
	if subj, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); !strings.HasPrefix(subj, "承認待ちのメールがあります") {
		t.Errorf("approver's notice is %q, not the approval request", subj)
	}
	if g, _ := f.st.Get(ctx, m.ID); g.NoticeDue {
		t.Error("NoticeDue still set after the notices were queued")
	}
}
