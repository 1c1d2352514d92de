package extract

import (
	"context"
	"io"
)

// Budget counts the decompressed bytes of one scan against the total limit
// and checks the scan's context, so a long extraction stops at the time
// budget. One Budget belongs to one scan and is not safe for concurrent use.
type Budget struct {
	ctx       context.Context
	remaining int64
}

// NewBudget returns a budget that allows total bytes and stops when ctx is done.
func NewBudget(ctx context.Context, total int64) *Budget {
	return &Budget{ctx: ctx, remaining: total}
}

// Context returns the scan's context.
func (b *Budget) Context() context.Context { return b.ctx }

// Take charges n bytes. It fails with a LimitError when the total is
// exhausted or the time budget is over, and with the context's error when
// the scan was cancelled.
func (b *Budget) Take(n int64) error {
	b.remaining -= n
	if b.remaining < 0 {
		return &LimitError{Limit: LimitTotalBytes}
	}
	return b.Err()
}

// Err reports the context state: a LimitError for a deadline, the
// context's error for a cancellation, nil otherwise.
func (b *Budget) Err() error {
	if err := b.ctx.Err(); err != nil {
		if err == context.DeadlineExceeded {
			return &LimitError{Limit: LimitTimeout}
		}
		return err
	}
	return nil
}

// Reader wraps r so that every byte read is charged to the budget. If
// maxBytes > 0, reading more than maxBytes from r fails with a LimitError
// named limit (used for the per-entry ratio of compressed entries).
func (b *Budget) Reader(r io.Reader, maxBytes int64, limit string) io.Reader {
	return &budgetReader{r: r, b: b, max: maxBytes, limit: limit}
}

type budgetReader struct {
	r     io.Reader
	b     *Budget
	n     int64
	max   int64
	limit string
}

func (br *budgetReader) Read(p []byte) (int, error) {
	n, err := br.r.Read(p)
	if n > 0 {
		br.n += int64(n)
		if br.max > 0 && br.n > br.max {
			return n, &LimitError{Limit: br.limit}
		}
		if berr := br.b.Take(int64(n)); berr != nil {
			return n, berr
		}
	}
	return n, err
}
