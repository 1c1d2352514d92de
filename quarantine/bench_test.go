package quarantine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"go.etcd.io/bbolt"
)

// Benchmarks; numbers and the command are in docs/perf-quarantine.md.
//
//	go test -run '^$' -bench . -benchtime 300x ./quarantine/

func benchBackends(b *testing.B, fn func(b *testing.B, s Store, seed func(n int))) {
	b.Run("embedded", func(b *testing.B) {
		e, s := openEmbeddedT(b, nil, "", false) // durable: fsync on
		fn(b, s, func(n int) { seedEmbedded(b, e, n) })
	})
	b.Run("redis", func(b *testing.B) {
		r, s := openRedisT(b, nil, "")
		fn(b, s, func(n int) { seedRedis(b, r, n) })
	})
}

// BenchmarkPut stores held messages durably, one at a time and from 8
// concurrent writers (as 8 SMTP sessions would).
func BenchmarkPut(b *testing.B) {
	benchBackends(b, func(b *testing.B, s Store, _ func(int)) {
		// Warm up: a new bbolt file grows (truncate, remap) on its first
		// writes; measure the steady state.
		for range 200 {
			if err := s.Put(context.Background(), newMsg(StateHeldApproval, "taro"), strings.NewReader("warm up")); err != nil {
				b.Fatal(err)
			}
		}
		for _, size := range []int{4 << 10, 100 << 10} {
			body := bytes.Repeat([]byte("0123456789abcdef\r\n"), size/18+1)[:size]
			for _, par := range []int{1, 8} {
				b.Run(fmt.Sprintf("%dKB/C=%d", size>>10, par), func(b *testing.B) {
					b.SetBytes(int64(size))
					b.ReportAllocs()
					ctx := context.Background()
					put := func() {
						m := newMsg(StateHeldApproval, "taro")
						if err := s.Put(ctx, m, bytes.NewReader(body)); err != nil {
							b.Fatal(err)
						}
					}
					if par == 1 {
						for b.Loop() {
							put()
						}
						return
					}
					b.SetParallelism((par + 1) / 2) // × GOMAXPROCS (2) goroutines
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							put()
						}
					})
				})
			}
		}
	})
}

const benchRecords = 100_000

// BenchmarkList runs the UI's queries over 100,000 stored messages.
func BenchmarkList(b *testing.B) {
	benchBackends(b, func(b *testing.B, s Store, seed func(int)) {
		start := time.Now()
		seed(benchRecords)
		b.Logf("seeded %d records in %v", benchRecords, time.Since(start))
		ctx := context.Background()
		mid, err := s.List(ctx, Query{Scope: everyone, Limit: 1000})
		if err != nil {
			b.Fatal(err)
		}
		cursor := mid.Messages[len(mid.Messages)-1].ID
		queries := []struct {
			name string
			q    Query
			min  int
		}{
			{"state", Query{Scope: everyone, State: StateHeldApproval, Limit: 50}, 50},
			{"state_page20", Query{Scope: everyone, State: StateHeldApproval, Before: cursor, Limit: 50}, 50},
			{"sender", Query{Scope: everyone, Sender: "user7", Limit: 50}, 50},
			{"group_state", Query{Scope: everyone, Group: "g3", State: StateQuarantined, Limit: 50}, 50},
			{"time_range", Query{Scope: everyone, Since: benchStart.Add(time.Hour), Until: benchStart.Add(2 * time.Hour), Limit: 50}, 50},
			{"text_rare", Query{Scope: everyone, Text: "needle", Limit: 50}, 1},
		}
		for _, qc := range queries {
			b.Run(qc.name, func(b *testing.B) {
				for b.Loop() {
					p, err := s.List(ctx, qc.q)
					if err != nil {
						b.Fatal(err)
					}
					if len(p.Messages) < qc.min {
						b.Fatalf("%d results", len(p.Messages))
					}
				}
			})
		}
		b.Run("counts", func(b *testing.B) {
			for b.Loop() {
				n, err := s.Counts(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if total(n) != benchRecords {
					b.Fatalf("counts %v", n)
				}
			}
		})
	})
}

func total(n map[State]int) int {
	t := 0
	for _, v := range n {
		t += v
	}
	return t
}

var benchStart = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// seedMessage returns the i-th of the benchmark's messages: one a second,
// 50 senders, 5 groups, 4 states, one subject in 10,000 with "needle".
func seedMessage(i int) *Message {
	states := []State{StateHeldApproval, StateHeldSelfCheck, StateQuarantined, StateDelivered}
	m := newMsg(states[i%4], fmt.Sprintf("user%d", i%50), fmt.Sprintf("c%d@client%d.example", i, i%300))
	m.Group = fmt.Sprintf("g%d", i%5)
	m.Received = benchStart.Add(time.Duration(i) * time.Second)
	m.ID = NewID(m.Received)
	m.Size = 4096
	m.Version = 1
	if i%10000 == 5000 {
		m.Headers.Subject = "needle in the haystack"
	}
	m.History = []HistoryEntry{{Time: m.Received, Actor: System, What: "message.held", To: m.State}}
	if m.State.Terminal() {
		m.TerminalAt = m.Received
	}
	return m
}

// seedEmbedded writes records, index entries and (empty) bodies directly,
// in large transactions, without the per-message fsyncs of Put.
func seedEmbedded(b *testing.B, e *Embedded, n int) {
	for lo := 0; lo < n; lo += 5000 {
		err := e.db.Update(func(tx *bbolt.Tx) error {
			for i := lo; i < min(lo+5000, n); i++ {
				m := seedMessage(i)
				if err := os.WriteFile(e.bodyPath(m.ID), nil, 0o600); err != nil {
					return err
				}
				data, _ := json.Marshal(m)
				if err := tx.Bucket(bkMsg).Put([]byte(m.ID), data); err != nil {
					return err
				}
				if err := tx.Bucket(bkText).Put([]byte(m.ID), []byte(m.searchText())); err != nil {
					return err
				}
				_, add := diffIndex(nil, m)
				if err := e.writeEffects(tx, nil, add, &effects{}, m.ID); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// seedRedis runs the create script in pipelines of 1,000.
func seedRedis(b *testing.B, r *Redis, n int) {
	ctx := context.Background()
	if err := commitScript.Load(ctx, r.rdb).Err(); err != nil {
		b.Fatal(err)
	}
	for lo := 0; lo < n; lo += 1000 {
		pipe := r.rdb.Pipeline()
		for i := lo; i < min(lo+1000, n); i++ {
			m := seedMessage(i)
			_, add := diffIndex(nil, m)
			keys, args, err := r.commitArgs("create", m, "", nil, add, &effects{})
			if err != nil {
				b.Fatal(err)
			}
			commitScript.EvalSha(ctx, pipe, keys, args...)
		}
		if _, err := pipe.Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
