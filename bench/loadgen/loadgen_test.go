package loadgen_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/bench/loadgen"
	"github.com/okuri/okuri/bench/sink"
)

// startSink starts a discard sink on a free loopback port for t.
func startSink(t *testing.T, cfg sink.Config) *sink.Sink {
	t.Helper()
	cfg.Addr = "127.0.0.1:0"
	s, err := sink.Start(cfg)
	if err != nil {
		t.Fatalf("start sink: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close sink: %v", err)
		}
	})
	return s
}

func baseConfig(addr string, kind loadgen.Kind) loadgen.Config {
	return loadgen.Config{
		Addr: addr, Conns: 4, Messages: 12, Warmup: 2, Kind: kind,
		From: "bench@example.com", To: []string{"a@example.net", "b@example.net"},
		HeloName: "test.localdomain", Timeout: 5 * time.Second,
	}
}

func run(t *testing.T, cfg loadgen.Config) *loadgen.Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Log(res.Summary())
	return res
}

func TestRunThroughSink(t *testing.T) {
	for _, kind := range loadgen.Kinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			s := startSink(t, sink.Config{})
			cfg := baseConfig(s.Addr(), kind)
			if kind != loadgen.KindText4K {
				cfg.Messages = 6 // 100 KB each; keeps the race-detector run short
			}
			res := run(t, cfg)
			if res.Accepted != cfg.Messages || res.Failed != 0 {
				t.Fatalf("accepted %d failed %d %v, want %d accepted", res.Accepted, res.Failed, res.Failures, cfg.Messages)
			}
			if got, want := s.Messages(), int64(cfg.Warmup+cfg.Messages); got != want {
				t.Errorf("sink got %d messages, want %d", got, want)
			}
			if got, want := s.Sessions(), s.Messages(); got != want {
				t.Errorf("sink saw %d sessions for %d messages, want one message per connection", got, want)
			}
			if perMsg := s.Bytes() / s.Messages(); perMsg < int64(res.MessageBytes)*95/100 {
				t.Errorf("sink got %d bytes per message, want about %d", perMsg, res.MessageBytes)
			}
			if res.Rate <= 0 || res.Data250.P50 <= 0 || res.Txn.Max < res.Data250.Max {
				t.Errorf("implausible result: %+v", res)
			}
		})
	}
}

func TestRunStartTLSAuth(t *testing.T) {
	t.Parallel()
	tc, err := sink.SelfSignedTLS()
	if err != nil {
		t.Fatal(err)
	}
	s := startSink(t, sink.Config{TLS: tc, User: "alice", Password: "s3cret"})

	cfg := baseConfig(s.Addr(), loadgen.KindText4K)
	cfg.StartTLS, cfg.InsecureSkipVerify = true, true
	cfg.User, cfg.Password = "alice", "s3cret"
	if res := run(t, cfg); res.Accepted != cfg.Messages {
		t.Fatalf("accepted %d of %d: %v", res.Accepted, cfg.Messages, res.Failures)
	}

	cfg.Password, cfg.Warmup = "wrong", 0
	res := run(t, cfg)
	if res.Accepted != 0 || res.Failures["auth:535"] != cfg.Messages {
		t.Errorf("wrong password: accepted %d, failures %v; want all auth:535", res.Accepted, res.Failures)
	}

	cfg.User = ""
	res = run(t, cfg)
	if res.Failures["mail:502"] != cfg.Messages {
		t.Errorf("no AUTH: failures %v; want all mail:502", res.Failures)
	}
}

func TestRunCountsRefusedConnections(t *testing.T) {
	t.Parallel()
	s := startSink(t, sink.Config{})
	addr := s.Addr()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	cfg := baseConfig(addr, loadgen.KindText4K)
	cfg.Warmup = 0
	res := run(t, cfg)
	if res.Failures["dial:net"] != cfg.Messages {
		t.Errorf("failures %v, want all dial:net", res.Failures)
	}
	if !strings.Contains(res.Summary(), "dial:net=12") {
		t.Errorf("summary does not name the failures: %s", res.Summary())
	}
}

func TestValidate(t *testing.T) {
	cfg := baseConfig("192.0.2.1:25", loadgen.Kind("huge"))
	cfg.Conns = 0
	err := cfg.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{"addr:", "conns:", "kind:"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	cfg = baseConfig("192.0.2.1:25", loadgen.KindText4K)
	cfg.AllowRemote = true
	if err := cfg.Validate(); err != nil {
		t.Errorf("remote allowed: %v", err)
	}
}
