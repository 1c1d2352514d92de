package approvalsui

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// TestTOTPVectors checks hotp against RFC 6238 appendix B (SHA-1, 8
// digits there; the last 6 digits are what a 6-digit code shows).
func TestTOTPVectors(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, c := range []struct {
		unix int64
		want string
	}{{59, "94287082"}, {1111111109, "07081804"}, {1234567890, "89005924"}, {20000000000, "65353130"}} {
		got := hotp(key, uint64(c.unix/30))
		if got != c.want[2:] {
			t.Errorf("T=%d: got %s, want %s", c.unix, got, c.want[2:])
		}
	}
}

func cookieOf(w *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range w.Result().Cookies() {
		if c.Name == cookieName {
			return c
		}
	}
	return nil
}

var reCSRF = `name="csrf" value="`

func csrfFrom(body string) string {
	i := strings.Index(body, reCSRF)
	if i < 0 {
		return ""
	}
	rest := body[i+len(reCSRF):]
	return rest[:strings.IndexByte(rest, '"')]
}

// TestLoginPasswordAndTOTP walks the login: password → new password-only
// session that reaches nothing but the code step → code → another new
// session with full access; the same code does not work twice; cookie
// flags; audit events; logout everywhere.
func TestLoginPasswordAndTOTP(t *testing.T) {
	f := newFixture(t, "embedded")
	w := f.do("POST", "/login", nil, url.Values{"address": {uCarol}, "password": {testPassword}, "next": {"/holds"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/login/totp" {
		t.Fatalf("password step: %d %s", w.Code, w.Header().Get("Location"))
	}
	c1 := cookieOf(w)
	if c1 == nil || !c1.Secure || !c1.HttpOnly || c1.SameSite != http.SameSiteLaxMode || c1.Path != "/" {
		t.Fatalf("cookie flags: %+v", c1)
	}
	if w := f.do("GET", "/holds", c1, nil); w.Code != http.StatusSeeOther {
		t.Errorf("password-only session reached /holds: %d", w.Code)
	}
	page := f.do("GET", "/login/totp", c1, nil)
	csrf := csrfFrom(page.Body.String())
	bad := f.do("POST", "/login/totp", c1, url.Values{"csrf": {csrf}, "code": {"000000"}})
	if bad.Code != http.StatusUnauthorized {
		t.Errorf("wrong code: %d", bad.Code)
	}
	code := totpCode(testSecret, f.clock.Now())
	w = f.do("POST", "/login/totp", c1, url.Values{"csrf": {csrf}, "code": {code}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/holds" {
		t.Fatalf("code step: %d %s", w.Code, w.Header().Get("Location"))
	}
	c2 := cookieOf(w)
	if c2 == nil || c2.Value == c1.Value {
		t.Fatal("session not rotated at the second factor")
	}
	if w := f.do("GET", "/holds", c1, nil); w.Code != http.StatusSeeOther {
		t.Error("old session id still works")
	}
	if w := f.do("GET", "/holds?tab=approve", c2, nil); w.Code != http.StatusOK {
		t.Fatalf("full session: %d", w.Code)
	}
	// The same code again (a replay) fails even with a fresh password step.
	w = f.do("POST", "/login", nil, url.Values{"address": {uCarol}, "password": {testPassword}})
	c3 := cookieOf(w)
	csrf3 := csrfFrom(f.do("GET", "/login/totp", c3, nil).Body.String())
	if w := f.do("POST", "/login/totp", c3, url.Values{"csrf": {csrf3}, "code": {code}}); w.Code != http.StatusUnauthorized {
		t.Errorf("replayed code: %d", w.Code)
	}
	// Logout everywhere ends c2 too.
	csrf2 := csrfFrom(f.do("GET", "/holds?tab=approve", c2, nil).Body.String())
	f.do("POST", "/logout/all", c2, url.Values{"csrf": {csrf2}})
	if w := f.do("GET", "/holds", c2, nil); w.Code != http.StatusSeeOther {
		t.Error("session alive after logout everywhere")
	}
	types := f.rec.types()
	for _, want := range []string{"ui.login", "ui.login_failed", "ui.logout"} {
		if !slices.Contains(types, want) {
			t.Errorf("audit %s missing in %v", want, types)
		}
	}
}

// TestIdleAndAbsoluteTimeout: a session ends after the idle timeout, and
// after the absolute timeout even when used.
func TestIdleAndAbsoluteTimeout(t *testing.T) {
	f := newFixture(t, "embedded")
	c, _ := f.session(uAlice)
	f.clock.Add(f.cfg.UI.IdleTimeout() + time.Minute)
	if w := f.do("GET", "/holds", c, nil); w.Code != http.StatusSeeOther {
		t.Errorf("idle session alive: %d", w.Code)
	}
	c, _ = f.session(uAlice)
	for elapsed := time.Duration(0); elapsed <= f.cfg.UI.AbsoluteTimeout(); elapsed += 20 * time.Minute {
		f.clock.Add(20 * time.Minute)
		if w := f.do("GET", "/holds", c, nil); w.Code != http.StatusOK {
			if elapsed+20*time.Minute < f.cfg.UI.AbsoluteTimeout() {
				t.Fatalf("active session ended early after %s: %d", elapsed, w.Code)
			}
			return
		}
	}
	t.Error("session outlived the absolute timeout")
}

// TestLockoutAndUnlock: five wrong passwords lock the account (even the
// right password is refused); an admin unlocks it.
func TestLockoutAndUnlock(t *testing.T) {
	f := newFixture(t, "embedded")
	for i := 0; i < f.cfg.UI.MaxFailures(); i++ {
		f.do("POST", "/login", nil, url.Values{"address": {uAlice}, "password": {"wrong-Password-1"}})
	}
	if w := f.do("POST", "/login", nil, url.Values{"address": {uAlice}, "password": {testPassword}}); w.Code != http.StatusTooManyRequests {
		t.Fatalf("locked account accepted: %d", w.Code)
	}
	admin, csrf := f.session(uAdam)
	if w := f.do("GET", "/admin/users", admin, nil); w.Code != 200 || !strings.Contains(w.Body.String(), "ロック中") {
		t.Errorf("admin page does not show the lock: %d", w.Code)
	}
	if w := f.do("POST", "/admin/users/unlock", admin, url.Values{"csrf": {csrf}, "user": {uAlice}}); w.Code != http.StatusSeeOther {
		t.Fatalf("unlock: %d", w.Code)
	}
	if w := f.do("POST", "/login", nil, url.Values{"address": {uAlice}, "password": {testPassword}}); w.Code != http.StatusSeeOther {
		t.Errorf("after unlock: %d", w.Code)
	}
	if !slices.Contains(f.rec.types(), "admin.user_unlocked") {
		t.Error("unlock not audited")
	}
}

// TestAPILoginAndAction: the API signs in with both factors and needs the
// CSRF header for actions.
func TestAPILoginAndAction(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.put(uAlice, "sales", quarantine.StateHeldApproval)
	body, _ := json.Marshal(apiLoginReq{Address: uCarol, Password: testPassword, Code: totpCode(testSecret, f.clock.Now())})
	r := httptest.NewRequest("POST", "https://ui.test/api/v1/login", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	w := f.serve(r, nil)
	if w.Code != 200 {
		t.Fatalf("api login: %d %s", w.Code, w.Body.String())
	}
	var out struct {
		CSRFToken string `json:"csrf_token"`
	}
	json.Unmarshal(w.Body.Bytes(), &out)
	c := cookieOf(w)
	r = httptest.NewRequest("POST", "https://ui.test/api/v1/holds/"+m.ID+"/approve", strings.NewReader(`{"comment":"ok"}`))
	r.Header.Set("Content-Type", "application/json")
	if w := f.serve(r, c); w.Code != http.StatusForbidden {
		t.Errorf("no CSRF header: %d", w.Code)
	}
	r = httptest.NewRequest("POST", "https://ui.test/api/v1/holds/"+m.ID+"/approve", strings.NewReader(`{"comment":"ok"}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("X-CSRF-Token", out.CSRFToken)
	if w := f.serve(r, c); w.Code != 200 {
		t.Fatalf("approve: %d %s", w.Code, w.Body.String())
	}
	if f.state(m.ID) != quarantine.StateQueued {
		t.Error("not approved")
	}
}

// TestIPLockoutAndUnlock: failures spread over many accounts lock the
// client IP; the admin page lists it and an admin unlocks it.
func TestIPLockoutAndUnlock(t *testing.T) {
	f := newFixture(t, "embedded")
	for i := 0; i < f.cfg.UI.MaxFailuresPerIP(); i++ {
		f.do("POST", "/login", nil, url.Values{"address": {"guess" + itoa(i) + "@agency.test"}, "password": {"wrong-Password-1"}})
	}
	if w := f.do("POST", "/login", nil, url.Values{"address": {uAlice}, "password": {testPassword}}); w.Code != http.StatusTooManyRequests {
		t.Fatalf("locked IP accepted: %d", w.Code)
	}
	alice, acsrf := f.session(uAlice)
	if w := f.do("POST", "/admin/ips/unlock", alice, url.Values{"csrf": {acsrf}, "ip": {"192.0.2.1"}}); w.Code != http.StatusForbidden {
		t.Errorf("sender unlocked an IP: %d", w.Code)
	}
	admin, csrf := f.session(uAdam)
	if w := f.do("GET", "/admin/users", admin, nil); w.Code != 200 || !strings.Contains(w.Body.String(), "<code>192.0.2.1</code>") {
		t.Errorf("admin page does not list the locked IP: %d", w.Code)
	}
	if w := f.do("POST", "/admin/ips/unlock", admin, url.Values{"csrf": {csrf}, "ip": {"192.0.2.1"}}); w.Code != http.StatusSeeOther {
		t.Fatalf("unlock: %d", w.Code)
	}
	if w := f.do("POST", "/login", nil, url.Values{"address": {uAlice}, "password": {testPassword}}); w.Code != http.StatusSeeOther {
		t.Errorf("after unlock: %d", w.Code)
	}
	if w := f.do("GET", "/admin/users", admin, nil); strings.Contains(w.Body.String(), `id="locked-ips"`) {
		t.Error("unlocked IP still listed")
	}
	if n := countOf(f.rec.types(), "admin.ip_unlocked"); n != 1 {
		t.Errorf("IP unlock audited %d times, want once", n)
	}
}
