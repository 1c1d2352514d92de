package audit

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	bolt "go.etcd.io/bbolt"

	"github.com/okuri/okuri/internal/smtpcode"
	"github.com/okuri/okuri/internal/testenv"
)

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) { w.t.Log(string(p)); return len(p), nil }

func openBolt(t testing.TB) *bolt.DB {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "store.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func newBoltOutbox(t testing.TB, db *bolt.DB, oo OutboxOptions) *BoltOutbox {
	t.Helper()
	ob, err := NewBoltOutbox(db, oo)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ob.Close() })
	return ob
}

// fastOptions are Options with short timings for tests.
func fastOptions(o Options) Options {
	o.BackoffMin = 20 * time.Millisecond
	o.BackoffMax = 200 * time.Millisecond
	o.PollInterval = 20 * time.Millisecond
	o.AckTimeout = 2 * time.Second
	o.SubjectHMACKey = []byte("test-hmac-key-0123456789")
	if o.Instance == "" {
		o.Instance = "test-1"
	}
	return o
}

// externalJS connects to the test NATS and returns a JetStream context
// and a fresh stream name that is deleted after the test.
func externalJS(t testing.TB) (url string, js jetstream.JetStream, stream string) {
	t.Helper()
	url = testenv.NATSURL(t)
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	js, err = jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	stream = testenv.UniqueName(t, "audit")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = js.DeleteStream(ctx, stream)
		nc.Close()
	})
	return url, js, stream
}

// embeddedJS connects to a Log's embedded server.
func embeddedJS(t testing.TB, l *Log) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect("", nats.InProcessServer(l.emb.server()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	return js
}

type streamMsg struct {
	sseq uint64
	data []byte
	ev   Event
}

func readAll(t testing.TB, js jetstream.JetStream, stream string) []streamMsg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []streamMsg
	err := ReadStream(ctx, js, stream, ReadOptions{}, func(sseq uint64, data []byte) error {
		ev, err := Unmarshal(data)
		if err != nil {
			return err
		}
		out = append(out, streamMsg{sseq, append([]byte(nil), data...), ev})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func verifyMsgs(msgs []streamMsg) Report {
	v := NewVerifier(nil)
	for _, m := range msgs {
		v.Add(m.sseq, m.data)
	}
	return v.Report()
}

// waitDrained waits until the outbox is empty.
func waitDrained(t testing.TB, ob Outbox, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		d, err := ob.queue().depth(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if d == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("outbox still holds %d events after %s", d, within)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// mailEvents returns n pass-path style events.
func mailEvents(n int, tag string) []Event {
	evs := make([]Event, n)
	for i := range evs {
		evs[i] = Event{Type: TypeMessageDelivered, MessageID: tag, Sender: "sender@example.jp",
			Recipients: []string{"a@example.com"}, Decision: "pass",
			Upstream: &Upstream{Code: 250, Reply: "2.0.0 Ok", Accepted: 1}, Attrs: map[string]string{"i": strconv.Itoa(i)}}
	}
	return evs
}

// proxy is a TCP forwarder to the test NATS that a test can cut: the
// external NATS "becomes unreachable" without touching the shared server.
type proxy struct {
	t      testing.TB
	ln     net.Listener
	target string
	mu     sync.Mutex
	up     bool
	conns  []net.Conn
}

func newProxy(t testing.TB, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{t: t, ln: ln, target: target, up: true}
	go p.accept()
	t.Cleanup(func() { ln.Close(); p.setUp(false) })
	return p
}

func (p *proxy) url() string { return "nats://" + p.ln.Addr().String() }

func (p *proxy) accept() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		if !p.up {
			p.mu.Unlock()
			c.Close()
			continue
		}
		u, err := net.Dial("tcp", p.target)
		if err != nil {
			p.mu.Unlock()
			c.Close()
			continue
		}
		p.conns = append(p.conns, c, u)
		p.mu.Unlock()
		go func() { io.Copy(u, c); u.Close() }()
		go func() { io.Copy(c, u); c.Close() }()
	}
}

// setUp opens or cuts the link; cutting closes every live connection.
func (p *proxy) setUp(up bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.up = up
	if !up {
		for _, c := range p.conns {
			c.Close()
		}
		p.conns = nil
	}
}

var errRollback = errors.New("rollback")

// metricValue returns the value of an unlabelled gauge or counter.
func metricValue(t testing.TB, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name || len(mf.GetMetric()) == 0 {
			continue
		}
		m := mf.GetMetric()[0]
		if m.GetCounter() != nil {
			return m.GetCounter().GetValue()
		}
		return m.GetGauge().GetValue()
	}
	t.Fatalf("metric %s not registered", name)
	return 0
}

func writeKey(t testing.TB, k ed25519.PrivateKey) string {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "audit.key")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func (o Options) withDefaultsMust() Options {
	o, err := o.withDefaults()
	if err != nil {
		panic(err)
	}
	return o
}

// Pass-path events as the gateway emits them: received, decided, delivered.
func passEvents() []Event {
	return []Event{
		{Type: TypeMessageReceived, MessageID: "01M84SXZ3N78W2DPB3PK7QF175", Sender: "tanaka@agency.example.jp",
			Recipients: []string{"customer@example.com"}, Size: 48213, Attachments: 1,
			Subject: &Subject{HMAC: "3f2a9c0d5e6b7a8c9d0e1f2a3b4c5d6e", Len: 18}},
		{Type: TypeMessageDecided, MessageID: "01M84SXZ3N78W2DPB3PK7QF175", Decision: "pass",
			Explanation: "no rule matched", Findings: map[string]int{}},
		{Type: TypeMessageDelivered, MessageID: "01M84SXZ3N78W2DPB3PK7QF175", Recipients: []string{"customer@example.com"},
			Upstream: &Upstream{Code: 250, Enhanced: smtpcode.Enhanced{2, 0, 0}, Reply: "Ok: queued as 4Xyz", Accepted: 1}},
	}
}
