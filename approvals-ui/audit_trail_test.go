package approvalsui

import (
	"context"
	"html"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/internal/testenv"
)

// openAuditLog starts an audit.Log publishing to the test NATS server on
// a stream of its own (deleted afterwards).
func openAuditLog(t *testing.T) *audit.Log {
	t.Helper()
	natsURL := testenv.NATSURL(t)
	stream := testenv.UniqueName(t, "uiaudit")
	db, err := bbolt.Open(filepath.Join(t.TempDir(), "outbox.db"), 0o600, &bbolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ob, err := audit.NewBoltOutbox(db, audit.OutboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	l, err := audit.Open(context.Background(), audit.Options{NATSURL: natsURL, Stream: stream, Instance: "ui-test", DataDir: t.TempDir(),
		PollInterval: 20 * time.Millisecond, BackoffMin: 20 * time.Millisecond, BackoffMax: 200 * time.Millisecond}, ob, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		l.Close(ctx)
		ob.Close()
		db.Close()
		if nc, err := nats.Connect(natsURL); err == nil {
			if js, err := jetstream.New(nc); err == nil {
				js.DeleteStream(ctx, stream)
			}
			nc.Close()
		}
	})
	return l
}

// TestAuditTrailPage: the security team searches the audit stream by
// message id, user and rule; senders may not open the page.
func TestAuditTrailPage(t *testing.T) {
	f := newFixture(t, "embedded")
	l := openAuditLog(t)
	f.s.o.AuditLog = l
	ctx := context.Background()
	now := time.Now()
	evs := []audit.Event{
		{Type: audit.TypeMessageHeld, Time: now.Add(-3 * time.Minute), MessageID: "01JDAAAAAAAAAAAAAAAAAAAAAA", Sender: uAlice, Rule: "pd-external-many", State: "held_approval", Actor: audit.Actor{Kind: audit.ActorSystem}},
		{Type: audit.TypeMessageApproved, Time: now.Add(-2 * time.Minute), MessageID: "01JDAAAAAAAAAAAAAAAAAAAAAA", State: "queued", Comment: "確認しました", Actor: audit.Actor{Kind: audit.ActorUser, User: uCarol}},
		{Type: audit.TypeMessageHeld, Time: now.Add(-time.Minute), MessageID: "01JDBBBBBBBBBBBBBBBBBBBBBB", Sender: uBob, Rule: "first-time-domain", State: "held_selfcheck", Actor: audit.Actor{Kind: audit.ActorSystem}},
	}
	if err := l.Emit(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	// Wait until the publisher has put all three on the stream.
	deadline := time.Now().Add(10 * time.Second)
	for n := 0; n < 3 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		n = 0
		l.Read(ctx, audit.ReadOptions{}, func(audit.Event) error { n++; return nil })
	}
	c, _ := f.session(uEve)
	get := func(q url.Values) string {
		q.Set("search", "1")
		w := f.do("GET", "/audit?"+q.Encode(), c, nil)
		if w.Code != 200 {
			t.Fatalf("audit page %v: %d", q, w.Code)
		}
		return html.UnescapeString(w.Body.String())
	}
	page := get(url.Values{"msg": {"01JDAAAAAAAAAAAAAAAAAAAAAA"}})
	if !strings.Contains(page, "確認しました") || !strings.Contains(page, uCarol) || strings.Contains(page, "01JDBBBBBBBBBBBBBBBBBBBBBB") {
		t.Errorf("search by message id:\n%s", page)
	}
	if a, b := strings.Index(page, "確認しました"), strings.Index(page, "pd-external-many"); a > b {
		t.Error("not newest first")
	}
	if page := get(url.Values{"user": {"bob@"}}); !strings.Contains(page, "01JDBBBBBBBBBBBBBBBBBBBBBB") || strings.Contains(page, "01JDAAAAAAAAAAAAAAAAAAAAAA") {
		t.Error("search by user")
	}
	if page := get(url.Values{"rule": {"first-time"}}); !strings.Contains(page, "01JDBBBBBBBBBBBBBBBBBBBBBB") || strings.Contains(page, "01JDAAAAAAAAAAAAAAAAAAAAAA") {
		t.Error("search by rule")
	}
	tomorrow := now.In(jst).Add(24 * time.Hour).Format("2006-01-02")
	if page := get(url.Values{"since": {tomorrow}}); !strings.Contains(page, "条件に合う記録はありません") {
		t.Error("date range: events of today found from tomorrow on")
	}
	ca, _ := f.session(uAlice)
	if w := f.do("GET", "/audit", ca, nil); w.Code != 403 {
		t.Errorf("sender opened the audit log: %d", w.Code)
	}
}
