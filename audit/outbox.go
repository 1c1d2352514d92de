package audit

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrOutboxFull is returned by Append when the outbox holds its configured
// maximum and the overflow policy is OverflowReject.
var ErrOutboxFull = errors.New("audit: outbox full")

// ErrClosed is returned by Append after the outbox was closed.
var ErrClosed = errors.New("audit: outbox closed")

// Overflow policies: what Append does when the outbox is full.
const (
	// OverflowDrop keeps mail flowing: the events are not stored, Append
	// returns nil, and the loss (count per type, first and last time) is
	// recorded and later published as an audit.events_lost event.
	OverflowDrop = "drop"
	// OverflowReject makes Append fail with ErrOutboxFull, so the caller
	// can refuse the work it wanted to record (e.g. answer 451).
	OverflowReject = "reject"
)

// OutboxOptions bound an outbox.
type OutboxOptions struct {
	// Max is the number of events (unchained plus chained, not yet
	// acknowledged by JetStream) above which Append applies Overflow.
	// 0 means the default, 1,000,000; negative means unbounded.
	Max int
	// Overflow is OverflowDrop (default) or OverflowReject.
	Overflow string
	// MaxBatch caps how many events one group commit writes. Default 4096.
	MaxBatch int
}

func (o OutboxOptions) withDefaults() (OutboxOptions, error) {
	if o.Max == 0 {
		o.Max = 1_000_000
	}
	if o.Overflow == "" {
		o.Overflow = OverflowDrop
	}
	if o.Overflow != OverflowDrop && o.Overflow != OverflowReject {
		return o, fmt.Errorf("audit: unknown outbox overflow policy %q (want %q or %q)", o.Overflow, OverflowDrop, OverflowReject)
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = 4096
	}
	return o, nil
}

// Outbox is a durable queue of events waiting to be chained and published.
// The two implementations are BoltOutbox (embedded store) and RedisOutbox.
//
// Append is safe for concurrent use and group-commits: concurrent calls
// share one bbolt transaction or one Redis round trip. It returns once the
// events are durable (or, under OverflowDrop with a full outbox, once the
// loss is durably counted).
type Outbox interface {
	Append(ctx context.Context, evs ...Event) error
	queue() queue
}

// queue is what the publisher needs from an outbox. Entries are JSON
// payloads; "raw" entries are unchained, "chained" ones carry seq, prev
// and hash and are published in order. Only the single publisher of an
// instance calls these methods.
type queue interface {
	// head returns the last chained seq and hash (0, "" for a new chain).
	head(ctx context.Context) (uint64, string, error)
	// raw returns up to n unchained payloads, oldest first.
	raw(ctx context.Context, n int) ([][]byte, error)
	// lost returns the loss recorded since the last takeLost.
	lost(ctx context.Context) (*Lost, error)
	// chain atomically removes the first nAck chained entries (already
	// acknowledged by JetStream) and the first nRaw unchained entries,
	// appends the chained payloads, records the new head (checking that
	// the head still is prevSeq) and subtracts lost (may be nil) from the
	// recorded loss.
	chain(ctx context.Context, nAck, nRaw int, prevSeq uint64, chained [][]byte, headSeq uint64, headHash string, lost *Lost) error
	// chained returns up to n chained payloads, oldest first.
	chained(ctx context.Context, n int) ([][]byte, error)
	// ack removes the first n chained entries.
	ack(ctx context.Context, n int) error
	// depth returns the number of raw plus chained entries.
	depth(ctx context.Context) (int, error)
	// lease makes sure this publisher is the only one of its instance;
	// it is renewed on every round.
	lease(ctx context.Context) error
	// bound returns OutboxOptions.Max after defaults (<= 0: unbounded).
	bound() int
	// kick returns a channel that receives when new raw entries exist
	// (best effort: the publisher also polls).
	kick() <-chan struct{}
}

// appendReq is one Append call waiting for the group commit.
type appendReq struct {
	payloads [][]byte
	types    []string
	status   int   // set by flush: 1 stored, 0 dropped, -1 rejected
	err      error // set when the commit failed
	done     chan struct{}
}

// committer turns concurrent Append calls into one write: the first
// request starts a commit immediately and everything that arrives while it
// runs goes into the next one. No request waits for a timer.
type committer struct {
	maxBatch int
	flush    func(reqs []*appendReq) error // sets status on each request

	mu      sync.Mutex
	pending []*appendReq
	closed  bool
	wake    chan struct{} // capacity 1; closed by close
	stopped chan struct{}
}

func newCommitter(maxBatch int, flush func([]*appendReq) error) *committer {
	c := &committer{maxBatch: maxBatch, flush: flush, wake: make(chan struct{}, 1), stopped: make(chan struct{})}
	go c.loop()
	return c
}

// submit queues req and waits for the commit that contains it.
func (c *committer) submit(ctx context.Context, req *appendReq) error {
	req.done = make(chan struct{})
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return ErrClosed
	}
	c.pending = append(c.pending, req)
	select {
	case c.wake <- struct{}{}:
	default:
	}
	c.mu.Unlock()
	select {
	case <-req.done:
	case <-ctx.Done():
		// The write may still happen; the caller only stops waiting.
		return fmt.Errorf("audit: append: %w", ctx.Err())
	}
	if req.err != nil {
		return req.err
	}
	if req.status < 0 {
		return ErrOutboxFull
	}
	return nil
}

func (c *committer) loop() {
	defer close(c.stopped)
	for {
		_, ok := <-c.wake
		c.drain()
		if !ok {
			return
		}
	}
}

// drain commits pending requests until none is left.
func (c *committer) drain() {
	for {
		c.mu.Lock()
		if len(c.pending) == 0 {
			c.mu.Unlock()
			return
		}
		// Take up to maxBatch events (at least one request).
		n, i := 0, 0
		for i < len(c.pending) && (i == 0 || n+len(c.pending[i].payloads) <= c.maxBatch) {
			n += len(c.pending[i].payloads)
			i++
		}
		batch := c.pending[:i:i]
		c.pending = append([]*appendReq(nil), c.pending[i:]...)
		c.mu.Unlock()

		err := c.flush(batch)
		for _, r := range batch {
			r.err = err
			close(r.done)
		}
	}
}

// close stops accepting requests and waits for pending ones.
func (c *committer) close() {
	c.mu.Lock()
	if !c.closed {
		c.closed = true
		close(c.wake)
	}
	c.mu.Unlock()
	<-c.stopped
}

// marshalAll prepares and marshals events for an outbox.
func marshalAll(evs []Event) (payloads [][]byte, types []string, err error) {
	payloads = make([][]byte, len(evs))
	types = make([]string, len(evs))
	for i := range evs {
		b, err := Marshal(evs[i])
		if err != nil {
			return nil, nil, err
		}
		payloads[i], types[i] = b, evs[i].Type
	}
	return payloads, types, nil
}

// lossAcc accumulates a loss record in memory.
func addLoss(l *Lost, types []string, now time.Time) *Lost {
	if l == nil {
		l = &Lost{ByType: map[string]int{}, First: now}
	}
	for _, t := range types {
		l.ByType[t]++
	}
	l.Count += len(types)
	l.Last = now
	return l
}

// IsStorageFull reports whether err from Emit or Append means the outbox's
// storage is out of space — a full disk under the embedded store, or Redis
// at its memory limit — so the gateway can answer 452 4.3.1 (RFC 3463)
// rather than a generic temporary failure.
func IsStorageFull(err error) bool {
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return true
	}
	var re redis.Error
	return errors.As(err, &re) && strings.HasPrefix(re.Error(), "OOM ")
}
