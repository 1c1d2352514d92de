package test

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/okuri/okuri/internal/smtpsink"
	"github.com/okuri/okuri/internal/testenv"
	"github.com/okuri/okuri/quarantine"
)

// relBackend configures an env for one store backend and returns how the
// test opens that store itself once okuri is stopped.
type relBackend struct {
	name    string
	prepare func(t *testing.T, e *env, tail string) (open func() quarantine.Store)
}

var relBackends = []relBackend{
	{"embedded", func(t *testing.T, e *env, tail string) func() quarantine.Store {
		e.Cfg.Tail = tail
		return func() quarantine.Store { return relOpenEmbedded(t, filepath.Join(e.Cfg.DataDir, "store")) }
	}},
	{"redis", func(t *testing.T, e *env, tail string) func() quarantine.Store {
		r := newRelRedis(t)
		r.start()
		prefix := testenv.UniqueName(t, "crash")
		e.Cfg.Tail = tail + relRedisTail(r.Addr(), prefix)
		return func() quarantine.Store { return relOpenRedis(t, r.Addr(), prefix) }
	}},
}

// TestReliabilityCrash starts the okuri binary, sends held and queued mail
// with several concurrent clients, kills okuri with SIGKILL at random
// moments, restarts it on the same data, and proves that every message
// that got a 250 is present exactly once: delivered once at the upstream
// (queued mail, after the upstream came back) or stored in its hold state
// (held mail) — with the bytes that were sent.
//
// The upstream is down during every kill, so no delivery can be cut
// between the upstream's 250 and recording it (quarantine/doc.go,
// invariant 3: that window redelivers by design). Every message is sent
// once: a client retrying after a lost reply would cause its own
// duplicate.
func TestReliabilityCrash(t *testing.T) {
	for _, b := range relBackends {
		t.Run(b.name, func(t *testing.T) {
			relCrash(t, b)
		})
	}
}

func relCrash(t *testing.T, b relBackend) {
	const (
		rounds  = 5
		clients = 4
	)
	start := time.Now()
	e := newEnv(t)
	open := b.prepare(t, e, relPolicy)
	// A short lease: a message leased by the killed process is taken again
	// when its lease expires. The worker requires the lease to exceed
	// 5×relay.timeout; a relay.timeout much below 2s could expire while a
	// busy (race-instrumented) sink answers DATA, and a retry after such
	// a timeout is the documented duplicate, not a crash's.
	e.Cfg.RelayTimeout = "2s"
	e.Cfg.Queue = "  backoff_base: 200ms\n  backoff_max: 1s\n  lease: 11s"
	upstream := e.Sink.Addr
	e.Sink.Close()

	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 4))
	t.Logf("%s: random seed %d", b.name, seed)
	load := newRelLoad(func(seq int) relKind { return relKind(seq % 2) })
	for round := range rounds {
		p := e.start()
		tc := relClientTLS(t, e.Cfg.DataDir)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		before := relCount(load.results()).Acked
		go func() { load.run(ctx, p.SMTP, tc, clients); close(done) }()
		// Kill at a random moment once mail flows (connecting and AUTH
		// take a while under the race detector), so that every round
		// kills under load.
		relWaitAcked(t, load, before+1, 60*time.Second) // generous: a loaded machine (make test) is slow to start okuri and do TLS+AUTH
		after := time.Duration(rng.IntN(800)) * time.Millisecond
		time.Sleep(after)
		p.relKill()
		cancel()
		<-done
		t.Logf("%s: round %d: SIGKILL %v after the round's first 250; so far %+v", b.name, round, after, relCount(load.results()))
	}

	// The upstream returns; the restarted okuri delivers what was queued.
	e.restartSinkAt(upstream)
	p := e.start()
	res := load.results()
	var wantAtSink []int
	for seq, r := range res {
		if r.Code == 250 && r.How == "queued" {
			wantAtSink = append(wantAtSink, seq)
		}
	}
	relWaitSeqs(t, e.Sink, wantAtSink, 30*time.Second)
	// Give a duplicate the time to show up: the worker retries every second.
	time.Sleep(2 * time.Second)
	p.relStop()

	bodies, temps := -1, -1
	if b.name == "embedded" {
		bodies, temps = relSpoolFiles(t, filepath.Join(e.Cfg.DataDir, "store"))
	}
	st := open()
	if bodies >= 0 {
		bodies += relInline(t, st)
	}
	if records := relRecords(t, st); bodies >= 0 && (bodies != records || temps != 0) {
		// okuri's start after the last kill ran the recovery pass.
		t.Errorf("after the last restart: %d bodies and %d temp files in the spool for %d records", bodies, temps, records)
	}
	inv := relInventory(t, st, res)
	atSink := relSinkCount(t, e.Sink.Messages(), res)
	relCheckExactlyOnce(t, res, inv, atSink, true)
	counts, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts[quarantine.StateQueued] != 0 {
		t.Errorf("%d messages still queued after the upstream returned", counts[quarantine.StateQueued])
	}
	tally := relCount(res)
	t.Logf("%s: %d rounds, %d SIGKILLs, %d messages sent: %d acknowledged (%d held, %d queued), %d without a reply, %d 4xx; %d delivered at the sink; store %v; %v",
		b.name, rounds, rounds, tally.Sent, tally.Acked, tally.Held, tally.Queued, tally.Lost, tally.Temp,
		len(e.Sink.Messages()), counts, time.Since(start).Round(100*time.Millisecond))
}

// relSeqCounts counts messages per X-Test-Seq.
func relSeqCounts(msgs []smtpsink.Message) map[int]int {
	n := map[int]int{}
	for _, m := range msgs {
		if seq, ok := relSeqOf(m.Data); ok {
			n[seq]++
		}
	}
	return n
}

// relCheckExactlyOnce checks every outcome against where the message
// ended: a 250 means exactly once, at the sink (queued, once the upstream
// is back: delivered) or in the store in a hold state (held); a message
// without a 250 may have been stored (its reply was lost in the crash)
// but never twice; nothing is ever at the sink twice.
func relCheckExactlyOnce(t *testing.T, res map[int]relResult, inv map[int][]*quarantine.Message, atSink map[int]int, upstreamBack bool) {
	t.Helper()
	unackedStored := 0
	for seq := range atSink {
		if _, ok := res[seq]; !ok {
			t.Errorf("seq %d at the sink was never sent", seq)
		}
	}
	for seq, r := range res {
		stored, sink := inv[seq], atSink[seq]
		if sink > 1 {
			t.Errorf("seq %d (%s, reply %d %q) delivered %d times", seq, r.Kind, r.Code, r.Text, sink)
		}
		if len(stored) > 1 {
			t.Errorf("seq %d (%s, reply %d %q) stored %d times", seq, r.Kind, r.Code, r.Text, len(stored))
		}
		switch {
		case r.Code == 250 && r.How == "held":
			if len(stored) != 1 || stored[0].ID != r.ID || !(stored[0].State.Held() || stored[0].State == quarantine.StateQuarantined) {
				t.Errorf("seq %d: 250 held as %s, but the store has %s", seq, r.ID, relDescribe(stored))
			}
			if sink != 0 {
				t.Errorf("seq %d: held as %s but delivered %d times", seq, r.ID, sink)
			}
		case r.Code == 250 && r.How == "queued":
			wantSink, wantState := 1, quarantine.StateDelivered
			if !upstreamBack {
				wantSink, wantState = 0, quarantine.StateQueued
			}
			if sink != wantSink {
				t.Errorf("seq %d: 250 queued as %s, delivered %d times", seq, r.ID, sink)
			}
			if len(stored) != 1 || stored[0].ID != r.ID || stored[0].State != wantState {
				t.Errorf("seq %d: 250 queued as %s, but the store has %s", seq, r.ID, relDescribe(stored))
			}
		case r.Code == 250:
			t.Errorf("seq %d: unexpected 250 text %q (the upstream was down)", seq, r.Text)
		case r.Code >= 500:
			t.Errorf("seq %d: permanent failure %d %q", seq, r.Code, r.Text)
		default:
			// No 250: stored or not, but consistent, and never delivered
			// unless it was stored as queued.
			if len(stored) == 1 {
				unackedStored++
				t.Logf("seq %d: stored as %s although the reply was %d %s %q", seq, relDescribe(stored), r.Code, r.Enhanced, r.Text)
				if r.Kind == relQueued && upstreamBack && (stored[0].State != quarantine.StateDelivered || sink != 1) {
					t.Errorf("seq %d: stored without a 250 as %s, delivered %d times", seq, relDescribe(stored), sink)
				}
			}
			if len(stored) == 0 && sink != 0 {
				t.Errorf("seq %d: reply %d %q, not stored, yet delivered %d times", seq, r.Code, r.Text, sink)
			}
		}
	}
	if unackedStored > 0 {
		t.Logf("%d messages were stored although their client got no 250 (reply lost with the process or the connection to Redis); a real client resends them: the duplicate SMTP cannot avoid (RFC 1047)", unackedStored)
	}
}

func relDescribe(ms []*quarantine.Message) string {
	if len(ms) == 0 {
		return "nothing"
	}
	s := ""
	for i, m := range ms {
		if i > 0 {
			s += ", "
		}
		s += m.ID + " " + string(m.State)
	}
	return s
}
