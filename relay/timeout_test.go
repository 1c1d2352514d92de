package relay

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// stallServer is an upstream that speaks SMTP until the step named by
// stall and then goes silent with the connection open, as a hung
// smarthost or a firewall that black-holes traffic does:
//
//	"connect"  accepts TCP, never greets
//	"ehlo"     greets, never answers EHLO
//	"starttls" answers STARTTLS with 220, never starts the handshake
//	"mail"     never answers MAIL
//	"data"     answers DATA with 354, then stops reading
//	"final"    reads the message to the dot, never answers
func stallServer(t *testing.T, stall string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				stallSession(c, stall)
				<-done // silent, connection open, until the test ends
			}()
		}
	}()
	return ln.Addr().String()
}

func stallSession(c net.Conn, stall string) {
	if stall == "connect" {
		return
	}
	r := bufio.NewReader(c)
	io.WriteString(c, "220 stall.test ESMTP\r\n")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		verb := strings.ToUpper(strings.Fields(line + " x")[0])
		if strings.ToLower(verb) == stall {
			if verb == "STARTTLS" {
				io.WriteString(c, "220 2.0.0 go ahead\r\n")
			}
			if verb == "DATA" {
				io.WriteString(c, "354 go ahead\r\n")
			}
			return
		}
		switch verb {
		case "EHLO":
			if stall == "starttls" {
				io.WriteString(c, "250-stall.test\r\n250-STARTTLS\r\n250 8BITMIME\r\n")
			} else {
				io.WriteString(c, "250-stall.test\r\n250 8BITMIME\r\n")
			}
		case "DATA":
			io.WriteString(c, "354 go ahead\r\n")
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
			}
			if stall == "final" {
				return
			}
			io.WriteString(c, "250 2.0.0 queued\r\n")
		case "QUIT":
			io.WriteString(c, "221 bye\r\n")
			return
		default:
			io.WriteString(c, "250 ok\r\n")
		}
	}
}

// Every step of a delivery obeys Options.Timeout: a silent upstream costs
// about one timeout and a temporary error, not go-smtp's five minutes.
func TestClientTimeoutAtEveryStep(t *testing.T) {
	_, cliTLS := tlsPair(t)
	big := "From: a@agency.test\r\nSubject: scan\r\n\r\n" + strings.Repeat(strings.Repeat("A", 76)+"\r\n", 16<<20/78)
	tests := []struct {
		stall, msg    string
		opportunistic bool
	}{
		{"connect", testMsg, false},
		{"ehlo", testMsg, false},
		{"starttls", testMsg, false},
		{"mail", testMsg, true},
		{"data", big, true}, // 16 MB: more than the socket buffers hold
		{"final", testMsg, true},
	}
	const timeout = 500 * time.Millisecond
	for _, tt := range tests {
		t.Run(tt.stall, func(t *testing.T) {
			t.Parallel()
			addr := stallServer(t, tt.stall)
			cl, err := NewClient(Options{Upstream: "smtp://" + addr, TLS: cliTLS, Timeout: timeout, StartTLSOpportunistic: tt.opportunistic})
			if err != nil {
				t.Fatal(err)
			}
			defer cl.Close()
			start := time.Now()
			errc := make(chan error, 1)
			go func() {
				_, err := cl.Send(context.Background(), Envelope{From: "a@agency.test", To: []string{"b@example.test"}}, strings.NewReader(tt.msg))
				errc <- err
			}()
			select {
			case err := <-errc:
				var re *Error
				if !errors.As(err, &re) || !re.Temporary {
					t.Fatalf("want a temporary *Error, got %v", err)
				}
				t.Logf("after %v: %v", time.Since(start), err)
				// Writing the body gives each write timeout to progress:
				// 16 MB fill the socket buffers first (slowly under -race).
				limit := 4 * timeout
				if tt.stall == "data" {
					limit = 15 * timeout
				}
				if d := time.Since(start); d > limit {
					t.Fatalf("took %v with a %v timeout", d, timeout)
				}
			case <-time.After(30 * timeout):
				t.Fatalf("Send still blocked after %v with a %v timeout", 30*timeout, timeout)
			}
		})
	}
}

// A cancelled context (client gone, shutdown past its grace) ends a
// delivery stuck on a silent upstream at once.
func TestClientCancelledWhileUpstreamSilent(t *testing.T) {
	addr := stallServer(t, "final")
	cl, _ := NewClient(Options{Upstream: "smtp://" + addr, Timeout: time.Minute, StartTLSOpportunistic: true})
	defer cl.Close()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := cl.Send(ctx, Envelope{From: "a@agency.test", To: []string{"b@example.test"}}, strings.NewReader(testMsg))
		errc <- err
	}()
	time.AfterFunc(200*time.Millisecond, cancel)
	select {
	case err := <-errc:
		if !IsTemporary(err) {
			t.Fatalf("want a temporary error, got %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Send ignored its cancelled context")
	}
}
