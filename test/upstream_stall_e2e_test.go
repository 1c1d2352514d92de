package test

import (
	"bufio"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// silentUpstream listens on addr and goes silent as told: "connect" never
// greets; "final" speaks SMTP (no STARTTLS) and never answers the end of
// DATA. Close closes the listener and every connection.
type silentUpstream struct {
	ln    net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startSilentUpstream(t *testing.T, stall string) *silentUpstream {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &silentUpstream{ln: ln}
	t.Cleanup(s.Close)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.mu.Lock()
			s.conns = append(s.conns, c)
			s.mu.Unlock()
			if stall == "final" {
				go speakUntilDot(c)
			}
		}
	}()
	return s
}

func speakUntilDot(c net.Conn) {
	r := bufio.NewReader(c)
	io.WriteString(c, "220 stall.test ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		switch strings.ToUpper(strings.Fields(line + " x")[0]) {
		case "EHLO":
			io.WriteString(c, "250-stall.test\r\n250 8BITMIME\r\n")
		case "DATA":
			io.WriteString(c, "354 go ahead\r\n")
			for l := ""; l != ".\r\n"; {
				if l, err = r.ReadString('\n'); err != nil {
					return
				}
			}
			return // never answers
		default:
			io.WriteString(c, "250 ok\r\n")
		}
	}
}

func (s *silentUpstream) Close() {
	s.ln.Close()
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
}

// An upstream that accepts TCP and then says nothing (before the greeting,
// or after the message) costs the client about relay.timeout, not go-smtp's
// five minutes: it gets 250 queued, and the message is delivered once the
// upstream answers again.
func TestSilentUpstreamQueuesWithinRelayTimeout(t *testing.T) {
	for _, stall := range []string{"connect", "final"} {
		t.Run(stall, func(t *testing.T) {
			e := newEnv(t)
			e.Sink.Close()
			up := startSilentUpstream(t, stall)
			addr := up.ln.Addr().String()
			e.Cfg.Upstream = "smtp://" + addr
			e.Cfg.RelayTimeout = "2s"
			e.Cfg.RelayExtra = "  starttls: opportunistic\n" // the silent upstream offers no STARTTLS
			p := e.start()
			c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
			defer c.Close()
			start := time.Now()
			err := send(c, "alice@agency.test", []string{"x@agency.test"}, "From: alice@agency.test\r\nSubject: stall\r\n\r\nstalled body\r\n")
			took := time.Since(start)
			if err != nil {
				t.Fatalf("silent upstream: want 250 queued, got %v after %v", err, took)
			}
			if took > 8*time.Second {
				t.Fatalf("reply took %v with relay.timeout 2s", took)
			}
			p.waitLog(`"msg":"upstream unavailable; message queued"`, 5*time.Second)
			up.Close()
			sink := e.restartSinkAt(addr)
			msgs := sink.Wait(t, 1, 30*time.Second)
			if !strings.Contains(string(msgs[0].Data), "stalled body") {
				t.Fatalf("sink got %q", msgs[0].Data)
			}
		})
	}
}
