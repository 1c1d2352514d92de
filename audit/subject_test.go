package audit

import (
	"context"
	"strings"
	"testing"
)

func TestSubjectPolicy(t *testing.T) {
	ob := newBoltOutbox(t, openBolt(t), OutboxOptions{})
	for _, tc := range []struct {
		policy   string
		wantText bool
		wantNil  bool
	}{{SubjectHash, false, false}, {SubjectText, true, false}, {SubjectOmit, false, true}} {
		l := &Log{opts: Options{SubjectPolicy: tc.policy}, hmacKey: []byte("k"), outbox: ob}
		evs := []Event{{Type: TypeMessageReceived, Subject: &Subject{Text: "顧客リスト 山田太郎様"}}}
		if err := l.Emit(context.Background(), evs...); err != nil {
			t.Fatal(err)
		}
		if evs[0].Subject.Text == "" {
			t.Errorf("%s: Emit modified the caller's event", tc.policy)
		}
		raws, _ := ob.raw(context.Background(), 100)
		got, _ := Unmarshal(raws[len(raws)-1])
		switch {
		case tc.wantNil:
			if got.Subject != nil {
				t.Errorf("omit: subject %+v recorded", got.Subject)
			}
		case tc.wantText:
			if got.Subject.Text != "顧客リスト 山田太郎様" || got.Subject.Len != 11 {
				t.Errorf("text: %+v", got.Subject)
			}
		default:
			if strings.Contains(string(raws[len(raws)-1]), "山田") || len(got.Subject.HMAC) != 32 || got.Subject.Len != 11 {
				t.Errorf("hash: %s", raws[len(raws)-1])
			}
			if l.Subject("顧客リスト 山田太郎様").HMAC != got.Subject.HMAC || l.Subject("other").HMAC == got.Subject.HMAC {
				t.Error("hash is not a stable keyed hash of the subject")
			}
		}
	}
}
