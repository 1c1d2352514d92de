package test

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/okuri/okuri/internal/testenv"
)

// relMountTmpfs mounts a tmpfs of size on a new temporary directory, or
// skips (fails in CI, which runs as root on this machine kind).
func relMountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		if testenv.InCI() {
			t.Fatalf("cannot mount a tmpfs (CI=true runs as root): %v", err)
		}
		t.Skipf("SKIPPING: cannot mount a tmpfs here (%v): run as root (CI does)", err)
	}
	// Registered after t.TempDir, so it runs before the directory is
	// removed, and after okuri (started later) was killed.
	t.Cleanup(func() {
		if err := syscall.Unmount(dir, 0); err != nil {
			t.Errorf("unmount %s: %v", dir, err)
		}
	})
	return dir
}

// TestReliabilityDiskFull runs okuri with its embedded store on a 2 MB
// tmpfs and fills it with held and queued mail: every message that does
// not fit gets 452 4.3.1 (never a 250, never a 451 that would hide the
// cause), okuri keeps running, accepts mail again as soon as there is
// space (no restart), and the store is intact: the database opens, every
// acknowledged message is there once with its bytes, no refused message
// left a record or a body behind, and okuri starts again on it.
func TestReliabilityDiskFull(t *testing.T) {
	start := time.Now()
	storeDir := relMountTmpfs(t, "2m")
	e := newEnv(t)
	e.Cfg.Tail = relPolicy + "store:\n  path: " + storeDir + "\n"
	e.Sink.Close() // passing mail is queued: it needs the store too
	p := e.start()
	tc := relClientTLS(t, e.Cfg.DataDir)
	c, err := relDial(p.SMTP, tc)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { c.Close() }()
	load := newRelLoad(func(seq int) relKind { return relKind(seq % 2) })
	send := func(seq int) relResult {
		t.Helper()
		r, broken := relSend(c, seq, relKind(seq%2))
		load.record(r)
		if broken {
			t.Fatalf("seq %d: connection broke: %+v", seq, r)
		}
		if r.Code != 250 && !(r.Code == 452 && r.Enhanced == "4.3.1") {
			t.Errorf("seq %d: want 250 or 452 4.3.1, got %d %s %q", seq, r.Code, r.Enhanced, r.Text)
		}
		return r
	}
	// Large messages (every 10th seq is 300 KB) until the spool is full,
	// then small ones (2 KB) into what is left, until the small ones do
	// not fit either: the last writes hit the database's own growth.
	seq, full := 0, 0
	for seq = 10; seq <= 200 && full == 0; seq += 10 {
		if send(seq).Code == 452 {
			full++
		}
	}
	if full == 0 {
		t.Fatal("the 2 MB tmpfs never filled with 300 KB messages")
	}
	small := 0
	for seq = 1001; seq < 3000 && full < 8; seq++ {
		if seq%10 == 0 {
			continue
		}
		if send(seq).Code == 452 {
			full++
		} else {
			small++
		}
	}
	if full < 8 {
		t.Fatal("small messages never stopped fitting")
	}
	if p.relExited() {
		t.Fatalf("okuri died when the disk filled: %v", p.exitErr)
	}

	// Space comes back: okuri takes mail again without a restart.
	if out, err := exec.Command("mount", "-o", "remount,size=8m", storeDir).CombinedOutput(); err != nil {
		t.Fatalf("remount bigger: %v\n%s", err, out)
	}
	for seq = 5000; seq < 5004; seq++ {
		if r := send(seq); r.Code != 250 {
			t.Fatalf("after space was freed: seq %d got %d %q", seq, r.Code, r.Text)
		}
	}
	c.Quit()
	// Where the space ran out: the body spool and the database commit
	// (bbolt growing its file) must both map to 452.
	logs := p.logs.String()
	inBody, inDB := strings.Count(logs, "write body: "), strings.Count(logs, "okuri.db: no space left")
	p.relStop()

	res := load.results()
	// Counted before the store is opened again: a refused write must
	// clean up after itself, not wait for the next start's recovery.
	bodies, temps := relSpoolFiles(t, storeDir)
	st := relOpenEmbedded(t, storeDir)
	inv := relInventory(t, st, res)
	relCheckExactlyOnce(t, res, inv, nil, false)
	for _, r := range res {
		if r.Code == 452 && len(inv[r.Seq]) != 0 {
			t.Errorf("seq %d got 452 but is stored as %s", r.Seq, relDescribe(inv[r.Seq]))
		}
	}
	if records := relRecords(t, st); bodies != records || temps != 0 {
		t.Errorf("%d bodies and %d temp files in the spool for %d records: a refused message left its body behind, or a record lost its body", bodies, temps, records)
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
	t.Logf("2 MB tmpfs: %d large and %d small messages stored before it was full; %d messages sent, %d acknowledged, %d answered 452 4.3.1 (codes %v; out of space writing a body %d times, committing the database %d times); after remount 250 again; %v",
		tally.Acked-small-4, small, tally.Sent, tally.Acked, tally.Codes[452], tally.Codes, inBody, inDB, time.Since(start).Round(100*time.Millisecond))
}
