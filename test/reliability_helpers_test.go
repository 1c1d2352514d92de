package test

// Helpers of the reliability tests (issue 4, "Reliability (tests with real
// processes)"): a private redis-server, numbered test messages, a load of
// concurrent SMTP clients that records every reply, and an inventory of
// what ended where (upstream sink, store). Identifiers start with "rel" so
// they cannot collide with the other end-to-end tests of package test.

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"go.etcd.io/bbolt"

	"github.com/okuri/okuri/internal/smtpsink"
	"github.com/okuri/okuri/internal/testenv"
	"github.com/okuri/okuri/quarantine"
)

const (
	relUser = "alice@agency.test"
	relPass = "alicePass-123"
)

// relPolicy makes external mail held and internal mail pass: with the
// upstream down the passing mail is queued, so one load exercises both
// ways a message is stored before 250. hold_approval without approvers
// becomes a quarantine hold (docs/POLICY.md); either is a stored hold.
const relPolicy = `domains:
  internal: [agency.test]
policy:
  rules:
    - name: hold-external
      when: {external: true}
      action: hold_approval
`

// relRedisTail is the store section for the redis backend at addr.
func relRedisTail(addr, prefix string) string {
	return fmt.Sprintf("store:\n  backend: redis\n  redis_url: redis://%s/0\n  redis_prefix: %s\n  require_durable: true\n", addr, prefix)
}

// relRequireRedisServer returns the redis-server binary, or skips (fails
// in CI) like internal/testenv does for the shared services.
func relRequireRedisServer(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err == nil {
		return bin
	}
	if testenv.InCI() {
		t.Fatalf("redis-server is not installed and CI=true: %v", err)
	}
	t.Skipf("SKIPPING: redis-server is not installed (%v); in CI this test would fail", err)
	return ""
}

// relFreePort returns a loopback port that was free a moment ago.
func relFreePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// relRedis is a redis-server of the test's own on a free loopback port,
// with the persistence okuri requires (AOF, fsync on every write), so that
// it can be killed and restarted on the same data. The shared Redis on
// 6379 is never touched.
type relRedis struct {
	t    *testing.T
	bin  string
	Port int
	dir  string
	cmd  *exec.Cmd
	done chan struct{}
	logs *syncBuffer
	// Args are further redis-server options, e.g. a maxmemory.
	Args []string
}

// newRelRedis prepares (but does not start) a private Redis.
func newRelRedis(t *testing.T) *relRedis {
	t.Helper()
	r := &relRedis{t: t, bin: relRequireRedisServer(t), Port: relFreePort(t), dir: t.TempDir(), logs: &syncBuffer{}}
	t.Cleanup(func() {
		r.kill()
		if t.Failed() {
			t.Logf("redis-server log:\n%s", r.logs.String())
		}
	})
	return r
}

func (r *relRedis) Addr() string { return fmt.Sprintf("127.0.0.1:%d", r.Port) }

// start runs redis-server and waits until it answers.
func (r *relRedis) start() {
	r.t.Helper()
	args := []string{"--port", strconv.Itoa(r.Port), "--bind", "127.0.0.1", "--dir", r.dir,
		"--save", "", "--appendonly", "yes", "--appendfsync", "always", "--protected-mode", "no"}
	r.cmd = exec.Command(r.bin, append(args, r.Args...)...)
	r.cmd.Stdout, r.cmd.Stderr = r.logs, r.logs
	if err := r.cmd.Start(); err != nil {
		r.t.Fatal(err)
	}
	done := make(chan struct{})
	r.done = done
	go func(c *exec.Cmd) { c.Wait(); close(done) }(r.cmd)
	deadline := time.Now().Add(60 * time.Second) // waits for PONG, not a fixed time: generous for a loaded machine
	for time.Now().Before(deadline) {
		if c, err := net.DialTimeout("tcp", r.Addr(), 200*time.Millisecond); err == nil {
			c.Write([]byte("PING\r\n"))
			c.SetReadDeadline(time.Now().Add(time.Second))
			buf := make([]byte, 64)
			n, _ := c.Read(buf)
			c.Close()
			if strings.HasPrefix(string(buf[:n]), "+PONG") {
				return
			}
		}
		select {
		case <-done:
			r.t.Fatalf("redis-server exited at start:\n%s", r.logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	r.t.Fatalf("redis-server did not answer:\n%s", r.logs.String())
}

// kill stops the server with SIGKILL (no shutdown save): what survives is
// what the AOF had fsync'd.
func (r *relRedis) kill() {
	if r.cmd == nil || r.cmd.Process == nil {
		return
	}
	r.cmd.Process.Kill()
	<-r.done
	r.cmd = nil
}

// relKind is what the policy does with a test message.
type relKind int

const (
	relHeld   relKind = iota // external recipient: held by hold-external
	relQueued                // internal recipient: passes, queued while the upstream is down
)

func (k relKind) String() string { return [...]string{"held", "queued"}[k] }

// relRcpt returns the recipient of message seq of kind k.
func relRcpt(seq int, k relKind) string {
	if k == relHeld {
		return fmt.Sprintf("customer%d@example.test", seq)
	}
	return "bob@agency.test"
}

// relMessage returns message seq: X-Test-Seq and the subject identify it
// at the sink and in the store; the body is derived from seq, so a
// corrupted or mixed-up body is noticed. size is the approximate body size.
func relMessage(seq int, k relKind, size int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: Alice <%s>\r\nTo: <%s>\r\nSubject: rel seq %d\r\nX-Test-Seq: %d\r\n", relUser, relRcpt(seq, k), seq, seq)
	fmt.Fprintf(&b, "Message-ID: <rel-%d@agency.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n", seq)
	for line := 0; b.Len() < size; line++ {
		fmt.Fprintf(&b, "seq %08d line %06d %s\r\n", seq, line, strings.Repeat(string(rune('a'+(seq+line)%26)), 50))
	}
	return b.String()
}

// relSize varies message sizes: most small, every 10th above the Redis
// backend's 256 KiB body chunk (streamed through a temporary key).
func relSize(seq int) int {
	if seq%10 == 0 {
		return 300 << 10
	}
	return 2 << 10
}

// relClientTLS trusts the certificate okuri generated into dataDir.
func relClientTLS(t *testing.T, dataDir string) *tls.Config {
	t.Helper()
	pem, err := os.ReadFile(filepath.Join(dataDir, "tls", "cert.pem"))
	if err != nil {
		t.Fatalf("okuri's generated certificate: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("no certificate in cert.pem")
	}
	return &tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}

// relDial connects and authenticates; unlike dialAuth it reports errors,
// because load clients run in goroutines and expect okuri to die under them.
func relDial(addr string, tc *tls.Config) (*smtp.Client, error) {
	conn, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return nil, err
	}
	c, err := smtp.NewClientStartTLS(conn, tc)
	if err != nil {
		conn.Close()
		return nil, err
	}
	c.CommandTimeout, c.SubmissionTimeout = 10*time.Second, 20*time.Second
	if err := c.Auth(sasl.NewPlainClient("", relUser, relPass)); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// relResult is what the client learned about one message.
type relResult struct {
	Seq      int
	Kind     relKind
	Code     int    // SMTP reply code; 0 when the connection broke before a reply
	Enhanced string // enhanced status code of an error reply, e.g. "4.3.1"
	Text     string // reply text
	ID       string // store id from "held as"/"queued as"
	How      string // "held", "queued", "delivered" from the 250 text
	At       time.Time
}

var relReplyRe = regexp.MustCompile(`(held|queued|delivered) as ([0-9A-Z]{26})`)

// relSend sends message seq over c and classifies the answer. broken
// reports a connection that must be replaced.
func relSend(c *smtp.Client, seq int, k relKind) (res relResult, broken bool) {
	res = relResult{Seq: seq, Kind: k}
	defer func() { res.At = time.Now() }()
	fail := func(err error) (relResult, bool) {
		var se *smtp.SMTPError
		if errors.As(err, &se) {
			res.Code, res.Text = se.Code, se.Message
			e := se.EnhancedCode
			res.Enhanced = fmt.Sprintf("%d.%d.%d", e[0], e[1], e[2])
			return res, se.Code == 421
		}
		return res, true
	}
	if err := c.Mail(relUser, nil); err != nil {
		return fail(err)
	}
	if err := c.Rcpt(relRcpt(seq, k), nil); err != nil {
		return fail(err)
	}
	w, err := c.Data()
	if err != nil {
		return fail(err)
	}
	if _, err := io.WriteString(w, relMessage(seq, k, relSize(seq))); err != nil {
		return fail(err)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return fail(err)
	}
	res.Code, res.Text = 250, resp.StatusText
	if m := relReplyRe.FindStringSubmatch(resp.StatusText); m != nil {
		res.How, res.ID = m[1], m[2]
	}
	return res, false
}

// relLoad is several concurrent SMTP clients sending numbered messages and
// recording every outcome. Each message is sent once and never retried:
// a retry after a lost reply would be a duplicate the client caused, and
// the test is about the duplicates okuri causes.
type relLoad struct {
	mu   sync.Mutex
	next int
	res  map[int]relResult
	kind func(seq int) relKind
}

func newRelLoad(kind func(seq int) relKind) *relLoad {
	return &relLoad{res: map[int]relResult{}, kind: kind}
}

func (l *relLoad) seq() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.next++
	l.res[l.next] = relResult{Seq: l.next, Kind: l.kind(l.next)}
	return l.next
}

func (l *relLoad) record(r relResult) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.res[r.Seq] = r
}

// results returns a copy of every outcome so far.
func (l *relLoad) results() map[int]relResult {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make(map[int]relResult, len(l.res))
	for k, v := range l.res {
		out[k] = v
	}
	return out
}

// run sends with n clients to addr until ctx is done; a client whose
// connection breaks reconnects (okuri may be down for a moment).
func (l *relLoad) run(ctx context.Context, addr string, tc *tls.Config, n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var c *smtp.Client
			defer func() {
				if c != nil {
					c.Close()
				}
			}()
			for ctx.Err() == nil {
				if c == nil {
					var err error
					if c, err = relDial(addr, tc); err != nil {
						c = nil
						// AUTH needs the shared account state: while the
						// store is down okuri answers 454 4.7.0 there, and
						// that is the reply this message got.
						var se *smtp.SMTPError
						if errors.As(err, &se) {
							seq := l.seq()
							e := se.EnhancedCode
							l.record(relResult{Seq: seq, Kind: l.kind(seq), Code: se.Code, Text: se.Message,
								Enhanced: fmt.Sprintf("%d.%d.%d", e[0], e[1], e[2]), At: time.Now()})
						}
						select {
						case <-ctx.Done():
						case <-time.After(20 * time.Millisecond):
						}
						continue
					}
				}
				seq := l.seq()
				r, broken := relSend(c, seq, l.kind(seq))
				l.record(r)
				if broken {
					c.Close()
					c = nil
				}
			}
		}()
	}
	wg.Wait()
}

// relWaitAcked waits until the load got n 250 replies in total.
func relWaitAcked(t *testing.T, l *relLoad, n int, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for relCount(l.results()).Acked < n {
		if time.Now().After(deadline) {
			t.Fatalf("no mail accepted within %v: %+v", timeout, relCount(l.results()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// relTally counts outcomes for the report.
type relTally struct {
	Sent, Acked, Held, Queued, Temp, Lost int
	Codes                                 map[int]int
}

func relCount(res map[int]relResult) relTally {
	t := relTally{Codes: map[int]int{}}
	for _, r := range res {
		t.Sent++
		t.Codes[r.Code]++
		switch {
		case r.Code == 250:
			t.Acked++
			if r.How == "held" {
				t.Held++
			} else if r.How == "queued" {
				t.Queued++
			}
		case r.Code >= 400 && r.Code < 500:
			t.Temp++
		case r.Code == 0:
			t.Lost++
		}
	}
	return t
}

var relSeqRe = regexp.MustCompile(`(?m)^X-Test-Seq: (\d+)\r?$`)

// relSeqOf returns the X-Test-Seq of a message's own header section (not
// of a message quoted in it, as in a DSN).
func relSeqOf(data []byte) (int, bool) {
	if i := bytes.Index(data, []byte("\r\n\r\n")); i >= 0 {
		data = data[:i+2]
	}
	sm := relSeqRe.FindSubmatch(data)
	if sm == nil {
		return 0, false
	}
	seq, err := strconv.Atoi(string(sm[1]))
	return seq, err == nil
}

// relSinkCount counts deliveries per seq at the sink and checks that each
// delivered body is byte for byte what was sent (after okuri's Received).
func relSinkCount(t *testing.T, msgs []smtpsink.Message, res map[int]relResult) map[int]int {
	t.Helper()
	n := map[int]int{}
	for _, m := range msgs {
		seq, ok := relSeqOf(m.Data)
		if !ok {
			continue // not a test message (a notice, a DSN)
		}
		n[seq]++
		r := res[seq]
		if want := relMessage(seq, r.Kind, relSize(seq)); !bytes.Equal(stripFirstReceived(t, m.Data), []byte(want)) {
			t.Errorf("seq %d: the sink got different bytes than were sent (%d vs %d bytes)", seq, len(m.Data), len(want))
		}
	}
	return n
}

var relSubjectRe = regexp.MustCompile(`^rel seq (\d+)$`)

// relInventory lists every message in st by seq and checks each stored
// body against what was sent.
func relInventory(t *testing.T, st quarantine.Store, res map[int]relResult) map[int][]*quarantine.Message {
	t.Helper()
	ctx := context.Background()
	out := map[int][]*quarantine.Message{}
	q := quarantine.Query{Scope: quarantine.Scope{All: true}, Limit: 1000}
	for {
		page, err := st.List(ctx, q)
		if err != nil {
			t.Fatalf("list store: %v", err)
		}
		for _, m := range page.Messages {
			sm := relSubjectRe.FindStringSubmatch(m.Headers.Subject)
			if sm == nil {
				continue
			}
			seq, _ := strconv.Atoi(sm[1])
			out[seq] = append(out[seq], m)
			rc, err := st.Open(ctx, m.ID)
			if err != nil {
				t.Errorf("seq %d (%s, %s): body: %v", seq, m.ID, m.State, err)
				continue
			}
			body, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Errorf("seq %d (%s): read body: %v", seq, m.ID, err)
				continue
			}
			if want := relMessage(seq, res[seq].Kind, relSize(seq)); !bytes.Equal(stripFirstReceived(t, body), []byte(want)) {
				t.Errorf("seq %d (%s, %s): stored body differs from what was sent (%d vs %d bytes)", seq, m.ID, m.State, len(body), len(want))
			}
		}
		if page.Next == "" {
			return out
		}
		q.Before = page.Next
	}
}

// relOpenEmbedded opens an embedded store directory of a stopped okuri.
// Opening runs the store's recovery pass, exactly as okuri's start does.
func relOpenEmbedded(t *testing.T, dir string) quarantine.Store {
	t.Helper()
	db, err := bbolt.Open(filepath.Join(dir, "okuri.db"), 0o600, &bbolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("open the store's database (is it corrupt?): %v", err)
	}
	st, err := quarantine.OpenEmbedded(quarantine.EmbeddedOptions{Dir: dir, DB: db, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		db.Close()
		t.Fatalf("open embedded store: %v", err)
	}
	s := &relEmbedded{Store: st, db: db}
	t.Cleanup(func() { s.Close() })
	return s
}

// relEmbedded closes the store and its database once, so that a test can
// close it before okuri opens the directory again.
type relEmbedded struct {
	quarantine.Store
	db   *bbolt.DB
	once sync.Once
}

func (s *relEmbedded) Close() error {
	s.once.Do(func() { s.Store.Close(); s.db.Close() })
	return nil
}

// relSpoolFiles counts the embedded store's bodies and leftover temp
// files; read it before opening the store, whose recovery pass would
// tidy up what it finds.
func relSpoolFiles(t *testing.T, dir string) (bodies, temps int) {
	t.Helper()
	b, err := os.ReadDir(filepath.Join(dir, "spool", "msg"))
	if err != nil {
		t.Fatalf("spool: %v", err)
	}
	tmp, _ := os.ReadDir(filepath.Join(dir, "spool", "tmp"))
	return len(b), len(tmp)
}

// relInline adds the bodies the embedded store keeps in its database to a
// count of body files (0 for Redis).
func relInline(t *testing.T, st quarantine.Store) int {
	t.Helper()
	if w, ok := st.(*relEmbedded); ok {
		st = w.Store
	}
	e, ok := st.(*quarantine.Embedded)
	if !ok {
		return 0
	}
	n, err := e.InlineBodies()
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// relRecords sums the store's counts per state.
func relRecords(t *testing.T, st quarantine.Store) int {
	t.Helper()
	counts, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// relOpenRedis opens the Redis store okuri uses with redis_prefix prefix.
func relOpenRedis(t *testing.T, addr, prefix string) quarantine.Store {
	t.Helper()
	st, err := quarantine.OpenRedis(context.Background(), quarantine.RedisOptions{
		URL: "redis://" + addr + "/0", Prefix: prefix + ":q", Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatalf("open redis store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// relKill ends okuri with SIGKILL: no shutdown, no flush, like a power
// cut for the process (the kernel keeps what was written).
func (p *proc) relKill() {
	p.cmd.Process.Kill()
	<-p.done
}

// relExited reports whether okuri has exited.
func (p *proc) relExited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// relStop ends okuri with SIGINT (a clean shutdown) and waits.
func (p *proc) relStop() {
	p.t.Helper()
	p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		p.t.Fatal("okuri did not stop within 15s of SIGINT")
	}
}
