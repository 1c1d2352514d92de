package sink

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"
)

func TestRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:25", "localhost:0"} {
		if s, err := Start(Config{Addr: addr}); err == nil {
			s.Close()
			t.Errorf("Start(%q): want an error", addr)
		}
	}
}

// TestTranscript drives the sink with raw SMTP and checks every reply code.
func TestTranscript(t *testing.T) {
	s, err := Start(Config{Addr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := net.DialTimeout("tcp", s.Addr(), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(5 * time.Second))
	r := bufio.NewReader(conn)

	// expect reads one (possibly multi-line) reply and checks its code.
	expect := func(code string) {
		t.Helper()
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatalf("read reply, want %s: %v", code, err)
			}
			if !strings.HasPrefix(line, code) {
				t.Fatalf("reply %q, want %s", line, code)
			}
			if len(line) < 4 || line[3] != '-' {
				return
			}
		}
	}
	send := func(line string) {
		t.Helper()
		if _, err := conn.Write([]byte(line + "\r\n")); err != nil {
			t.Fatal(err)
		}
	}

	expect("220")
	for _, step := range []struct{ cmd, code string }{
		{"EHLO test.localdomain", "250"},
		{"MAIL FROM:<a@example.com>", "250"},
		{"RCPT TO:<b@example.net>", "250"},
		{"DATA", "354"},
		{"Subject: hi\r\n\r\nbody\r\n..dot-stuffed line\r\n.", "250"},
		{"QUIT", "221"},
	} {
		send(step.cmd)
		expect(step.code)
	}
	if s.Messages() != 1 || s.Sessions() != 1 {
		t.Errorf("messages %d, sessions %d; want 1 and 1", s.Messages(), s.Sessions())
	}
	if want := int64(len("Subject: hi\r\n\r\nbody\r\n.dot-stuffed line\r\n")); s.Bytes() != want {
		t.Errorf("bytes %d, want %d", s.Bytes(), want)
	}
}
