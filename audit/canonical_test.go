package audit

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestCanonicalRFC8785Subset(t *testing.T) {
	in := `{"z":1,"hash":"x","sig":"y","a":{"b":[true,false,null,"\u00e9\n\u001f<>&\u2028"],"a":-5},"\u00e9":0,"\ud83d\ude00":1,"\uffff":2}`
	got, err := Canonical([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	// Members sorted by UTF-16 code units: U+FFFF sorts after the
	// surrogate pair of U+1F600; hash and sig removed; only controls,
	// quote and backslash escaped.
	want := "{\"a\":{\"a\":-5,\"b\":[true,false,null,\"é\\n\\u001f<>&\u2028\"]},\"z\":1,\"é\":0,\"😀\":1,\"\uffff\":2}"
	if string(got) != want {
		t.Errorf("canonical\n got %s\nwant %s", got, want)
	}
	for _, bad := range []string{`{"a":1.5}`, `{"a":1e3}`, `[1]`, `{"a":1} {}`, `{"a":12345678901234567}`} {
		if _, err := Canonical([]byte(bad)); err == nil {
			t.Errorf("Canonical(%s) accepted", bad)
		}
	}
}

func TestCanonicalFastMatchesCanonical(t *testing.T) {
	dl := time.Date(2026, 11, 24, 17, 0, 0, 0, time.FixedZone("JST", 9*3600))
	evs := append(passEvents(),
		Event{Type: TypeMessageSelfChecked, Actor: Actor{Kind: ActorUser, User: "田中", IP: "2001:db8::1"},
			Checked: &SelfCheck{Recipients: []string{"a@b"}, Attachments: []int{0, 2}}, Deadline: &dl,
			Comment: "確認しました <ok> & \"quoted\"\t\x01", Attrs: map[string]string{"b": "1", "a": "2", "é": "3"}},
		Event{Type: TypeAuditEventsLost, Lost: &Lost{Count: 3, ByType: map[string]int{"x.y": 1, "a.b": 2}}},
		Event{Type: TypeMessageRewritten, Rewrite: &Rewrite{Kind: "bcc", Moved: 12}},
		Event{Type: TypeMessageFailed, Upstream: &Upstream{Code: 550, Enhanced: "5.1.1", Reply: "no such user", Refused: 1, Attempt: 3}},
	)
	for i, ev := range evs {
		if err := prepare(&ev); err != nil {
			t.Fatal(err)
		}
		ev.Instance, ev.Seq, ev.Prev = "i", uint64(i+1), strings.Repeat("ab", 32)
		fast, ok, err := canonicalFast(&ev)
		if err != nil || !ok {
			t.Fatalf("event %d: fast path not taken: %v", i, err)
		}
		slow, err := Canonical(fast)
		if err != nil {
			t.Fatal(err)
		}
		if string(fast) != string(slow) {
			t.Errorf("event %d:\nfast %s\nslow %s", i, fast, slow)
		}
	}
	// The cases the fast path must refuse.
	for _, ev := range []Event{
		{Type: "x", Comment: "line\u2028sep"},
		{Type: "x", Comment: "bad \xff utf8"},
		{Type: "x", Attrs: map[string]string{"😀": "1", "\uffff": "2"}},
	} {
		if _, ok, _ := canonicalFast(&ev); ok {
			b, _ := json.Marshal(ev)
			t.Errorf("fast path accepted %s", b)
		}
	}
}

func TestSealedEventVerifies(t *testing.T) {
	p := &publisher{instance: "i"}
	for _, c := range []string{"plain", "line\u2028sep", "bad \xff"} {
		ev := Event{Type: TypeMessageRejected, Comment: c}
		_ = prepare(&ev)
		ev.Instance, ev.Seq = "i", 1
		b, h, err := p.seal(ev)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := HashPayload(b); err != nil || got != h {
			t.Errorf("%q: stored hash %s, recomputed %s (%v)", c, h, got, err)
		}
	}
}

func TestValidType(t *testing.T) {
	for _, ok := range []string{"message.held", "admin.user_created", "ui.login_failed", "gateway.started"} {
		if validType(ok) != nil {
			t.Errorf("%q rejected", ok)
		}
	}
	for _, bad := range []string{"", "message.", ".x", "a..b", "a.*", "a.>", "A.b", "a b"} {
		if validType(bad) == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
