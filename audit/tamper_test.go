package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// publishN runs a Log against the external NATS until n mail events are
// in the stream, then closes it.
func publishN(t *testing.T, opts Options, n int) {
	t.Helper()
	ob := newBoltOutbox(t, openBolt(t), OutboxOptions{})
	l, err := Open(context.Background(), fastOptions(opts), ob, nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Emit(context.Background(), mailEvents(n, "m")...); err != nil {
		t.Fatal(err)
	}
	waitDrained(t, ob, 20*time.Second)
	l.Close(context.Background())
}

func findProblem(rep Report, kind string, seq uint64) *Problem {
	for i, p := range rep.Problems {
		if p.Kind == kind && p.Seq == seq {
			return &rep.Problems[i]
		}
	}
	return nil
}

func TestVerifyDetectsDeletedAndAlteredEvents(t *testing.T) {
	url, js, stream := externalJS(t)
	publishN(t, Options{NATSURL: url, Stream: stream, AllowDelete: true}, 10)
	ctx := context.Background()

	msgs := readAll(t, js, stream)
	if rep := verifyMsgs(msgs); !rep.OK() || len(rep.Instances) != 1 || rep.Instances[0].Last != 11 {
		t.Fatalf("untampered stream: %+v", rep)
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	// seq 1 is the chain start, so event seq k is stream message k.
	// Delete seq 4.
	if err := s.DeleteMsg(ctx, 4); err != nil {
		t.Fatal(err)
	}
	// Alter seq 7: change its decision, keep its hash; re-publish and
	// delete the original.
	alter := func(seq uint64, rehash bool) {
		var m map[string]any
		if err := json.Unmarshal(msgs[seq-1].data, &m); err != nil {
			t.Fatal(err)
		}
		m["decision"] = "reject"
		b, _ := json.Marshal(m)
		if rehash {
			h, err := HashPayload(b)
			if err != nil {
				t.Fatal(err)
			}
			m["hash"] = h
			b, _ = json.Marshal(m)
		}
		if _, err := js.PublishMsg(ctx, &nats.Msg{Subject: SubjectName(TypeMessageDelivered), Data: b}); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteMsg(ctx, seq); err != nil {
			t.Fatal(err)
		}
	}
	alter(7, false)
	alter(9, true) // forger recomputes the hash: the next link breaks

	rep := verifyMsgs(readAll(t, js, stream))
	if rep.OK() {
		t.Fatal("verify passed on a tampered stream")
	}
	for _, p := range rep.Problems {
		t.Logf("problem: %s", p)
	}
	if p := findProblem(rep, ProblemGap, 4); p == nil || !strings.Contains(p.Detail, "seq 4 ") {
		t.Error("deleted seq 4 not reported as a gap")
	}
	if p := findProblem(rep, ProblemHashMismatch, 7); p == nil || p.EventID != msgs[6].ev.ID {
		t.Error("altered seq 7 not reported as hash mismatch with its id")
	}
	if findProblem(rep, ProblemBrokenLink, 10) == nil {
		t.Error("re-hashed seq 9 not detected by the broken link at seq 10")
	}
	if !hasStreamGap(rep, 4) {
		t.Error("stream deletion at stream seq 4 not reported")
	}
}

func TestStreamDeniesDeleteByDefault(t *testing.T) {
	url, js, stream := externalJS(t)
	publishN(t, Options{NATSURL: url, Stream: stream}, 2)
	s, err := js.Stream(context.Background(), stream)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteMsg(context.Background(), 2); err == nil {
		t.Error("deleting an audit event succeeded on the default stream")
	}
	if err := s.Purge(context.Background()); err == nil {
		t.Error("purging the default stream succeeded")
	}
	info, err := s.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	c := info.Config
	if c.Storage != jetstream.FileStorage || c.MaxAge != 400*24*time.Hour || c.Replicas != 1 ||
		c.Duplicates != 20*time.Minute || len(c.Subjects) != 1 || c.Subjects[0] != "okuri.audit.>" {
		t.Errorf("stream config %+v", c)
	}
}

func TestSignedChainAndForgedSignature(t *testing.T) {
	url, js, stream := externalJS(t)
	pub, priv, _ := ed25519.GenerateKey(rand.Reader)
	keyFile := writeKey(t, priv)
	publishN(t, Options{NATSURL: url, Stream: stream, SigningKeyFile: keyFile}, 3)
	msgs := readAll(t, js, stream)
	v := NewVerifier(pub)
	for _, m := range msgs {
		v.Add(m.sseq, m.data)
	}
	if rep := v.Report(); !rep.OK() {
		t.Fatalf("signed chain does not verify: %v", rep.Problems)
	}
	other, _, _ := ed25519.GenerateKey(rand.Reader)
	v = NewVerifier(other)
	for _, m := range msgs {
		v.Add(m.sseq, m.data)
	}
	rep := v.Report()
	if findProblem(rep, ProblemBadSignature, 2) == nil {
		t.Errorf("wrong public key not reported: %v", rep.Problems)
	}
}

func hasStreamGap(rep Report, sseq uint64) bool {
	for _, p := range rep.Problems {
		if p.Kind == ProblemStreamGap && p.StreamSeq == sseq {
			return true
		}
	}
	return false
}
