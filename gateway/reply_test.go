package gateway

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"syscall"
	"testing"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/quarantine"
)

// putFailingStore is the real store whose Put fails as a full or broken
// disk makes it fail.
type putFailingStore struct {
	quarantine.Store
	err error
}

func (s putFailingStore) Put(context.Context, *quarantine.Message, io.Reader, ...audit.Event) error {
	return s.err
}

// A customer list to an external address the office never wrote to: the
// example policy holds it for the sender's self-check.
const customerList = "From: tanaka@agency.example.jp\r\nTo: yamada.hanako@gmail.com\r\nSubject: list\r\n" +
	"MIME-Version: 1.0\r\nContent-Type: text/csv; charset=UTF-8\r\nContent-Disposition: attachment; filename=\"customers.csv\"\r\n\r\n" +
	"氏名,生年月日,電話番号\r\n山田太郎,1975/04/12,090-1234-5678\r\n佐藤花子,1980/11/03,080-2345-6789\r\n鈴木一郎,1968/01/30,070-3456-7890\r\n"

// Every way Handle can end, with the reply the client gets. Replies carry
// okuri's ids and fixed texts only: the upstream's words ("sink refuses …
// internal detail 10.1.2.3", "sink data failure") and internal errors
// never reach the client.
func TestReplies(t *testing.T) {
	internal := []string{"suzuki@agency.example.jp", "sato@agency.example.jp"}
	storeErr := func(err error) fixtureOpts {
		return fixtureOpts{store: func(next quarantine.Store) quarantine.Store { return putFailingStore{next, err} }}
	}
	tests := []struct {
		name  string
		opts  fixtureOpts
		setup func(f *fixture)
		to    []string
		msg   string
		want  string // regexp over "code enhanced text"
		check func(t *testing.T, f *fixture, rep string)
	}{
		{name: "delivered", to: internal, msg: plainMemo,
			want: `^250 2\.0\.0 Ok: delivered as QID$`},
		{name: "partial, rest queued", to: internal, msg: plainMemo,
			setup: func(f *fixture) { f.sink.Refuse("sato@agency.example.jp", 450) },
			want:  `^250 2\.0\.0 Ok: delivered as QID, queued for the rest as [0-9A-Z]{26}$`,
			check: func(t *testing.T, f *fixture, rep string) {
				q := stored(t, f, rep[strings.LastIndex(rep, " ")+1:])
				if q.State != quarantine.StateQueued || strings.Join(q.To, ",") != "sato@agency.example.jp" {
					t.Fatalf("queued rest: %s %v", q.State, q.To)
				}
			}},
		{name: "partial, rest refused for good (DSN)", to: internal, msg: plainMemo,
			setup: func(f *fixture) { f.sink.Refuse("sato@agency.example.jp", 550) },
			want:  `^250 2\.0\.0 Ok: delivered as QID$`,
			check: func(t *testing.T, f *fixture, _ string) {
				if n, _ := f.store.Counts(context.Background()); n[quarantine.StateQueued] != 1 {
					t.Fatalf("want the DSN queued, store has %v", n)
				}
			}},
		{name: "upstream down", to: internal, msg: plainMemo,
			setup: func(f *fixture) { f.sink.Close() },
			want:  `^250 2\.0\.0 Ok: queued as QID \(upstream busy, okuri will retry\)$`,
			check: func(t *testing.T, f *fixture, rep string) {
				if q := stored(t, f, strings.Fields(rep)[5]); q.State != quarantine.StateQueued || len(q.To) != 2 {
					t.Fatalf("queued: %s %v", q.State, q.To)
				}
			}},
		{name: "upstream temporary failure after DATA", to: internal, msg: plainMemo,
			setup: func(f *fixture) { f.sink.FailData(451) },
			want:  `^250 2\.0\.0 Ok: queued as QID `},
		{name: "upstream refuses every recipient", to: internal, msg: plainMemo,
			setup: func(f *fixture) {
				f.sink.Refuse("suzuki@agency.example.jp", 550)
				f.sink.Refuse("sato@agency.example.jp", 551)
			},
			want: `^550 5\.1\.0 Upstream refused every recipient \(ref QID\)$`},
		{name: "upstream refuses the message", to: internal, msg: plainMemo,
			setup: func(f *fixture) { f.sink.FailData(554) },
			want:  `^554 5\.0\.0 Upstream refused the message \(ref QID\)$`},
		{name: "audit log unavailable", to: internal, msg: plainMemo,
			setup: func(f *fixture) { f.audit.fail = errors.New("nats: outbox database closed") },
			want:  `^451 4\.3\.0 Audit log unavailable, try again later \(ref QID\)$`},
		{name: "audit outbox full", to: internal, msg: plainMemo,
			setup: func(f *fixture) { f.audit.fail = fmt.Errorf("append 3 events: %w", audit.ErrOutboxFull) },
			want:  `^452 4\.3\.1 Insufficient system storage, try again later \(ref QID\)$`},
		{name: "audit disk full", to: internal, msg: plainMemo,
			setup: func(f *fixture) {
				f.audit.fail = fmt.Errorf("outbox: write /var/lib/okuri/audit.db: %w", syscall.ENOSPC)
			},
			want: `^452 4\.3\.1 Insufficient system storage, try again later \(ref QID\)$`},
		{name: "held", to: []string{"yamada.hanako@gmail.com"}, msg: customerList,
			want: `^250 2\.0\.0 Ok: held as QID \(.+\)$`,
			check: func(t *testing.T, f *fixture, rep string) {
				if q := stored(t, f, strings.Fields(rep)[5]); q.State != quarantine.StateHeldSelfCheck {
					t.Fatalf("held: %s", q.State)
				}
			}},
		{name: "store full on hold", to: []string{"yamada.hanako@gmail.com"}, msg: customerList,
			opts: storeErr(fmt.Errorf("put: %w: write spool/tmp/body-1: no space left on device", quarantine.ErrStorageFull)),
			want: `^452 4\.3\.1 Insufficient system storage, try again later \(ref QID\)$`},
		{name: "store broken on hold", to: []string{"yamada.hanako@gmail.com"}, msg: customerList,
			opts: storeErr(errors.New("put: bbolt: database not open")),
			want: `^451 4\.3\.0 Temporary storage failure, try again later \(ref QID\)$`},
		{name: "store full when queuing", to: internal, msg: plainMemo,
			opts:  storeErr(fmt.Errorf("put: %w", quarantine.ErrStorageFull)),
			setup: func(f *fixture) { f.sink.Close() },
			want:  `^452 4\.3\.1 Insufficient system storage, try again later \(ref QID\)$`},
		{name: "rejected by a rule", to: []string{"a@example.com", "b@example.net", "c@example.org"}, msg: plainMemo,
			opts: fixtureOpts{config: func(cfg *config.Config) {
				three := 3
				cfg.Policy.Rules = append([]config.Rule{{Name: "no-mass-mail", When: config.When{MinExternalDomains: &three}, Action: "reject"}}, cfg.Policy.Rules...)
			}},
			want: `^550 5\.7\.1 Message rejected by policy rule no-mass-mail \(ref QID\)$`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, tt.opts)
			if tt.setup != nil {
				tt.setup(f)
			}
			m := message(t, "tanaka@agency.example.jp", tt.to, tt.msg)
			rep := f.gw.Handle(context.Background(), m)
			got := fmt.Sprintf("%d %s %s", rep.Code, rep.Enhanced, rep.Text)
			want := strings.ReplaceAll(tt.want, "QID", "("+m.QueueID+"|[0-9A-Z]{26})")
			if !regexp.MustCompile(want).MatchString(got) {
				t.Fatalf("reply %q, want %s", got, tt.want)
			}
			if tt.check != nil {
				tt.check(t, f, got)
			}
			if rep.Code/100 != 2 {
				if n := len(f.sink.Messages()); n != 0 && rep.Code/100 == 4 {
					t.Fatalf("4xx reply but the upstream got %d messages", n)
				}
			}
			for _, leak := range []string{"sink", "10.1.2.3", "nats", "bbolt", "no space", "database"} {
				if strings.Contains(got, leak) {
					t.Fatalf("reply %q leaks %q", got, leak)
				}
			}
		})
	}
}

func TestReplyForEveryResult(t *testing.T) {
	for r := resDelivered; r <= resStoreFailed; r++ {
		rep := replyFor(r, replyInfo{Ref: "REF"})
		if rep.Text == "" || rep.Code/100 != rep.Enhanced[0] || rep.Code/100 == 3 {
			t.Errorf("result %d: %+v", r, rep)
		}
		if rep.Code/100 != 2 && !strings.Contains(rep.Text, "(ref REF)") {
			t.Errorf("result %d: failure reply without reference: %q", r, rep.Text)
		}
	}
	if rep := replyFor(result(99), replyInfo{Ref: "REF"}); rep.Code != 451 {
		t.Errorf("unknown result: %+v", rep)
	}
}

func stored(t *testing.T, f *fixture, id string) *quarantine.Message {
	t.Helper()
	q, err := f.store.Get(context.Background(), id)
	if err != nil {
		t.Fatalf("store: %s: %v", id, err)
	}
	return q
}

// A header the decided rewrite cannot read (over rewrite.MaxHeaderBytes,
// which smtpd's own limit normally keeps out) is quarantined, not sent
// unrewritten; the trail records the message once and the new decision.
func TestRewriteFailureQuarantines(t *testing.T) {
	f := newFixture(t, fixtureOpts{})
	to := []string{"yamada.hanako@gmail.com", "sato.jiro@yahoo.co.jp"}
	msg := "From: tanaka@agency.example.jp\r\nTo: yamada.hanako@gmail.com, sato.jiro@yahoo.co.jp\r\nSubject: hi\r\n" +
		strings.Repeat("X-Pad: "+strings.Repeat("p", 900)+"\r\n", 4700) + "\r\nhello\r\n"
	m := message(t, "tanaka@agency.example.jp", to, msg)
	d := &policy.Decision{Action: policy.ForceBCC, Rule: "bcc-customers"}
	d.Rewrite.ForceBCC = true
	// What Handle does before deliver: the message's first events.
	f.audit.Emit(context.Background(), receivedEvent(m, quarantine.Headers{}, nil), decidedEvent(m, d))
	rep := f.gw.deliver(context.Background(), m, nil, quarantine.Headers{}, nil, d, d.Deliveries(m.From, m.To), f.gw.log)
	got := fmt.Sprintf("%d %s %s", rep.Code, rep.Enhanced, rep.Text)
	if !strings.HasPrefix(got, "250 2.0.0 Ok: held as "+m.QueueID) {
		t.Fatalf("reply %q", got)
	}
	if q := stored(t, f, m.QueueID); q.State != quarantine.StateQuarantined {
		t.Fatalf("state %s", q.State)
	}
	if n := len(f.sink.Messages()); n != 0 {
		t.Fatalf("sent %d messages unrewritten", n)
	}
	want := []string{audit.TypeMessageReceived, audit.TypeMessageDecided, audit.TypeMessageDecided, audit.TypeMessageHeld}
	if got := f.audit.types(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("audit events %v, want %v", got, want)
	}
	f.audit.mu.Lock()
	redecided := f.audit.evs[2]
	f.audit.mu.Unlock()
	if redecided.Decision != string(policy.Quarantine) || !strings.Contains(redecided.Attrs["errors"], "rewrite") {
		t.Fatalf("second decision %+v", redecided)
	}
}
