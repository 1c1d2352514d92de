package quarantine

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// TestNoticeOutbox: the obligation to tell people about a held message
// commits with the hold (Message.NoticeDue, indexed), so okuri stopping
// after the commit and before the notices were queued loses none: the
// sweeper hands overdue ones to OnNoticeDue, retries while it fails, and
// clears the flag once it succeeded — on both backends.
func TestNoticeOutbox(t *testing.T) {
	backends(t, func(t *testing.T, c *fakeClock, s *testStore, reopen func() Store) {
		ctx := context.Background()
		due := newMsg(StateHeldApproval, "taro")
		due.HoldUntil, due.NoticeDue = c.Now().Add(72*time.Hour), true
		put(t, s, due, "body")
		done := newMsg(StateQuarantined, "taro")
		put(t, s, done, "body")

		// The gateway stopped here: no NoticesQueued. Another instance
		// (Redis) or the restarted process sees the obligation.
		other := reopen()
		if ids, err := other.NoticesDue(ctx, c.Now(), 10); err != nil || !slices.Equal(ids, []string{due.ID}) {
			t.Fatalf("notices due %v, %v; want [%s]", ids, err, due.ID)
		}

		var calls []string
		fail := errors.New("store unavailable")
		sw, err := NewSweeper(SweeperOptions{Store: other, Now: c.Now, Logger: quietLog(), BodyRetention: -1, RecordRetention: -1,
			OnNoticeDue: func(_ context.Context, m *Message) error {
				calls = append(calls, m.ID)
				if len(calls) == 1 {
					return fail
				}
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := sw.RunOnce(ctx); err != nil || st.Notices != 0 || len(calls) != 0 {
			t.Fatalf("within the grace period: %+v %v, calls %v", st, err, calls)
		}
		c.Advance(2 * time.Minute)
		if st, err := sw.RunOnce(ctx); err != nil || st.Notices != 0 || len(calls) != 1 {
			t.Fatalf("failing hook: %+v %v, calls %v", st, err, calls)
		}
		if g, _ := s.Get(ctx, due.ID); !g.NoticeDue {
			t.Fatal("flag cleared although the notices were not queued")
		}
		if st, err := sw.RunOnce(ctx); err != nil || st.Notices != 1 || !slices.Equal(calls, []string{due.ID, due.ID}) {
			t.Fatalf("retry: %+v %v, calls %v", st, err, calls)
		}
		g, _ := s.Get(ctx, due.ID)
		if g.NoticeDue || g.State != StateHeldApproval {
			t.Fatalf("after queueing: notice due %v, state %s", g.NoticeDue, g.State)
		}
		if st, _ := sw.RunOnce(ctx); st.Notices != 0 || len(calls) != 2 {
			t.Fatalf("queued twice: %+v, calls %v", st, calls)
		}
		// Clearing an absent flag changes nothing.
		v := g.Version
		if err := s.NoticesQueued(ctx, due.ID); err != nil {
			t.Fatal(err)
		}
		if g, _ := s.Get(ctx, due.ID); g.Version != v {
			t.Fatalf("version %d → %d for a no-op", v, g.Version)
		}
	})
}
