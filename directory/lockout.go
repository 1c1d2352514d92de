package directory

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Limits is the per-account lockout: after MaxFailures failed sign-ins
// (UI password, UI code, SMTP AUTH — one count) within Window the
// account is locked for Duration.
type Limits struct {
	MaxFailures int
	Window      time.Duration
	Duration    time.Duration
}

// The counter counts attempts, not failures: Begin adds one before the
// password is hashed and Succeeded clears it. So 40 concurrent guesses
// get MaxFailures checks between them, not 40, and a guess that is still
// being hashed already counts.

func failKey(addr string) string { return "dir:fail:" + strings.ToLower(strings.TrimSpace(addr)) }
func lockKey(addr string) string { return "dir:lock:" + strings.ToLower(strings.TrimSpace(addr)) }

// Begin counts a sign-in attempt for addr and reports whether it may be
// checked: false when the account is locked or this attempt is over the
// limit (which locks it). A store error refuses the attempt.
func (a *Accounts) Begin(ctx context.Context, addr string) (bool, error) {
	l := a.limits()
	if until, err := a.LockedUntil(ctx, addr); err != nil || !until.IsZero() {
		return false, err
	}
	n, err := a.kv.SessionAdd(ctx, failKey(addr), 1, l.Window)
	if err != nil {
		return false, fmt.Errorf("directory: count attempt: %w", err)
	}
	if n > int64(l.MaxFailures) {
		return false, a.lock(ctx, addr, l)
	}
	return true, nil
}

// Failed notes that a begun attempt failed and locks the account when
// the count reached the limit; it reports whether the account is locked.
func (a *Accounts) Failed(ctx context.Context, addr string) (bool, error) {
	l := a.limits()
	n, err := a.kv.SessionAdd(ctx, failKey(addr), 0, l.Window)
	if err != nil {
		return false, fmt.Errorf("directory: count failure: %w", err)
	}
	if n < int64(l.MaxFailures) {
		return false, nil
	}
	return true, a.lock(ctx, addr, l)
}

// Succeeded ends the count after a complete sign-in.
func (a *Accounts) Succeeded(ctx context.Context, addr string) error {
	return a.kv.SessionDelete(ctx, failKey(addr))
}

// Unlock is the admin unlock: lock and count go.
func (a *Accounts) Unlock(ctx context.Context, addr string) error {
	if err := a.kv.SessionDelete(ctx, lockKey(addr)); err != nil {
		return err
	}
	return a.kv.SessionDelete(ctx, failKey(addr))
}

// LockedUntil returns when the account's lock ends, or zero when it is
// not locked.
func (a *Accounts) LockedUntil(ctx context.Context, addr string) (time.Time, error) {
	b, err := a.kv.SessionGet(ctx, lockKey(addr))
	if errors.Is(err, a.notFound) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("directory: read lock: %w", err)
	}
	var t time.Time
	if err := t.UnmarshalText(b); err != nil {
		return time.Time{}, fmt.Errorf("directory: read lock: %w", err)
	}
	return t, nil
}

// lock locks the account for l.Duration unless it is locked already
// (a later attempt must not extend the lock for ever).
func (a *Accounts) lock(ctx context.Context, addr string, l Limits) error {
	if until, err := a.LockedUntil(ctx, addr); err != nil || !until.IsZero() {
		return err
	}
	until, _ := a.now().Add(l.Duration).UTC().MarshalText()
	if err := a.kv.SessionPut(ctx, lockKey(addr), until, l.Duration); err != nil {
		return fmt.Errorf("directory: lock: %w", err)
	}
	return nil
}
