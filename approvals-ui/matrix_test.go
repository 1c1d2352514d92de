package approvalsui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/okuri/okuri/quarantine"
)

type msgKind struct {
	name, sender, group string
	state               quarantine.State
}

var kinds = []msgKind{
	{"alice-selfcheck", uAlice, "sales", quarantine.StateHeldSelfCheck},
	{"alice-delay", uAlice, "sales", quarantine.StateHeldDelay},
	{"alice-approval", uAlice, "sales", quarantine.StateHeldApproval},
	{"carol-approval", uCarol, "sales", quarantine.StateHeldApproval},
	{"bob-approval", uBob, "support", quarantine.StateHeldApproval},
	{"bob-nogroup-approval", uBob, "", quarantine.StateHeldApproval},
	{"dave-nogroup-approval", uDave, "", quarantine.StateHeldApproval},
	{"alice-quarantined", uAlice, "sales", quarantine.StateQuarantined},
	{"bob-quarantined", uBob, "support", quarantine.StateQuarantined},
}

var actions = []string{"view", "download", "selfcheck", "cancel", "sendnow", "approve", "reject", "release", "delete"}

var approverOf = map[string]string{uCarol: "sales", uDave: "support"}

// oracle is the access table of the issue, written independently of
// access.go: may user do action on a message of kind k?
func oracle(user, action string, k msgKind) (visible, allowed bool) {
	own := user == k.sender
	auditor := user == uEve
	// dave is also the fallback approver: messages without a group.
	approver := (k.group != "" && approverOf[user] == k.group || k.group == "" && user == uDave) && !own
	visible = auditor || own || approver && k.state == quarantine.StateHeldApproval
	switch action {
	case "view":
		allowed = visible
	case "download":
		allowed = auditor
	case "selfcheck":
		allowed = own && k.state == quarantine.StateHeldSelfCheck
	case "cancel":
		allowed = own && (k.state == quarantine.StateHeldSelfCheck || k.state == quarantine.StateHeldDelay)
	case "sendnow":
		allowed = own && k.state == quarantine.StateHeldDelay
	case "approve", "reject":
		allowed = approver && k.state == quarantine.StateHeldApproval
	case "release", "delete":
		allowed = auditor && k.state == quarantine.StateQuarantined
	}
	return visible, allowed
}

func TestRoleMatrixEmbedded(t *testing.T) { roleMatrix(t, "embedded") }

func TestRoleMatrixRedis(t *testing.T) { roleMatrix(t, "redis") }

// roleMatrix tries every user × message kind × action through the pages
// and through the API. Allowed combinations succeed; every denied one is
// 403 or 404 (404 exactly when the message is not visible) and leaves the
// message unchanged.
func roleMatrix(t *testing.T, backend string) {
	f := newFixture(t, backend)
	sessions := map[string][2]string{}
	cookies := map[string]*http.Cookie{}
	for _, u := range allUsers {
		c, csrf := f.session(u)
		cookies[u], sessions[u] = c, [2]string{c.Value, csrf}
	}
	for _, api := range []bool{false, true} {
		for _, u := range allUsers {
			for _, k := range kinds {
				for _, a := range actions {
					name := fmt.Sprintf("api=%v/%s/%s/%s", api, strings.Split(u, "@")[0], k.name, a)
					m := f.put(k.sender, k.group, k.state)
					w := f.action(api, cookies[u], sessions[u][1], m.ID, a)
					visible, allowed := oracle(u, a, k)
					after := f.state(m.ID)
					switch {
					case allowed:
						if w.Code >= 400 {
							t.Errorf("%s: allowed but got %d: %s", name, w.Code, w.Body.String())
						}
						if a != "view" && a != "download" && after == k.state {
							t.Errorf("%s: allowed but state unchanged", name)
						}
					case !visible:
						if w.Code != http.StatusNotFound {
							t.Errorf("%s: invisible message: got %d, want 404", name, w.Code)
						}
					default:
						if w.Code != http.StatusForbidden {
							t.Errorf("%s: denied: got %d, want 403", name, w.Code)
						}
					}
					if !allowed && after != k.state {
						t.Errorf("%s: denied but state changed %s → %s", name, k.state, after)
					}
				}
			}
		}
	}
}

// action performs one matrix action as the page or the API would.
func (f *fixture) action(api bool, c *http.Cookie, csrf, id, a string) *httptest.ResponseRecorder {
	prefix := "/holds/"
	if api {
		prefix = "/api/v1/holds/"
	}
	switch a {
	case "view":
		return f.do("GET", prefix+id, c, nil)
	case "download":
		return f.do("GET", prefix+id+"/eml", c, nil)
	}
	in := actionInput{Comment: "ok by test"}
	if a == "selfcheck" {
		in.Recipients = []string{"a@customer-one.test", "b@customer-two.test", "carol@agency.test"}
		in.Attachments = []int{0}
	}
	if api {
		b, _ := json.Marshal(in)
		r := httptest.NewRequest("POST", "https://ui.test"+prefix+id+"/"+a, bytes.NewReader(b))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("X-CSRF-Token", csrf)
		return f.serve(r, c)
	}
	form := url.Values{"csrf": {csrf}, "comment": {in.Comment}, "rcpt": in.Recipients}
	for _, n := range in.Attachments {
		form.Add("att", fmt.Sprint(n))
	}
	return f.do("POST", prefix+id+"/"+a, c, form)
}

// TestListScopes: each tab lists exactly what its scope allows, and a tab
// outside the user's roles is 403.
func TestListScopes(t *testing.T) {
	f := newFixture(t, "embedded")
	ids := map[string]string{}
	for _, k := range kinds {
		ids[f.put(k.sender, k.group, k.state).ID] = k.name
	}
	listed := func(user, tab string) ([]string, int) {
		c, _ := f.session(user)
		w := f.do("GET", "/api/v1/holds?tab="+tab, c, nil)
		var out struct{ Messages []holdView }
		json.Unmarshal(w.Body.Bytes(), &out)
		var names []string
		for _, m := range out.Messages {
			names = append(names, ids[m.ID])
		}
		slices.Sort(names)
		return names, w.Code
	}
	cases := []struct {
		user, tab string
		code      int
		want      []string
	}{
		{uAlice, "mine", 200, []string{"alice-approval", "alice-delay", "alice-quarantined", "alice-selfcheck"}},
		{uBob, "mine", 200, []string{"bob-approval", "bob-nogroup-approval", "bob-quarantined"}},
		{uAlice, "approve", 403, nil},
		{uAlice, "all", 403, nil},
		{uCarol, "approve", 200, []string{"alice-approval"}},
		{uCarol, "mine", 200, []string{"carol-approval"}},
		{uDave, "approve", 200, []string{"bob-approval", "bob-nogroup-approval"}},
		{uDave, "mine", 200, []string{"dave-nogroup-approval"}},
		{uDave, "all", 403, nil},
		{uEve, "all", 200, []string{"alice-approval", "alice-delay", "alice-quarantined", "alice-selfcheck", "bob-approval", "bob-nogroup-approval", "bob-quarantined", "carol-approval", "dave-nogroup-approval"}},
		{uAdam, "all", 403, nil},
	}
	for _, c := range cases {
		got, code := listed(c.user, c.tab)
		if code != c.code || c.code == 200 && !slices.Equal(got, c.want) {
			t.Errorf("%s tab=%s: got %d %v, want %d %v", c.user, c.tab, code, got, c.code, c.want)
		}
	}
}

// TestSelfCheckNeedsEveryBox: the server refuses a self-check with any box
// missing and records the evidence when all are ticked.
func TestSelfCheckNeedsEveryBox(t *testing.T) {
	f := newFixture(t, "embedded")
	c, csrf := f.session(uAlice)
	m := f.put(uAlice, "sales", quarantine.StateHeldSelfCheck)
	for _, form := range []url.Values{
		{"csrf": {csrf}},
		{"csrf": {csrf}, "rcpt": {"a@customer-one.test", "b@customer-two.test"}},
		{"csrf": {csrf}, "rcpt": {"a@customer-one.test", "carol@agency.test"}, "att": {"0"}},
		{"csrf": {csrf}, "rcpt": {"a@customer-one.test", "b@customer-two.test"}, "att": {"0"}},
	} {
		if w := f.do("POST", "/holds/"+m.ID+"/selfcheck", c, form); w.Code != http.StatusBadRequest {
			t.Errorf("partial self-check %v: got %d, want 400", form, w.Code)
		}
		if st := f.state(m.ID); st != quarantine.StateHeldSelfCheck {
			t.Fatalf("state changed to %s", st)
		}
	}
	form := url.Values{"csrf": {csrf}, "rcpt": {"a@customer-one.test", "b@customer-two.test", "carol@agency.test"}, "att": {"0"}}
	if w := f.do("POST", "/holds/"+m.ID+"/selfcheck", c, form); w.Code != http.StatusSeeOther {
		t.Fatalf("self-check: %d %s", w.Code, w.Body.String())
	}
	got, _ := f.st.Get(t.Context(), m.ID)
	h := got.History[len(got.History)-1]
	if got.State != quarantine.StateQueued || h.Actor.User != uAlice || h.Actor.IP == "" ||
		!strings.Contains(h.Comment, "a@customer-one.test, b@customer-two.test, carol@agency.test") || !strings.Contains(h.Comment, "attachments checked [0]") {
		t.Errorf("evidence missing: state %s history %+v", got.State, h)
	}
}

// TestCSRF: a POST without the token, or from another origin, is refused.
func TestCSRF(t *testing.T) {
	f := newFixture(t, "embedded")
	c, csrf := f.session(uAlice)
	m := f.put(uAlice, "sales", quarantine.StateHeldDelay)
	if w := f.do("POST", "/holds/"+m.ID+"/cancel", c, url.Values{}); w.Code != http.StatusForbidden {
		t.Errorf("no token: %d", w.Code)
	}
	r := httptest.NewRequest("POST", "https://ui.test/holds/"+m.ID+"/cancel", strings.NewReader("csrf="+csrf))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	if w := f.serve(r, c); w.Code != http.StatusForbidden {
		t.Errorf("cross-site: %d", w.Code)
	}
	if f.state(m.ID) != quarantine.StateHeldDelay {
		t.Error("state changed")
	}
}

// TestDefaultDeny: without a session only the public routes answer.
func TestDefaultDeny(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.put(uAlice, "sales", quarantine.StateQuarantined)
	for _, p := range []string{"/", "/holds", "/holds/" + m.ID, "/holds/" + m.ID + "/eml", "/admin/users", "/admin/settings"} {
		if w := f.do("GET", p, nil, nil); w.Code != http.StatusSeeOther || !strings.HasPrefix(w.Header().Get("Location"), "/login") {
			t.Errorf("GET %s: %d %s", p, w.Code, w.Header().Get("Location"))
		}
	}
	for _, p := range []string{"/api/v1/holds", "/api/v1/holds/" + m.ID, "/api/v1/me"} {
		if w := f.do("GET", p, nil, nil); w.Code != http.StatusUnauthorized {
			t.Errorf("GET %s: %d", p, w.Code)
		}
	}
	if w := f.do("POST", "/holds/"+m.ID+"/release", nil, url.Values{}); w.Code != http.StatusUnauthorized {
		t.Errorf("POST release: %d", w.Code)
	}
	for _, u := range []string{uAlice, uCarol, uEve} {
		c, _ := f.session(u)
		if w := f.do("GET", "/admin/users", c, nil); w.Code != http.StatusForbidden {
			t.Errorf("%s admin: %d", u, w.Code)
		}
	}
	w := f.do("GET", "/login", nil, nil)
	for _, h := range []string{"Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options", "Referrer-Policy"} {
		if w.Header().Get(h) == "" {
			t.Errorf("missing header %s", h)
		}
	}
	if csp := w.Header().Get("Content-Security-Policy"); strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP %q", csp)
	}
	if f.state(m.ID) != quarantine.StateQuarantined {
		t.Error("state changed")
	}
}
