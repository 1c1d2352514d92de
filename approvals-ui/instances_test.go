package approvalsui

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okuri/okuri/quarantine"
)

// TestTwoInstancesShareSessions: a second server on the same store (as a
// second instance behind a load balancer on Redis) accepts the session,
// the CSRF token and the self-check link made by the first, and logging
// out on one ends the session on both.
func TestTwoInstancesShareSessions(t *testing.T) {
	for _, backend := range []string{"embedded", "redis"} {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			b, err := New(Options{Config: f.cfg, Store: f.st, Audit: f.rec, TLS: f.s.http.TLSConfig, Clock: f.clock.Now})
			if err != nil {
				t.Fatal(err)
			}
			serveB := func(r *http.Request, c *http.Cookie) *httptest.ResponseRecorder {
				r.AddCookie(c)
				w := httptest.NewRecorder()
				b.Handler().ServeHTTP(w, r)
				return w
			}
			c, csrf := f.session(uAlice)
			m := f.put(uAlice, "sales", quarantine.StateHeldDelay)
			if w := serveB(httptest.NewRequest("GET", "https://ui.test/holds/"+m.ID, nil), c); w.Code != 200 {
				t.Fatalf("instance B does not know the session: %d", w.Code)
			}
			r := httptest.NewRequest("POST", "https://ui.test/holds/"+m.ID+"/sendnow", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if w := serveB(r, c); w.Code != http.StatusSeeOther {
				t.Fatalf("send now on B: %d", w.Code)
			}
			sc := f.put(uAlice, "sales", quarantine.StateHeldSelfCheck)
			link := strings.TrimPrefix(f.s.SelfCheckURL(sc), "https://ui.test")
			if w := serveB(httptest.NewRequest("GET", "https://ui.test"+link, nil), &http.Cookie{Name: "x", Value: "y"}); w.Code != 200 {
				t.Errorf("instance B refuses A's link: %d", w.Code)
			}
			r = httptest.NewRequest("POST", "https://ui.test/logout", strings.NewReader(url.Values{"csrf": {csrf}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			serveB(r, c)
			if w := f.do("GET", "/holds", c, nil); w.Code != http.StatusSeeOther {
				t.Errorf("session alive on A after logout on B: %d", w.Code)
			}
		})
	}
}

// TestTwoInstancesSharePasswords: on Redis, a password change through
// instance A holds on instance B at once: B refuses the old password and
// signs in with the new one, without a reload. B has its own copy of the
// users file, as an instance on another host does, so only the shared
// store can carry the change.
func TestTwoInstancesSharePasswords(t *testing.T) {
	f := newFixture(t, "redis")
	cfgB := *f.cfg
	cfgB.Dir.UsersFile = filepath.Join(t.TempDir(), "users.yaml")
	data, err := os.ReadFile(f.cfg.Dir.UsersFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfgB.Dir.UsersFile, data, 0o600); err != nil {
		t.Fatal(err)
	}
	b, err := New(Options{Config: &cfgB, Store: f.st, Audit: f.rec, TLS: f.s.http.TLSConfig, Clock: f.clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	loginB := func(pw string) int {
		r := httptest.NewRequest("POST", "https://ui.test/login", strings.NewReader(url.Values{"address": {uAlice}, "password": {pw}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := httptest.NewRecorder()
		b.Handler().ServeHTTP(w, r)
		return w.Code
	}
	if code := loginB(testPassword); code != http.StatusSeeOther {
		t.Fatalf("B before the change: %d", code)
	}
	c, csrf := f.session(uAlice)
	const fresh = "Shin-Pass-2026-ab"
	w := f.do("POST", "/account/password", c, url.Values{"csrf": {csrf}, "current": {testPassword}, "password": {fresh}, "confirm": {fresh}})
	if w.Code != 200 {
		t.Fatalf("change on A: %d", w.Code)
	}
	if code := loginB(testPassword); code != http.StatusUnauthorized {
		t.Errorf("B with the old password after a change on A: %d, want 401", code)
	}
	if code := loginB(fresh); code != http.StatusSeeOther {
		t.Errorf("B with the new password: %d, want 303", code)
	}
}
