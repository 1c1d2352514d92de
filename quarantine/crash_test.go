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

// runCrashChild starts the child, kills it after a random delay and
// returns the acknowledged ids with their body digests.
func runCrashChild(t *testing.T, spec string) map[string]string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+spec)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]string{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			id, d, ok := strings.Cut(sc.Text(), " ")
			if ok {
				acked[id] = d
			}
		}
	}()
	time.Sleep(time.Duration(300+rand.IntN(700)) * time.Millisecond)
	cmd.Process.Signal(syscall.SIGKILL)
	<-done
	cmd.Wait()
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
