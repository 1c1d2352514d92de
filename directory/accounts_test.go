package directory_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/internal/testenv"
	"github.com/okuri/okuri/quarantine"
)

const (
	oldPW = "Sakura-2026-haru"
	newPW = "Momiji-2026-aki!"
)

var limits = directory.Limits{MaxFailures: 5, Window: 15 * time.Minute, Duration: 15 * time.Minute}

// usersFile writes a users file as an operator makes it with `okuri user
// add`, and returns its path.
func usersFile(t testing.TB) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "users.yaml")
	if err := directory.SetPassword(p, "tanaka@agency.test", "田中 一郎", []string{"eigyo@agency.test"}, oldPW, true); err != nil {
		t.Fatal(err)
	}
	return p
}

// instance is one okuri instance's view: its own store client and its
// own snapshot of the users file.
func instance(t testing.TB, st quarantine.Store, usersPath string) *directory.Accounts {
	t.Helper()
	d, err := directory.Load(usersPath)
	if err != nil {
		t.Fatal(err)
	}
	var snap atomic.Pointer[directory.Directory]
	snap.Store(d)
	a, err := directory.NewAccounts(directory.AccountsOptions{KV: st, NotFound: quarantine.ErrNotFound,
		Users: snap.Load, Limits: func() directory.Limits { return limits }})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// redisStores opens two store clients on one Redis prefix, as two
// instances behind a load balancer.
func redisStores(t testing.TB) (quarantine.Store, quarantine.Store) {
	t.Helper()
	prefix := testenv.UniqueName(t, "dir")
	open := func() quarantine.Store {
		rdb := testenv.RedisClient(t, prefix)
		st, err := quarantine.OpenRedis(context.Background(), quarantine.RedisOptions{Client: rdb, Prefix: prefix})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	return open(), open()
}

// TestAccountsSharedBetweenInstances: a change made through one instance
// holds on the other at once, with no reload.
func TestAccountsSharedBetweenInstances(t *testing.T) {
	stA, stB := redisStores(t)
	path := usersFile(t)
	a, b := instance(t, stA, path), instance(t, stB, path)
	ctx := context.Background()
	if _, ok, err := b.Authenticate(ctx, "Tanaka@Agency.test", oldPW); !ok || err != nil {
		t.Fatalf("B before any change: %v %v", ok, err)
	}
	if err := a.ChangePassword(ctx, "tanaka@agency.test", oldPW, newPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := b.Authenticate(ctx, "tanaka@agency.test", oldPW); ok {
		t.Error("B still accepts the old password after a change on A")
	}
	if _, ok, _ := b.Authenticate(ctx, "tanaka@agency.test", newPW); !ok {
		t.Error("B refuses the new password")
	}
	if err := b.ChangePassword(ctx, "tanaka@agency.test", newPW, oldPW, time.Now()); !errors.Is(err, directory.ErrPasswordReused) {
		t.Errorf("going back to the old password on B: %v", err)
	}

	if err := a.ResetPassword(ctx, "tanaka@agency.test", "Kaede-2026-Reset", time.Now()); err != nil {
		t.Fatal(err)
	}
	u, ok, _ := b.Authenticate(ctx, "tanaka@agency.test", "Kaede-2026-Reset")
	if !ok || !u.MustChangePassword {
		t.Errorf("B after an admin reset on A: ok=%v user=%+v", ok, u)
	}
	if _, ok, _ := b.Authenticate(ctx, "tanaka@agency.test", newPW); ok {
		t.Error("B accepts the password from before the reset")
	}

	codes, hashes, _ := directory.NewRecoveryCodes(2)
	if err := a.EnrolTOTP(ctx, "tanaka@agency.test", "JBSWY3DPEHPK3PXP", hashes); err != nil {
		t.Fatal(err)
	}
	if err := b.EnrolTOTP(ctx, "tanaka@agency.test", "KRSXG5CTMVRXEZLU", nil); !errors.Is(err, directory.ErrEnrolled) {
		t.Fatalf("second enrolment on B: %v", err)
	}
	if u, _ := b.Lookup(ctx, "tanaka@agency.test"); u.TOTP != "JBSWY3DPEHPK3PXP" || len(u.RecoveryCodes) != 2 {
		t.Fatalf("B sees TOTP %q and %d codes", u.TOTP, len(u.RecoveryCodes))
	}
	if err := a.UseRecoveryCode(ctx, "tanaka@agency.test", codes[0]); err != nil {
		t.Fatal(err)
	}
	if err := b.UseRecoveryCode(ctx, "tanaka@agency.test", codes[0]); !errors.Is(err, directory.ErrRecoveryCode) {
		t.Fatalf("a used recovery code on B: %v", err)
	}
	if u, _ := b.Lookup(ctx, "tanaka@agency.test"); u.Name != "田中 一郎" || !u.Owns("eigyo@agency.test") {
		t.Errorf("identity from the users file lost: %+v", u)
	}
}

// TestAccountsConcurrentRecoveryCode: the same code used on two
// instances at the same moment works once.
func TestAccountsConcurrentRecoveryCode(t *testing.T) {
	stA, stB := redisStores(t)
	path := usersFile(t)
	a, b := instance(t, stA, path), instance(t, stB, path)
	ctx := context.Background()
	codes, hashes, _ := directory.NewRecoveryCodes(3)
	if err := a.EnrolTOTP(ctx, "tanaka@agency.test", "JBSWY3DPEHPK3PXP", hashes); err != nil {
		t.Fatal(err)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := []*directory.Accounts{a, b}[i%2]
			if acc.UseRecoveryCode(ctx, "tanaka@agency.test", codes[1]) == nil {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("one recovery code worked %d times", wins.Load())
	}
}

// TestAccountsFileChangeWins: `okuri user passwd` edits the users file;
// after the reload the file's password holds again even though the store
// has state from an earlier change in the UI.
func TestAccountsFileChangeWins(t *testing.T) {
	st, _ := redisStores(t)
	path := usersFile(t)
	ctx := context.Background()
	if err := instance(t, st, path).ChangePassword(ctx, "tanaka@agency.test", oldPW, newPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	if err := directory.SetPassword(path, "tanaka@agency.test", "", nil, "Ichou-2026-CLI!", false); err != nil {
		t.Fatal(err)
	}
	reloaded := instance(t, st, path)
	if _, ok, _ := reloaded.Authenticate(ctx, "tanaka@agency.test", "Ichou-2026-CLI!"); !ok {
		t.Error("the operator's new password from the file is refused")
	}
	if _, ok, _ := reloaded.Authenticate(ctx, "tanaka@agency.test", newPW); ok {
		t.Error("the UI's older password still works after the operator's change")
	}
	if string(before) == "" {
		t.Fatal("empty users file")
	}
}

// TestAccountsDoNotWriteUsersFile: UI changes leave the users file as the
// operator wrote it, comments included.
func TestAccountsDoNotWriteUsersFile(t *testing.T) {
	st, _ := redisStores(t)
	path := usersFile(t)
	data, _ := os.ReadFile(path)
	data = append([]byte("# 営業部のユーザー (managed by okuri user add)\n"), data...)
	os.WriteFile(path, data, 0o600)
	a := instance(t, st, path)
	ctx := context.Background()
	if err := a.ChangePassword(ctx, "tanaka@agency.test", oldPW, newPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := a.EnrolTOTP(ctx, "tanaka@agency.test", "JBSWY3DPEHPK3PXP", nil); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(path); string(after) != string(data) {
		t.Errorf("users file rewritten:\n%s", after)
	}
}

// TestConcurrentWrongPasswords: 40 wrong passwords at once, split over
// two instances, get at most MaxFailures argon2id checks; the account is
// then locked for the right password too, on both instances.
func TestConcurrentWrongPasswords(t *testing.T) {
	stA, stB := redisStores(t)
	path := usersFile(t)
	a, b := instance(t, stA, path), instance(t, stB, path)
	ctx := context.Background()
	var checked atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := []*directory.Accounts{a, b}[i%2]
			ok, err := acc.Begin(ctx, "tanaka@agency.test")
			if err != nil {
				t.Error(err)
			}
			if !ok {
				return
			}
			checked.Add(1)
			if _, good, _ := acc.Authenticate(ctx, "tanaka@agency.test", "guess-"+string(rune('a'+i))); !good {
				acc.Failed(ctx, "tanaka@agency.test")
			}
		}()
	}
	wg.Wait()
	if n := checked.Load(); n > int32(limits.MaxFailures) {
		t.Fatalf("%d of 40 concurrent guesses were checked, limit %d", n, limits.MaxFailures)
	}
	for _, acc := range []*directory.Accounts{a, b} {
		if ok, _ := acc.Begin(ctx, "tanaka@agency.test"); ok {
			t.Error("the right password may be tried on a locked account")
		}
		if until, _ := acc.LockedUntil(ctx, "tanaka@agency.test"); until.IsZero() {
			t.Error("account not locked")
		}
	}
	if err := a.Unlock(ctx, "tanaka@agency.test"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := b.Begin(ctx, "tanaka@agency.test"); !ok {
		t.Error("still locked on B after an unlock on A")
	}
}

// TestAccountsFileChangeKeepsSecondFactor: an operator's `okuri user
// passwd` replaces the password only. The second factor the user enrolled
// in the UI stays, and the passwords the user had in the UI stay in the
// history, so the user cannot go back to one of them.
func TestAccountsFileChangeKeepsSecondFactor(t *testing.T) {
	st, _ := redisStores(t)
	path := usersFile(t)
	ctx := context.Background()
	a := instance(t, st, path)
	if err := a.ChangePassword(ctx, "tanaka@agency.test", oldPW, newPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := a.EnrolTOTP(ctx, "tanaka@agency.test", "JBSWY3DPEHPK3PXP", []string{"h1", "h2"}); err != nil {
		t.Fatal(err)
	}
	const cliPW = "Ichou-2026-CLI!"
	if err := directory.SetPassword(path, "tanaka@agency.test", "", nil, cliPW, false); err != nil {
		t.Fatal(err)
	}
	reloaded := instance(t, st, path)
	if _, ok, _ := reloaded.Authenticate(ctx, "tanaka@agency.test", cliPW); !ok {
		t.Error("the operator's new password from the file is refused")
	}
	if _, ok, _ := reloaded.Authenticate(ctx, "tanaka@agency.test", newPW); ok {
		t.Error("the UI's older password still works after the operator's change")
	}
	u, err := reloaded.Lookup(ctx, "tanaka@agency.test")
	if err != nil {
		t.Fatal(err)
	}
	if u.TOTP != "JBSWY3DPEHPK3PXP" || len(u.RecoveryCodes) != 2 {
		t.Errorf("second factor after the operator's password change: totp %q, %d recovery codes; want the enrolled one kept", u.TOTP, len(u.RecoveryCodes))
	}
	if err := reloaded.ChangePassword(ctx, "tanaka@agency.test", cliPW, newPW, time.Now()); !errors.Is(err, directory.ErrPasswordReused) {
		t.Errorf("going back to the password set in the UI: err = %v, want ErrPasswordReused", err)
	}
	// A change in the UI after the operator's keeps both.
	const uiPW = "Kaede-2026-fuyu#"
	if err := reloaded.ChangePassword(ctx, "tanaka@agency.test", cliPW, uiPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	if u, _ := instance(t, st, path).Lookup(ctx, "tanaka@agency.test"); u.TOTP == "" {
		t.Error("second factor lost after a UI change following the operator's")
	}
	if _, ok, _ := instance(t, st, path).Authenticate(ctx, "tanaka@agency.test", uiPW); !ok {
		t.Error("the UI's change after the operator's does not hold")
	}
}
