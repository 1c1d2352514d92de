package quarantine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func testList(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	states := []State{StateHeldApproval, StateHeldSelfCheck, StateQuarantined, StateQueued}
	var all []*Message // oldest first
	for i := range 40 {
		user := []string{"taro", "hanako", "jiro"}[i%3]
		m := newMsg(states[i%4], user, fmt.Sprintf("c%d@client%d.example", i, i%5))
		m.Group = []string{"sales", "support"}[i%2]
		m.Headers.Subject = fmt.Sprintf("案件 %d", i)
		if i == 17 {
			m.Headers.Subject = "顧客リスト Needle"
		}
		m.Received = c.Now()
		put(t, s, m, "body")
		all = append(all, m)
		c.Advance(time.Second)
	}
	ids := func(l []*Message) []string {
		var s []string
		for _, m := range l {
			s = append(s, m.ID)
		}
		return s
	}
	want := func(f func(i int, m *Message) bool) []string {
		var l []string
		for i := len(all) - 1; i >= 0; i-- {
			if f(i, all[i]) {
				l = append(l, all[i].ID)
			}
		}
		return l
	}
	listAll := func(q Query) []string {
		var l []string
		for range 100 {
			p, err := s.List(ctx, q)
			if err != nil {
				t.Fatalf("list %+v: %v", q, err)
			}
			if len(p.Messages) > q.Limit || (p.Next != "" && len(p.Messages) != q.Limit) {
				t.Fatalf("page of %d with next %q for limit %d", len(p.Messages), p.Next, q.Limit)
			}
			l = append(l, ids(p.Messages)...)
			if p.Next == "" {
				return l
			}
			q.Before = p.Next
		}
		t.Fatalf("pagination does not end")
		return nil
	}
	since, until := all[10].Received, all[30].Received
	cases := []struct {
		q    Query
		want []string
	}{
		{Query{Scope: everyone, Limit: 7}, want(func(i int, m *Message) bool { return true })},
		{Query{Scope: everyone, State: StateQuarantined, Limit: 3}, want(func(i int, m *Message) bool { return i%4 == 2 })},
		{Query{Scope: everyone, Sender: "HANAKO", Limit: 4}, want(func(i int, m *Message) bool { return i%3 == 1 })},
		{Query{Scope: everyone, Sender: "jiro@office.example", State: StateQueued, Limit: 2}, want(func(i int, m *Message) bool { return i%3 == 2 && i%4 == 3 })},
		{Query{Scope: everyone, Group: "support", State: StateHeldSelfCheck, Limit: 5}, want(func(i int, m *Message) bool { return i%2 == 1 && i%4 == 1 })},
		{Query{Scope: everyone, Since: since, Until: until, Limit: 6}, want(func(i int, m *Message) bool { return i >= 10 && i < 30 })},
		{Query{Scope: everyone, Text: "needle", Limit: 5}, []string{all[17].ID}},
		{Query{Scope: everyone, Text: "client3.EXAMPLE", State: StateHeldApproval, Limit: 5}, want(func(i int, m *Message) bool { return i%5 == 3 && i%4 == 0 })},
		{Query{Scope: everyone, Text: "nothing matches this", Limit: 5}, nil},
		// Scopes: who may see what.
		{Query{Limit: 5}, nil},
		{Query{Scope: Scope{Groups: []string{"support"}}, Limit: 6}, want(func(i int, m *Message) bool { return i%2 == 1 })},
		{Query{Scope: Scope{Sender: "Taro"}, Limit: 6}, want(func(i int, m *Message) bool { return i%3 == 0 })},
		{Query{Scope: Scope{Groups: []string{"sales"}, Sender: "hanako"}, Limit: 6}, want(func(i int, m *Message) bool { return i%2 == 0 || i%3 == 1 })},
		{Query{Scope: Scope{Groups: []string{"sales", "support"}}, State: StateQueued, Limit: 6}, want(func(i int, m *Message) bool { return i%4 == 3 })},
		{Query{Scope: Scope{Groups: []string{"support"}}, Group: "sales", Limit: 6}, nil},
		{Query{Scope: Scope{Sender: "taro"}, Sender: "hanako", Limit: 6}, nil},
	}
	for _, tc := range cases {
		if got := listAll(tc.q); !slices.Equal(got, tc.want) {
			t.Errorf("list %+v:\n got %v\nwant %v", tc.q, got, tc.want)
		}
	}
	p, err := s.List(ctx, Query{Scope: everyone})
	if err != nil || len(p.Messages) != 40 || p.Next != "" {
		t.Fatalf("default page: %d %q %v", len(p.Messages), p.Next, err)
	}
	n, err := s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range states {
		if n[st] != 10 {
			t.Fatalf("counts %v", n)
		}
	}
	for _, tc := range []struct {
		scope Scope
		st    State
		want  int
	}{
		{everyone, StateQueued, 10},
		{Scope{Groups: []string{"support"}}, StateHeldSelfCheck, 10},                 // i%4==1 is always odd
		{Scope{Groups: []string{"sales"}}, StateHeldSelfCheck, 0},                    // never even
		{Scope{Sender: "TARO"}, StateHeldApproval, 4},                                // i%3==0 && i%4==0: 0,12,24,36
		{Scope{Groups: []string{"sales"}, Sender: "taro"}, StateHeldApproval, 10},    // sales holds every i%4==0
		{Scope{Groups: []string{"support"}, Sender: "taro"}, StateHeldSelfCheck, 10}, // union, no double count
		{Scope{Groups: []string{"support"}, Sender: "hanako"}, StateHeldApproval, 3}, // 4,16,28
		{Scope{}, StateQueued, 0},
	} {
		n, err := s.CountScope(ctx, tc.scope, tc.st)
		if err != nil || n[tc.st] != tc.want || len(n) > 1 {
			t.Errorf("count scope %+v %s: %v %v, want %d", tc.scope, tc.st, n, err, tc.want)
		}
	}
	if n, _ := s.CountScope(ctx, Scope{Groups: []string{"sales", "support"}}); total(n) != 40 {
		t.Errorf("count scope all states: %v", n)
	}
	// A transition moves the message between state lists and counts.
	m := all[0]
	if _, err := s.Transition(ctx, m.ID, Change{From: StateHeldApproval, To: StateRejected, Actor: Actor{Kind: ActorApprover, User: "boss"}}); err != nil {
		t.Fatal(err)
	}
	n, _ = s.Counts(ctx)
	if n[StateHeldApproval] != 9 || n[StateRejected] != 1 {
		t.Fatalf("counts after transition %v", n)
	}
	p, _ = s.List(ctx, Query{Scope: everyone, State: StateRejected})
	if len(p.Messages) != 1 || p.Messages[0].ID != m.ID {
		t.Fatalf("rejected list: %v", ids(p.Messages))
	}
}

func testHolds(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	early := newMsg(StateHeldDelay, "taro")
	early.HoldUntil = c.Now().Add(10 * time.Minute)
	late := newMsg(StateHeldApproval, "taro")
	late.HoldUntil = c.Now().Add(time.Hour)
	put(t, s, early, "b")
	put(t, s, late, "b")
	put(t, s, newMsg(StateQuarantined, "taro"), "b") // no deadline
	if ids, _ := s.DueHolds(ctx, c.Now(), 10); len(ids) != 0 {
		t.Fatalf("due now: %v", ids)
	}
	if ids, _ := s.DueHolds(ctx, c.Now().Add(10*time.Minute), 10); !slices.Equal(ids, []string{early.ID}) {
		t.Fatalf("due at 10m: %v", ids)
	}
	if ids, _ := s.DueHolds(ctx, c.Now().Add(2*time.Hour), 10); !slices.Equal(ids, []string{early.ID, late.ID}) {
		t.Fatalf("due at 2h: %v", ids)
	}
	if _, err := s.Transition(ctx, early.ID, Change{From: StateHeldDelay, To: StateQueued, Actor: System}); err != nil {
		t.Fatal(err)
	}
	if ids, _ := s.DueHolds(ctx, c.Now().Add(2*time.Hour), 10); !slices.Equal(ids, []string{late.ID}) {
		t.Fatalf("due after release: %v", ids)
	}
}

func testRetention(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	m := put(t, s, newMsg(StateQuarantined, "taro"), "secret body")
	keep := put(t, s, newMsg(StateQuarantined, "taro"), "kept")
	if _, err := s.Transition(ctx, m.ID, Change{From: StateQuarantined, To: StateDeleted, Actor: Actor{Kind: ActorSecurity, User: "sec"}}); err != nil {
		t.Fatal(err)
	}
	ended := c.Now()
	c.Advance(24 * time.Hour)
	if n, err := s.PurgeBodies(ctx, ended, 10); err != nil || n != 0 {
		t.Fatalf("purge before retention: %d %v", n, err)
	}
	if n, err := s.PurgeBodies(ctx, ended.Add(time.Millisecond), 10); err != nil || n != 1 {
		t.Fatalf("purge: %d %v", n, err)
	}
	if _, err := s.Open(ctx, m.ID); !errors.Is(err, ErrPurged) {
		t.Fatalf("open purged: %v", err)
	}
	g, err := s.Get(ctx, m.ID)
	if err != nil || !g.Purged || g.State != StateDeleted {
		t.Fatalf("tombstone: %+v %v", g, err)
	}
	if n, _ := s.PurgeBodies(ctx, c.Now(), 10); n != 0 {
		t.Fatalf("purged twice")
	}
	if got := readBody(t, s, keep.ID); got != "kept" {
		t.Fatalf("live body touched: %q", got)
	}
	if n, err := s.DeleteTombstones(ctx, c.Now(), 10); err != nil || n != 1 {
		t.Fatalf("delete tombstones: %d %v", n, err)
	}
	if _, err := s.Get(ctx, m.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("get deleted: %v", err)
	}
	if n, _ := s.Counts(ctx); n[StateDeleted] != 0 || n[StateQuarantined] != 1 {
		t.Fatalf("counts %v", n)
	}
	if p, _ := s.List(ctx, Query{Scope: everyone}); len(p.Messages) != 1 {
		t.Fatalf("list after delete: %d", len(p.Messages))
	}
	if evs := eventTypes(s, m.ID); !slices.Equal(evs, []string{"message.held", "message.deleted", "message.purged"}) {
		t.Fatalf("events %v", evs)
	}
}

func testSessions(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	if err := s.SessionPut(ctx, "tok1", []byte("user=taro"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if v, err := s.SessionGet(ctx, "tok1"); err != nil || string(v) != "user=taro" {
		t.Fatalf("get: %q %v", v, err)
	}
	c.Advance(time.Hour)
	if _, err := s.SessionGet(ctx, "tok1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("expired session: %v", err)
	}
	s.SessionPut(ctx, "tok2", []byte("x"), time.Hour)
	if err := s.SessionDelete(ctx, "tok2"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionGet(ctx, "tok2"); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "session") {
		t.Fatalf("deleted session: %v", err)
	}
}

// testListNoGroup: a NoGroup scope (fallback approvers) sees exactly the
// messages without a group, alone or with groups, in lists and counts.
func testListNoGroup(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	var all []*Message // newest first
	for i := range 12 {
		m := newMsg([]State{StateHeldApproval, StateQueued}[i%2], "taro")
		m.Group = []string{"", "sales", "support"}[i%3]
		m.Received = c.Now()
		put(t, s, m, "body")
		all = append([]*Message{m}, all...)
		c.Advance(time.Second)
	}
	pick := func(f func(m *Message) bool) []string {
		var l []string
		for _, m := range all {
			if f(m) {
				l = append(l, m.ID)
			}
		}
		return l
	}
	for _, tc := range []struct {
		q    Query
		want []string
	}{
		{Query{Scope: Scope{NoGroup: true}, State: StateHeldApproval}, pick(func(m *Message) bool { return m.Group == "" && m.State == StateHeldApproval })},
		{Query{Scope: Scope{NoGroup: true, Groups: []string{"support"}}}, pick(func(m *Message) bool { return m.Group != "sales" })},
		{Query{Scope: Scope{Groups: []string{"sales"}}}, pick(func(m *Message) bool { return m.Group == "sales" })},
	} {
		p, err := s.List(ctx, tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range p.Messages {
			got = append(got, m.ID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("list %+v:\n got %v\nwant %v", tc.q.Scope, got, tc.want)
		}
	}
	n, err := s.CountScope(ctx, Scope{NoGroup: true, Groups: []string{"sales"}}, StateHeldApproval)
	if err != nil || n[StateHeldApproval] != 4 { // i = 0, 4, 6, 10
		t.Errorf("count scope: %v %v, want 4", n, err)
	}
	if !(Scope{NoGroup: true}).Allows(all[len(all)-1]) || (Scope{NoGroup: true}).Allows(all[len(all)-2]) {
		t.Error("Allows disagrees with NoGroup")
	}
}

// testSessionSwap: compare-and-set on a value that never expires; one of
// many concurrent swaps from the same old value wins.
func testSessionSwap(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	if ok, err := s.SessionSwap(ctx, "dir:u:taro", []byte("v1"), []byte("v2")); ok || err != nil {
		t.Fatalf("swap from a missing value: %v %v", ok, err)
	}
	if ok, err := s.SessionSwap(ctx, "dir:u:taro", nil, []byte("v1")); !ok || err != nil {
		t.Fatalf("create: %v %v", ok, err)
	}
	if ok, _ := s.SessionSwap(ctx, "dir:u:taro", nil, []byte("v9")); ok {
		t.Fatal("create over an existing value")
	}
	c.Advance(10 * 365 * 24 * time.Hour)
	if v, err := s.SessionGet(ctx, "dir:u:taro"); err != nil || string(v) != "v1" {
		t.Fatalf("get after ten years: %q %v", v, err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := s.SessionSwap(ctx, "dir:u:taro", []byte("v1"), []byte(fmt.Sprintf("w%d", i)))
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent swaps from the same value won", wins)
	}
	s.SessionDelete(ctx, "dir:u:taro")
	if _, err := s.SessionGet(ctx, "dir:u:taro"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

// testSessionAdd: counters count every concurrent increment, expire after
// their ttl from the first one, and are deleted with SessionDelete.
func testSessionAdd(t *testing.T, open opener) {
	c := newClock()
	s := open(t, c)
	ctx := context.Background()
	var wg sync.WaitGroup
	seen := make([]int64, 40)
	for i := range seen {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.SessionAdd(ctx, "fail:taro", 1, time.Minute)
			if err != nil {
				t.Error(err)
			}
			seen[i] = n
		}()
	}
	wg.Wait()
	slices.Sort(seen)
	for i, n := range seen {
		if n != int64(i+1) {
			t.Fatalf("concurrent increments returned %v", seen)
		}
	}
	if n, _ := s.SessionAdd(ctx, "fail:taro", -1, time.Minute); n != 39 {
		t.Fatalf("decrement: %d", n)
	}
	c.Advance(time.Minute)
	if n, _ := s.SessionAdd(ctx, "fail:taro", 0, time.Minute); n != 0 {
		t.Fatalf("expired counter reads %d", n)
	}
	s.SessionAdd(ctx, "fail:taro", 3, time.Minute)
	s.SessionDelete(ctx, "fail:taro")
	if n, _ := s.SessionAdd(ctx, "fail:taro", 0, time.Minute); n != 0 {
		t.Fatalf("deleted counter reads %d", n)
	}
}
