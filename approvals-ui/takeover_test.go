package approvalsui

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/okuri/okuri/directory"
)

// browser is one client of a running server: its own session cookie.
type browser struct {
	t      *testing.T
	base   string
	cookie *http.Cookie
	client *http.Client
}

func (f *fixture) browser(t *testing.T, base string) *browser {
	return &browser{t: t, base: base, client: noFollowClient()}
}

// do sends a request (a form when form is not nil), keeps a new session
// cookie, and returns the status, Location and body.
func (b *browser) do(method, path string, form url.Values) (int, string, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.cookie != nil {
		req.AddCookie(b.cookie)
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == cookieName {
			b.cookie = c
		}
	}
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(out)
}

var reSecret = regexp.MustCompile(`id="totp-secret">([A-Z2-7]+)<`)

// TestEnrolTakeover: somebody who knows an approver's password opens the
// enrolment before the approver does. After the approver enrolled, the
// attacker's session cannot replace the secret, and it has ended.
func TestEnrolTakeover(t *testing.T) {
	f := newFixture(t, "embedded")
	if err := directory.SetTOTP(f.cfg.Dir.UsersFile, uDave, "", nil); err != nil {
		t.Fatal(err)
	}
	base := f.startHTTPS(t)
	login := url.Values{"address": {uDave}, "password": {testPassword}}

	attacker := f.browser(t, base)
	if _, loc, _ := attacker.do("POST", "/login", login); loc != "/totp/enrol" {
		t.Fatalf("attacker: %s", loc)
	}
	_, _, page := attacker.do("GET", "/totp/enrol", nil)
	evil := reSecret.FindStringSubmatch(page)
	attackerCSRF := csrfFrom(page)

	victim := f.browser(t, base)
	victim.do("POST", "/login", login)
	_, _, page = victim.do("GET", "/totp/enrol", nil)
	good := reSecret.FindStringSubmatch(page)
	if evil == nil || good == nil {
		t.Fatal("no secret on the enrolment page")
	}
	code, _, _ := victim.do("POST", "/totp/enrol", url.Values{"csrf": {csrfFrom(page)}, "code": {totpCode(good[1], f.clock.Now())}})
	if code != 200 {
		t.Fatalf("victim's enrolment: %d", code)
	}

	code, _, _ = attacker.do("POST", "/totp/enrol", url.Values{"csrf": {attackerCSRF}, "code": {totpCode(evil[1], f.clock.Now())}})
	if code == 200 {
		t.Error("the attacker's enrolment was accepted")
	}
	if u, _ := f.s.lookupUser(t.Context(), uDave); u.TOTP != good[1] {
		t.Fatalf("secret replaced: have %q, the victim enrolled %q", u.TOTP, good[1])
	}
	if code, loc, _ := attacker.do("GET", "/totp/enrol", nil); code != http.StatusSeeOther || loc != "/login" {
		t.Errorf("attacker's session still open: %d %s", code, loc)
	}
}

// TestEnrolRefusedWhenEnrolled: a half-signed-in session whose user
// enrolled through another door (another instance, an operator) is
// refused at the enrolment form and ended.
func TestEnrolRefusedWhenEnrolled(t *testing.T) {
	f := newFixture(t, "embedded")
	if err := directory.SetTOTP(f.cfg.Dir.UsersFile, uDave, "", nil); err != nil {
		t.Fatal(err)
	}
	base := f.startHTTPS(t)
	b := f.browser(t, base)
	b.do("POST", "/login", url.Values{"address": {uDave}, "password": {testPassword}})
	_, _, page := b.do("GET", "/totp/enrol", nil)
	secret := reSecret.FindStringSubmatch(page)
	if err := f.s.accounts.EnrolTOTP(t.Context(), uDave, testSecret, nil); err != nil {
		t.Fatal(err)
	}
	code, loc, _ := b.do("POST", "/totp/enrol", url.Values{"csrf": {csrfFrom(page)}, "code": {totpCode(secret[1], f.clock.Now())}})
	if code != http.StatusSeeOther || loc != "/login" {
		t.Errorf("enrolment over an existing second factor: %d %s", code, loc)
	}
	if u, _ := f.s.lookupUser(t.Context(), uDave); u.TOTP != testSecret {
		t.Errorf("secret replaced")
	}
}

// TestConcurrentWrongLoginsHTTPS: 36 wrong passwords for one account sent
// at once over HTTPS get at most ui.lockout.max_failures password checks;
// then the right password is refused as locked too.
func TestConcurrentWrongLoginsHTTPS(t *testing.T) {
	f := newFixture(t, "embedded")
	base := f.startHTTPS(t)
	limit := f.cfg.UI.MaxFailures()
	var unauthorized, locked atomic.Int32
	var wg sync.WaitGroup
	for i := range 36 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := f.browser(t, base)
			code, _, _ := b.do("POST", "/login", url.Values{"address": {uCarol}, "password": {"Guess-" + string(rune('A'+i)) + "-2026"}})
			switch code {
			case http.StatusUnauthorized:
				unauthorized.Add(1)
			case http.StatusTooManyRequests:
				locked.Add(1)
			default:
				t.Errorf("wrong password: %d", code)
			}
		}()
	}
	wg.Wait()
	if n := unauthorized.Load(); n > int32(limit) {
		t.Errorf("%d of 36 concurrent guesses were checked, limit %d", n, limit)
	}
	b := f.browser(t, base)
	if code, _, _ := b.do("POST", "/login", url.Values{"address": {uCarol}, "password": {testPassword}}); code != http.StatusTooManyRequests {
		t.Errorf("right password on the locked account: %d", code)
	}
}
