package quarantine

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go.etcd.io/bbolt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/okuri/okuri/internal/testenv"
)

// The crash test runs a child process (this test binary) that stores
// messages from 4 goroutines and prints each id once Put returned (the
// moment the gateway would answer 250), kills it with SIGKILL at a random
// moment, and checks in the parent that every acknowledged message is
// stored with its exact body and that recovery leaves no orphan.

const crashEnv = "OKURI_QUARANTINE_CRASH_CHILD"

func TestCrashChild(t *testing.T) {
	spec := os.Getenv(crashEnv)
	if spec == "" {
		t.Skip("helper process for the crash tests")
	}
	backend, where, _ := strings.Cut(spec, ":")
	var s Store
	switch backend {
	case "embedded":
		_, ts := openEmbeddedT(t, nil, where, false) // same layout as the parent, with the audit outbox
		s = ts
	case "redis":
		addr, prefix, _ := strings.Cut(where, "/")
		r, err := OpenRedis(context.Background(), RedisOptions{URL: "redis://" + addr, Prefix: prefix, Logger: quietLog()})
		if err != nil {
			t.Fatal(err)
		}
		s = r
	}
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				body := crashBody(g, i)
				m := newMsg(StateHeldApproval, "taro")
				if err := s.Put(context.Background(), m, strings.NewReader(body)); err != nil {
					fmt.Fprintln(os.Stderr, "put:", err)
					os.Exit(3)
				}
				mu.Lock()
				fmt.Fprintf(out, "%s %s\n", m.ID, digest(body))
				out.Flush()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func crashBody(g, i int) string {
	n := 1000 + (g*7919+i*104729)%50000
	if i%8 == 0 {
		n += DefaultInlineMax // a body file rather than an inline body (embedded)
	}
	return fmt.Sprintf("Subject: %d/%d\r\n\r\n%s", g, i, strings.Repeat("x", n))
}

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

// crashAckedBeforeKill is how many acknowledged Puts the parent waits for
// before it picks the moment to kill: enough that every round kills under
// load with both inline and file bodies stored (every 8th body per
// goroutine is a file), whatever the machine's speed.
const crashAckedBeforeKill = 24

// crashStartDeadline bounds the wait for those first acks. A loaded
// machine (make test runs packages in parallel; the race detector) may
// need many seconds to start the child binary and open the store; the
// test waits for the child's progress instead of a fixed sleep.
const crashStartDeadline = 2 * time.Minute

// runCrashChild starts the child, waits until it acknowledged
// crashAckedBeforeKill messages, kills it after a further random delay
// and returns the acknowledged ids with their body digests.
func runCrashChild(t *testing.T, spec string) map[string]string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+spec)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder // what the child said, for a failure message
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]string{}
	var mu sync.Mutex
	started := make(chan struct{}) // crashAckedBeforeKill acks seen
	done := make(chan struct{})    // the child's stdout closed: it exited
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			id, d, ok := strings.Cut(sc.Text(), " ")
			if !ok {
				continue
			}
			mu.Lock()
			acked[id] = d
			if len(acked) == crashAckedBeforeKill {
				close(started)
			}
			mu.Unlock()
		}
	}()
	begin := time.Now()
	select {
	case <-started:
	case <-done:
		cmd.Wait()
		t.Fatalf("child exited (%v) after %d acks, before it was killed; its stderr:\n%s", cmd.ProcessState, len(acked), stderr.String())
	case <-time.After(crashStartDeadline):
		cmd.Process.Signal(syscall.SIGKILL)
		<-done
		cmd.Wait()
		t.Fatalf("child acknowledged %d messages in %s (want %d before the kill); its stderr:\n%s",
			len(acked), crashStartDeadline, crashAckedBeforeKill, stderr.String())
	}
	ready := time.Since(begin)
	time.Sleep(time.Duration(rand.IntN(700)) * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	cmd.Wait()
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not by the kill; its stderr:\n%s", cmd.ProcessState, stderr.String())
	}
	t.Logf("child: first %d acks after %s, %d acks at the kill", crashAckedBeforeKill, ready.Round(time.Millisecond), len(acked))
	return acked
}

func checkAcked(t *testing.T, s Store, acked map[string]string, rounds int) {
	t.Helper()
	if len(acked) == 0 {
		t.Fatal("child acknowledged nothing")
	}
	for id, d := range acked {
		if got := digest(readBody(t, s, id)); got != d {
			t.Fatalf("%s: body digest %s, want %s", id, got, d)
		}
	}
	n, err := s.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Puts in flight at a kill may have committed without being
	// acknowledged (at most one per writer goroutine and kill).
	if c := n[StateHeldApproval]; c < len(acked) || c > len(acked)+4*rounds {
		t.Fatalf("%d stored, %d acknowledged", c, len(acked))
	}
}

func TestCrashEmbedded(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	dir := t.TempDir()
	total := map[string]string{}
	for round := range 3 {
		for id, d := range runCrashChild(t, "embedded:"+dir) {
			total[id] = d
		}
		e, s := openEmbeddedT(t, nil, dir, false) // recovery pass runs here
		checkAcked(t, s, total, round+1)
		files, _ := os.ReadDir(e.msgDir)
		inline := 0
		e.db.View(func(tx *bbolt.Tx) error { inline = tx.Bucket(bkBody).Stats().KeyN; return nil })
		if n, _ := s.Counts(context.Background()); len(files) == 0 || inline == 0 || len(files)+inline != n[StateHeldApproval] {
			t.Fatalf("round %d: %d body files and %d inline bodies for %d records", round, len(files), inline, n[StateHeldApproval])
		}
		e.Close()
		e.db.Close()
	}
}

func TestCrashRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test")
	}
	addr := testenv.RedisAddr(t)
	prefix := testenv.UniqueName(t, "q")
	r, s := openRedisT(t, nil, prefix)
	total := map[string]string{}
	for round := range 3 {
		for id, d := range runCrashChild(t, "redis:"+addr+"/"+prefix) {
			total[id] = d
		}
		checkAcked(t, s, total, round+1)
	}
	keys, _ := r.rdb.Keys(context.Background(), r.p+"tmp:*").Result()
	for _, k := range keys {
		if ttl, _ := r.rdb.TTL(context.Background(), k).Result(); ttl <= 0 {
			t.Fatalf("abandoned temp body %s without expiry", k)
		}
	}
}
