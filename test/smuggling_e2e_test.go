package test

import (
	"bufio"
	"encoding/base64"
	"net"
	"strings"
	"testing"
	"time"
)

// TestSmugglingSequencesNeverEndData sends the SMTP smuggling sequences of
// 2023 inside DATA, each followed by a smuggled second transaction. okuri
// must read on to the real CRLF.CRLF, refuse the message once, and deliver
// nothing: neither the carrier nor the smuggled message.
func TestSmugglingSequencesNeverEndData(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	auth := base64.StdEncoding.EncodeToString([]byte("\x00alice@agency.test\x00alicePass-123"))
	for _, seq := range []string{"\n.\n", "\r.\r", "\r\n.\n", "\n.\r\n", "\r.\r\n"} {
		t.Run(strings.NewReplacer("\r", "CR", "\n", "LF").Replace(seq), func(t *testing.T) {
			c, err := net.Dial("tcp", p.SMTP)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			c.SetDeadline(time.Now().Add(10 * time.Second))
			smuggled := "MAIL FROM:<alice@agency.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\n" +
				"From: alice@agency.test\r\n\r\nsmuggled\r\n"
			script := "EHLO client.test\r\nAUTH PLAIN " + auth + "\r\n" +
				"MAIL FROM:<alice@agency.test>\r\nRCPT TO:<x@example.test>\r\nDATA\r\n" +
				"From: alice@agency.test\r\n\r\ncarrier" + seq + smuggled + "\r\n.\r\nQUIT\r\n"
			if _, err := c.Write([]byte(script)); err != nil {
				t.Fatal(err)
			}
			var replies []string
			r := bufio.NewReader(c)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					break
				}
				if len(line) > 3 && line[3] == ' ' { // last line of a reply
					replies = append(replies, strings.TrimSpace(line))
				}
			}
			want := []string{"220", "250", "235", "250", "250", "354", "550 5.6.0", "221"}
			if len(replies) != len(want) {
				t.Fatalf("replies %q, want codes %q", replies, want)
			}
			for i, w := range want {
				if !strings.HasPrefix(replies[i], w) {
					t.Fatalf("reply %d = %q, want %q (all: %q)", i, replies[i], w, replies)
				}
			}
		})
	}
	// The pass path relays before it replies, and a refused message is
	// never handed on: after the last reply nothing more can arrive.
	if n := len(e.Sink.Messages()); n != 0 {
		t.Fatalf("sink received %d messages; nothing may be delivered", n)
	}
}

// TestDotCRIsNotAnEndOfData covers CRLF "." CR followed by text. go-smtp's
// DATA reader treats the lone CR after a leading dot as part of dot
// stuffing and drops it, so okuri never sees a bare CR to refuse. What
// matters holds: DATA does not end there, exactly one message (carrying the
// would-be smuggled text as body) reaches the upstream, with CRLF only.
func TestDotCRIsNotAnEndOfData(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	auth := base64.StdEncoding.EncodeToString([]byte("\x00alice@agency.test\x00alicePass-123"))
	c, err := net.Dial("tcp", p.SMTP)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	script := "EHLO client.test\r\nAUTH PLAIN " + auth + "\r\n" +
		"MAIL FROM:<alice@agency.test>\r\nRCPT TO:<x@example.test>\r\nDATA\r\n" +
		"From: alice@agency.test\r\n\r\ncarrier\r\n.\rMAIL FROM:<alice@agency.test>\r\nRCPT TO:<victim@example.test>\r\nDATA\r\nsmuggled\r\n.\r\nQUIT\r\n"
	c.Write([]byte(script))
	r := bufio.NewReader(c)
	var codes []string
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			break
		}
		if len(line) > 3 && line[3] == ' ' {
			codes = append(codes, line[:3])
		}
	}
	if got := strings.Join(codes, " "); got != "220 250 235 250 250 354 250 221" {
		t.Fatalf("reply codes %s", got)
	}
	// Every transaction was answered, and the pass path answers only
	// after relaying: the sink holds everything there will be.
	msgs := e.Sink.Wait(t, 1, 5*time.Second)
	if len(e.Sink.Messages()) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "x@example.test" {
		t.Fatalf("sink: %d messages, first to %v", len(e.Sink.Messages()), msgs[0].To)
	}
	body := string(msgs[0].Data)
	if strings.Count(body, "\r") != strings.Count(body, "\r\n") || strings.Count(body, "\n") != strings.Count(body, "\r\n") {
		t.Fatalf("bare CR or LF reached the upstream: %q", body)
	}
}
