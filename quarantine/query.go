package quarantine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// errSkip aborts an update without writing and without being an error to
// the caller that asked for it.
var errSkip = errors.New("skip")

func isNotFoundOrConflict(err error) bool {
	return errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) || errors.Is(err, errSkip)
}

// idBound returns the smallest ULID of time t: every id of a message
// received before t sorts below it.
func idBound(t time.Time) string {
	var u ulid.ULID
	if err := u.SetTime(ulid.Timestamp(t)); err != nil {
		return ""
	}
	return u.String()
}

// List implements Store.List: it walks the most selective index newest
// first (sender, else group, else the scope's only group or its sender,
// else state, else all) within the id bounds
// given by the cursor and time range, and filters the rest on the records.
// Pages of a selective query cost O(page); free-text search scans.
func (c *core) List(ctx context.Context, q Query) (*Page, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 1000)
	sc := q.Scope
	if !sc.All && len(sc.Groups) == 0 && sc.Sender == "" {
		return &Page{}, nil
	}
	set := ixAll
	switch {
	case q.Sender != "":
		set = ixSend + strings.ToLower(strings.TrimSpace(q.Sender))
	case q.Group != "":
		set = ixGroup + q.Group
	case !sc.All && len(sc.Groups) == 1 && sc.Sender == "":
		set = ixGroup + sc.Groups[0]
	case !sc.All && len(sc.Groups) == 0:
		set = ixSend + strings.ToLower(strings.TrimSpace(sc.Sender))
	case q.State != "":
		set = ixState + string(q.State)
	}
	hi := q.Before
	if !q.Until.IsZero() {
		if u := idBound(q.Until); hi == "" || u < hi {
			hi = u
		}
	}
	lo := ""
	if !q.Since.IsZero() {
		lo = idBound(q.Since)
	}
	text := strings.ToLower(strings.TrimSpace(q.Text))
	var page []*Message
	batch := max(limit+1, 64)
	scan := func(fn func([]string) (bool, error)) error {
		return c.b.scanRev(ctx, set, hi, lo, batch, fn)
	}
	if text != "" {
		// Match the text inside the backend, next to the data, and
		// load only the matching records.
		scan = func(fn func([]string) (bool, error)) error {
			return c.b.textScan(ctx, set, hi, lo, text, 1000, fn)
		}
	}
	err := scan(func(ids []string) (bool, error) {
		ms, err := c.b.loadMany(ctx, ids)
		if err != nil {
			return false, err
		}
		for _, m := range ms {
			if q.matches(m, text) {
				page = append(page, m)
				if len(page) > limit {
					return false, nil
				}
			}
		}
		return true, nil
	})
	if err != nil {
		return nil, fmt.Errorf("list: %w", err)
	}
	p := &Page{Messages: page}
	if len(page) > limit {
		p.Messages = page[:limit]
		p.Next = page[limit-1].ID
	}
	return p, nil
}

func (q *Query) matches(m *Message, text string) bool {
	if !q.Scope.Allows(m) {
		return false
	}
	if q.State != "" && m.State != q.State {
		return false
	}
	if q.Group != "" && m.Group != q.Group {
		return false
	}
	if q.Sender != "" && !slices.Contains(m.senders(), strings.ToLower(strings.TrimSpace(q.Sender))) {
		return false
	}
	if text != "" && !strings.Contains(m.searchText(), text) {
		return false
	}
	return true
}
