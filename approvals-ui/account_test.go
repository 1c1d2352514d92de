package approvalsui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/quarantine"
)

const newPassword = "Fresh-Pass-2026"

func TestPasswordChange(t *testing.T) {
	f := newFixture(t, "embedded")
	other, _ := f.session(uAlice) // e.g. a forgotten browser elsewhere
	c, csrf := f.session(uAlice)
	if w := f.do("GET", "/account/password", c, nil); w.Code != 200 || !strings.Contains(w.Body.String(), `id="password-form"`) {
		t.Fatalf("form: %d", w.Code)
	}
	for _, tc := range []struct {
		name, current, pw, confirm, want string
	}{
		{"wrong current", "Wrong-pass-99", newPassword, newPassword, "err.password.current"},
		{"mismatch", testPassword, newPassword, newPassword + "x", "err.password.mismatch"},
		{"weak", testPassword, "short", "short", "err.password.weak"},
		{"reused", testPassword, testPassword, testPassword, "err.password.reused"},
	} {
		w := f.do("POST", "/account/password", c, url.Values{"csrf": {csrf}, "current": {tc.current}, "password": {tc.pw}, "confirm": {tc.confirm}})
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), tr("en", tc.want)) && !strings.Contains(w.Body.String(), tr("ja", tc.want)) {
			t.Errorf("%s: %d, want 400 with %s", tc.name, w.Code, tc.want)
		}
	}
	if w := f.do("POST", "/account/password", c, url.Values{"current": {testPassword}, "password": {newPassword}, "confirm": {newPassword}}); w.Code != http.StatusForbidden {
		t.Errorf("change without CSRF token: %d", w.Code)
	}
	w := f.do("POST", "/account/password", c, url.Values{"csrf": {csrf}, "current": {testPassword}, "password": {newPassword}, "confirm": {newPassword}})
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="password-done"`) {
		t.Fatalf("change: %d", w.Code)
	}
	if _, ok, _ := f.s.accounts.Authenticate(t.Context(), uAlice, newPassword); !ok {
		t.Error("new password does not sign in")
	}
	if _, ok, _ := f.s.accounts.Authenticate(t.Context(), uAlice, testPassword); ok {
		t.Error("old password still signs in")
	}
	if w := f.do("GET", "/holds", c, nil); w.Code != 200 {
		t.Errorf("this session ended by its own change: %d", w.Code)
	}
	if w := f.do("GET", "/holds", other, nil); w.Code != http.StatusSeeOther {
		t.Errorf("other session survived the change: %d", w.Code)
	}
	types := f.rec.types()
	if countOf(types, "ui.password_changed") != 1 || countOf(types, "ui.login_failed") != 1 {
		t.Errorf("audit: want one ui.password_changed and one ui.login_failed (the wrong current password), got %v", types)
	}
}

// TestPasswordExpiry: with ui.password_max_age passed, every page and API
// call leads to the change form until the password changed; sign-out works.
func TestPasswordExpiry(t *testing.T) {
	f := newFixture(t, "embedded")
	cfg := *f.cfg
	cfg.UI.PasswordMaxAge = config.Duration(90 * 24 * time.Hour)
	f.s.SetConfig(&cfg)
	m := f.put(uAlice, "sales", quarantine.StateHeldSelfCheck)
	f.clock.Add(time.Since(f.clock.Now()) + 91*24*time.Hour) // users file written now
	c, csrf := f.session(uAlice)
	if w := f.do("GET", "/holds", c, nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account/password" {
		t.Fatalf("expired password reached /holds: %d %s", w.Code, w.Header().Get("Location"))
	}
	if w := f.do("POST", "/holds/"+m.ID+"/cancel", c, url.Values{"csrf": {csrf}}); w.Code != http.StatusForbidden {
		t.Errorf("expired password acted: %d", w.Code)
	}
	if f.state(m.ID) != quarantine.StateHeldSelfCheck {
		t.Error("message changed state")
	}
	if w := f.do("GET", "/api/v1/me", c, nil); w.Code != http.StatusForbidden {
		t.Errorf("API with expired password: %d", w.Code)
	}
	if w := f.do("GET", "/account/password", c, nil); w.Code != 200 || !strings.Contains(w.Body.String(), `id="password-expired"`) {
		t.Errorf("change form without the expiry notice: %d", w.Code)
	}
	w := f.do("POST", "/account/password", c, url.Values{"csrf": {csrf}, "current": {testPassword}, "password": {newPassword}, "confirm": {newPassword}})
	if w.Code != 200 {
		t.Fatalf("change: %d", w.Code)
	}
	if w := f.do("GET", "/holds", c, nil); w.Code != 200 {
		t.Errorf("after the change: %d", w.Code)
	}
}

// TestAdminResetForcesChange: the admin sets a temporary password; the
// user signs in with it and must choose their own before anything else.
func TestAdminResetForcesChange(t *testing.T) {
	f := newFixture(t, "embedded")
	ac, acsrf := f.session(uAdam)
	if w := f.do("POST", "/admin/users/resetpw", ac, url.Values{"csrf": {acsrf}, "user": {uBob}, "password": {testPassword}}); w.Code != http.StatusBadRequest {
		t.Errorf("reset to the current password: %d", w.Code)
	}
	if w := f.do("POST", "/admin/users/resetpw", ac, url.Values{"csrf": {acsrf}, "user": {uBob}, "password": {"Temporary-Pass-1"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("reset: %d", w.Code)
	}
	w := f.do("POST", "/login", nil, url.Values{"address": {uBob}, "password": {"Temporary-Pass-1"}, "next": {"/holds"}})
	c := cookieOf(w)
	if w := f.do("GET", "/holds", c, nil); w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/account/password" {
		t.Fatalf("reset password reached /holds: %d %s", w.Code, w.Header().Get("Location"))
	}
	csrf := csrfFrom(f.do("GET", "/account/password", c, nil).Body.String())
	if w := f.do("POST", "/account/password", c, url.Values{"csrf": {csrf}, "current": {"Temporary-Pass-1"}, "password": {newPassword}, "confirm": {newPassword}}); w.Code != 200 {
		t.Fatalf("change: %d", w.Code)
	}
	if w := f.do("GET", "/holds", c, nil); w.Code != 200 {
		t.Errorf("after the change: %d", w.Code)
	}
}

func countOf(l []string, s string) (n int) {
	for _, x := range l {
		if x == s {
			n++
		}
	}
	return n
}
