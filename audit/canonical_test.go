package audit

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/internal/smtpcode"
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
		Event{Type: TypeMessageFailed, Upstream: &Upstream{Code: 550, Enhanced: smtpcode.Enhanced{5, 1, 1}, Reply: "no such user", Refused: 1, Attempt: 3}},
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

func TestSealRawMatchesSeal(t *testing.T) {
	pub, priv := testKey(t)
	for _, key := range []ed25519.PrivateKey{nil, priv} {
		p := &publisher{instance: "gw \"1\" <東京>", signKey: key}
		evs := append(passEvents(),
			Event{Type: TypeMessageSelfChecked, Actor: Actor{Kind: ActorUser, User: "田中", IP: "2001:db8::1"},
				Checked: &SelfCheck{Recipients: []string{"a@b"}, Attachments: []int{0, 2}},
				Comment: "確認しました <ok> & \"quoted\"\t\x01 \\ back", Attrs: map[string]string{"b": "1", "a": "2", "é": "3"}},
			Event{Type: TypeAuditEventsLost, Lost: &Lost{Count: 3, ByType: map[string]int{"x.y": 1, "a.b": 2}}},
			Event{Type: TypeMessageFailed, Upstream: &Upstream{Code: 550, Enhanced: smtpcode.Enhanced{5, 1, 1}, Reply: "no such user", Refused: 1, Attempt: 3}},
			Event{Type: TypeConfigReloaded},
		)
		prev := ""
		for i, ev := range evs {
			raw, err := Marshal(ev)
			if err != nil {
				t.Fatal(err)
			}
			fast, h, ok := p.sealRaw(raw, uint64(i+1), prev)
			if !ok {
				t.Fatalf("event %d took the slow path: %s", i, raw)
			}
			dec, _ := Unmarshal(raw)
			dec.Instance, dec.Seq, dec.Prev = p.instance, uint64(i+1), prev
			slow, h2, err := p.seal(dec)
			if err != nil {
				t.Fatal(err)
			}
			if string(fast) != string(slow) || h != h2 {
				t.Errorf("event %d:\nfast %s\nslow %s", i, fast, slow)
			}
			if got, err := HashPayload(fast); err != nil || got != h {
				t.Errorf("event %d: hash does not verify", i)
			}
			if key != nil {
				var s struct{ Hash, Sig string }
				_ = json.Unmarshal(fast, &s)
				if !VerifySig(pub, s.Hash, s.Sig) {
					t.Errorf("event %d: signature does not verify", i)
				}
			}
			prev = h
		}
	}
	p := &publisher{instance: "i"}
	// Unknown members survive the fast path and are covered by the hash.
	raw := []byte(`{"actor":{"kind":"system"},"future_field":{"x":[1,2,{"y":"}"}]},"id":"01ABC","time":"2026-11-24T00:00:00Z","type":"x.y","v":1,"zz":true}`)
	b, h, ok := p.sealRaw(raw, 7, "")
	if !ok || !strings.Contains(string(b), `"future_field":{"x":[1,2,{"y":"}"}]},"hash":"`+h+`","id"`) || !strings.Contains(string(b), `"seq":7,"time"`) {
		t.Errorf("unknown members: ok=%v %s", ok, b)
	}
	if got, _ := HashPayload(b); got != h {
		t.Error("hash with unknown members does not verify")
	}
	// Entries the fast path must refuse.
	for _, raw := range []string{
		`{"id":"1","type":"x","comment":"a\u2028b"}`,
		`{"type":"x","id":"1"}`,              // unsorted
		`{"id":"1", "type":"x"}`,             // whitespace
		`{"id":"1","seq":3,"type":"x"}`,      // already chained
		`{"id":"1","type":"x","c":"😀"}`,      // supplementary
		`{"id":"1","type":"x","c":"\u003c"}`, // HTML escape
		`{"id":"1","type":"x"`,               // broken
		`{"type":"x"}`,                       // no id
	} {
		if _, _, ok := p.sealRaw([]byte(raw), 1, ""); ok {
			t.Errorf("fast path accepted %s", raw)
		}
	}
}

func testKey(t *testing.T) (ed25519.PublicKey, ed25519.PrivateKey) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pub, priv
}
