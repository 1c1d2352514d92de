package auditcli

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/audit"
)

// novemberEvents is a month at an agency as okuri records it: holds of
// every kind, an approval and a rejection, a "send now", a delayed send
// that went out at its time, a release from quarantine, forced BCC on a
// message passed directly and on one approved first, okuri's own notices
// and a DSN, and events on both sides of the month's edges in Tokyo.
func novemberEvents(t *testing.T) []audit.Event {
	t.Helper()
	jst := mustZone(t, "Asia/Tokyo")
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, jst)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	sender := audit.Actor{Kind: audit.ActorUser, User: "tanaka", IP: "192.0.2.10"}
	suzuki := audit.Actor{Kind: audit.ActorUser, User: "suzuki", IP: "192.0.2.7"}
	sato := audit.Actor{Kind: audit.ActorUser, User: "sato", IP: "192.0.2.8"}
	yamada := audit.Actor{Kind: audit.ActorUser, User: "yamada", IP: "192.0.2.9"}
	bcc := &audit.Rewrite{Kind: "bcc"}
	ev := func(when, typ, id string, e audit.Event) audit.Event {
		e.Time, e.Type, e.MessageID = at(when), typ, id
		if e.Actor.Kind == "" {
			e.Actor = audit.System
		}
		if e.Sender == "" && !strings.HasPrefix(id, "n") {
			e.Sender = "tanaka@agency.example.jp"
		}
		return e
	}
	deliveredTo := func(when, id, decision string) audit.Event {
		return ev(when, audit.TypeMessageDelivered, id, audit.Event{Decision: decision, Recipients: []string{"c@example.com"},
			Upstream: &audit.Upstream{Code: 250, Accepted: 1}})
	}
	return []audit.Event{
		// Held for approval on the last evening of October, rejected by
		// sato after midnight (Tokyo): the rejection is November's.
		ev("2026-10-31 23:00", audit.TypeMessageDecided, "m6", audit.Event{Decision: "hold_approval", Rule: "pii-attachment-external"}),
		ev("2026-10-31 23:00", audit.TypeMessageHeld, "m6", audit.Event{State: "held_approval", Rule: "pii-attachment-external"}),
		ev("2026-11-01 01:00", audit.TypeMessageRejected, "m6", audit.Event{Actor: sato, PrevState: "held_approval", State: "rejected", Comment: "添付ファイル違い"}),

		// Approved after 20 minutes, delivered with forced BCC by the worker.
		ev("2026-11-02 09:00", audit.TypeMessageDecided, "m1", audit.Event{Decision: "hold_approval", Rule: "pii-attachment-external", Rewrite: bcc}),
		ev("2026-11-02 09:00", audit.TypeMessageHeld, "m1", audit.Event{State: "held_approval", Rule: "pii-attachment-external"}),
		ev("2026-11-02 09:20", audit.TypeMessageApproved, "m1", audit.Event{Actor: suzuki, PrevState: "held_approval", State: "queued", Comment: "宛先確認済み"}),
		ev("2026-11-02 09:21", audit.TypeMessageDelivered, "m1", audit.Event{Decision: "hold_approval", Recipients: []string{"a@example.com", "b@example.com"},
			Upstream: &audit.Upstream{Code: 250, Accepted: 2}}),
		ev("2026-11-02 09:21", audit.TypeMessageQueued, "n1", audit.Event{Decision: "notice", Recipients: []string{"tanaka@agency.example.jp"}}),
		deliveredTo("2026-11-02 09:22", "n1", "notice"),

		// Passed with forced BCC directly (gateway path).
		ev("2026-11-04 14:00", audit.TypeMessageDecided, "m2", audit.Event{Decision: "pass", Rule: "bcc-many-external", Rewrite: bcc}),
		ev("2026-11-04 14:00", audit.TypeMessageRewritten, "m2", audit.Event{Rule: "bcc-many-external", Rewrite: &audit.Rewrite{Kind: "bcc", Parts: 1}}),
		deliveredTo("2026-11-04 14:00", "m2", ""),

		// Delayed send: the sender pressed "send now".
		ev("2026-11-10 10:00", audit.TypeMessageHeld, "m3", audit.Event{State: "held_delay", Rule: "delay-external"}),
		ev("2026-11-10 10:01", audit.TypeMessageReleased, "m3", audit.Event{Actor: sender, PrevState: "held_delay", State: "queued"}),
		deliveredTo("2026-11-10 10:01", "m3", "delay"),

		// Delayed send that went out when its time was up.
		ev("2026-11-11 10:00", audit.TypeMessageHeld, "m4", audit.Event{State: "held_delay", Rule: "delay-external"}),
		ev("2026-11-11 10:05", audit.TypeMessageReleased, "m4", audit.Event{PrevState: "held_delay", State: "queued", Comment: "hold deadline passed"}),
		deliveredTo("2026-11-11 10:05", "m4", "delay"),

		// Quarantined, released by the security team, then a self-check.
		ev("2026-11-17 16:00", audit.TypeMessageHeld, "m5", audit.Event{State: "quarantined", Decision: "quarantine"}),
		ev("2026-11-18 11:00", audit.TypeMessageReleased, "m5", audit.Event{Actor: yamada, PrevState: "quarantined", State: "queued", Comment: "誤検知"}),
		deliveredTo("2026-11-18 11:01", "m5", "quarantine"),
		ev("2026-11-19 08:00", audit.TypeMessageHeld, "m8", audit.Event{State: "held_selfcheck"}),
		ev("2026-11-19 08:03", audit.TypeMessageSelfChecked, "m8", audit.Event{Actor: sender, PrevState: "held_selfcheck", State: "queued"}),
		deliveredTo("2026-11-19 08:03", "m8", "hold_selfcheck"),
		ev("2026-11-19 08:03", audit.TypeMessageDelivered, "n2", audit.Event{Decision: "notice", Upstream: &audit.Upstream{Code: 250, Accepted: 1}}),
		ev("2026-11-20 08:03", audit.TypeMessageDelivered, "n3", audit.Event{Decision: "notice", Upstream: &audit.Upstream{Code: 250, Accepted: 1}}),
		ev("2026-11-21 08:03", audit.TypeMessageDelivered, "n4", audit.Event{Decision: "dsn", Upstream: &audit.Upstream{Code: 250, Accepted: 1}}),

		// Late on the 30th in Tokyo (14:30 UTC): November. Ten past
		// midnight on 1 December in Tokyo (still 30 November in UTC): not.
		ev("2026-11-30 23:30", audit.TypeMessageHeld, "m7", audit.Event{State: "held_approval"}),
		ev("2026-12-01 00:10", audit.TypeMessageApproved, "m7", audit.Event{Actor: suzuki, PrevState: "held_approval", State: "queued"}),
		ev("2026-12-01 00:10", audit.TypeMessageHeld, "m9", audit.Event{State: "held_approval"}),
	}
}

func buildNovember(t *testing.T) *Report {
	t.Helper()
	evs := novemberEvents(t)
	rep, err := BuildReport("2026-11", mustZone(t, "Asia/Tokyo"), func(fn func(audit.Event)) error {
		for _, ev := range evs {
			fn(ev)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestReportCounts(t *testing.T) {
	rep := buildNovember(t)
	want := map[string]int{
		"holds": 6, "quarantines": 1, "selfchecks": 1, "approvals": 1, "rejections": 1,
		"releases": 1, "send_now": 1, "delay_elapsed": 1,
		"bcc_rewrites": 2, // m2 passed directly, m1 approved first
		"deliveries":   6, // m1 m2 m3 m4 m5 m8; not the notices
		"notices":      4, // n1–n3 and the DSN n4
	}
	for k, n := range want {
		if rep.Counts[k] != n {
			t.Errorf("%s = %d, want %d", k, rep.Counts[k], n)
		}
	}
	if rep.Zone != "JST (UTC+09:00)" {
		t.Errorf("zone label %q", rep.Zone)
	}
	got := map[string]ApproverLine{}
	for _, a := range rep.Approvers {
		got[a.User] = a
	}
	if a := got["suzuki"]; a.Approved != 1 || a.Rejected != 0 || a.Median != "20m" {
		t.Errorf("suzuki: %+v, want 1 approval after 20m (the one after midnight is December's)", a)
	}
	if a := got["sato"]; a.Rejected != 1 || a.Median != "2h00m" {
		t.Errorf("sato: %+v, want 1 rejection after 2h00m (held in October)", a)
	}
	if a := got["yamada"]; a.Released != 1 {
		t.Errorf("yamada: %+v, want 1 release from quarantine", a)
	}
	if _, ok := got["tanaka"]; ok {
		t.Error("the sender's own send now / self-check is in the approver breakdown")
	}
	// Weeks start on Monday (Tokyo): 10-26 (1 Nov is a Sunday), 11-02, …, 11-30.
	weeks := map[string]map[string]int{}
	for _, w := range rep.Weeks {
		weeks[w.Start] = w.ByKind
	}
	for start, kinds := range map[string]map[string]int{
		"2026-11-02": {"held_approval": 1}, "2026-11-09": {"held_delay": 2},
		"2026-11-16": {"quarantined": 1, "held_selfcheck": 1}, "2026-11-30": {"held_approval": 1},
	} {
		for k, n := range kinds {
			if weeks[start][k] != n {
				t.Errorf("week of %s: %s = %d, want %d (weeks %v)", start, k, weeks[start][k], n, weeks)
			}
		}
	}
	var lat []int
	for _, b := range rep.Latency {
		lat = append(lat, b.Count)
	}
	// ≤5m, ≤15m, ≤1h, ≤4h, ≤24h, more: 20m and 2h.
	if want := []int{0, 0, 1, 1, 0, 0}; !equalInts(lat, want) {
		t.Errorf("approval latency buckets %v, want %v", lat, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// The CLI on an export file: CSV and HTML report, CSV export with the
// comment column, labels telling "send now" from a release, one zone.
func TestReportAndExportFromFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "nov.jsonl")
	var b strings.Builder
	for _, ev := range novemberEvents(t) {
		js, err := json.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(js)
		b.WriteByte('\n')
	}
	if err := os.WriteFile(f, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("OKURI_TZ", "")

	code, out := run(t, "report", "-month", "2026-11", "-file", f)
	for _, want := range []string{"今すぐ送信,send now,1,", "解放（隔離から送信）,released from quarantine,1,",
		"BCC変換,forced BCC,2,", "送信完了,delivered,6,", "okuriからの通知メール,notices sent by okuri,4,",
		"承認者 / approver,suzuki,", "JST (UTC+09:00)"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("csv report lacks %q (exit %d):\n%s", want, code, out)
		}
	}
	code, out = run(t, "report", "-month", "2026-11", "-format", "html", "-file", f)
	out = html.UnescapeString(out)
	for _, want := range []string{"<svg", "週 / week of 2026-11-09", "上長承認", "15分–1時間 / 15m–1h",
		"<td>suzuki</td>", "JST (UTC+09:00)"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("html report lacks %q (exit %d)", want, code)
		}
	}
	if strings.Contains(out, "<script") {
		t.Error("html report uses script")
	}

	code, out = run(t, "export", "-since", "2026-11-01", "-until", "2026-12-01", "-format", "csv", "-file", f)
	if code != 0 {
		t.Fatalf("export: %s", out)
	}
	for _, want := range []string{"日時 / time [JST (UTC+09:00)]", "コメント / comment", "宛先確認済み", "今すぐ送信 / send now",
		"解放（隔離から送信） / released from quarantine", "一時保留の期限で送信 / delayed send sent", "2026-11-01 01:00:00"} {
		if !strings.Contains(out, want) {
			t.Errorf("csv export lacks %q:\n%s", want, out)
		}
	}
	code, out = run(t, "tail", "-since", "2026-11-10", "-type", "message.released", "-file", f)
	if code != 0 || !strings.Contains(out, "2026-11-10 10:01:00 JST  今すぐ送信 / send now") {
		t.Errorf("tail: %d\n%s", code, out)
	}
}
