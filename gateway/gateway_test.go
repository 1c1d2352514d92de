package gateway

import (
	"context"
	"encoding/json"
	"io"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oklog/ulid/v2"
	"go.etcd.io/bbolt"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/internal/smtpsink"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/scan"
	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
	"github.com/okuri/okuri/smtpd"
	"github.com/okuri/okuri/spool"
)

// auditRecorder is the gateway's audit log in these tests: it keeps the
// events the gateway emits and those the store writes in its transaction,
// in order, and can refuse them as a full or broken outbox does.
type auditRecorder struct {
	mu   sync.Mutex
	evs  []audit.Event
	fail error
}

func (a *auditRecorder) Emit(_ context.Context, evs ...audit.Event) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail != nil {
		return a.fail
	}
	a.evs = append(a.evs, evs...)
	return nil
}

func (a *auditRecorder) Prepare(evs ...audit.Event) []audit.Event { return evs }

func (a *auditRecorder) AppendTx(_ *bbolt.Tx, evs ...audit.Event) error {
	return a.Emit(context.Background(), evs...)
}

func (a *auditRecorder) types() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var ts []string
	for _, e := range a.evs {
		ts = append(ts, e.Type)
	}
	return ts
}

// waitTypes waits until the recorded event types are want (events of a
// delivery are written after the reply).
func (a *auditRecorder) waitTypes(t *testing.T, want ...string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for strings.Join(a.types(), " ") != strings.Join(want, " ") {
		if time.Now().After(deadline) {
			t.Fatalf("audit events %v, want %v", a.types(), want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// senderFunc lets a test look at the world at the moment of sending; the
// delivery itself goes to a real SMTP sink through next.
type senderFunc func(ctx context.Context, env relay.Envelope, msg io.Reader) (*relay.Result, error)

func (f senderFunc) Send(ctx context.Context, env relay.Envelope, msg io.Reader) (*relay.Result, error) {
	return f(ctx, env, msg)
}

type fixture struct {
	gw    *Gateway
	sink  *smtpsink.Sink
	store quarantine.Store
	audit *auditRecorder
	relay relay.Sender
}

// fixtureOpts changes the fixture's parts.
type fixtureOpts struct {
	relay  func(next relay.Sender, a *auditRecorder) relay.Sender // wraps the relay client
	store  func(next quarantine.Store) quarantine.Store
	config func(cfg *config.Config)
}

// newFixture wires a Gateway with the example configuration's policy, the
// real scanner, an embedded store in a temporary folder and a real SMTP
// sink as upstream.
func newFixture(t *testing.T, o fixtureOpts) *fixture {
	t.Helper()
	cfg, err := config.Load("../examples/okuri.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if o.config != nil {
		o.config(cfg)
	}
	pol, err := policy.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scan.New(scan.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	rec := &auditRecorder{}
	st, err := quarantine.OpenEmbedded(quarantine.EmbeddedOptions{Dir: filepath.Join(t.TempDir(), "store"), NoSync: true, Outbox: rec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sink := smtpsink.Start(t, smtpsink.Options{})
	cl, err := relay.NewClient(relay.Options{Upstream: "smtp://" + sink.Addr, StartTLSOpportunistic: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	f := &fixture{sink: sink, store: st, audit: rec, relay: cl}
	if o.relay != nil {
		f.relay = o.relay(cl, rec)
	}
	var gst quarantine.Store = st
	if o.store != nil {
		gst = o.store(st)
	}
	f.gw, err = New(Options{Relay: f.relay, Scanner: sc, Policy: func() *policy.Policy { return pol }, Store: gst, Audit: rec})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.gw.Wait)
	return f
}

// message builds what smtpd hands over: an authenticated user's message,
// spooled.
func message(t *testing.T, from string, to []string, data string) *smtpd.Message {
	t.Helper()
	w := spool.New(t.TempDir(), 1<<20).NewWriter()
	io.WriteString(w, data)
	body, err := w.Finish()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { body.Close() })
	return &smtpd.Message{
		QueueID: ulid.Make().String(), Received: time.Now(), ClientIP: netip.MustParseAddr("192.0.2.10"),
		Helo: "pc-01", User: from, From: from, To: to, Body: body,
	}
}

// Internal mail with nothing personal in it: the example policy passes it.
const plainMemo = "From: Tanaka <tanaka@agency.example.jp>\r\nTo: Suzuki <suzuki@agency.example.jp>\r\n" +
	"Subject: =?UTF-8?B?5Lya6K2w44Gu5Lu2?=\r\nDate: Sun, 6 Dec 2026 10:00:00 +0900\r\nMIME-Version: 1.0\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n明日の会議は10時からです。\r\n"

// The audit trail names a delivery attempt before the upstream can accept
// the message: a crash between the upstream's 250 and okuri's record of
// it must not leave a copy without a trace (issue 12 item 13).
func TestPassPathRecordsAttemptBeforeSending(t *testing.T) {
	var atSend [][]string
	var ids []string
	f := newFixture(t, fixtureOpts{relay: func(next relay.Sender, a *auditRecorder) relay.Sender {
		return senderFunc(func(ctx context.Context, env relay.Envelope, msg io.Reader) (*relay.Result, error) {
			atSend = append(atSend, a.types())
			ids = append(ids, env.ID)
			return next.Send(ctx, env, msg)
		})
	}})
	m := message(t, "tanaka@agency.example.jp", []string{"suzuki@agency.example.jp", "sato@agency.example.jp"}, plainMemo)
	rep := f.gw.Handle(context.Background(), m)
	if rep.Code != 250 {
		t.Fatalf("reply %+v", rep)
	}
	want := []string{audit.TypeMessageReceived, audit.TypeMessageDecided, audit.TypeMessageDeliveryAttempted}
	if len(atSend) != 1 || strings.Join(atSend[0], " ") != strings.Join(want, " ") {
		t.Fatalf("audit events when the upstream was called: %v, want %v", atSend, want)
	}
	f.audit.waitTypes(t, append(want, audit.TypeMessageDelivered)...)
	f.audit.mu.Lock()
	att := f.audit.evs[2]
	f.audit.mu.Unlock()
	if att.MessageID != m.QueueID || len(att.Recipients) != 2 || att.Upstream == nil || att.Upstream.Attempt != 1 {
		t.Fatalf("attempt event %+v", att)
	}
	if len(ids) != 1 || ids[0] != m.QueueID {
		t.Fatalf("envelope ids %q, want the queue id %s (dir: upstream file names)", ids, m.QueueID)
	}
	if n := len(f.sink.Messages()); n != 1 {
		t.Fatalf("sink got %d messages", n)
	}
}

// A queued or released message keeps its id on the way to the relay: the
// dir: upstream names its files by it.
func TestPrepareKeepsTheMessageID(t *testing.T) {
	var d policy.Decision
	d.Rewrite.Split = true
	pj, _ := json.Marshal(&d)
	m := &quarantine.Message{ID: "01JD3QX7B2M4N6P8R0S2T4V6W8", Decision: quarantine.Decision{Policy: pj}}
	dls, err := Prepare(context.Background(), m, relay.Envelope{From: "tanaka@agency.example.jp", To: []string{"a@example.com", "b@example.net"}, ID: m.ID})
	if err != nil || len(dls) != 2 {
		t.Fatalf("%d deliveries, %v", len(dls), err)
	}
	for _, dl := range dls {
		if dl.Env.ID != m.ID {
			t.Fatalf("delivery envelope id %q, want %s", dl.Env.ID, m.ID)
		}
	}
}
