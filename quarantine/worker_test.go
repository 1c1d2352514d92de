package quarantine

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/okuri/okuri/internal/smtpcode"
	"github.com/okuri/okuri/internal/smtpsink"
	"github.com/okuri/okuri/relay"
)

// backends runs fn against each backend with a fresh store.
func backends(t *testing.T, fn func(t *testing.T, c *fakeClock, s *testStore, reopen func() Store)) {
	t.Run("embedded", func(t *testing.T) {
		t.Parallel()
		c := newClock()
		e, s := openEmbeddedT(t, c, "", true)
		fn(t, c, s, func() Store { return e }) // one process: the same store
	})
	t.Run("redis", func(t *testing.T) {
		t.Parallel()
		c := newClock()
		r, s := openRedisT(t, c, "")
		fn(t, c, s, func() Store {
			// A second instance: its own connection, same keys.
			_, s2 := openRedisT(t, c, strings.TrimSuffix(r.p, ":"))
			return s2.Store
		})
	})
}

func newSink(t *testing.T) (*smtpsink.Sink, relay.Sender) {
	sink := smtpsink.Start(t, smtpsink.Options{})
	cl, err := relay.NewClient(relay.Options{Upstream: "smtp://" + sink.Addr, StartTLSOpportunistic: true, Timeout: 10 * time.Second, PoolSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	return sink, cl
}

func newWorkerT(t *testing.T, s Store, snd relay.Sender, c *fakeClock, instance string) *Worker {
	w, err := NewWorker(WorkerOptions{
		Store: s, Sender: snd, Instance: instance, Now: c.Now, Logger: quietLog(),
		BackoffBase: time.Minute, MaxLifetime: time.Hour, Lease: time.Minute, SendTimeout: 30 * time.Second,
		DSN: DSNOptions{ReportingMTA: "gw.office.example"}, Registerer: prometheus.NewRegistry(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func runOnce(t *testing.T, w *Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const testBody = "From: taro@office.example\r\nTo: a@one.example\r\nSubject: list\r\n\r\n090-1234-5678 顧客\r\n"

func TestWorkerRetriesPartialAndDSN(t *testing.T) {
	backends(t, func(t *testing.T, c *fakeClock, s *testStore, _ func() Store) {
		ctx := context.Background()
		sink, snd := newSink(t)
		sink.Refuse("b@two.example", 550)
		sink.Refuse("c@two.example", 450)
		sink.FailData(451)
		w := newWorkerT(t, s, snd, c, "A")
		m := newMsg(StateQueued, "taro", "a@one.example", "b@two.example", "c@two.example")
		put(t, s, m, testBody)

		// 1. Upstream answers DATA with 451: everything is retried later.
		if n := runOnce(t, w); n != 1 {
			t.Fatalf("attempts %d", n)
		}
		g, _ := s.Get(ctx, m.ID)
		if g.State != StateQueued || g.Attempts != 1 || len(g.Pending()) != 3 || !g.NextAttempt.Equal(c.Now().Add(time.Minute)) || g.LastError == "" {
			t.Fatalf("after temp failure: %+v", g)
		}
		if n := runOnce(t, w); n != 0 || len(sink.Messages()) != 0 {
			t.Fatalf("retried before backoff")
		}

		// 2. Partial: a accepted, b refused permanently (DSN), c deferred.
		sink.FailData(0)
		c.Advance(time.Minute)
		runOnce(t, w) // the message, then the DSN queued meanwhile
		msgs := sink.Messages()
		if len(msgs) != 2 {
			t.Fatalf("sink got %d messages", len(msgs))
		}
		if msgs[0].From != "taro@office.example" || !slices.Equal(msgs[0].To, []string{"a@one.example"}) || string(msgs[0].Data) != testBody {
			t.Fatalf("delivery: %+v", msgs[0])
		}
		checkDSN(t, msgs[1], "b@two.example", "5.1.1")
		g, _ = s.Get(ctx, m.ID)
		if g.State != StateQueued || g.DSN == "" || !slices.Equal(g.Pending(), []string{"c@two.example"}) || !g.NextAttempt.Equal(c.Now().Add(2*time.Minute)) {
			t.Fatalf("after partial: %+v", g)
		}
		d, err := s.Get(ctx, g.DSN)
		if err != nil || d.State != StateDelivered || d.From != "" {
			t.Fatalf("dsn record: %+v %v", d, err)
		}

		// 3. c stays 450 until the lifetime ends: failed with 4.4.7 and a
		// second DSN; the message ends delivered (a got it).
		for range 10 {
			c.Advance(10 * time.Minute)
			runOnce(t, w)
		}
		g, _ = s.Get(ctx, m.ID)
		if g.State != StateDelivered || g.Recipients[2].Status != RcptFailed || g.Recipients[2].Enhanced != (smtpcode.Enhanced{4, 4, 7}) {
			t.Fatalf("after lifetime: %+v", g)
		}
		msgs = sink.Messages()
		var to []string
		for _, x := range msgs {
			to = append(to, strings.Join(x.To, ","))
		}
		if len(msgs) != 3 {
			t.Fatalf("sink got %v", to)
		}
		checkDSN(t, msgs[2], "c@two.example", "4.4.7")
		if _, ok, _ := s.Known(ctx, "one.example"); !ok {
			t.Fatalf("delivered domain not known")
		}
		if _, ok, _ := s.Known(ctx, "b@two.example"); ok {
			t.Fatalf("refused address known")
		}
		evs := eventTypes(s, m.ID)
		if !slices.Contains(evs, "message.dsn_sent") || evs[len(evs)-1] != "message.dsn_sent" {
			t.Fatalf("events %v", evs)
		}
	})
}

func checkDSN(t *testing.T, m smtpsink.Message, rcpt, status string) {
	t.Helper()
	data := string(m.Data)
	if m.From != "" || !slices.Equal(m.To, []string{"taro@office.example"}) ||
		!strings.Contains(data, "Final-Recipient: rfc822; "+rcpt) || !strings.Contains(data, "Status: "+status) ||
		!strings.Contains(data, "multipart/report") || strings.Contains(data, "090-1234-5678") {
		t.Fatalf("dsn from %q to %v:\n%s", m.From, m.To, data)
	}
}

func TestWorkerTwoInstancesDeliverOnce(t *testing.T) {
	backends(t, func(t *testing.T, c *fakeClock, s *testStore, second func() Store) {
		sink, snd := newSink(t)
		const n = 30
		for i := range n {
			put(t, s, newMsg(StateQueued, "taro"), fmt.Sprintf("Subject: m%d\r\n\r\nbody %d\r\n", i, i))
		}
		wa := newWorkerT(t, s, snd, c, "A")
		wb := newWorkerT(t, second(), snd, c, "B")
		var wg sync.WaitGroup
		for _, w := range []*Worker{wa, wb} {
			wg.Add(1)
			go func() { defer wg.Done(); runOnce(t, w) }()
		}
		wg.Wait()
		seen := map[string]int{}
		for _, m := range sink.Messages() {
			seen[string(m.Data)]++
		}
		if len(seen) != n {
			t.Fatalf("%d distinct messages delivered, want %d", len(seen), n)
		}
		for k, v := range seen {
			if v != 1 {
				t.Fatalf("delivered %d times: %q", v, k)
			}
		}
		if cnt, _ := s.Counts(context.Background()); cnt[StateDelivered] != n {
			t.Fatalf("counts %v", cnt)
		}
	})
}

func TestWorkerRunLoopAndPrepare(t *testing.T) {
	_, s := openEmbeddedT(t, nil, "", true)
	sink, snd := newSink(t)
	w, err := NewWorker(WorkerOptions{Store: s, Sender: snd, Logger: quietLog(),
		Prepare: func(ctx context.Context, m *Message, env relay.Envelope) ([]Delivery, error) {
			env.To = append(env.To, "archive@office.example")
			return []Delivery{{Env: env, Rewrite: func(body io.Reader) (io.Reader, error) {
				return io.MultiReader(strings.NewReader("X-Okuri-Id: "+m.ID+"\r\n"), body), nil
			}}}, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- w.Run(ctx) }()
	m := put(t, s, newMsg(StateQueued, "taro"), testBody)
	w.Kick()
	got := sink.Wait(t, 1, 10*time.Second)
	cancel()
	<-done
	if !slices.Equal(got[0].To, []string{"customer@example.com", "archive@office.example"}) || !bytes.HasPrefix(got[0].Data, []byte("X-Okuri-Id: "+m.ID)) {
		t.Fatalf("prepared delivery: %v %q", got[0].To, got[0].Data)
	}
	if readBody(t, s, m.ID) != testBody {
		t.Fatalf("stored bytes changed")
	}
}

// TestWorkerSplitDeliveries: a message prepared as one delivery per
// recipient (a split decision) goes out as separate transactions, each
// with its own rewrite, and the attempt records every recipient.
func TestWorkerSplitDeliveries(t *testing.T) {
	_, s := openEmbeddedT(t, nil, "", true)
	sink, snd := newSink(t)
	w, err := NewWorker(WorkerOptions{Store: s, Sender: snd, Logger: quietLog(),
		Prepare: func(ctx context.Context, m *Message, env relay.Envelope) ([]Delivery, error) {
			var dls []Delivery
			for _, r := range env.To {
				tag := "X-For: " + r + "\r\n"
				dls = append(dls, Delivery{Env: relay.Envelope{From: env.From, To: []string{r}},
					Rewrite: func(b io.Reader) (io.Reader, error) { return io.MultiReader(strings.NewReader(tag), b), nil }})
			}
			return dls, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	m := newMsg(StateQueued, "taro")
	m.To = []string{"a@client.example", "b@client.example"}
	m = put(t, s, m, testBody)
	if _, err := w.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	got := sink.Wait(t, 2, 10*time.Second)
	for _, g := range got {
		if len(g.To) != 1 || !bytes.HasPrefix(g.Data, []byte("X-For: "+g.To[0])) {
			t.Fatalf("split delivery %v %q", g.To, g.Data[:40])
		}
	}
	if rec, _ := s.Get(context.Background(), m.ID); rec.State != StateDelivered {
		t.Fatalf("state %s after both deliveries", rec.State)
	}
}

func TestQueueDSNSyncPath(t *testing.T) {
	backends(t, func(t *testing.T, c *fakeClock, s *testStore, _ func() Store) {
		ctx := context.Background()
		sink, snd := newSink(t)
		failed := []*relay.RecipientError{{Rcpt: "gone@client.example", Code: 550, Enhanced: smtpcode.Enhanced{5, 1, 1}, Message: "user unknown"}}
		id, err := QueueDSN(ctx, s, DSNOptions{ReportingMTA: "gw.office.example"}, Bounce{
			Sender: "taro@office.example", Arrival: c.Now(), Failed: failed, Original: strings.NewReader(testBody), Now: c.Now(),
		})
		if err != nil || id == "" {
			t.Fatalf("queue dsn: %q %v", id, err)
		}
		if id, err := QueueDSN(ctx, s, DSNOptions{}, Bounce{Sender: "", Failed: failed}); id != "" || err != nil {
			t.Fatalf("dsn for a bounce: %q %v", id, err)
		}
		runOnce(t, newWorkerT(t, s, snd, c, "A"))
		msgs := sink.Messages()
		if len(msgs) != 1 {
			t.Fatalf("sink got %d", len(msgs))
		}
		checkDSN(t, msgs[0], "gone@client.example", "5.1.1")
	})
}

func TestWorkerDSNNotBounced(t *testing.T) {
	// A DSN that fails permanently is not answered with another DSN.
	c := newClock()
	_, s := openEmbeddedT(t, c, "", true)
	sink, snd := newSink(t)
	sink.Refuse("taro@office.example", 550)
	id, err := QueueDSN(context.Background(), s, DSNOptions{}, Bounce{Sender: "taro@office.example",
		Failed: []*relay.RecipientError{{Rcpt: "x@y.example", Code: 550}}, Now: c.Now()})
	if err != nil {
		t.Fatal(err)
	}
	runOnce(t, newWorkerT(t, s, snd, c, "A"))
	g, _ := s.Get(context.Background(), id)
	if g.State != StateFailed || g.DSN != "" {
		t.Fatalf("dsn: %+v", g)
	}
	if n, _ := s.Counts(context.Background()); n[StateQueued] != 0 || n[StateFailed] != 1 {
		t.Fatalf("counts %v", n)
	}
}
