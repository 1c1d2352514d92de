package quarantine

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// SweeperOptions configure the sweeper. Zero values take the defaults.
type SweeperOptions struct {
	Store Store
	// Interval between passes (default 1m).
	Interval time.Duration
	// BodyRetention: bodies of terminal messages are removed this long
	// after the message ended (default 90 days); the record stays as a
	// tombstone. Negative: never.
	BodyRetention time.Duration
	// RecordRetention: tombstones are removed this long after the message
	// ended (default 400 days; at least BodyRetention). Negative: never.
	// Audit events are kept by the audit package, not here.
	RecordRetention time.Duration
	// OnExpired is called after a held_selfcheck or held_approval message
	// expired (the approvals issue sends the notice); errors are its own.
	OnExpired func(ctx context.Context, m *Message)
	// OnNoticeDue queues the notices of a message stored with NoticeDue
	// that nobody reported queued within NoticeGrace of its receipt
	// (okuri stopped between the hold's commit and its notices); when it
	// returns nil the flag is cleared, else the next pass tries again.
	// It must be idempotent: the notices may have gone out before the
	// crash. Nil: the sweeper leaves such messages alone.
	OnNoticeDue func(ctx context.Context, m *Message) error
	// NoticeGrace is how long the gateway has to queue a held message's
	// notices itself before the sweeper does (default 1m).
	NoticeGrace time.Duration
	// OnQueued is called after a held_delay message was released to the
	// queue; wire it to Worker.Kick.
	OnQueued func()
	Now      func() time.Time
	Logger   *slog.Logger
	// Registerer for okuri_quarantine_sweeper_actions_total; nil: none.
	Registerer prometheus.Registerer
}

// Sweeper applies hold deadlines and retention.
type Sweeper struct {
	o       SweeperOptions
	actions *prometheus.CounterVec
}

// SweepStats counts what one pass did.
type SweepStats struct {
	Released, Expired, Purged, Deleted, Sessions int
	// Notices counts messages whose lost notices were queued.
	Notices int
}

// NewSweeper fills in defaults.
func NewSweeper(o SweeperOptions) (*Sweeper, error) {
	if o.Store == nil {
		return nil, errors.New("new sweeper: Store is required")
	}
	if o.Interval <= 0 {
		o.Interval = time.Minute
	}
	if o.NoticeGrace <= 0 {
		o.NoticeGrace = time.Minute
	}
	if o.BodyRetention == 0 {
		o.BodyRetention = 90 * 24 * time.Hour
	}
	if o.RecordRetention == 0 {
		o.RecordRetention = 400 * 24 * time.Hour
	}
	if o.BodyRetention > 0 && o.RecordRetention > 0 && o.RecordRetention < o.BodyRetention {
		o.RecordRetention = o.BodyRetention
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	reg := o.Registerer
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	actions := promauto.With(reg).NewCounterVec(prometheus.CounterOpts{
		Name: "okuri_quarantine_sweeper_actions_total",
		Help: "Sweeper actions: released (held_delay deadline), expired, purged (body), deleted (tombstone), notices (lost notices queued).",
	}, []string{"action"})
	return &Sweeper{o: o, actions: actions}, nil
}

// Run sweeps every Interval until ctx is done.
func (s *Sweeper) Run(ctx context.Context) error {
	t := time.NewTicker(s.o.Interval)
	defer t.Stop()
	for {
		st, err := s.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			s.o.Logger.Error("quarantine: sweep", "err", err)
		} else if st != (SweepStats{}) {
			s.o.Logger.Info("quarantine: sweep", "released", st.Released, "expired", st.Expired, "purged", st.Purged, "deleted", st.Deleted, "notices", st.Notices)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
}

const sweepBatch = 500

// RunOnce makes one pass: due holds, then retention.
func (s *Sweeper) RunOnce(ctx context.Context) (SweepStats, error) {
	st, err := s.runOnce(ctx)
	for k, v := range map[string]int{"released": st.Released, "expired": st.Expired, "purged": st.Purged, "deleted": st.Deleted, "notices": st.Notices} {
		s.actions.WithLabelValues(k).Add(float64(v))
	}
	return st, err
}

func (s *Sweeper) runOnce(ctx context.Context) (SweepStats, error) {
	var st SweepStats
	now := s.o.Now()
	for {
		ids, err := s.o.Store.DueHolds(ctx, now, sweepBatch)
		if err != nil {
			return st, err
		}
		changed := 0
		for _, id := range ids {
			m, err := s.o.Store.Get(ctx, id)
			if errors.Is(err, ErrNotFound) {
				continue
			} else if err != nil {
				return st, err
			}
			to := StateExpired
			if m.State == StateHeldDelay {
				to = StateQueued
			}
			m, err = s.o.Store.Transition(ctx, id, Change{From: m.State, To: to, Actor: System, Comment: "hold deadline passed"})
			if errors.Is(err, ErrConflict) {
				continue // a person acted first
			} else if err != nil {
				return st, err
			}
			changed++
			if to == StateQueued {
				st.Released++
				if s.o.OnQueued != nil {
					s.o.OnQueued()
				}
			} else {
				st.Expired++
				if s.o.OnExpired != nil {
					s.o.OnExpired(ctx, m)
				}
			}
		}
		if len(ids) < sweepBatch || changed == 0 {
			break
		}
	}
	n, err := s.queueLostNotices(ctx, now)
	st.Notices = n
	if err != nil {
		return st, err
	}
	if s.o.BodyRetention > 0 {
		for {
			n, err := s.o.Store.PurgeBodies(ctx, now.Add(-s.o.BodyRetention), sweepBatch)
			st.Purged += n
			if err != nil {
				return st, err
			}
			if n < sweepBatch {
				break
			}
		}
	}
	if s.o.RecordRetention > 0 {
		for {
			n, err := s.o.Store.DeleteTombstones(ctx, now.Add(-s.o.RecordRetention), sweepBatch)
			st.Deleted += n
			if err != nil {
				return st, err
			}
			if n < sweepBatch {
				break
			}
		}
	}
	if ss, ok := s.o.Store.(interface {
		sweepSessions(context.Context, time.Time) (int, error)
	}); ok {
		n, err := ss.sweepSessions(ctx, now)
		st.Sessions = n
		if err != nil {
			return st, err
		}
	}
	return st, nil
}

// queueLostNotices hands OnNoticeDue the messages whose notices are
// overdue and clears their flag once it queued them. One pass handles at
// most sweepBatch: a failing hook must not keep the sweeper from the
// rest of its work.
func (s *Sweeper) queueLostNotices(ctx context.Context, now time.Time) (int, error) {
	if s.o.OnNoticeDue == nil {
		return 0, nil
	}
	ids, err := s.o.Store.NoticesDue(ctx, now.Add(-s.o.NoticeGrace), sweepBatch)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		m, err := s.o.Store.Get(ctx, id)
		if errors.Is(err, ErrNotFound) {
			continue
		} else if err != nil {
			return n, err
		}
		if err := s.o.OnNoticeDue(ctx, m); err != nil {
			s.o.Logger.Warn("quarantine: notices still not queued", "id", id, "err", err)
			continue
		}
		if err := s.o.Store.NoticesQueued(ctx, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
