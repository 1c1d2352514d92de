package smtpd_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/smtp"
	"net/textproto"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/internal/testenv"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/smtpd"
	"github.com/okuri/okuri/spool"
)

const (
	user  = "suzuki@agency.test"
	oldPW = "Ajisai-2026-tsuyu"
	newPW = "Hinode-2026-asa!!"
)

var lim = directory.Limits{MaxFailures: 5, Window: 15 * time.Minute, Duration: 15 * time.Minute}

// openAccounts is one instance's shared account state on Redis prefix.
func openAccounts(t *testing.T, prefix, usersPath string) (*directory.Accounts, *directory.Directory) {
	t.Helper()
	rdb := testenv.RedisClient(t, prefix)
	st, err := quarantine.OpenRedis(context.Background(), quarantine.RedisOptions{Client: rdb, Prefix: prefix})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d, err := directory.Load(usersPath)
	if err != nil {
		t.Fatal(err)
	}
	var snap atomic.Pointer[directory.Directory]
	snap.Store(d)
	acc, err := directory.NewAccounts(directory.AccountsOptions{KV: st, NotFound: quarantine.ErrNotFound,
		Users: snap.Load, Limits: func() directory.Limits { return lim }})
	if err != nil {
		t.Fatal(err)
	}
	return acc, d
}

// startSMTP runs a submission listener whose AUTH uses acc.
func startSMTP(t *testing.T, acc *directory.Accounts, d *directory.Directory) string {
	t.Helper()
	tc, _, err := certs.ForTest()
	if err != nil {
		t.Fatal(err)
	}
	srv, err := smtpd.New(smtpd.Options{
		Hostname: "okuri.test", Listen: "127.0.0.1:0", TLS: tc, Accounts: acc,
		Limits: smtpd.Limits{MaxMessageBytes: 1 << 20, MaxRecipients: 10, MaxLineLength: 998, MaxHeaderBytes: 64 << 10,
			CommandTimeout: 30 * time.Second, DataTimeout: 30 * time.Second, MaxConnections: 50, MaxConnectionsPerIP: 50},
		Spool:      spool.New(t.TempDir(), 1<<20),
		NewQueueID: func() string { return "Q1" },
	}, &smtpd.Settings{Directory: d, AuthMaxFailures: 100, AuthWindow: time.Minute},
		smtpd.HandlerFunc(func(context.Context, *smtpd.Message) smtpd.Reply { return smtpd.Reply{} }))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Shutdown(context.Background()) })
	return srv.Addrs()[0].String()
}

// authCode logs in as an Outlook would (STARTTLS, AUTH PLAIN) and returns
// the reply code: 235 on success.
func authCode(t *testing.T, addr, login, pw string) int {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.StartTLS(&tls.Config{InsecureSkipVerify: true}); err != nil {
		t.Fatal(err)
	}
	err = c.Auth(smtp.PlainAuth("", login, pw, "127.0.0.1"))
	var tpe *textproto.Error
	switch {
	case err == nil:
		return 235
	case errors.As(err, &tpe):
		return tpe.Code
	}
	t.Fatalf("auth: %v", err)
	return 0
}

// TestAuthSharedAccountState: instance A's SMTP AUTH and instance B's
// account changes (as its UI makes them) share one state on Redis: a
// password change or reset on B applies to A's AUTH at once, a lock from
// B's UI failures refuses A's AUTH, and A's AUTH failures lock the
// account for B.
func TestAuthSharedAccountState(t *testing.T) {
	users := filepath.Join(t.TempDir(), "users.yaml")
	if err := directory.SetPassword(users, user, "鈴木 花子", nil, oldPW, true); err != nil {
		t.Fatal(err)
	}
	prefix := testenv.UniqueName(t, "smtpauth")
	accA, dA := openAccounts(t, prefix, users)
	accB, _ := openAccounts(t, prefix, users)
	addr := startSMTP(t, accA, dA)
	ctx := context.Background()

	if code := authCode(t, addr, user, oldPW); code != 235 {
		t.Fatalf("initial AUTH: %d", code)
	}
	if err := accB.ChangePassword(ctx, user, oldPW, newPW, time.Now()); err != nil {
		t.Fatal(err)
	}
	if code := authCode(t, addr, user, oldPW); code != 535 {
		t.Errorf("old password after a change on B: %d, want 535", code)
	}
	if code := authCode(t, addr, user, newPW); code != 235 {
		t.Errorf("new password after a change on B: %d, want 235", code)
	}

	// Five failed UI sign-ins on B lock the account for SMTP on A too.
	for range lim.MaxFailures {
		if ok, _ := accB.Begin(ctx, user); ok {
			accB.Failed(ctx, user)
		}
	}
	if code := authCode(t, addr, user, newPW); code != 535 {
		t.Errorf("AUTH with the right password on a UI-locked account: %d, want 535", code)
	}
	if err := accB.Unlock(ctx, user); err != nil {
		t.Fatal(err)
	}
	if code := authCode(t, addr, user, newPW); code != 235 {
		t.Fatalf("AUTH after the admin unlock: %d", code)
	}

	// SMTP AUTH failures count toward the same lock.
	for i := range lim.MaxFailures {
		if code := authCode(t, addr, user, "Wrong-2026-pass"); code != 535 {
			t.Fatalf("wrong password %d: %d", i, code)
		}
	}
	if until, _ := accB.LockedUntil(ctx, user); until.IsZero() {
		t.Error("SMTP AUTH failures did not lock the account for the UI")
	}
}
