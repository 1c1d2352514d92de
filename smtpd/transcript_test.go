package smtpd

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/spool"
)

// Test users: alice owns sales@ as an alias; bob is another user of the
// same office.
const (
	alicePass = "alicePass-123"
	bobPass   = "bobPass-456!x"
)

// recorder is the Handler of transcript tests: it keeps every message it
// was handed, body included, and answers 250.
type recorder struct {
	mu    sync.Mutex
	msgs  []recorded
	reply *Reply // answer instead of 250
}

type recorded struct {
	From, User string
	To         []string
	Data       string
}

func (r *recorder) Handle(_ context.Context, m *Message) Reply {
	b, _ := io.ReadAll(m.Body.Reader())
	r.mu.Lock()
	r.msgs = append(r.msgs, recorded{From: m.From, User: m.User, To: m.To, Data: string(b)})
	rep := r.reply
	r.mu.Unlock()
	if rep != nil {
		return *rep
	}
	return Reply{Code: 250, Enhanced: [3]int{2, 0, 0}, Text: "Ok: delivered as " + m.QueueID}
}

func (r *recorder) messages() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recorded(nil), r.msgs...)
}

// testServer starts a Server on 127.0.0.1:0 with alice and bob in its
// directory and 127.0.0.2/32 trusted for scanner.agency.test.
func testServer(t *testing.T) (*Server, *recorder) {
	t.Helper()
	srv, rec, _ := testServerTLS(t)
	return srv, rec
}

// testServerTLS is testServer that also returns a client TLS
// configuration trusting the server's certificate.
func testServerTLS(t *testing.T) (*Server, *recorder, *tls.Config) {
	t.Helper()
	serverTLS, clientTLS, err := certs.ForTest()
	if err != nil {
		t.Fatal(err)
	}
	users := filepath.Join(t.TempDir(), "users.yaml")
	if err := directory.SetPassword(users, "alice@agency.test", "Alice", []string{"sales@agency.test"}, alicePass, true); err != nil {
		t.Fatal(err)
	}
	if err := directory.SetPassword(users, "bob@agency.test", "Bob", nil, bobPass, true); err != nil {
		t.Fatal(err)
	}
	dir, err := directory.Load(users)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	srv, err := New(Options{
		Hostname: "okuri.test", Listen: "127.0.0.1:0", TLS: serverTLS.Clone(),
		AllowPlaintextLoopback: true,
		Limits: Limits{MaxMessageBytes: 1 << 20, MaxRecipients: 10, MaxLineLength: 4000, MaxHeaderBytes: 64 << 10,
			CommandTimeout: 5 * time.Second, DataTimeout: 5 * time.Second, MaxConnections: 50, MaxConnectionsPerIP: 50},
		Spool:      spool.New(t.TempDir(), 1<<10),
		Logger:     slog.New(slog.DiscardHandler),
		NewQueueID: func() string { return "QID1" },
	}, &Settings{Directory: dir, AuthMaxFailures: 100, AuthWindow: time.Minute,
		Trusted: []TrustedNetwork{{Prefix: mustPrefix("127.0.0.2/32"), SenderDomains: []string{"scanner.agency.test"}}}},
		rec)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, rec, clientTLS
}

// tconn is a raw SMTP client: it writes exactly what the test says and
// returns the server's replies verbatim, so tests assert transcripts.
type tconn struct {
	t *testing.T
	c net.Conn
	r *bufio.Reader
}

func dialFrom(t *testing.T, srv *Server, local string) *tconn {
	t.Helper()
	d := net.Dialer{Timeout: 5 * time.Second, LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	c, err := d.Dial("tcp", srv.Addrs()[0].String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	tc := &tconn{t: t, c: c, r: bufio.NewReader(c)}
	if g := tc.reply(); !strings.HasPrefix(g, "220 ") {
		t.Fatalf("greeting: %q", g)
	}
	return tc
}

// login opens a session authenticated as user with AUTH PLAIN.
func login(t *testing.T, srv *Server, user, pass string) *tconn {
	t.Helper()
	c := dialFrom(t, srv, "127.0.0.1")
	c.expect("EHLO client.example", "250")
	c.expect("AUTH PLAIN "+base64.StdEncoding.EncodeToString([]byte("\x00"+user+"\x00"+pass)), "235 ")
	return c
}

// reply reads one (possibly multi-line) reply.
func (c *tconn) reply() string {
	c.t.Helper()
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var lines []string
	for {
		l, err := c.r.ReadString('\n')
		if err != nil {
			c.t.Fatalf("reading reply after %q: %v", lines, err)
		}
		l = strings.TrimRight(l, "\r\n")
		lines = append(lines, l)
		if len(l) < 4 || l[3] != '-' {
			return strings.Join(lines, "\n")
		}
	}
}

// cmd sends one line and returns the reply.
func (c *tconn) cmd(line string) string {
	c.t.Helper()
	c.write(line + "\r\n")
	return c.reply()
}

func (c *tconn) write(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.c, s); err != nil {
		c.t.Fatalf("write: %v", err)
	}
}

// expect sends line and fails unless the reply starts with want.
func (c *tconn) expect(line, want string) string {
	c.t.Helper()
	got := c.cmd(line)
	if !strings.HasPrefix(got, want) {
		c.t.Fatalf("C: %.60q\nS: %q\nwant a reply starting %q", line, got, want)
	}
	return got
}

// data sends MAIL, RCPT and DATA with msg (CRLF lines, no final dot) and
// returns the reply to the end of data.
func (c *tconn) data(from, to, msg string) string {
	c.t.Helper()
	c.expect("MAIL FROM:<"+from+">", "250")
	c.expect("RCPT TO:<"+to+">", "250")
	c.expect("DATA", "354")
	c.write(msg)
	return c.cmd(".")
}
