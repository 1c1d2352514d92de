package approvalsui

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/quarantine"
)

// TestFromParts: the parts the scanner recorded for an Outlook mail with
// a ZIP of a CRM export, a forwarded message carrying its own CSV, an
// inline logo and a part whose header could not be read. Each MIME part
// that leaves as a file gets a box; the ZIP's entries are listed under
// the ZIP; message text and containers get none.
func TestFromParts(t *testing.T) {
	parts := []quarantine.Part{
		{Path: "1", Type: "multipart/alternative"},
		{Path: "1.1", Type: "text/plain", Size: 120, Verdict: "clean"},
		{Path: "1.2", Type: "text/html", Size: 900, Verdict: "clean"},
		{Path: "2", Type: "image/png", Size: 3000, Verdict: "clean"}, // inline logo, no name
		{Path: "3", Name: "顧客一覧.zip", Type: "application/x-zip-compressed", Size: 4000, Attachment: true, Verdict: "personal_data"},
		{Path: "3/顧客一覧.zip/2026/顧客一覧.xlsx", Name: "2026/顧客一覧.xlsx", Type: "xlsx", Size: 9000, Attachment: true, Verdict: "personal_data"},
		{Path: "3/顧客一覧.zip/readme.txt", Name: "readme.txt", Type: "text", Size: 10, Attachment: true, Verdict: "clean"},
		{Path: "4", Verdict: "unscannable"}, // "cannot parse part header"
		{Path: "5", Type: "message/rfc822", Size: 2000, Verdict: "clean"},
		{Path: "5.1", Type: "text/plain", Size: 20, Verdict: "clean"},
		{Path: "5.2", Name: "inner.csv", Type: "text/csv", Size: 30, Attachment: true, Verdict: "clean"},
	}
	want := []attachment{
		{Index: 0, Name: "[2]", Type: "image/png", Size: 3000},
		{Index: 1, Name: "顧客一覧.zip", Type: "application/x-zip-compressed", Size: 4000, Files: []string{"2026/顧客一覧.xlsx", "readme.txt"}},
		{Index: 2, Name: "[4]"},
		{Index: 3, Name: "inner.csv", Type: "text/csv", Size: 30},
	}
	if got := fromParts(parts); !reflect.DeepEqual(got, want) {
		t.Fatalf("fromParts:\n got %+v\nwant %+v", got, want)
	}
}

// TestSelfCheckPageShowsArchiveEntries: the sender's page has one box
// per recorded attachment and names the files inside the ZIP under it,
// on both backends.
func TestSelfCheckPageShowsArchiveEntries(t *testing.T) {
	for _, backend := range []string{"embedded", "redis"} {
		t.Run(backend, func(t *testing.T) {
			f := newFixture(t, backend)
			m := &quarantine.Message{
				From: "alice@agency.test", AuthUser: "alice@agency.test", To: []string{"a@customer-one.test"},
				Headers: quarantine.Headers{From: "alice@agency.test", To: "a@customer-one.test", Subject: "顧客リスト"},
				Group:   "sales", State: quarantine.StateHeldSelfCheck, HoldUntil: f.clock.Now().Add(time.Hour),
				Decision: quarantine.Decision{Action: "hold_selfcheck", Rule: "pii-external", Verdict: "personal_data"},
				Parts: []quarantine.Part{{Path: "1", Type: "text/plain", Size: 20, Verdict: "clean"},
					{Path: "2", Name: "顧客一覧.zip", Type: "application/zip", Size: 4000, Attachment: true, Verdict: "personal_data"},
					{Path: "2/顧客一覧.zip/2026/顧客一覧.xlsx", Name: "2026/顧客一覧.xlsx", Type: "xlsx", Size: 9000, Attachment: true, Verdict: "personal_data"},
					{Path: "3", Name: "案内.pdf", Type: "application/pdf", Size: 700, Attachment: true, Verdict: "clean"}},
			}
			if err := f.st.Put(context.Background(), m, strings.NewReader(testBody)); err != nil {
				t.Fatal(err)
			}
			c, _ := f.session("alice@agency.test")
			w := f.do("GET", "/holds/"+m.ID, c, nil)
			page := w.Body.String()
			if w.Code != 200 {
				t.Fatalf("page: %d", w.Code)
			}
			if n := strings.Count(page, `name="att"`); n != 2 {
				t.Fatalf("%d attachment boxes, want 2 (the ZIP and the PDF)", n)
			}
			for _, s := range []string{"顧客一覧.zip", "└ 2026/顧客一覧.xlsx", "案内.pdf"} {
				if !strings.Contains(page, s) {
					t.Errorf("page does not show %q", s)
				}
			}
		})
	}
}
