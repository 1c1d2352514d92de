package approvalsui

import (
	"net/http"
	"strings"
	"testing"

	"github.com/okuri/okuri/quarantine"
)

// TestNoticesHiddenFromAuditors: the self-check notice okuri sends to a
// sender carries a signed link; an auditor must not find it in the
// everything list, open it or download it.
func TestNoticesHiddenFromAuditors(t *testing.T) {
	f := newFixture(t, "embedded")
	base := f.startHTTPS(t)
	m := f.put(uAlice, "sales", quarantine.StateHeldSelfCheck)
	f.s.Held(t.Context(), m)
	page, err := f.st.List(t.Context(), quarantine.Query{Scope: quarantine.Scope{All: true}, WithOwn: true})
	if err != nil {
		t.Fatal(err)
	}
	var notice string
	for _, x := range page.Messages {
		if x.Own() {
			notice = x.ID
		}
	}
	if notice == "" {
		t.Fatal("no notice queued")
	}
	auditor := f.browser(t, base)
	auditor.cookie, _ = f.session(uEve)
	code, _, body := auditor.do("GET", "/holds?tab=all", nil)
	if code != 200 || !strings.Contains(body, m.ID) {
		t.Fatalf("auditor's list: %d, held message listed: %v", code, strings.Contains(body, m.ID))
	}
	if strings.Contains(body, notice) || strings.Contains(body, "/link/") {
		t.Error("the auditor's list shows the notice")
	}
	for _, path := range []string{"/holds/" + notice, "/holds/" + notice + "/eml", "/api/v1/holds/" + notice, "/api/v1/holds/" + notice + "/eml"} {
		if code, _, body := auditor.do("GET", path, nil); code != http.StatusNotFound || strings.Contains(body, "/link/") {
			t.Errorf("auditor GET %s: %d, want 404", path, code)
		}
	}
	if code, _, body := auditor.do("GET", "/api/v1/holds?tab=all", nil); code != 200 || strings.Contains(body, notice) {
		t.Errorf("API list: %d, notice listed: %v", code, strings.Contains(body, notice))
	}
}
