package approvalsui

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// postHTTPS posts a form with a session cookie to a running server.
func postHTTPS(t *testing.T, base, path string, c *http.Cookie, form url.Values) (int, string) {
	t.Helper()
	req, err := http.NewRequest("POST", base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(c)
	resp, err := noFollowClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// TestAuditorCannotReleaseOwnMail: an auditor whose own message was
// quarantined cannot release it, neither one by one nor in bulk; another
// auditor can.
func TestAuditorCannotReleaseOwnMail(t *testing.T) {
	f := newFixture(t, "embedded")
	f.cfg.Dir.Auditors = append(f.cfg.Dir.Auditors, uAdam)
	base := f.startHTTPS(t)
	own := f.put(uEve, "", quarantine.StateQuarantined)
	c, csrf := f.session(uEve)
	if code, _ := postHTTPS(t, base, "/holds/"+own.ID+"/release", c, url.Values{"csrf": {csrf}}); code != http.StatusForbidden {
		t.Errorf("auditor releasing own mail: %d, want 403", code)
	}
	postHTTPS(t, base, "/holds/bulk", c, url.Values{"csrf": {csrf}, "action": {"release"}, "id": {own.ID}})
	if st := f.state(own.ID); st != quarantine.StateQuarantined {
		t.Fatalf("own quarantined mail is now %s", st)
	}
	c2, csrf2 := f.session(uAdam)
	if code, _ := postHTTPS(t, base, "/holds/"+own.ID+"/release", c2, url.Values{"csrf": {csrf2}}); code != http.StatusSeeOther {
		t.Fatalf("another auditor's release: %d", code)
	}
	if st := f.state(own.ID); st != quarantine.StateQueued {
		t.Errorf("after another auditor's release: %s", st)
	}
}

// TestApproveAfterDeadline: one second past the deadline, before any
// sweep, the approver's click is refused with a page that says why.
func TestApproveAfterDeadline(t *testing.T) {
	f := newFixture(t, "embedded")
	base := f.startHTTPS(t)
	m := f.put(uAlice, "sales", quarantine.StateHeldApproval)
	f.clock.Add(24*time.Hour + time.Second)
	c, csrf := f.session(uCarol)
	code, body := postHTTPS(t, base, "/holds/"+m.ID+"/approve", c, url.Values{"csrf": {csrf}})
	if code != http.StatusConflict || !strings.Contains(body, "期限") {
		t.Errorf("approve after the deadline: %d, want 409 naming the deadline", code)
	}
	if st := f.state(m.ID); st != quarantine.StateHeldApproval {
		t.Errorf("state after a late approval: %s", st)
	}
}
