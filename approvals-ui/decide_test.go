package approvalsui

import (
	"context"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/okuri/okuri/quarantine"
)

// noticeParts reads a queued notice: its From and its decoded text and
// HTML parts.
func noticeParts(t *testing.T, raw string) (from *mail.Address, text, html string) {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if from, err = mail.ParseAddress(m.Header.Get("From")); err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(m.Header.Get("Content-Type"))
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return from, text, html
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(p)
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			html = string(b)
		} else {
			text = string(b)
		}
	}
}

var reDecide = regexp.MustCompile(`https://ui\.test/decide/[A-Za-z0-9_\-.]+`)

// TestApprovalMailDecides: the approval request carries the headline,
// recipients and attachment names from the configured sender name; its
// approve link opens a confirmation page (GET changes nothing), the POST
// approves through the same transition (history: the approver, via
// mail), and both links are then spent.
func TestApprovalMailDecides(t *testing.T) {
	f := newFixture(t, "embedded")
	f.cfg.UI.NoticeFromName = "送信確認（さくら保険代理店）"
	m := f.putCustomerList(20)
	f.s.Held(context.Background(), m)
	n := f.queuedNotices()[uCarol]
	if len(n) != 1 {
		t.Fatalf("approver notices: %d", len(n))
	}
	from, text, _ := noticeParts(t, n[0])
	if from.Name != "送信確認（さくら保険代理店）" {
		t.Errorf("From name %q", from.Name)
	}
	for _, want := range []string{"顧客20名分（氏名・生年月日・電話番号・住所・証券番号）→ example.com（初めての送信先）",
		"tanaka@example.com", "customers_2026-11.csv (", "承認する:", "却下する:", "20 customers"} {
		if !strings.Contains(text, want) {
			t.Errorf("approval request lacks %q:\n%s", want, text)
		}
	}
	links := reDecide.FindAllString(text, -1)
	if len(links) < 2 {
		t.Fatalf("decide links: %v", links)
	}
	approve, reject := strings.TrimPrefix(links[0], "https://ui.test"), strings.TrimPrefix(links[1], "https://ui.test")

	w := f.do("GET", approve, nil, nil)
	if w.Code != 200 || !strings.Contains(w.Body.String(), `id="decide-approve"`) || !strings.Contains(w.Body.String(), "customers_2026-11.csv") {
		t.Fatalf("confirmation page: %d", w.Code)
	}
	if f.state(m.ID) != quarantine.StateHeldApproval {
		t.Fatal("opening the link acted")
	}
	if w := f.do("GET", reject[:len(reject)-3]+"abc", nil, nil); w.Code != http.StatusNotFound {
		t.Errorf("tampered link: %d", w.Code)
	}
	// A self-check link's token is no decision token, and the reverse.
	sc := strings.TrimPrefix(f.s.SelfCheckURL(m), "https://ui.test/link/")
	if w := f.do("GET", "/decide/"+sc, nil, nil); w.Code != http.StatusNotFound {
		t.Errorf("self-check token accepted as a decision: %d", w.Code)
	}
	if w := f.do("GET", "/link/"+strings.TrimPrefix(approve, "/decide/"), nil, nil); w.Code != http.StatusNotFound {
		t.Errorf("decision token accepted as a self-check link: %d", w.Code)
	}

	if w := f.do("POST", approve, nil, url.Values{"comment": {"確認しました"}}); w.Code != 200 || !strings.Contains(w.Body.String(), "承認しました") {
		t.Fatalf("approve via mail: %d %s", w.Code, w.Body.String())
	}
	got, err := f.st.Get(context.Background(), m.ID)
	if err != nil {
		t.Fatal(err)
	}
	h := got.History[len(got.History)-1]
	if got.State != quarantine.StateQueued || h.What != "message.approved" || h.Actor.User != uCarol || h.Actor.Kind != quarantine.ActorApprover || h.Comment != "確認しました" {
		t.Errorf("after approval: state %s, history %+v", got.State, h)
	}
	for _, l := range []string{approve, reject} {
		if w := f.do("GET", l, nil, nil); w.Code != http.StatusNotFound {
			t.Errorf("%s works after the decision: %d", l, w.Code)
		}
	}
}

// TestRejectLinkNeedsComment: rejecting from the mail needs a comment,
// like the page; without one nothing changes and the link still works.
func TestRejectLinkNeedsComment(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.putCustomerList(3)
	_, reject := f.s.DecideURLs(m, uCarol)
	reject = strings.TrimPrefix(reject, "https://ui.test")
	if w := f.do("POST", reject, nil, url.Values{"comment": {" "}}); w.Code != http.StatusBadRequest {
		t.Fatalf("reject without comment: %d", w.Code)
	}
	if w := f.do("POST", reject, nil, url.Values{"comment": {"宛先が違います"}}); w.Code != 200 {
		t.Fatalf("reject: %d", w.Code)
	}
	if f.state(m.ID) != quarantine.StateRejected {
		t.Error("not rejected")
	}
	// Another approver's link (dave approves support, not sales) opens nothing.
	m2 := f.putCustomerList(3)
	a, _ := f.s.DecideURLs(m2, uDave)
	if w := f.do("GET", strings.TrimPrefix(a, "https://ui.test"), nil, nil); w.Code != http.StatusNotFound {
		t.Errorf("link for a non-approver: %d", w.Code)
	}
}

// TestDecisionLinksOff: with ui.decision_links: false the approval
// request has no decision links, only the message page behind sign-in
// (and its second factor), and links sent before the switch stop working.
func TestDecisionLinksOff(t *testing.T) {
	f := newFixture(t, "embedded")
	m := f.putCustomerList(20)
	sent, _ := f.s.DecideURLs(m, uCarol)
	off := false
	f.cfg.UI.DecisionLinks = &off
	f.s.Held(context.Background(), m)
	n := f.queuedNotices()[uCarol]
	if len(n) != 1 {
		t.Fatalf("approver notices: %d", len(n))
	}
	_, text, html := noticeParts(t, n[0])
	if l := reDecide.FindAllString(text+html, -1); len(l) != 0 {
		t.Errorf("approval request carries decision links with decision_links off: %v", l)
	}
	for _, want := range []string{"https://ui.test/holds/" + m.ID, "サインインして"} {
		if !strings.Contains(text, want) {
			t.Errorf("approval request lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "承認する:") {
		t.Errorf("approval request still offers the approve button:\n%s", text)
	}
	link := strings.TrimPrefix(sent, "https://ui.test")
	if w := f.do("GET", link, nil, nil); w.Code != http.StatusNotFound {
		t.Errorf("a link sent before the switch opens: %d", w.Code)
	}
	if w := f.do("POST", link, nil, url.Values{"comment": {"ok"}}); w.Code != http.StatusNotFound || f.state(m.ID) != quarantine.StateHeldApproval {
		t.Errorf("a link sent before the switch acts: %d, state %s", w.Code, f.state(m.ID))
	}
}
