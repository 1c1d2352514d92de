package auditcli

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	bolt "go.etcd.io/bbolt"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/internal/testenv"
)

// fixture publishes a small realistic history to a fresh stream on the
// test NATS and returns the -nats/-stream flags to read it.
func fixture(t *testing.T) []string {
	t.Helper()
	url := testenv.NATSURL(t)
	stream := testenv.UniqueName(t, "auditcli")
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	js, _ := jetstream.New(nc)
	t.Cleanup(func() {
		_ = js.DeleteStream(context.Background(), stream)
		nc.Close()
	})
	db, err := bolt.Open(filepath.Join(t.TempDir(), "s.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ob, err := audit.NewBoltOutbox(db, audit.OutboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	l, err := audit.Open(context.Background(), audit.Options{NATSURL: url, Stream: stream, Instance: "cli-1",
		SubjectHMACKey: []byte("k"), PollInterval: 10 * time.Millisecond}, ob, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	user := audit.Actor{Kind: audit.ActorUser, User: "suzuki", IP: "192.0.2.7"}
	evs := []audit.Event{
		{Type: audit.TypeMessageReceived, MessageID: "m1", Sender: "tanaka@agency.example.jp", Recipients: []string{"c@example.com"},
			Subject: &audit.Subject{Text: "顧客リスト送付の件"}},
		{Type: audit.TypeMessageDecided, MessageID: "m1", Decision: "approval", Rule: "pii-attachment-external",
			Findings: map[string]int{"name": 120, "phone": 118}},
		{Type: audit.TypeMessageHeld, MessageID: "m1", State: "held_approval", Reason: "personal_data"},
		{Type: audit.TypeMessageApproved, MessageID: "m1", Actor: user, PrevState: "held_approval", State: "queued"},
		{Type: audit.TypeMessageRewritten, MessageID: "m1", Rewrite: &audit.Rewrite{Kind: "bcc", Moved: 3}},
		{Type: audit.TypeMessageDelivered, MessageID: "m1", Upstream: &audit.Upstream{Code: 250, Accepted: 1}},
		{Type: audit.TypeMessageHeld, MessageID: "m2", State: "quarantined", Decision: "quarantine"},
		{Type: audit.TypeMessageRejected, MessageID: "m3", Actor: user, PrevState: "held_approval", State: "rejected", Comment: "宛先違い"},
		{Type: audit.TypeUILogin, Actor: user},
	}
	if err := l.Emit(context.Background(), evs...); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		n, err := l.Pending(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d events not published", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
	l.Close(context.Background())
	return []string{"-nats", url, "-stream", stream}
}

func run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(args, &out, &errb)
	return code, out.String() + errb.String()
}

func TestCLI(t *testing.T) {
	src := fixture(t)
	dir := t.TempDir()

	code, out := run(t, append([]string{"verify"}, src...)...)
	if code != 0 || !strings.Contains(out, "seq 1..10") || !strings.Contains(out, "OK") {
		t.Fatalf("verify stream: %d\n%s", code, out)
	}

	code, out = run(t, append([]string{"tail", "-since", "1h", "-type", "message.held"}, src...)...)
	if code != 0 || strings.Count(out, "保留 / held") != 2 || strings.Contains(out, "受信") {
		t.Errorf("tail -type message.held: %d\n%s", code, out)
	}
	if strings.Contains(out, "顧客リスト") {
		t.Error("subject text leaked although the policy is hash")
	}

	export := filepath.Join(dir, "export.jsonl")
	if code, out = run(t, append([]string{"export", "-since", "1h", "-o", export}, src...)...); code != 0 {
		t.Fatalf("export: %s", out)
	}
	if code, out = run(t, "verify", "-file", export); code != 0 {
		t.Fatalf("verify export: %d\n%s", code, out)
	}
	lines := strings.Split(strings.TrimSpace(readFile(t, export)), "\n")
	if len(lines) != 10 {
		t.Fatalf("export has %d lines, want 10", len(lines))
	}
	// Altered: an approval turned into … another approver.
	altered := append([]string(nil), lines...)
	altered[4] = strings.Replace(altered[4], `"user":"suzuki"`, `"user":"sato"`, 1)
	f := filepath.Join(dir, "altered.jsonl")
	os.WriteFile(f, []byte(strings.Join(altered, "\n")+"\n"), 0o600)
	code, out = run(t, "verify", "-file", f)
	if code != 1 || !strings.Contains(out, "hash_mismatch instance=cli-1 seq=5") {
		t.Errorf("verify altered export: %d\n%s", code, out)
	}
	// Deleted: drop seq 7.
	deleted := append(append([]string(nil), lines[:6]...), lines[7:]...)
	os.WriteFile(f, []byte(strings.Join(deleted, "\n")+"\n"), 0o600)
	code, out = run(t, "verify", "-file", f)
	if code != 1 || !strings.Contains(out, "gap instance=cli-1 seq=7") {
		t.Errorf("verify export with a deleted event: %d\n%s", code, out)
	}

	code, out = run(t, append([]string{"export", "-since", "1h", "-format", "csv"}, src...)...)
	if code != 0 || !strings.HasPrefix(out, "\ufeff日時 / time [") || strings.Count(out, "\r\n") != 11 {
		t.Errorf("csv export: %d\n%s", code, out)
	}

	month := time.Now().In(mustZone(t, "Asia/Tokyo")).Format("2006-01")
	code, out = run(t, append([]string{"report", "-month", month}, src...)...)
	for _, want := range []string{"保留,held messages,2,", "隔離,quarantined,1,", "上長承認,supervisor approvals,1,",
		"却下（承認者）,rejected by approvers,1,", "BCC変換,forced BCC,1,", "送信完了,delivered,1,"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	code, out = run(t, append([]string{"report", "-month", month, "-format", "html"}, src...)...)
	if code != 0 || !strings.Contains(out, "<td>上長承認</td><td>supervisor approvals</td><td class=\"n\">1</td>") {
		t.Errorf("html report: %d\n%s", code, out)
	}
}

func TestUsageErrors(t *testing.T) {
	if code, _ := run(t); code != 2 {
		t.Error("no args")
	}
	if code, _ := run(t, "bogus"); code != 2 {
		t.Error("unknown command")
	}
	if code, out := run(t, "export", "-format", "xml", "-since", "1d"); code != 2 || !strings.Contains(out, "xml") {
		t.Error("bad format accepted")
	}
	if code, _ := run(t, "verify", "-nats", "nats://127.0.0.1:1"); code != 2 {
		t.Error("unreachable NATS is not exit 2")
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	jst := mustZone(t, "Asia/Tokyo")
	for in, want := range map[string]time.Time{
		"7d":         now.AddDate(0, 0, -7),
		"90m":        now.Add(-90 * time.Minute),
		"2026-11-01": time.Date(2026, 11, 1, 0, 0, 0, 0, jst),
	} {
		got, err := parseWhen(in, now, jst)
		if err != nil || !got.Equal(want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := parseWhen("yesterday", now, jst); err == nil {
		t.Error("parseWhen accepted nonsense")
	}
}

func readFile(t *testing.T, p string) string {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// The embedded default has no TCP port: the CLI reads the store of a
// stopped gateway with -data, and refuses while the gateway holds it.
func TestCLIEmbeddedStore(t *testing.T) {
	dir := t.TempDir()
	db, err := bolt.Open(filepath.Join(dir, "s.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ob, err := audit.NewBoltOutbox(db, audit.OutboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	l, err := audit.Open(context.Background(), audit.Options{DataDir: dir, Instance: "emb-1", PollInterval: 10 * time.Millisecond}, ob, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Emit(context.Background(), audit.Event{Type: audit.TypeGatewayStarted}, audit.Event{Type: audit.TypeUILogin}); err != nil {
		t.Fatal(err)
	}
	for n := 1; n > 0; n, _ = l.Pending(context.Background()) {
		time.Sleep(10 * time.Millisecond)
	}
	if code, out := run(t, "verify", "-data", dir); code != 2 || !strings.Contains(out, "in use") {
		t.Errorf("verify -data while the gateway runs: %d %s", code, out)
	}
	l.Close(context.Background())
	code, out := run(t, "verify", "-data", dir)
	if code != 0 || !strings.Contains(out, "instance emb-1: seq 1..3") {
		t.Errorf("verify -data: %d\n%s", code, out)
	}
}

// With the example config (audit.embedded_listen on loopback) the CLI
// reads the running gateway's stream over the listener, and the on-disk
// store once the gateway stopped; without a listener, reading a running
// gateway's store fails with an error that says what to do.
func TestCLIEmbeddedListenThenStore(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := ln.Addr().String()
	ln.Close()
	db, err := bolt.Open(filepath.Join(dir, "s.db"), 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ob, err := audit.NewBoltOutbox(db, audit.OutboxOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer ob.Close()
	l, err := audit.Open(context.Background(), audit.Options{DataDir: dir, EmbeddedListen: listen, Instance: "emb-2",
		PollInterval: 10 * time.Millisecond}, ob, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Emit(context.Background(), audit.Event{Type: audit.TypeGatewayStarted}, audit.Event{Type: audit.TypeUILogin}); err != nil {
		t.Fatal(err)
	}
	for n := 1; n > 0; n, _ = l.Pending(context.Background()) {
		time.Sleep(10 * time.Millisecond)
	}
	src := []string{"-nats", "nats://" + listen, "-or-data", dir, "-nats-token-file", audit.EmbeddedTokenFile(dir)}
	code, out := run(t, append([]string{"verify"}, src...)...)
	if code != 0 || !strings.Contains(out, "instance emb-2: seq 1..3") {
		t.Errorf("verify while running, through the listener: %d\n%s", code, out)
	}
	code, out = run(t, "verify", "-nats", "nats://"+listen)
	if code != 2 || !strings.Contains(out, "-nats-token-file") {
		t.Errorf("verify through the listener without the token: %d, want 2 and what to do:\n%s", code, out)
	}
	code, out = run(t, "verify", "-data", dir)
	if code != 2 || !strings.Contains(out, "audit.embedded_listen") || !strings.Contains(out, "stop okuri") {
		t.Errorf("verify -data while running: %d, want 2 and what to do:\n%s", code, out)
	}
	l.Close(context.Background())

	code, out = run(t, append([]string{"verify"}, src...)...)
	if code != 0 || !strings.Contains(out, "instance emb-2: seq 1..3") {
		t.Errorf("verify after the gateway stopped, from the store: %d\n%s", code, out)
	}
	code, out = run(t, "tail", "-since", "1h", "-nats", "nats://"+listen)
	if code != 2 || !strings.Contains(out, "-data") {
		t.Errorf("tail with nothing listening and no store: %d, want 2 and what to do:\n%s", code, out)
	}
}
