package test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/okuri/okuri/internal/testenv"
	"github.com/okuri/okuri/quarantine"
)

// relFull is a store that fills up at a small size.
type relFull struct {
	what string
	grow func() // makes room again, without restarting okuri
	// spool counts stored bodies and leftovers of writes in progress
	// (temp files, temp keys); called while the store is closed.
	spool func() (bodies, temps int)
	open  func() quarantine.Store // the store, from the test process
}

var relFullStores = []struct {
	name  string
	setup func(t *testing.T, e *env) relFull
}{
	{"embedded", func(t *testing.T, e *env) relFull {
		dir := testenv.MountTmpfs(t, "2m")
		e.Cfg.Tail = relPolicy + "store:\n  path: " + dir + "\n"
		return relFull{
			what:  "2 MB tmpfs",
			grow:  func() { testenv.ResizeTmpfs(t, dir, "8m") },
			spool: func() (int, int) { return relSpoolFiles(t, dir) },
			open:  func() quarantine.Store { return relOpenEmbedded(t, dir) },
		}
	}},
	// Redis "full" is maxmemory with noeviction: writes fail with OOM,
	// which the store maps to ErrStorageFull too.
	{"redis", func(t *testing.T, e *env) relFull {
		r := newRelRedis(t)
		r.Args = []string{"--maxmemory", "4mb", "--maxmemory-policy", "noeviction"}
		r.start()
		prefix := testenv.UniqueName(t, "full")
		e.Cfg.Tail = relPolicy + relRedisTail(r.Addr(), prefix)
		rdb := redis.NewClient(&redis.Options{Addr: r.Addr()})
		t.Cleanup(func() { rdb.Close() })
		ctx := context.Background()
		count := func(pattern string) int {
			keys, err := rdb.Keys(ctx, prefix+":q:"+pattern).Result()
			if err != nil {
				t.Fatal(err)
			}
			return len(keys)
		}
		return relFull{
			what: "4 MB maxmemory Redis",
			grow: func() {
				if err := rdb.ConfigSet(ctx, "maxmemory", "0").Err(); err != nil {
					t.Fatal(err)
				}
			},
			spool: func() (int, int) { return count("b:*"), count("tmp:*") },
			open:  func() quarantine.Store { return relOpenRedis(t, r.Addr(), prefix) },
		}
	}},
}

// TestReliabilityDiskFull fills the store with held and queued mail: the
// embedded backend on a 2 MB tmpfs (the spool and the bbolt file on it),
// and the Redis backend at its maxmemory. Every message that does not fit
// gets 452 4.3.1 (never a 250, never a 451 that would hide the cause),
// okuri keeps running, accepts mail again as soon as there is room (no
// restart), and the store is intact: it opens, every acknowledged message
// is there once with its bytes, no refused message left a record, a body
// or a temporary file/key behind, and okuri starts again on it.
func TestReliabilityDiskFull(t *testing.T) {
	for _, tc := range relFullStores {
		t.Run(tc.name, func(t *testing.T) {
			relDiskFull(t, tc.setup)
		})
	}
}

func relDiskFull(t *testing.T, setup func(t *testing.T, e *env) relFull) {
	start := time.Now()
	e := newEnv(t)
	full := setup(t, e)
	e.Sink.Close() // passing mail is queued: it needs the store too
	p := e.start()
	tc := relClientTLS(t, e.Cfg.DataDir)
	c, err := relDial(p.SMTP, tc)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	load := newRelLoad(func(seq int) relKind { return relKind(seq % 2) })
	wrong := map[string][]int{} // replies other than 250 and 452 4.3.1
	send := func(seq int) relResult {
		t.Helper()
		r, broken := relSend(c, seq, relKind(seq%2))
		load.record(r)
		if broken {
			t.Fatalf("seq %d: connection broke: %+v", seq, r)
		}
		if r.Code != 250 && !(r.Code == 452 && r.Enhanced == "4.3.1") {
			reply := fmt.Sprintf("%d %s %s", r.Code, r.Enhanced, strings.SplitN(r.Text, " (ref", 2)[0])
			wrong[reply] = append(wrong[reply], seq)
		}
		return r
	}
	defer func() {
		for reply, seqs := range wrong {
			t.Errorf("%d messages refused for lack of room got %q instead of 452 4.3.1 (seq %v…)", len(seqs), reply, seqs[0])
		}
	}()
	large, small := relFill(t, send, full.what)
	if p.relExited() {
		t.Fatalf("okuri died when the store filled: %v", p.exitErr)
	}

	// Room comes back: okuri takes mail again without a restart.
	full.grow()
	for seq := 5000; seq < 5004; seq++ {
		if r := send(seq); r.Code != 250 {
			t.Fatalf("after room was made: seq %d got %d %q", seq, r.Code, r.Text)
		}
	}
	c.Quit()
	// Where the room ran out: writing a body, committing the database
	// (bbolt growing its file), or Redis refusing a write (OOM).
	logs := p.logs.String()
	inBody, inDB, oom := strings.Count(logs, "write body: "), strings.Count(logs, "okuri.db: no space left"), strings.Count(logs, "OOM command not allowed")
	p.relStop()

	res := load.results()
	// Counted before the store is opened again: a refused write must
	// clean up after itself, not wait for the next start's recovery.
	bodies, temps := full.spool()
	st := full.open()
	inv := relInventory(t, st, res)
	relCheckExactlyOnce(t, res, inv, nil, false)
	for _, r := range res {
		if r.Code == 452 && len(inv[r.Seq]) != 0 {
			t.Errorf("seq %d got 452 but is stored as %s", r.Seq, relDescribe(inv[r.Seq]))
		}
	}
	bodies += relInline(t, st) // inline bodies commit with their record: nothing to clean up
	if records := relRecords(t, st); bodies != records || temps != 0 {
		t.Errorf("%d bodies and %d temporary files/keys for %d records: a refused message left something behind, or a record lost its body", bodies, temps, records)
	}
	tally := relCount(res)
	st.Close()

	// okuri starts again on the store and takes mail.
	p = e.start()
	c, err = relDial(p.SMTP, tc)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := relSend(c, 6001, relHeld); r.Code != 250 {
		t.Fatalf("after restart: %d %q", r.Code, r.Text)
	}
	t.Logf("%s: %d large and %d small messages stored before it was full; %d messages sent, %d acknowledged, %d answered 452 4.3.1 (replies %v; out of room writing a body %d times, committing bbolt %d times, Redis OOM %d times); after making room 250 again; %v",
		full.what, large, small, tally.Sent, tally.Acked, tally.Codes[452], tally.Codes, inBody, inDB, oom, time.Since(start).Round(100*time.Millisecond))
}

// relFill sends large messages (every 10th seq is 300 KB) until the store
// is full, then small ones (2 KB) into what is left, until 8 did not fit:
// the last writes hit the database's own growth. It returns how many of
// each were stored.
func relFill(t *testing.T, send func(seq int) relResult, what string) (large, small int) {
	t.Helper()
	refused := 0
	for seq := 10; seq <= 400 && refused == 0; seq += 10 {
		if send(seq).Code == 250 {
			large++
		} else {
			refused++
		}
	}
	if refused == 0 {
		t.Fatalf("the %s never filled with 300 KB messages", what)
	}
	for seq := 1001; seq < 4000 && refused < 8; seq++ {
		if seq%10 == 0 {
			continue
		}
		if send(seq).Code == 250 {
			small++
		} else {
			refused++
		}
	}
	if refused < 8 {
		t.Fatal("small messages never stopped fitting")
	}
	return large, small
}

// TestReliabilityFullStorePartialDelivery: with the store full, a passing
// message whose upstream accepts one recipient and defers the other must
// not get a 250 unless the deferred copy is stored (DESIGN: "Never answer
// 250 for something that is neither delivered nor durably stored"). Since
// c4126a4 the gateway answers 4xx: the client resends, and the recipient
// who already has it gets it twice — a duplicate beats a loss (RFC 5321
// §6.1). Before, the deferred recipient was silently dropped after a 250.
func TestReliabilityFullStorePartialDelivery(t *testing.T) {
	for _, tc := range relFullStores {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			full := tc.setup(t, e)
			e.Sink.Refuse("carol@agency.test", 450)
			p := e.start()
			c, err := relDial(p.SMTP, relClientTLS(t, e.Cfg.DataDir))
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			relFill(t, func(seq int) relResult {
				r, broken := relSend(c, seq, relHeld)
				if broken {
					t.Fatalf("seq %d: connection broke", seq)
				}
				return r
			}, full.what)
			// Internal recipients pass: bob is delivered, carol deferred.
			msg := "From: " + relUser + "\r\nTo: bob@agency.test, carol@agency.test\r\nSubject: partial\r\n\r\nhello\r\n"
			if err := c.Mail(relUser, nil); err != nil {
				t.Fatal(err)
			}
			for _, rc := range []string{"bob@agency.test", "carol@agency.test"} {
				if err := c.Rcpt(rc, nil); err != nil {
					t.Fatal(err)
				}
			}
			w, err := c.Data()
			if err != nil {
				t.Fatal(err)
			}
			io.WriteString(w, msg)
			resp, err := w.CloseWithResponse()
			if err != nil {
				t.Logf("store full, partial delivery: %v (no 250: the client keeps the message)", err)
				return
			}
			atBob := 0
			for _, m := range e.Sink.Messages() {
				if strings.Contains(string(m.Data), "Subject: partial") {
					atBob++
				}
			}
			time.Sleep(200 * time.Millisecond) // the log line may follow the reply
			if !strings.Contains(resp.StatusText, "queued for the rest as ") {
				t.Errorf("store full: 250 %q — bob got it (%d at the sink) but carol's deferred copy is neither delivered nor stored (okuri log: %q)",
					resp.StatusText, atBob, relLogLine(p, "could not be queued"))
			}
		})
	}
}

// relLogLine returns the first log line of p containing s, or "".
func relLogLine(p *proc, s string) string {
	for _, l := range strings.Split(p.logs.String(), "\n") {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}
