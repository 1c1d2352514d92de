package smtpd

import (
	"bufio"
	"crypto/tls"
	"encoding/base64"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"
)

const chunkedMsg = "From: Alice <alice@agency.test>\r\nTo: customer@example.net\r\nSubject: list\r\n\r\n" +
	"name,phone\r\nYamada Taro,090-1234-5678\r\n"

// waitIdle waits until the server has closed every connection, which
// go-smtp does only after the session's Data (and so the Handler) returned.
func waitIdle(t *testing.T, srv *Server) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		srv.conns.mu.Lock()
		n := srv.conns.total
		srv.conns.mu.Unlock()
		if n == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d connections still open", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A client that announces BDAT n LAST and disconnects after fewer than n
// octets sent a partial message and got no reply: nothing may be handed
// on (RFC 3030 section 2: the chunk is n octets).
func TestBDATCutShortIsNotHandled(t *testing.T) {
	for _, tt := range []struct {
		name   string
		chunks string
	}{
		{"LAST cut short", "BDAT 200 LAST\r\n" + chunkedMsg},
		{"second chunk LAST cut short", "BDAT 20\r\n" + chunkedMsg[:20] + "BDAT 500 LAST\r\n" + chunkedMsg[20:]},
		{"middle chunk cut short", "BDAT 500\r\n" + chunkedMsg},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv, rec := testServer(t)
			c := login(t, srv, "alice@agency.test", alicePass)
			c.expect("MAIL FROM:<alice@agency.test>", "250")
			c.expect("RCPT TO:<customer@example.net>", "250")
			c.write(tt.chunks)
			c.c.(*net.TCPConn).CloseWrite()
			waitIdle(t, srv)
			if msgs := rec.messages(); len(msgs) != 0 {
				t.Fatalf("handler got %d messages from a cut-short chunk: %q", len(msgs), msgs[0].Data)
			}
		})
	}
}

// The same chunks, complete, are one message.
func TestBDATComplete(t *testing.T) {
	srv, rec := testServer(t)
	c := login(t, srv, "alice@agency.test", alicePass)
	c.expect("MAIL FROM:<alice@agency.test>", "250")
	c.expect("RCPT TO:<customer@example.net>", "250")
	c.write("BDAT 20\r\n" + chunkedMsg[:20])
	if r := c.reply(); !strings.HasPrefix(r, "250 ") {
		t.Fatalf("first chunk: %q", r)
	}
	c.write("BDAT " + strconv.Itoa(len(chunkedMsg)-20) + " LAST\r\n" + chunkedMsg[20:])
	if r := c.reply(); !strings.HasPrefix(r, "250 2.0.0 Ok: delivered as QID1") {
		t.Fatalf("last chunk: %q", r)
	}
	msgs := rec.messages()
	if len(msgs) != 1 || !strings.HasSuffix(msgs[0].Data, chunkedMsg) {
		t.Fatalf("handler got %q", msgs)
	}
}

// DATA cut short before the final dot was never handed on; keep it so.
func TestDATACutShortIsNotHandled(t *testing.T) {
	srv, rec := testServer(t)
	c := login(t, srv, "alice@agency.test", alicePass)
	c.expect("MAIL FROM:<alice@agency.test>", "250")
	c.expect("RCPT TO:<customer@example.net>", "250")
	c.expect("DATA", "354")
	c.write(chunkedMsg)
	c.c.(*net.TCPConn).CloseWrite()
	waitIdle(t, srv)
	if n := len(rec.messages()); n != 0 {
		t.Fatalf("handler got %d messages", n)
	}
}

// Transcripts of what go-smtp hands over raw: a NUL or a control character
// inside an address, a NUL in the message, an overlong line.
func TestRefusesNULsAndLongLines(t *testing.T) {
	srv, rec := testServer(t)
	c := dialFrom(t, srv, "127.0.0.2")
	c.expect("EHLO copier", "250")
	c.expect("MAIL FROM:<cop\x00ier@scanner.agency.test>", "553 5.1.7 Sender address contains control characters")
	c.expect("MAIL FROM:<copier@scanner.agency.test>", "250")
	c.expect("RCPT TO:<cust\x00omer@example.net>", "501 5.1.3 Recipient address contains control characters")
	c.expect("RCPT TO:<customer@example.net>", "250")
	c.expect("DATA", "354")
	c.write("From: copier@scanner.agency.test\r\nSubject: scan\x00\r\n\r\nscan\r\n")
	c.expect(".", "550 5.6.0 Message contains NUL characters")

	c.expect("MAIL FROM:<copier@scanner.agency.test>", "250")
	c.expect("RCPT TO:<customer@example.net>", "250")
	c.expect("DATA", "354")
	c.write("From: copier@scanner.agency.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		strings.Repeat("This is a multi-part message in MIME format. ", 30) + "\r\n--b1\r\nContent-Type: text/plain\r\n\r\nscan\r\n--b1--\r\n")
	c.expect(".", "550 5.6.0 Message has a line longer than 998 octets")
	if n := len(rec.messages()); n != 0 {
		t.Fatalf("handler got %d messages", n)
	}
}

// The same over STARTTLS: the client's TCP connection drops mid-chunk
// (no TLS close_notify, as when a laptop leaves the network).
func TestBDATCutShortOverSTARTTLS(t *testing.T) {
	srv, rec, cliTLS := testServerTLS(t)
	c := dialFrom(t, srv, "127.0.0.1")
	raw := c.c.(*net.TCPConn)
	c.expect("EHLO client.example", "250")
	c.expect("STARTTLS", "220")
	tc := tls.Client(raw, cliTLS)
	c.c, c.r = tc, bufio.NewReader(tc)
	c.expect("EHLO client.example", "250")
	c.expect("AUTH PLAIN "+base64.StdEncoding.EncodeToString([]byte("\x00alice@agency.test\x00"+alicePass)), "235 ")
	c.expect("MAIL FROM:<alice@agency.test>", "250")
	c.expect("RCPT TO:<customer@example.net>", "250")
	c.write("BDAT 300 LAST\r\n" + chunkedMsg)
	raw.CloseWrite()
	waitIdle(t, srv)
	if n := len(rec.messages()); n != 0 {
		t.Fatalf("handler got %d messages from a cut-short chunk over TLS", n)
	}
}
