package quarantine

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/internal/smtpcode"
	"github.com/okuri/okuri/relay"
)

// The conformance suite: one set of tests every backend must pass.

func TestConformanceEmbedded(t *testing.T) {
	t.Parallel()
	runConformance(t, func(t *testing.T, c *fakeClock) *testStore {
		_, s := openEmbeddedT(t, c, "", true)
		return s
	})
}

func TestConformanceRedis(t *testing.T) {
	t.Parallel()
	runConformance(t, func(t *testing.T, c *fakeClock) *testStore {
		_, s := openRedisT(t, c, "")
		return s
	})
}

type opener func(t *testing.T, c *fakeClock) *testStore

func runConformance(t *testing.T, open opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, open opener)
	}{
		{"PutGetOpen", testPutGetOpen},
		{"PutWithEvents", testPutWithEvents},
		{"PutExists", testPutExists},
		{"Lifecycle", testLifecycle},
		{"SelfApproval", testSelfApproval},
		{"SelfRelease", testSelfRelease},
		{"DeadlinePassed", testDeadlinePassed},
		{"OwnMailUnlisted", testOwnMailUnlisted},
		{"ViaInEvent", testViaInEvent},
		{"SelfCheck", testSelfCheck},
		{"ConcurrentApprove", testConcurrentApprove},
		{"Leases", testLeases},
		{"CompleteAttempts", testCompleteAttempts},
		{"List", testList},
		{"ListNoGroup", testListNoGroup},
		{"Holds", testHolds},
		{"Retention", testRetention},
		{"Sessions", testSessions},
		{"SessionSwap", testSessionSwap},
		{"SessionAdd", testSessionAdd},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, open) })
	}
}

func newMsg(state State, user string, to ...string) *Message {
	if len(to) == 0 {
		to = []string{"customer@example.com"}
	}
	return &Message{
		From: user + "@office.example", To: to, AuthUser: user, ClientIP: "192.0.2.10", Group: "sales",
		Headers: Headers{From: user + "@office.example", To: strings.Join(to, ", "), Subject: "見積書 quote", MessageID: "<x@office.example>"},
		Decision: Decision{Action: "approval", Rule: "pii-attachment", Verdict: "personal_data", Explanation: "顧客リスト",
			Findings: []Finding{{Kind: "phone", Count: 12, Samples: []string{"090-****-5678"}}},
			Rewrite:  &RewritePlan{V: 1, ForceBCC: true, Internal: []string{"office.example"}, Add: []HeaderField{{Name: "X-Okuri-Rule", Value: "pii-attachment"}}},
			Explain: &Explain{V: 1, ReasonJA: "個人情報（個人データ）が含まれるため", ReasonEN: "contains personal data",
				Kinds: map[string]int{"phone": 12}, Records: 12, Approvers: []string{"boss@office.example"}, External: 1,
				ExternalDomains: []string{"example.com"}, FirstTimeDomains: []string{"example.com"},
				Rules: []RuleResult{{Index: 1, Name: "pii-attachment", Action: "hold_approval", ActionJA: "上長承認", ActionEN: "supervisor approval",
					Matched: true, Effect: "applied", Conds: []Condition{{Key: "min_records", Want: "≥ 10", Got: "12", OK: true}}}},
				Deliveries: []DeliveryPreview{{Rcpts: to, To: ""}}}},
		Preview: "いつもお世話になっております。",
		Parts: []Part{{Path: "1", Type: "text/plain", Size: 40, Verdict: "clean"},
			{Path: "2", Name: "顧客.zip", Type: "application/zip", Size: 900, Attachment: true, Verdict: "personal_data"},
			{Path: "2/顧客.zip/list.csv", Name: "list.csv", Type: "csv", Size: 2000, Attachment: true, Verdict: "personal_data"}},
		State: state,
	}
}

func put(t *testing.T, s Store, m *Message, body string) *Message {
	t.Helper()
	if err := s.Put(context.Background(), m, strings.NewReader(body)); err != nil {
		t.Fatalf("put: %v", err)
	}
	return m
}

func eventTypes(s *testStore, id string) []string {
	var l []string
	for _, ev := range s.events() {
		if ev.MessageID == id {
			l = append(l, ev.Type)
		}
	}
	return l
}

// testPutWithEvents: events given to Put are written with the message, in
// order, ahead of the store's own event.
func testPutWithEvents(t *testing.T, open opener) {
	s := open(t, newClock())
	m := newMsg(StateQuarantined, "taro")
	m.ID = NewID(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
	before := []audit.Event{
		{Type: "message.received", MessageID: m.ID, Actor: audit.System},
		{Type: "message.decided", MessageID: m.ID, Actor: audit.System, Rule: "pii-attachment"},
	}
	if err := s.Put(context.Background(), m, strings.NewReader("Subject: x\r\n\r\nx\r\n"), before...); err != nil {
		t.Fatal(err)
	}
	if ev := eventTypes(s, m.ID); !slices.Equal(ev, []string{"message.received", "message.decided", "message.held"}) {
		t.Fatalf("events %v", ev)
	}
}

func testPutGetOpen(t *testing.T, open opener) {
	s := open(t, newClock())
	ctx := context.Background()
	body := "Subject: hello\r\n\r\n" + strings.Repeat("本文 body line\r\n", 50000) // ~1 MB, several chunks
	m := newMsg(StateHeldApproval, "taro")
	m.HoldUntil = time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
	put(t, s, m, body)
	if len(m.ID) != 26 || m.Size != int64(len(body)) {
		t.Fatalf("id %q size %d, want ulid and %d", m.ID, m.Size, len(body))
	}
	g, err := s.Get(ctx, m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if g.State != StateHeldApproval || g.AuthUser != "taro" || g.Headers.Subject != "見積書 quote" || g.Size != m.Size ||
		g.Decision.Findings[0].Samples[0] != "090-****-5678" || !g.HoldUntil.Equal(m.HoldUntil) || len(g.History) != 1 {
		t.Fatalf("get: %+v", g)
	}
	// The scanner's parts and the rewrite plan come back as stored: the
	// self-check and the release read nothing else (issue 14).
	if !reflect.DeepEqual(g.Parts, m.Parts) || !reflect.DeepEqual(g.Decision.Rewrite, m.Decision.Rewrite) {
		t.Fatalf("parts %+v rewrite %+v, want %+v %+v", g.Parts, g.Decision.Rewrite, m.Parts, m.Decision.Rewrite)
	}
	// So do the explanation and preview the pages show.
	if !reflect.DeepEqual(g.Decision.Explain, m.Decision.Explain) || g.Preview != m.Preview {
		t.Fatalf("explain %+v preview %q, want %+v %q", g.Decision.Explain, g.Preview, m.Decision.Explain, m.Preview)
	}
	if got := readBody(t, s, m.ID); got != body {
		t.Fatalf("body differs: %d bytes, want %d", len(got), len(body))
	}
	if ev := eventTypes(s, m.ID); !slices.Equal(ev, []string{"message.held"}) {
		t.Fatalf("events %v", ev)
	}
	for _, ev := range s.events() {
		if ev.Findings["phone"] != 12 || ev.Deadline == nil {
			t.Fatalf("held event: %+v", ev)
		}
	}
	if _, err := s.Get(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get missing: %v", err)
	}
	if _, err := s.Transition(ctx, "01ARZ3NDEKTSV4RRFFQ69G5FAV", Change{From: StateHeldDelay, To: StateQueued}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("transition missing: %v", err)
	}
	if err := s.Put(ctx, newMsg(StateDelivered, "taro"), strings.NewReader("x")); !errors.Is(err, ErrIllegalTransition) {
		t.Fatalf("put delivered: %v", err)
	}
	// An empty body is stored too.
	e := put(t, s, newMsg(StateQueued, "taro"), "")
	if got := readBody(t, s, e.ID); got != "" {
		t.Fatalf("empty body: %q", got)
	}
}

func testPutExists(t *testing.T, open opener) {
	s := open(t, newClock())
	m := put(t, s, newMsg(StateQueued, "a"), "first")
	again := newMsg(StateQueued, "a")
	again.ID = m.ID
	if err := s.Put(context.Background(), again, strings.NewReader("second")); !errors.Is(err, ErrExists) {
		t.Fatalf("put same id: %v", err)
	}
	if got := readBody(t, s, m.ID); got != "first" {
		t.Fatalf("body overwritten: %q", got)
	}
}

func testLifecycle(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	approver := Actor{Kind: ActorApprover, User: "boss", IP: "198.51.100.7"}
	for _, from := range []State{StateHeldDelay, StateHeldSelfCheck, StateHeldApproval, StateQuarantined} {
		for _, to := range States {
			m := put(t, s, newMsg(from, "taro"), "body")
			ch := Change{From: from, To: to, Actor: approver, Comment: "ok"}
			if from == StateHeldSelfCheck {
				ch.Checked = &audit.SelfCheck{Recipients: []string{"Customer@example.com"}, Attachments: []int{0}}
			}
			got, err := s.Transition(ctx, m.ID, ch)
			if CanTransition(from, to) {
				if err != nil {
					t.Fatalf("%s→%s: %v", from, to, err)
				}
				if got.State != to || got.Version != 2 || len(got.History) != 2 || got.History[1].Comment != "ok" || got.History[1].Actor != approver {
					t.Fatalf("%s→%s: %+v", from, to, got)
				}
				evs := eventTypes(s, m.ID)
				if len(evs) != 2 || evs[1] != transitions[from][to] {
					t.Fatalf("%s→%s events %v", from, to, evs)
				}
				if to == StateQueued && (got.QueuedAt.IsZero() || len(got.Recipients) != 1 || got.Recipients[0].Status != RcptPending) {
					t.Fatalf("queued: %+v", got)
				}
				if to.Terminal() && got.TerminalAt.IsZero() {
					t.Fatalf("terminal without time")
				}
				// Doing it again is a conflict naming both states.
				_, err = s.Transition(ctx, m.ID, Change{From: from, To: to, Actor: approver})
				if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), string(from)) || !strings.Contains(err.Error(), string(to)) {
					t.Fatalf("repeat %s→%s: %v", from, to, err)
				}
			} else if !errors.Is(err, ErrIllegalTransition) || !strings.Contains(err.Error(), string(from)) || !strings.Contains(err.Error(), string(to)) {
				t.Fatalf("%s→%s: want illegal naming both states, got %v", from, to, err)
			}
		}
	}
	// Nothing leaves a terminal state, queued only through the worker.
	m := put(t, s, newMsg(StateQueued, "taro"), "body")
	if _, err := s.Transition(ctx, m.ID, Change{From: StateQueued, To: StateHeldDelay}); !errors.Is(err, ErrIllegalTransition) {
		t.Fatalf("queued→held_delay: %v", err)
	}
}

func testSelfCheck(t *testing.T, open opener) {
	s := open(t, newClock())
	ctx := context.Background()
	m := put(t, s, newMsg(StateHeldSelfCheck, "taro", "a@x.example", "b@y.example"), "body")
	sender := Actor{Kind: ActorSender, User: "taro"}
	for _, checked := range []*audit.SelfCheck{nil, {Recipients: []string{"a@x.example"}}} {
		_, err := s.Transition(ctx, m.ID, Change{From: StateHeldSelfCheck, To: StateQueued, Actor: sender, Checked: checked})
		if !errors.Is(err, ErrUnconfirmed) {
			t.Fatalf("self-check with %+v: %v", checked, err)
		}
	}
	checked := &audit.SelfCheck{Recipients: []string{"a@x.example", "B@Y.example"}, Attachments: []int{0, 1}}
	if _, err := s.Transition(ctx, m.ID, Change{From: StateHeldSelfCheck, To: StateQueued, Actor: sender, Checked: checked}); err != nil {
		t.Fatal(err)
	}
	var ev *audit.Event
	for _, e := range s.events() {
		if e.MessageID == m.ID && e.Type == "message.selfchecked" {
			ev = &e
		}
	}
	if ev == nil || ev.Checked == nil || len(ev.Checked.Attachments) != 2 || ev.Actor.User != "taro" || ev.PrevState != "held_selfcheck" || ev.State != "queued" {
		t.Fatalf("selfchecked event: %+v", ev)
	}
}

func testSelfApproval(t *testing.T, open opener) {
	s := open(t, newClock())
	ctx := context.Background()
	m := put(t, s, newMsg(StateHeldApproval, "taro"), "body")
	for _, user := range []string{"taro", "TARO", "taro@office.example"} {
		_, err := s.Transition(ctx, m.ID, Change{From: StateHeldApproval, To: StateQueued, Actor: Actor{Kind: ActorApprover, User: user}})
		if !errors.Is(err, ErrSelfApproval) {
			t.Fatalf("self approval by %q: %v", user, err)
		}
	}
	if _, err := s.Transition(ctx, m.ID, Change{From: StateHeldApproval, To: StateQueued, Actor: System}); err == nil {
		t.Fatalf("approval without an approver succeeded")
	}
	if _, err := s.Transition(ctx, m.ID, Change{From: StateHeldApproval, To: StateQueued, Actor: Actor{Kind: ActorApprover, User: "hanako"}}); err != nil {
		t.Fatalf("approval by another user: %v", err)
	}
}

func testConcurrentApprove(t *testing.T, open opener) {
	s := open(t, newClock())
	ctx := context.Background()
	m := put(t, s, newMsg(StateHeldApproval, "taro"), "body")
	var wg sync.WaitGroup
	var mu sync.Mutex
	ok, conflict := 0, 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			to := StateQueued
			if i%2 == 1 {
				to = StateRejected
			}
			_, err := s.Transition(ctx, m.ID, Change{From: StateHeldApproval, To: to, Actor: Actor{Kind: ActorApprover, User: fmt.Sprintf("boss%d", i)}})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, ErrConflict):
				conflict++
			default:
				t.Errorf("transition: %v", err)
			}
		}()
	}
	wg.Wait()
	if ok != 1 || conflict != 7 {
		t.Fatalf("%d succeeded, %d conflicts; want 1 and 7", ok, conflict)
	}
	if evs := eventTypes(s, m.ID); len(evs) != 2 {
		t.Fatalf("events %v", evs)
	}
}

func testLeases(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	var ids []string
	for range 10 {
		ids = append(ids, put(t, s, newMsg(StateQueued, "taro"), "body").ID)
	}
	// Two instances acquire concurrently: every message goes to exactly one.
	var wg sync.WaitGroup
	got := map[string][]string{}
	var mu sync.Mutex
	for _, owner := range []string{"A", "B"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				l, err := s.Acquire(ctx, owner, c.Now(), time.Minute, 3)
				if err != nil {
					t.Errorf("acquire: %v", err)
				}
				mu.Lock()
				for _, m := range l {
					got[m.ID] = append(got[m.ID], owner)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(got) != 10 {
		t.Fatalf("leased %d messages, want 10", len(got))
	}
	for id, owners := range got {
		if len(owners) != 1 {
			t.Fatalf("%s leased by %v", id, owners)
		}
	}
	if l, _ := s.Acquire(ctx, "C", c.Now().Add(59*time.Second), time.Minute, 100); len(l) != 0 {
		t.Fatalf("C got %d leased messages before expiry", len(l))
	}
	if due, ok, _ := s.NextDue(ctx); !ok || !due.Equal(c.Now().Add(time.Minute).Truncate(time.Millisecond)) {
		t.Fatalf("next due %v %v", due, ok)
	}
	// A's lease expires (A crashed): C takes over, and A's late completion fails.
	c.Advance(61 * time.Second)
	l, err := s.Acquire(ctx, "C", c.Now(), time.Minute, 100)
	if err != nil || len(l) != 10 {
		t.Fatalf("takeover: %d, %v", len(l), err)
	}
	id := ids[0]
	_, err = s.Complete(ctx, id, got[id][0], Attempt{Time: c.Now(), Delivered: []string{"customer@example.com"}})
	if !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("complete by the old owner: %v", err)
	}
	m, err := s.Complete(ctx, id, "C", Attempt{Time: c.Now(), Delivered: []string{"customer@example.com"}})
	if err != nil || m.State != StateDelivered || m.LeaseOwner != "" {
		t.Fatalf("complete by C: %+v, %v", m, err)
	}
	// Held messages are never leased.
	h := put(t, s, newMsg(StateHeldDelay, "taro"), "b")
	c.Advance(time.Hour)
	l, _ = s.Acquire(ctx, "D", c.Now(), time.Minute, 100)
	for _, m := range l {
		if m.ID == h.ID || m.ID == id {
			t.Fatalf("acquired %s in state %s", m.ID, m.State)
		}
	}
}

func testCompleteAttempts(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	m := put(t, s, newMsg(StateQueued, "taro", "a@one.example", "b@two.example", "c@two.example"), "body")
	l, err := s.Acquire(ctx, "A", c.Now(), time.Minute, 10)
	if err != nil || len(l) != 1 {
		t.Fatalf("acquire: %v %d", err, len(l))
	}
	next := c.Now().Add(5 * time.Minute)
	got, err := s.Complete(ctx, m.ID, "A", Attempt{
		Time:        c.Now(),
		Delivered:   []string{"a@one.example"},
		Failed:      []*relay.RecipientError{{Rcpt: "b@two.example", Code: 550, Enhanced: smtpcode.Enhanced{5, 1, 1}, Message: "no such user"}},
		Deferred:    []*relay.RecipientError{{Rcpt: "c@two.example", Code: 450, Enhanced: smtpcode.Enhanced{4, 2, 0}, Temporary: true}},
		NextAttempt: next,
		DSN:         "01ARZ3NDEKTSV4RRFFQ69G5FAV",
	})
	if err != nil {
		t.Fatal(err)
	}
	if got.State != StateQueued || got.Attempts != 1 || !got.NextAttempt.Equal(next) || !slices.Equal(got.Pending(), []string{"c@two.example"}) ||
		got.Recipients[1].Status != RcptFailed || got.Recipients[1].Code != 550 || got.DSN == "" {
		t.Fatalf("after partial attempt: %+v", got)
	}
	if l, _ := s.Acquire(ctx, "A", c.Now(), time.Minute, 10); len(l) != 0 {
		t.Fatalf("acquired before next attempt")
	}
	k, ok, err := s.Known(ctx, "A@one.example")
	if err != nil || !ok || !k.First.Equal(c.Now()) {
		t.Fatalf("known address: %v %v %v", k, ok, err)
	}
	if _, ok, _ := s.Known(ctx, "one.example"); !ok {
		t.Fatalf("domain not known")
	}
	if _, ok, _ := s.Known(ctx, "two.example"); ok {
		t.Fatalf("refused domain known")
	}
	c.Advance(5 * time.Minute)
	if l, _ := s.Acquire(ctx, "B", c.Now(), time.Minute, 10); len(l) != 1 {
		t.Fatalf("not due after backoff")
	}
	got, err = s.Complete(ctx, m.ID, "B", Attempt{Time: c.Now(), Delivered: []string{"c@two.example"}})
	if err != nil || got.State != StateDelivered || got.Attempts != 2 || got.TerminalAt.IsZero() {
		t.Fatalf("final: %+v %v", got, err)
	}
	k, _, _ = s.Known(ctx, "one.example")
	k2, _, _ := s.Known(ctx, "two.example")
	if !k.Last.Before(k2.Last) {
		t.Fatalf("last seen not updated: %v %v", k, k2)
	}
	want := []string{"message.queued", "message.delivered", "message.failed", "message.dsn_sent", "message.deferred", "message.delivered"}
	if evs := eventTypes(s, m.ID); !slices.Equal(evs, want) {
		t.Fatalf("events %v, want %v", evs, want)
	}
	// All refused permanently: failed.
	f := put(t, s, newMsg(StateQueued, "taro", "x@three.example"), "body")
	s.Acquire(ctx, "A", c.Now(), time.Minute, 10)
	got, err = s.Complete(ctx, f.ID, "A", Attempt{Time: c.Now(), Failed: []*relay.RecipientError{{Rcpt: "x@three.example", Code: 550}}})
	if err != nil || got.State != StateFailed {
		t.Fatalf("all failed: %+v %v", got, err)
	}
	if n, _ := s.Counts(ctx); n[StateDelivered] != 1 || n[StateFailed] != 1 || n[StateQueued] != 0 {
		t.Fatalf("counts %v", n)
	}
	// Deliveries on the gateway's synchronous path.
	if err := s.NoteDelivered(ctx, c.Now(), "New@Four.example"); err != nil {
		t.Fatal(err)
	}
	if k, ok, _ := s.Known(ctx, "four.example"); !ok || !k.Last.Equal(c.Now()) {
		t.Fatalf("noted domain: %v %v", k, ok)
	}
	if _, ok, _ := s.Known(ctx, "new@four.example"); !ok {
		t.Fatalf("noted address unknown")
	}
}
