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
	if !sc.All && len(sc.Groups) == 0 && sc.Sender == "" && !sc.NoGroup {
		return &Page{}, nil
	}
	set := q.indexSet()
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

// indexSet picks the most selective index for q: sender or group (from
// the query, else from a scope of one group or only a sender), combined
// with the state when one is asked for; else the state; else all.
func (q *Query) indexSet() string {
	sc := q.Scope
	sender, group := strings.ToLower(strings.TrimSpace(q.Sender)), q.Group
	// Messages without a group have no group index: a NoGroup scope
	// reads the state (or all) index and filters on the records.
	if sender == "" && group == "" && !sc.All && !sc.NoGroup {
		if len(sc.Groups) == 1 && sc.Sender == "" {
			group = sc.Groups[0]
		} else if len(sc.Groups) == 0 {
			sender = strings.ToLower(strings.TrimSpace(sc.Sender))
		}
	}
	switch {
	case sender != "" && q.State != "":
		return ixSS + sender + ixSep + string(q.State)
	case sender != "":
		return ixSend + sender
	case group != "" && q.State != "":
		return ixGS + group + ixSep + string(q.State)
	case group != "":
		return ixGroup + group
	case q.State != "":
		return ixState + string(q.State)
	}
	return ixAll
}

// CountScope returns the number of messages per state inside scope, for
// the given states (all states when none). For a scope other than All it
// reads the scope's group/state and sender/state indexes, so it costs the
// number of messages counted.
func (c *core) CountScope(ctx context.Context, scope Scope, states ...State) (map[State]int, error) {
	if len(states) == 0 {
		states = States
	}
	n := map[State]int{}
	if scope.All {
		all, err := c.Counts(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range states {
			if all[s] > 0 {
				n[s] = all[s]
			}
		}
		return n, nil
	}
	for _, st := range states {
		var sets []string
		for _, g := range scope.Groups {
			sets = append(sets, ixGS+g+ixSep+string(st))
		}
		if sender := strings.ToLower(strings.TrimSpace(scope.Sender)); sender != "" {
			sets = append(sets, ixSS+sender+ixSep+string(st))
		}
		seen := map[string]bool{}
		if scope.NoGroup {
			if err := c.countNoGroup(ctx, st, seen); err != nil {
				return nil, fmt.Errorf("count scope: %w", err)
			}
		}
		for _, set := range sets {
			err := c.b.scanRev(ctx, set, "", "", 5000, func(ids []string) (bool, error) {
				for _, id := range ids {
					seen[id] = true
				}
				return true, nil
			})
			if err != nil {
				return nil, fmt.Errorf("count scope: %w", err)
			}
		}
		if len(seen) > 0 {
			n[st] = len(seen)
		}
	}
	return n, nil
}

// countNoGroup adds the messages in state st without a group to seen,
// reading the state's records (there is no index of "no group").
func (c *core) countNoGroup(ctx context.Context, st State, seen map[string]bool) error {
	return c.b.scanRev(ctx, ixState+string(st), "", "", 500, func(ids []string) (bool, error) {
		ms, err := c.b.loadMany(ctx, ids)
		if err != nil {
			return false, err
		}
		for _, m := range ms {
			if m.Group == "" {
				seen[m.ID] = true
			}
		}
		return true, nil
	})
}

func (q *Query) matches(m *Message, text string) bool {
	if !q.Scope.Allows(m) || m.Own() && !q.WithOwn {
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
