package test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/tls"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/internal/smtpsink"
	"github.com/okuri/okuri/internal/testenv"
	"github.com/okuri/okuri/quarantine"
)

// relProxy is a TCP proxy between okuri and the upstream sink. Armed with
// a limit, it forwards at most that many bytes a client sends on any one
// connection after arming and withholds the rest: a delivery of a message
// larger than the limit stops in the middle of DATA — the upstream has
// part of the body and never the final dot, so it cannot have accepted
// the message. It works on the TLS stream without decrypting it.
type relProxy struct {
	Addr    string
	target  string
	ln      net.Listener
	mu      sync.Mutex
	limit   int64
	epoch   int
	stalled chan struct{}
}

func newRelProxy(t *testing.T, target string) *relProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &relProxy{Addr: ln.Addr().String(), target: target, ln: ln, stalled: make(chan struct{}, 16)}
	go p.serve()
	t.Cleanup(func() { ln.Close() })
	return p
}

// arm makes connections withhold client bytes beyond limit from now on;
// 0 disarms (connections already stalled stay stalled until they close).
func (p *relProxy) arm(limit int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limit = limit
	p.epoch++
}

func (p *relProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go p.handle(c)
	}
}

func (p *relProxy) handle(c net.Conn) {
	defer c.Close()
	u, err := net.DialTimeout("tcp", p.target, 2*time.Second)
	if err != nil {
		return
	}
	defer u.Close()
	go func() {
		io.Copy(c, u)
		c.Close()
	}()
	buf := make([]byte, 32<<10)
	var count int64
	epoch, stalled := -1, false
	for {
		n, err := c.Read(buf)
		if n > 0 && !stalled {
			p.mu.Lock()
			limit, e := p.limit, p.epoch
			p.mu.Unlock()
			if e != epoch {
				epoch, count = e, 0
			}
			out := buf[:n]
			if limit > 0 && count+int64(n) > limit {
				out = buf[:limit-count]
				stalled = true
			}
			count += int64(len(out))
			if _, werr := u.Write(out); werr != nil {
				return
			}
			if stalled {
				p.stalled <- struct{}{}
			}
		}
		if err != nil {
			return // the client is gone: closing u makes the sink drop the partial message
		}
	}
}

var relLeasePidRe = regexp.MustCompile(`-(\d+)-[0-9a-f]+$`)

// TestReliabilityScaleOut runs two okuri instances (okuri-a, okuri-b:
// different names and data directories) on one private Redis with the same
// redis_prefix, upstream behind relProxy.
//
//  1. Messages held through A are released through B (its approvals UI
//     JSON API once okuri run serves the UI, until then its store API),
//     each by two concurrent clicks: one release wins, the other gets a
//     conflict, and every message is delivered exactly once by whichever
//     worker took its lease.
//  2. A released message is stopped in the middle of its DATA; the
//     instance holding its lease is killed with SIGKILL; the other one
//     takes the message over when the lease expires and delivers it —
//     exactly once, since the upstream never accepted the cut attempt.
func TestReliabilityScaleOut(t *testing.T) {
	start := time.Now()
	r := newRelRedis(t)
	r.start()
	e := newEnv(t)
	prefix := testenv.UniqueName(t, "scale")
	px := newRelProxy(t, e.Sink.Addr)
	e.Cfg.Upstream = "smtp://" + px.Addr
	// The takeover waits for the lease; 11s is the shortest the worker
	// allows with relay.timeout 2s (lease > 5×timeout).
	const lease = 11 * time.Second
	e.Cfg.RelayTimeout = "2s"
	e.Cfg.Queue = "  backoff_base: 200ms\n  backoff_max: 1s\n  lease: 11s"
	// The security team releases quarantined mail in the approvals UI.
	secret := relEnrolSecurity(t, e)
	procs := map[string]*proc{}
	tcs := map[string]*tls.Config{}
	uis := map[string]string{}
	for _, name := range []string{"okuri-a", "okuri-b"} {
		uis[name] = fmt.Sprintf("127.0.0.1:%d", relFreePort(t))
		e.Cfg.Instance, e.Cfg.DataDir = name, filepath.Join(e.dir, name)
		e.Cfg.Tail = relPolicy + relRedisTail(r.Addr(), prefix) +
			fmt.Sprintf("ui:\n  listen: %[1]s\n  base_url: https://%[1]s\n", uis[name])
		procs[name] = e.start()
		tcs[name] = relClientTLS(t, e.Cfg.DataDir)
	}
	a := procs["okuri-a"]
	st := relOpenRedis(t, r.Addr(), prefix)
	ctx := context.Background()
	// Release through B: its approvals UI JSON API when okuri run serves
	// the UI, else B's store API (the same Redis store, opened here).
	release := func(ctx context.Context, id string) error { return relRelease(ctx, st, id) }
	via := "B's store API"
	if relServesUI(procs["okuri-b"]) {
		ui := relLoginUI(t, uis["okuri-b"], tcs["okuri-b"], relSecUser, relSecPass, secret)
		release, via = ui.release, "B's approvals UI API"
	}

	// A worker notices work queued elsewhere only when kicked or after
	// its 30s poll. A message the upstream always defers, queued through
	// each instance, makes both workers wake at least every backoff_max
	// (1s), as they would on a busy system.
	e.Sink.Refuse("tick@agency.test", 450)
	for name, p := range procs {
		c, err := relDial(p.SMTP, tcs[name])
		if err != nil {
			t.Fatal(err)
		}
		if err := send(c, relUser, []string{"tick@agency.test"}, "From: "+relUser+"\r\nSubject: tick\r\n\r\ntick\r\n"); err != nil {
			t.Fatalf("tick through %s: %v", name, err)
		}
		c.Close()
	}

	// 1. Held through A, released through B, delivered exactly once.
	load := newRelLoad(func(int) relKind { return relHeld })
	c, err := relDial(a.SMTP, tcs["okuri-a"])
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for seq := 1; seq <= 12; seq++ {
		res, _ := relSend(c, seq, relHeld)
		load.record(res)
		if res.Code != 250 || res.How != "held" {
			t.Fatalf("seq %d through A: %d %q", seq, res.Code, res.Text)
		}
		ids = append(ids, res.ID)
	}
	var wg sync.WaitGroup
	wins := make([]int, len(ids))
	for i, id := range ids {
		for range 2 { // two approvers click at once
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := release(ctx, id)
				switch {
				case err == nil:
					wins[i]++
				case !errors.Is(err, quarantine.ErrConflict) && !errors.Is(err, errRelNotNow):
					t.Errorf("release %s: %v", id, err)
				}
			}()
		}
	}
	wg.Wait()
	for i, n := range wins {
		if n != 1 {
			t.Errorf("%s: %d of two concurrent releases succeeded, want 1", ids[i], n)
		}
	}
	released := time.Now()
	relWaitSeqs(t, e.Sink, relSeqRange(1, len(ids)), 20*time.Second)
	deliveredIn := time.Since(released)
	time.Sleep(2 * time.Second) // both workers pass at least once more
	res := load.results()
	atSink := relSinkCount(t, e.Sink.Messages(), res)
	by := map[string]int{}
	for _, id := range ids {
		m, err := st.Get(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if m.State != quarantine.StateDelivered || m.Attempts != 1 {
			t.Errorf("%s: state %s after %d attempts, want delivered after 1", id, m.State, m.Attempts)
		}
		by[relDeliveredBy(t, procs, id)]++
	}
	for seq := 1; seq <= len(ids); seq++ {
		if atSink[seq] != 1 {
			t.Errorf("seq %d delivered %d times", seq, atSink[seq])
		}
	}
	t.Logf("%d messages held through A, released through %s (2 concurrent releases each): all delivered once within %v, by %v",
		len(ids), via, deliveredIn.Round(time.Millisecond), by)

	// 2. Kill the instance that is in the middle of a delivery.
	const seq = 100 // 300 KB: relSize
	res100, _ := relSend(c, seq, relHeld)
	c.Close()
	load.record(res100)
	if res100.Code != 250 || res100.How != "held" {
		t.Fatalf("seq %d through A: %d %q", seq, res100.Code, res100.Text)
	}
	id := res100.ID
	px.arm(100 << 10)
	if err := release(ctx, id); err != nil {
		t.Fatal(err)
	}
	select {
	case <-px.stalled:
	case <-time.After(15 * time.Second):
		t.Fatal("the released message's delivery never started")
	}
	m, err := st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	owner := relOwner(t, procs, m.LeaseOwner)
	survivor := "okuri-a"
	if owner == "okuri-a" {
		survivor = "okuri-b"
	}
	procs[owner].relKill()
	killedAt := time.Now()
	px.arm(0)
	relWaitSeqs(t, e.Sink, []int{seq}, lease+15*time.Second)
	takeover := time.Since(killedAt)
	time.Sleep(2 * time.Second)
	res = load.results()
	if n := relSinkCount(t, e.Sink.Messages(), res)[seq]; n != 1 {
		t.Errorf("seq %d (killed mid-delivery) delivered %d times", seq, n)
	}
	m, err = st.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != quarantine.StateDelivered {
		t.Errorf("%s: %s after the takeover", id, m.State)
	}
	if got := relDeliveredBy(t, procs, id); got != survivor {
		t.Errorf("%s: delivery recorded by %q, want the survivor %s", id, got, survivor)
	}
	t.Logf("%s: DATA cut at 100 KB of 300 KB while %s held the lease; %s SIGKILLed; %s delivered it %v later (lease %v), once; state %s after %d recorded attempt(s); total %v",
		id, owner, owner, survivor, takeover.Round(time.Millisecond), lease, m.State, m.Attempts, time.Since(start).Round(100*time.Millisecond))
}

// relWaitSeqs waits until every seq arrived at the sink (other mail,
// such as notices, may arrive too).
func relWaitSeqs(t *testing.T, sink *smtpsink.Sink, seqs []int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got := relSeqCounts(sink.Messages())
		missing := 0
		for _, s := range seqs {
			if got[s] == 0 {
				missing++
			}
		}
		if missing == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d messages did not reach the upstream within %v", missing, len(seqs), timeout)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func relSeqRange(from, to int) []int {
	var l []int
	for i := from; i <= to; i++ {
		l = append(l, i)
	}
	return l
}

// relRelease releases a quarantined message as the security team does,
// through the store API (the test opens the Redis store B uses).
func relRelease(ctx context.Context, st quarantine.Store, id string) error {
	_, err := st.Transition(ctx, id, quarantine.Change{
		From: quarantine.StateQuarantined, To: quarantine.StateQueued,
		Actor:   quarantine.Actor{Kind: quarantine.ActorSecurity, User: "security@agency.test"},
		Comment: "released by the reliability test",
	})
	return err
}

// relOwner maps a lease owner ("host-pid-random") to the instance name.
func relOwner(t *testing.T, procs map[string]*proc, owner string) string {
	t.Helper()
	m := relLeasePidRe.FindStringSubmatch(owner)
	if m == nil {
		t.Fatalf("lease owner %q: no pid", owner)
	}
	pid, _ := strconv.Atoi(m[1])
	for name, p := range procs {
		if p.cmd.Process.Pid == pid {
			return name
		}
	}
	t.Fatalf("lease owner %q is neither instance", owner)
	return ""
}

// relDeliveredBy names the instance whose log records the delivery of id.
func relDeliveredBy(t *testing.T, procs map[string]*proc, id string) string {
	t.Helper()
	want := fmt.Sprintf(`"msg":"quarantine: delivery attempt","id":%q`, id)
	var who []string
	for name, p := range procs {
		for _, l := range strings.Split(p.logs.String(), "\n") {
			if strings.Contains(l, want) && strings.Contains(l, `"state":"delivered"`) {
				who = append(who, name)
			}
		}
	}
	if len(who) != 1 {
		t.Errorf("%s: delivery recorded by %v, want exactly one instance", id, who)
		return strings.Join(who, "+")
	}
	return who[0]
}

const (
	relSecUser = "security@agency.test"
	relSecPass = "secPass-12345"
)

// relEnrolSecurity adds the security team's user, enrolled in two-factor
// authentication (required for auditors), and makes it an auditor.
func relEnrolSecurity(t *testing.T, e *env) string {
	t.Helper()
	e.addUser(relSecUser, relSecPass)
	secret, err := directory.NewTOTPSecret()
	if err != nil {
		t.Fatal(err)
	}
	if err := directory.SetTOTP(e.Cfg.UsersFile, relSecUser, secret, nil); err != nil {
		t.Fatal(err)
	}
	e.Cfg.Directory = "  auditors: [" + relSecUser + "]"
	return secret
}

// relServesUI reports whether okuri run started the approvals UI.
func relServesUI(p *proc) bool {
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) {
		if strings.Contains(p.logs.String(), `"ui listening"`) {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// relTOTP is the RFC 6238 code (SHA-1, 6 digits, 30 s) of secret at now.
func relTOTP(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	key, err := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(secret))
	if err != nil {
		t.Fatal(err)
	}
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], uint64(now.Unix()/30))
	mac := hmac.New(sha1.New, key)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	code := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%06d", code%1000000)
}

// relUI is a signed-in session of the approvals UI's JSON API.
type relUI struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func relLoginUI(t *testing.T, addr string, tc *tls.Config, user, pass, secret string) *relUI {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	ui := &relUI{t: t, base: "https://" + addr, hc: &http.Client{Jar: jar, Timeout: 15 * time.Second,
		Transport: &http.Transport{TLSClientConfig: tc}}}
	body, _ := json.Marshal(map[string]string{"address": user, "password": pass, "code": relTOTP(t, secret, time.Now())})
	resp, err := ui.hc.Post(ui.base+"/api/v1/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("ui login: %v", err)
	}
	defer resp.Body.Close()
	var out struct {
		CSRF  string `json:"csrf_token"`
		Error string `json:"error"`
	}
	json.NewDecoder(resp.Body).Decode(&out)
	if resp.StatusCode != http.StatusOK || out.CSRF == "" {
		t.Fatalf("ui login: %d %q", resp.StatusCode, out.Error)
	}
	ui.csrf = out.CSRF
	return ui
}

// errRelNotNow is the UI's 403 for an action the message's state does
// not allow (any more): the second of two clicks after the first one
// committed. A click racing the first one in Transition gets 409
// (quarantine.ErrConflict).
var errRelNotNow = errors.New("action not allowed in the message's state")

// release is the security team's "release" of a quarantined message.
func (ui *relUI) release(ctx context.Context, id string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ui.base+"/api/v1/holds/"+id+"/release",
		strings.NewReader(`{"comment":"released by the reliability test"}`))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", ui.csrf)
	resp, err := ui.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	b := strings.Join(strings.Fields(string(raw)), " ")
	switch resp.StatusCode {
	case http.StatusOK:
		return nil
	case http.StatusConflict:
		return fmt.Errorf("release %s: %s: %w", id, b, quarantine.ErrConflict)
	case http.StatusForbidden:
		return fmt.Errorf("release %s: %s: %w", id, b, errRelNotNow)
	}
	return fmt.Errorf("release %s: %d %s", id, resp.StatusCode, b)
}
