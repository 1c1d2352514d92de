//go:build unix

package audit

import (
	"context"
	"syscall"
	"testing"
	"time"
)

// BenchmarkAppendBolt measures the mail-path cost of recording one
// message's three events (ns/op is per message; see ns/event) with
// concurrent senders sharing group commits. Each commit fsyncs.
func BenchmarkAppendBolt(b *testing.B) {
	ob := newBoltOutbox(b, openBolt(b), OutboxOptions{Max: -1})
	benchAppend(b, ob)
}

// BenchmarkAppendRedis is the same against the test Redis.
func BenchmarkAppendRedis(b *testing.B) {
	_, ob, _ := newRedisOutbox(b, "bench", OutboxOptions{Max: -1})
	benchAppend(b, ob)
}

func benchAppend(b *testing.B, ob Outbox) {
	ctx := context.Background()
	b.SetParallelism(16) // many SMTP sessions per core
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := ob.Append(ctx, passEvents()...); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*3), "wall-ns/event")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*3), "cpu-ns/event")
}

// cpuTime is the process's user+system CPU time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkMarshal is the CPU an emitter spends per event (on its own
// goroutine, before the group commit).
func BenchmarkMarshal(b *testing.B) {
	evs := passEvents()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Marshal(evs[i%3]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeal is the publisher's CPU per event: canonical encoding,
// SHA-256 and the final encoding (off the mail path, same machine).
func BenchmarkSeal(b *testing.B) {
	p := &publisher{instance: "bench"}
	evs := passEvents()
	for i := range evs {
		_ = prepare(&evs[i])
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		ev := evs[i%3]
		ev.Instance, ev.Seq, ev.Prev = "bench", uint64(i+1), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
		if _, _, err := p.seal(ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEndToEndEmbedded is the whole audit cost of the embedded
// default per event: Emit on the mail path, the publisher (chain, seal,
// outbox transactions) and the in-process JetStream server storing it.
// cpu-ns/event is process CPU until everything is acknowledged.
func BenchmarkEndToEndEmbedded(b *testing.B) {
	benchEndToEnd(b, Options{DataDir: b.TempDir()})
}

// BenchmarkEndToEndExternal is the same with the test NATS server (a
// separate process, whose CPU is not counted): the scale-out setup.
func BenchmarkEndToEndExternal(b *testing.B) {
	url, _, stream := externalJS(b)
	benchEndToEnd(b, Options{NATSURL: url, Stream: stream})
}

func benchEndToEnd(b *testing.B, o Options) {
	ob := newBoltOutbox(b, openBolt(b), OutboxOptions{Max: -1})
	o = fastOptions(o)
	o.PollInterval = 0 // default
	l, err := Open(context.Background(), o, ob, nil, testLogger(b))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close(context.Background())
	ctx := context.Background()
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := l.Emit(ctx, passEvents()...); err != nil {
				b.Error(err)
				return
			}
		}
	})
	waitDrained(b, ob, time.Minute)
	b.StopTimer()
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*3), "wall-ns/event")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*3), "cpu-ns/event")
}

// BenchmarkSealRaw is the publisher's fast path per event.
func BenchmarkSealRaw(b *testing.B) {
	p := &publisher{instance: "bench"}
	evs := passEvents()
	raws := make([][]byte, len(evs))
	for i := range evs {
		raws[i], _ = Marshal(evs[i])
	}
	prev := "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, _, ok := p.sealRaw(raws[i%3], uint64(i+1), prev); !ok {
			b.Fatal("slow path")
		}
	}
}

// BenchmarkAppendBoltLatency is one sender alone: each Append is its own
// commit, so ns/op is the latency a message's audit adds when idle (one
// bbolt fsync).
func BenchmarkAppendBoltLatency(b *testing.B) {
	ob := newBoltOutbox(b, openBolt(b), OutboxOptions{Max: -1})
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		if err := ob.Append(ctx, passEvents()...); err != nil {
			b.Fatal(err)
		}
	}
}
