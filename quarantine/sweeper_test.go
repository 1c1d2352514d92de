package quarantine

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

func TestSweeper(t *testing.T) {
	backends(t, func(t *testing.T, c *fakeClock, s *testStore, _ func() Store) {
		ctx := context.Background()
		hold := func(st State, d time.Duration) *Message {
			m := newMsg(st, "taro")
			m.HoldUntil = c.Now().Add(d)
			return put(t, s, m, "body")
		}
		delay := hold(StateHeldDelay, 10*time.Minute)
		self := hold(StateHeldSelfCheck, time.Hour)
		appr := hold(StateHeldApproval, time.Hour)
		acted := hold(StateHeldApproval, time.Hour)
		quar := put(t, s, newMsg(StateQuarantined, "taro"), "body")

		var mu sync.Mutex
		var expired []string
		kicks := 0
		sw, err := NewSweeper(SweeperOptions{Store: s, Now: c.Now, Logger: quietLog(),
			BodyRetention: 24 * time.Hour, RecordRetention: 48 * time.Hour,
			OnExpired: func(_ context.Context, m *Message) { mu.Lock(); expired = append(expired, m.ID); mu.Unlock() },
			OnQueued:  func() { kicks++ },
		})
		if err != nil {
			t.Fatal(err)
		}
		sweep := func() SweepStats {
			st, err := sw.RunOnce(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return st
		}
		if st := sweep(); st != (SweepStats{}) {
			t.Fatalf("early sweep: %+v", st)
		}
		c.Advance(10 * time.Minute)
		if st := sweep(); st.Released != 1 || kicks != 1 {
			t.Fatalf("sweep at 10m: %+v", st)
		}
		if g, _ := s.Get(ctx, delay.ID); g.State != StateQueued || g.History[1].Actor != System {
			t.Fatalf("delay: %+v", g)
		}
		// An approver acts just before the deadline: the sweeper leaves it.
		if _, err := s.Transition(ctx, acted.ID, Change{From: StateHeldApproval, To: StateQueued, Actor: Actor{Kind: ActorApprover, User: "boss"}}); err != nil {
			t.Fatal(err)
		}
		c.Advance(time.Hour)
		if st := sweep(); st.Expired != 2 || len(expired) != 2 {
			t.Fatalf("sweep at 1h10m: %+v %v", st, expired)
		}
		for id, want := range map[string]State{self.ID: StateExpired, appr.ID: StateExpired, acted.ID: StateQueued, quar.ID: StateQuarantined} {
			if g, _ := s.Get(ctx, id); g.State != want {
				t.Fatalf("%s: %s, want %s", id, g.State, want)
			}
		}
		// Retention: bodies after a day, tombstones after two.
		c.Advance(24*time.Hour + time.Second)
		if st := sweep(); st.Purged != 2 || st.Deleted != 0 {
			t.Fatalf("sweep after a day: %+v", st)
		}
		if _, err := s.Open(ctx, self.ID); !errors.Is(err, ErrPurged) {
			t.Fatalf("open purged: %v", err)
		}
		c.Advance(24 * time.Hour)
		if st := sweep(); st.Deleted != 2 {
			t.Fatalf("sweep after two days: %+v", st)
		}
		if _, err := s.Get(ctx, appr.ID); !errors.Is(err, ErrNotFound) {
			t.Fatalf("tombstone kept: %v", err)
		}
	})
}
