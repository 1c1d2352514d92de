package smtpd

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strings"
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
	body := strings.Repeat(strings.Repeat("b", 98)+"\r\n", 10)
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

func TestDataCheckerNULAndLongLines(t *testing.T) {
	line998 := strings.Repeat("x", 998)
	tests := []struct {
		name, data, want string
	}{
		{"998 octets", "Subject: x\r\n\r\n" + line998 + "\r\n", ""},
		{"999 octets in a preamble", "Content-Type: multipart/mixed; boundary=b\r\n\r\n" + line998 + "y\r\n--b\r\n\r\nhi\r\n--b--\r\n", "550 5.6.0 Message has a line longer than 998 octets"},
		{"999 octets last line, no CRLF yet", "Subject: x\r\n\r\n" + line998 + "y", "550 5.6.0 Message has a line longer than 998 octets"},
		{"NUL in a header", "Subject: a\x00b\r\n\r\nhi\r\n", "550 5.6.0 Message contains NUL characters"},
		{"NUL in the body", "Subject: x\r\n\r\nh\x00i\r\n", "550 5.6.0 Message contains NUL characters"},
	}
	for _, tt := range tests {
		for split := 0; split <= len(tt.data); split += 1 + len(tt.data)/50 {
			d := newDataChecker(io.Discard, 1<<20)
			d.Write([]byte(tt.data[:split]))
			d.Write([]byte(tt.data[split:]))
			err := d.verdict()
			var se *smtp.SMTPError
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("%s split %d: %v", tt.name, split, err)
			case tt.want != "" && (!errors.As(err, &se) || !strings.HasPrefix(fmt.Sprintf("%d %d.%d.%d %s", se.Code, se.EnhancedCode[0], se.EnhancedCode[1], se.EnhancedCode[2], se.Message), tt.want)):
				t.Errorf("%s split %d: got %v, want %q", tt.name, split, err, tt.want)
			}
		}
	}
}

// FuzzDataChecker: the verdict cannot depend on how the client's bytes
// were split into writes, and the bytes pass through unchanged.
func FuzzDataChecker(f *testing.F) {
	f.Add([]byte("Subject: x\r\n\r\nbody\r\n"), uint16(3))
	f.Add([]byte("Subject: a\x00b\r\n\r\nhi\r\n"), uint16(11))
	f.Add([]byte("Subject: x\r\n\r\n"+strings.Repeat("y", 998)+"\r\n"), uint16(1000))
	f.Add([]byte("Subject: x\r\n\r\n"+strings.Repeat("y", 999)+"\r\n"), uint16(1013))
	f.Add([]byte("Subject: x\r\n\r\nbody\n.\nMAIL FROM:<x@y>\r\n"), uint16(20))
	f.Fuzz(func(t *testing.T, data []byte, at uint16) {
		split := int(at) % (len(data) + 1)
		var whole, parts bytes.Buffer
		d1 := newDataChecker(&whole, 200)
		d1.Write(data)
		d2 := newDataChecker(&parts, 200)
		d2.Write(data[:split])
		d2.Write(data[split:])
		e1, e2 := fmt.Sprint(d1.verdict()), fmt.Sprint(d2.verdict())
		if e1 != e2 {
			t.Fatalf("split %d: %s vs %s", split, e1, e2)
		}
		bare, nul, long := referenceChecks(data)
		if got := d2.bare || d2.prevCR; got != bare || (!bare && (d2.nul != nul || d2.long != long)) {
			t.Fatalf("split %d: bare %v nul %v long %v, reference %v %v %v", split, got, d2.nul, d2.long, bare, nul, long)
		}
		if !bytes.Equal(whole.Bytes(), data) || !bytes.Equal(parts.Bytes(), data) {
			t.Fatal("bytes changed")
		}
	})
}

// referenceChecks is the slow, obvious reading of RFC 5321 section 2.3.8
// and RFC 5322 sections 2.1 and 2.1.1 that the data checker must agree with.
func referenceChecks(data []byte) (bare, nul, long bool) {
	for i, c := range data {
		switch {
		case c == '\r' && (i+1 == len(data) || data[i+1] != '\n'):
			bare = true
		case c == '\n' && (i == 0 || data[i-1] != '\r'):
			bare = true
		case c == 0:
			nul = true
		}
	}
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		n := len(bytes.TrimSuffix(line, []byte("\r\n")))
		if n > maxLine {
			long = true
		}
	}
	return bare, nul, long
}
