package gateway

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/quarantine"
)

// notifierRecorder keeps what the gateway hands the notifier.
type notifierRecorder struct {
	mu       sync.Mutex
	fail     error // returned by Held
	held     []*quarantine.Message
	rejected []*quarantine.Message
}

func (n *notifierRecorder) Held(_ context.Context, m *quarantine.Message) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.held = append(n.held, m)
	return n.fail
}

func (n *notifierRecorder) Rejected(_ context.Context, m *quarantine.Message) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.rejected = append(n.rejected, m)
}

// A customer list to two customers (personal addresses) who see each other, from Outlook with
// an HTML body and an ISO-2022-JP subject.
var customerMail = "From: Tanaka <tanaka@agency.example.jp>\r\nTo: yamada@gmail.com, sato@docomo.ne.jp\r\n" +
	"Subject: =?ISO-2022-JP?B?GyRCOFwbKEI=?= list\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=XX\r\n\r\n" +
	"--XX\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><head><style>p{color:red}</style></head><body><p>ご確認<b>ください</b>。</p></body></html>\r\n" +
	"--XX\r\nContent-Type: text/csv; name=\"customers.csv\"\r\nContent-Disposition: attachment; filename=\"customers.csv\"\r\n\r\n" +
	crmExport(20) + "\r\n--XX--\r\n"

// TestHeldRecordIsTheTruth: the record the gateway stores when it holds a
// message carries everything the approvals UI shows — why (reason, kinds,
// people, domains, each rule's conditions), the scanner's parts, the body
// text as the scanner decoded it, the decoded subject, the To/Cc each
// delivery will show — in the quarantine's own versioned form, not the
// policy decision as JSON; and the notifier gets that record.
func TestHeldRecordIsTheTruth(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	n := &notifierRecorder{}
	f.gw.o.Notifier = n
	m := message(t, "tanaka@agency.example.jp", []string{"yamada@gmail.com", "sato@docomo.ne.jp"}, customerMail)
	if rep := f.gw.Handle(context.Background(), m); rep.Code != 250 {
		t.Fatalf("reply %+v", rep)
	}
	rec, err := f.store.Get(context.Background(), m.QueueID)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.State.Held() && rec.State != quarantine.StateQuarantined {
		t.Fatalf("state %s, want a hold", rec.State)
	}
	if len(rec.Decision.Policy) != 0 {
		t.Errorf("record still carries the policy decision as JSON (%d bytes)", len(rec.Decision.Policy))
	}
	e := rec.Decision.Explain
	if e == nil {
		t.Fatal("no explanation in the record")
	}
	if e.V != quarantine.ExplainVersion || e.ReasonJA == "" || e.ReasonEN == "" || e.Records != 20 || e.Kinds["phone"] == 0 ||
		e.External != 2 || len(e.ExternalDomains) != 2 || len(e.Rules) == 0 {
		t.Errorf("explanation %+v", e)
	}
	for _, r := range e.Rules {
		if r.Name == rec.Decision.Rule && (r.ActionJA == "" || len(r.Conds) == 0) {
			t.Errorf("deciding rule without action name or conditions: %+v", r)
		}
	}
	if rec.Headers.Subject != "顧 list" {
		t.Errorf("subject %q, want it decoded", rec.Headers.Subject)
	}
	if rec.Preview != "ご確認ください。" || rec.PreviewTruncated {
		t.Errorf("preview %q (truncated %v), want the HTML body's text", rec.Preview, rec.PreviewTruncated)
	}
	if !containsPart(rec.Parts, "customers.csv") {
		t.Errorf("parts %+v lack the attachment", rec.Parts)
	}
	plan, _ := rec.RewritePlan()
	if plan == nil || !plan.ForceBCC || len(e.Deliveries) == 0 {
		t.Fatalf("plan %+v, deliveries %+v: want forced BCC, previewed", plan, e.Deliveries)
	}
	for _, d := range e.Deliveries {
		if strings.Contains(d.To, "yamada@") || strings.Contains(d.To, "sato@") {
			t.Errorf("delivery %v still shows a customer: To %q", d.Rcpts, d.To)
		}
	}
	f.gw.Wait()
	n.mu.Lock()
	defer n.mu.Unlock()
	if len(n.held) != 1 || n.held[0].ID != rec.ID || n.held[0].Decision.Explain == nil {
		t.Fatalf("notifier got %d held records, want this one with its explanation", len(n.held))
	}
}

// TestHoldNoticeOutbox: the held record carries the duty to notify
// (NoticeDue) from its first commit; the gateway clears it once the
// notifier queued the notices and leaves it for the sweeper when not.
func TestHoldNoticeOutbox(t *testing.T) {
	for _, c := range []struct {
		name     string
		fail     error
		wantDue  bool
		notifier bool
	}{
		{"queued", nil, false, true},
		{"notifier failed", errors.New("store unavailable"), true, true},
		{"no notifier", nil, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			var atPut []bool
			f := newFixture(t, fixtureOpts{store: func(next quarantine.Store) quarantine.Store {
				return putSpy{next, &atPut}
			}})
			if c.notifier {
				f.gw.o.Notifier = &notifierRecorder{fail: c.fail}
			}
			m := message(t, "tanaka@agency.example.jp", []string{"yamada@gmail.com"}, customerMail)
			if rep := f.gw.Handle(context.Background(), m); rep.Code != 250 {
				t.Fatalf("reply %+v", rep)
			}
			f.gw.Wait()
			if !slices.Equal(atPut, []bool{c.notifier}) {
				t.Fatalf("NoticeDue at Put %v, want [%v]", atPut, c.notifier)
			}
			rec, err := f.store.Get(context.Background(), m.QueueID)
			if err != nil {
				t.Fatal(err)
			}
			if rec.NoticeDue != c.wantDue {
				t.Fatalf("NoticeDue after the notifier: %v, want %v", rec.NoticeDue, c.wantDue)
			}
		})
	}
}

// putSpy records NoticeDue of every record as it is stored.
type putSpy struct {
	quarantine.Store
	due *[]bool
}

func (p putSpy) Put(ctx context.Context, m *quarantine.Message, body io.Reader, before ...audit.Event) error {
	*p.due = append(*p.due, m.NoticeDue)
	return p.Store.Put(ctx, m, body, before...)
}

func containsPart(ps []quarantine.Part, name string) bool {
	for _, p := range ps {
		if p.Name == name && p.Attachment {
			return true
		}
	}
	return false
}
