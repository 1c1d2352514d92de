package smtpd

import (
	"bytes"
	"errors"
	"io"
	"net/netip"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

func TestDataCheckerLineEnds(t *testing.T) {
	tests := []struct {
		name string
		data string
		bare bool
	}{
		{"crlf only", "Subject: x\r\n\r\nbody\r\n", false},
		{"bare lf", "Subject: x\r\n\r\nbody\nmore\r\n", true},
		{"bare cr", "Subject: x\r\n\r\nbody\rmore\r\n", true},
		{"lf dot lf", "Subject: x\r\n\r\nbody\n.\nMAIL FROM:<x@y>\r\n", true},
		{"cr dot cr", "Subject: x\r\n\r\nbody\r.\rMAIL FROM:<x@y>\r\n", true},
		{"crlf dot lf", "Subject: x\r\n\r\nbody\r\n.\nMAIL FROM:<x@y>\r\n", true},
		{"lf at start", "\nSubject: x\r\n", true},
		{"trailing cr", "Subject: x\r\n\r\nbody\r", true},
		{"empty", "", false},
	}
	for _, tt := range tests {
		// Every split point: the checker must carry state across writes.
		for split := 0; split <= len(tt.data); split++ {
			var out bytes.Buffer
			d := newDataChecker(&out, 1<<20)
			d.Write([]byte(tt.data[:split]))
			d.Write([]byte(tt.data[split:]))
			err := d.verdict()
			if got := err != nil; got != tt.bare {
				t.Errorf("%s split %d: refused=%v, want %v", tt.name, split, got, tt.bare)
			}
			var se *smtp.SMTPError
			if err != nil && (!errors.As(err, &se) || se.Code != 550) {
				t.Errorf("%s: want 550, got %v", tt.name, err)
			}
			if out.String() != tt.data {
				t.Errorf("%s split %d: bytes changed", tt.name, split)
			}
		}
	}
}

func TestDataCheckerHeaderSize(t *testing.T) {
	hdr := "Subject: x\r\nX-Pad: " + string(bytes.Repeat([]byte("a"), 100)) + "\r\n\r\n"
	body := string(bytes.Repeat([]byte("b"), 1000)) + "\r\n"
	for split := 0; split < len(hdr)+10; split += 7 {
		msg := hdr + body
		d := newDataChecker(io.Discard, 1<<20)
		d.Write([]byte(msg[:split]))
		d.Write([]byte(msg[split:]))
		if d.headerSize != int64(len(hdr)) {
			t.Fatalf("split %d: header size %d, want %d", split, d.headerSize, len(hdr))
		}
	}
	d := newDataChecker(io.Discard, 50)
	d.Write([]byte(hdr + body))
	var se *smtp.SMTPError
	if err := d.verdict(); !errors.As(err, &se) || se.Code != 552 {
		t.Fatalf("oversized header: %v", err)
	}
}

func TestLoginServer(t *testing.T) {
	var gotUser, gotPass string
	check := func(u, p string) error { gotUser, gotPass = u, p; return nil }
	s := &loginServer{check: check}
	ch, done, err := s.Next(nil)
	if string(ch) != "Username:" || done || err != nil {
		t.Fatalf("step 0: %q %v %v", ch, done, err)
	}
	ch, _, _ = s.Next([]byte("alice"))
	if string(ch) != "Password:" {
		t.Fatalf("step 1: %q", ch)
	}
	if _, done, err := s.Next([]byte("pw")); !done || err != nil || gotUser != "alice" || gotPass != "pw" {
		t.Fatalf("step 2: %v %v %q %q", done, err, gotUser, gotPass)
	}
	// Initial response carries the user name.
	s = &loginServer{check: check}
	if ch, _, _ := s.Next([]byte("bob")); string(ch) != "Password:" {
		t.Fatalf("initial response: %q", ch)
	}
}

func TestFailureLimiter(t *testing.T) {
	f := newFailureLimiter()
	ip := netip.MustParseAddr("192.0.2.1")
	now := time.Unix(1000, 0)
	for range 3 {
		f.fail(ip, time.Minute, now)
	}
	if !f.blocked(ip, 3, time.Minute, now) {
		t.Fatal("3 failures within window not blocked")
	}
	if f.blocked(ip, 3, time.Minute, now.Add(2*time.Minute)) {
		t.Fatal("failures outside window still block")
	}
	if len(f.failures) != 0 {
		t.Fatal("expired entries not pruned")
	}
}
