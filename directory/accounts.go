package directory

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Accounts is the users' mutable sign-in state — password hash and
// history, forced change, TOTP secret, recovery codes — kept in the
// shared store (the quarantine store's key/value facility: embedded bbolt
// or Redis) instead of the users file. Every instance and both doors (the
// UI and SMTP AUTH) read it on each check, so a password change, an admin
// reset, an enrolment or a used recovery code applies everywhere at once,
// without a reload. Changes are compare-and-set, so two instances cannot
// lose each other's writes and a code or an enrolment works once.
//
// The users file stays the list of who exists (address, name, aliases)
// and seeds the state: a user without stored state signs in with the
// file's fields. The stored state remembers fingerprints of the file
// fields it started from, one for the password fields and one for the
// second factor. When an operator changes the password with `okuri user
// passwd` (or edits the file), the file's password wins at the next
// reload while the second factor enrolled in the UI stays, and the
// passwords used in the UI stay in the history; the same holds the other
// way round for a second factor edited in the file. The UI never writes
// the users file.
type Accounts struct {
	kv       KV
	notFound error
	users    func() *Directory
	limits   func() Limits
	now      func() time.Time
	cache    *authCache
}

// KV is the shared key/value facility; quarantine.Store implements it.
type KV interface {
	SessionGet(ctx context.Context, key string) ([]byte, error)
	SessionPut(ctx context.Context, key string, value []byte, ttl time.Duration) error
	SessionDelete(ctx context.Context, key string) error
	SessionSwap(ctx context.Context, key string, old, new []byte) (bool, error)
	SessionAdd(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error)
}

// AccountsOptions configure Accounts; all are required.
type AccountsOptions struct {
	KV KV
	// NotFound is the error KV.SessionGet wraps for a missing key
	// (quarantine.ErrNotFound).
	NotFound error
	// Users returns the current users file snapshot (it changes on reload).
	Users func() *Directory
	// Limits returns the current per-account lockout limits.
	Limits func() Limits
	// Now is the clock of lock times (the store's); nil: time.Now.
	Now func() time.Time
}

// ErrEnrolled means the user already has a second factor; only an admin
// reset removes it, so a stolen half-signed-in session cannot replace it.
var ErrEnrolled = errors.New("directory: two-factor authentication is already set up")

// errBusy means compare-and-set kept losing to other writers.
var errBusy = errors.New("directory: account state changed concurrently, try again")

// NewAccounts returns the shared account state.
func NewAccounts(o AccountsOptions) (*Accounts, error) {
	if o.KV == nil || o.NotFound == nil || o.Users == nil || o.Limits == nil {
		return nil, errors.New("directory: accounts: KV, NotFound, Users and Limits are required")
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Accounts{kv: o.KV, notFound: o.NotFound, users: o.Users, limits: o.Limits, now: o.Now, cache: newAuthCache()}, nil
}

// state is what the store keeps per user.
type state struct {
	// Seed is the fingerprint of all the file's sign-in fields; records
	// written before the two below existed have only this one.
	Seed string `json:"seed"`
	// SeedPassword and SeedSecondFactor fingerprint the file's password
	// fields and second-factor fields the stored ones started from.
	SeedPassword       string    `json:"seed_password,omitempty"`
	SeedSecondFactor   string    `json:"seed_second_factor,omitempty"`
	Password           string    `json:"password"`
	PasswordHistory    []string  `json:"password_history,omitempty"`
	PasswordChanged    time.Time `json:"password_changed,omitzero"`
	MustChangePassword bool      `json:"must_change_password,omitempty"`
	TOTP               string    `json:"totp,omitempty"`
	RecoveryCodes      []string  `json:"recovery_codes,omitempty"`
}

func stateKey(addr string) string { return "dir:u:" + strings.ToLower(strings.TrimSpace(addr)) }

// seeds are the fingerprints of a users file entry's sign-in fields.
type seeds struct{ all, password, secondFactor string }

func seedsOf(u *User) seeds {
	return seeds{
		all:          fingerprint(stateOf(u, seeds{})),
		password:     fingerprint([]any{u.Password, u.PasswordHistory, u.PasswordChanged, u.MustChangePassword}),
		secondFactor: fingerprint([]any{u.TOTP, u.RecoveryCodes}),
	}
}

func stateOf(u *User, s seeds) state {
	return state{Seed: s.all, SeedPassword: s.password, SeedSecondFactor: s.secondFactor,
		Password: u.Password, PasswordHistory: u.PasswordHistory, PasswordChanged: u.PasswordChanged,
		MustChangePassword: u.MustChangePassword, TOTP: u.TOTP, RecoveryCodes: u.RecoveryCodes}
}

// applyTo puts the stored fields on u, the users file's entry, where the
// file has not changed since they were stored. A password the operator
// set in the file wins, but the passwords used since in the UI join its
// history, so the reuse check still sees them.
func (st *state) applyTo(u *User, file seeds) {
	pwSame, sfSame := st.SeedPassword == file.password, st.SeedSecondFactor == file.secondFactor
	if st.SeedPassword == "" { // a record from before the split seeds
		pwSame, sfSame = st.Seed == file.all, st.Seed == file.all
	}
	if pwSame {
		u.Password, u.PasswordHistory, u.PasswordChanged = st.Password, st.PasswordHistory, st.PasswordChanged
		u.MustChangePassword = st.MustChangePassword
	} else if st.SeedPassword != "" {
		u.PasswordHistory = mergeHistory(u.PasswordHistory, u.Password, append([]string{st.Password}, st.PasswordHistory...))
	}
	if sfSame {
		u.TOTP, u.RecoveryCodes = st.TOTP, st.RecoveryCodes
	}
}

// mergeHistory appends the stored hashes to the file's history, without
// the current password or repeats, keeping PasswordHistoryLen-1 entries.
func mergeHistory(file []string, current string, stored []string) []string {
	out := slices.Clone(file)
	for _, h := range stored {
		if h != "" && h != current && !slices.Contains(out, h) {
			out = append(out, h)
		}
	}
	if len(out) > PasswordHistoryLen-1 {
		out = out[:PasswordHistoryLen-1]
	}
	return out
}

// fingerprint identifies a value of the users file's fields.
func fingerprint(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:12])
}

// load returns a copy of the user with the shared state applied, the
// stored bytes (nil when none) and the seeds of the file's fields.
func (a *Accounts) load(ctx context.Context, addr string) (*User, []byte, seeds, error) {
	fu, ok := a.users().Lookup(strings.TrimSpace(addr))
	if !ok {
		return nil, nil, seeds{}, fmt.Errorf("directory: %s: %w", addr, ErrNoUser)
	}
	u := cloneUser(fu)
	file := seedsOf(fu)
	raw, err := a.kv.SessionGet(ctx, stateKey(addr))
	if errors.Is(err, a.notFound) {
		return u, nil, file, nil
	}
	if err != nil {
		return nil, nil, seeds{}, fmt.Errorf("directory: load %s: %w", addr, err)
	}
	var st state
	if err := json.Unmarshal(raw, &st); err != nil {
		return nil, nil, seeds{}, fmt.Errorf("directory: load %s: %w", addr, err)
	}
	st.applyTo(u, file)
	return u, raw, file, nil
}

func cloneUser(u *User) *User {
	c := *u
	c.Aliases = slices.Clone(u.Aliases)
	c.PasswordHistory = slices.Clone(u.PasswordHistory)
	c.RecoveryCodes = slices.Clone(u.RecoveryCodes)
	return &c
}

// Lookup returns the user with their current shared state.
func (a *Accounts) Lookup(ctx context.Context, addr string) (*User, error) {
	u, _, _, err := a.load(ctx, addr)
	return u, err
}

// Users returns every user of the users file with their shared state,
// sorted by address (the admin page).
func (a *Accounts) Users(ctx context.Context) ([]User, error) {
	var out []User
	for _, fu := range a.users().Users() {
		u, err := a.Lookup(ctx, fu.Address)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, nil
}

// Authenticate checks a password against the shared state. It spends
// the same hashing work for unknown users, and remembers a recent
// success bound to the stored hash (see Directory.Authenticate). An error
// means the store could not be read: the caller refuses the login.
func (a *Accounts) Authenticate(ctx context.Context, addr, password string) (*User, bool, error) {
	u, err := a.Lookup(ctx, addr)
	if errors.Is(err, ErrNoUser) {
		VerifyPassword(dummyHash, password)
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	key, now := strings.ToLower(u.Address), time.Now()
	if a.cache.ok(key, u.Password, password, now) {
		return u, true, nil
	}
	if !VerifyPassword(u.Password, password) {
		return nil, false, nil
	}
	a.cache.remember(key, u.Password, password, now)
	return u, true, nil
}

// update applies fn to the user's current state and stores the result
// with compare-and-set, retrying when another writer came first; fn may
// run more than once and its error is returned as is.
func (a *Accounts) update(ctx context.Context, addr string, fn func(*User) error) error {
	for range 20 {
		u, raw, seed, err := a.load(ctx, addr)
		if err != nil {
			return err
		}
		if err := fn(u); err != nil {
			return err
		}
		b, err := json.Marshal(stateOf(u, seed))
		if err != nil {
			return fmt.Errorf("directory: encode %s: %w", addr, err)
		}
		ok, err := a.kv.SessionSwap(ctx, stateKey(addr), raw, b)
		if err != nil {
			return fmt.Errorf("directory: store %s: %w", addr, err)
		}
		if ok {
			return nil
		}
	}
	return fmt.Errorf("directory: %s: %w", addr, errBusy)
}

// ChangePassword is a user's own change (current must match); see the
// file version for the rules.
func (a *Accounts) ChangePassword(ctx context.Context, addr, current, password string, now time.Time) error {
	fn, err := passwordChange(password, currentIs(current), false, now)
	if err != nil {
		return err
	}
	return a.update(ctx, addr, fn)
}

// ResetPassword is an admin reset: the user must change it at the next
// UI sign-in.
func (a *Accounts) ResetPassword(ctx context.Context, addr, password string, now time.Time) error {
	fn, err := passwordChange(password, noCheck, true, now)
	if err != nil {
		return err
	}
	return a.update(ctx, addr, fn)
}

// EnrolTOTP sets the second factor of a user who has none (ErrEnrolled
// otherwise), atomically: of two racing enrolments one wins.
func (a *Accounts) EnrolTOTP(ctx context.Context, addr, secret string, recoveryHashes []string) error {
	if secret == "" {
		return errors.New("directory: enrol: empty secret")
	}
	return a.update(ctx, addr, func(u *User) error {
		if u.TOTP != "" {
			return ErrEnrolled
		}
		u.TOTP, u.RecoveryCodes = secret, recoveryHashes
		return nil
	})
}

// ResetTOTP removes the second factor (admin reset); the user enrols
// again at the next sign-in.
func (a *Accounts) ResetTOTP(ctx context.Context, addr string) error {
	return a.update(ctx, addr, func(u *User) error {
		u.TOTP, u.RecoveryCodes = "", nil
		return nil
	})
}

// UseRecoveryCode spends one recovery code; ErrRecoveryCode when it is not
// one of the user's unused codes. Of two concurrent uses one wins.
func (a *Accounts) UseRecoveryCode(ctx context.Context, addr, code string) error {
	return a.update(ctx, addr, useRecoveryCode(code))
}
