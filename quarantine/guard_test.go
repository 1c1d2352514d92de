package quarantine

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/okuri/okuri/audit"
)

// testSelfRelease: a quarantined message is never released by its own
// sender, whatever role the actor claims (an auditor's own mail), while
// another auditor may release it and the sender may still delete it.
func testSelfRelease(t *testing.T, open opener) {
	s := open(t, newClock())
	ctx := context.Background()
	m := put(t, s, newMsg(StateQuarantined, "kansa"), "body")
	for _, a := range []Actor{
		{Kind: ActorSecurity, User: "kansa"},
		{Kind: ActorSecurity, User: "Kansa@Office.Example"},
		{Kind: ActorApprover, User: "KANSA"},
	} {
		if _, err := s.Transition(ctx, m.ID, Change{From: StateQuarantined, To: StateQueued, Actor: a}); !errors.Is(err, ErrSelfApproval) {
			t.Fatalf("release by its sender %+v: %v", a, err)
		}
	}
	if _, err := s.Transition(ctx, m.ID, Change{From: StateQuarantined, To: StateQueued, Actor: System}); !errors.Is(err, ErrIllegalTransition) {
		t.Fatalf("release without a named person: %v", err)
	}
	if got, _ := s.Get(ctx, m.ID); got.State != StateQuarantined {
		t.Fatalf("state after refused releases: %s", got.State)
	}
	if _, err := s.Transition(ctx, m.ID, Change{From: StateQuarantined, To: StateQueued, Actor: Actor{Kind: ActorSecurity, User: "security2"}}); err != nil {
		t.Fatalf("release by another auditor: %v", err)
	}
	d := put(t, s, newMsg(StateQuarantined, "kansa"), "body")
	if _, err := s.Transition(ctx, d.ID, Change{From: StateQuarantined, To: StateDeleted, Actor: Actor{Kind: ActorSecurity, User: "kansa"}}); err != nil {
		t.Fatalf("deleting one's own quarantined message: %v", err)
	}
}

// testDeadlinePassed: once a self-check or approval deadline has passed,
// the message cannot be sent by a person even though the sweeper has not
// run yet; it can still be expired, rejected or cancelled. A delayed send
// past its deadline goes out anyway, so "send now" stays allowed.
func testDeadlinePassed(t *testing.T, open opener) {
	clk := newClock()
	s := open(t, clk)
	ctx := context.Background()
	deadline := clk.Now().Add(2 * time.Hour)
	held := func(st State) *Message {
		m := newMsg(st, "taro")
		m.HoldUntil = deadline
		return put(t, s, m, "body")
	}
	ap, sc, dl := held(StateHeldApproval), held(StateHeldSelfCheck), held(StateHeldDelay)
	ap2 := held(StateHeldApproval)
	clk.Advance(2*time.Hour + time.Second)

	_, err := s.Transition(ctx, ap.ID, Change{From: StateHeldApproval, To: StateQueued, Actor: Actor{Kind: ActorApprover, User: "jouchou"}})
	if !errors.Is(err, ErrExpired) {
		t.Fatalf("approval after the deadline: %v", err)
	}
	check := Change{From: StateHeldSelfCheck, To: StateQueued, Actor: Actor{Kind: ActorSender, User: "taro"},
		Checked: &audit.SelfCheck{Recipients: sc.To}}
	if _, err := s.Transition(ctx, sc.ID, check); !errors.Is(err, ErrExpired) {
		t.Fatalf("self-check after the deadline: %v", err)
	}
	for _, id := range []string{ap.ID, sc.ID} {
		if got, _ := s.Get(ctx, id); got.State == StateQueued {
			t.Fatalf("%s queued after its deadline", id)
		}
	}
	if _, err := s.Transition(ctx, ap.ID, Change{From: StateHeldApproval, To: StateExpired, Actor: System}); err != nil {
		t.Fatalf("expiring: %v", err)
	}
	if _, err := s.Transition(ctx, ap2.ID, Change{From: StateHeldApproval, To: StateRejected, Actor: Actor{Kind: ActorApprover, User: "jouchou"}}); err != nil {
		t.Fatalf("rejecting after the deadline: %v", err)
	}
	if _, err := s.Transition(ctx, dl.ID, Change{From: StateHeldDelay, To: StateQueued, Actor: Actor{Kind: ActorSender, User: "taro"}}); err != nil {
		t.Fatalf("send now after a delay ran out: %v", err)
	}
}

// testOwnMailUnlisted: okuri's own notices and DSNs are left out of
// every list, even the security team's everything-scope, unless asked.
func testOwnMailUnlisted(t *testing.T, open opener) {
	s := open(t, newClock())
	ctx := context.Background()
	held := put(t, s, newMsg(StateQuarantined, "taro"), "body")
	notice := &Message{To: []string{"taro@office.example"}, State: StateQueued,
		Headers:  Headers{From: "okuri", To: "taro@office.example", Subject: "保留メールのお知らせ / Your message was held"},
		Decision: Decision{Action: "notice", Explanation: "held notice for " + held.ID}}
	put(t, s, notice, "Subject: x\r\n\r\nhttps://ui.example/link/secret-token\r\n")
	all := Scope{All: true}
	p, err := s.List(ctx, Query{Scope: all})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Messages) != 1 || p.Messages[0].ID != held.ID {
		t.Fatalf("everything-scope list: %d messages, want the held one only", len(p.Messages))
	}
	if p, _ := s.List(ctx, Query{Scope: all, Text: "お知らせ"}); len(p.Messages) != 0 {
		t.Fatal("a text search finds a notice")
	}
	if p, _ := s.List(ctx, Query{Scope: all, WithOwn: true}); len(p.Messages) != 2 {
		t.Fatalf("WithOwn: %d messages", len(p.Messages))
	}
	if !notice.Own() || held.Own() {
		t.Fatal("Own() misclassifies")
	}
}

// testViaInEvent: the door a person used is in the audit event.
func testViaInEvent(t *testing.T, open opener) {
	s := open(t, newClock())
	ctx := context.Background()
	m := put(t, s, newMsg(StateHeldSelfCheck, "taro"), "body")
	ch := Change{From: StateHeldSelfCheck, To: StateQueued, Actor: Actor{Kind: ActorSender, User: "taro"},
		Checked: &audit.SelfCheck{Recipients: m.To}, Via: "link"}
	if _, err := s.Transition(ctx, m.ID, ch); err != nil {
		t.Fatal(err)
	}
	for _, ev := range s.events() {
		if ev.MessageID == m.ID && ev.Type == "message.selfchecked" {
			if ev.Attrs["via"] != "link" {
				t.Fatalf("via in the event: %v", ev.Attrs)
			}
			return
		}
	}
	t.Fatal("no message.selfchecked event")
}
