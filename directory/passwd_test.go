package directory

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPasswordHistory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	pw := func(i int) string { return "Okuri-Pass-" + string(rune('a'+i)) + "1" }
	if err := SetPassword(path, "a@x.jp", "A", nil, pw(0), true); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 5; i++ {
		if err := ChangePassword(path, "a@x.jp", pw(i-1), pw(i), time.Now()); err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
	// Current pw(5); the last five are pw(1)..pw(5).
	for i := 1; i <= 5; i++ {
		if err := ChangePassword(path, "a@x.jp", pw(5), pw(i), time.Now()); !errors.Is(err, ErrPasswordReused) {
			t.Errorf("reuse of password %d: err %v, want ErrPasswordReused", i, err)
		}
	}
	if err := ResetPassword(path, "A@X.jp", pw(3), time.Now()); !errors.Is(err, ErrPasswordReused) {
		t.Errorf("admin reset to a recent password: %v", err)
	}
	if err := SetPassword(path, "a@x.jp", "", nil, pw(4), false); !errors.Is(err, ErrPasswordReused) {
		t.Errorf("okuri user passwd to a recent password: %v", err)
	}
	if err := ChangePassword(path, "a@x.jp", pw(5), pw(0), time.Now()); err != nil {
		t.Errorf("the sixth password back is allowed again: %v", err)
	}
	if err := ChangePassword(path, "a@x.jp", "wrong-Password-1", pw(9), time.Now()); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong current password: %v", err)
	}
	if err := ChangePassword(path, "a@x.jp", pw(0), "short", time.Now()); err == nil {
		t.Error("weak password accepted")
	}
	d, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := d.Lookup("a@x.jp")
	if len(u.PasswordHistory) != PasswordHistoryLen-1 {
		t.Errorf("history holds %d hashes, want %d", len(u.PasswordHistory), PasswordHistoryLen-1)
	}
	if _, ok := d.Authenticate("a@x.jp", pw(0)); !ok {
		t.Error("the changed password does not authenticate")
	}
	if time.Since(u.PasswordChanged) > time.Minute {
		t.Errorf("password_changed not recorded: %v", u.PasswordChanged)
	}
}

func TestResetForcesChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "users.yaml")
	if err := SetPassword(path, "a@x.jp", "", nil, "First-Pass-2026", true); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	if strings.Contains(string(data), "must_change_password") {
		t.Errorf("new user must change:\n%s", data)
	}
	if err := ResetPassword(path, "a@x.jp", "Admin-Set-2026", time.Now()); err != nil {
		t.Fatal(err)
	}
	d, _ := Load(path)
	u, _ := d.Lookup("a@x.jp")
	if !u.MustChangePassword || !u.PasswordExpired(0, time.Now()) {
		t.Fatal("admin reset does not force a change")
	}
	if err := ChangePassword(path, "a@x.jp", "Admin-Set-2026", "Own-Choice-2026", time.Now()); err != nil {
		t.Fatal(err)
	}
	d, _ = Load(path)
	u, _ = d.Lookup("a@x.jp")
	if u.MustChangePassword || u.PasswordExpired(0, time.Now()) {
		t.Fatal("own change leaves the forced change pending")
	}
}

func TestPasswordExpired(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	for _, c := range []struct {
		name    string
		u       User
		maxAge  time.Duration
		expired bool
	}{
		{"no expiry", User{PasswordChanged: now.Add(-1000 * day)}, 0, false},
		{"fresh", User{PasswordChanged: now.Add(-89 * day)}, 90 * day, false},
		{"old", User{PasswordChanged: now.Add(-91 * day)}, 90 * day, true},
		{"unknown age with expiry", User{}, 90 * day, true},
		{"unknown age without expiry", User{}, 0, false},
		{"forced", User{PasswordChanged: now, MustChangePassword: true}, 0, true},
	} {
		if got := c.u.PasswordExpired(c.maxAge, now); got != c.expired {
			t.Errorf("%s: expired %v, want %v", c.name, got, c.expired)
		}
	}
}

// TestUserFileKeepsComments: `okuri user passwd` on a users file the
// operator annotated keeps the header and per-user comments.
func TestUserFileKeepsComments(t *testing.T) {
	p := filepath.Join(t.TempDir(), "users.yaml")
	if err := SetPassword(p, "sato@agency.test", "佐藤", nil, "Kiku-2026-aki-pw", true); err != nil {
		t.Fatal(err)
	}
	if err := SetPassword(p, "ito@agency.test", "伊藤", nil, "Fuji-2026-yama-pw", true); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(p)
	annotated := strings.Replace(string(data), "users:\n", "# 営業部のユーザー（okuri user add で追加）\nusers:\n", 1)
	annotated = strings.Replace(annotated, "    - address: sato@agency.test", "    # 佐藤さん: 2026年4月入社\n    - address: sato@agency.test", 1)
	annotated = strings.Replace(annotated, "      name: 伊藤", "      name: 伊藤 # 支店長", 1)
	if annotated == string(data) || !strings.Contains(annotated, "佐藤さん") || !strings.Contains(annotated, "支店長") {
		t.Fatalf("could not annotate:\n%s", data)
	}
	os.WriteFile(p, []byte(annotated), 0o600)
	if err := ChangePassword(p, "sato@agency.test", "Kiku-2026-aki-pw", "Kiku-2026-new-pw", time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := SetPassword(p, "ando@agency.test", "安藤", nil, "Sumire-2026-pw!", true); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(p)
	for _, want := range []string{"# 営業部のユーザー（okuri user add で追加）", "# 佐藤さん: 2026年4月入社", "# 支店長"} {
		if !strings.Contains(string(after), want) {
			t.Errorf("comment %q lost:\n%s", want, after)
		}
	}
	d, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.Authenticate("sato@agency.test", "Kiku-2026-new-pw"); !ok || d.Len() != 3 {
		t.Errorf("users after the writes: %d", d.Len())
	}
}
