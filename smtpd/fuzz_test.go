package smtpd

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/directory"
	"github.com/okuri/okuri/spool"
)

// syncBuffer collects log output from concurrent sessions.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// FuzzSession drives a real listener with arbitrary command streams in
// every state (greeting, AUTH, MAIL, RCPT, DATA). go-smtp turns a panic into
// "421 Internal server error" and logs it, so the log is the oracle.
func FuzzSession(f *testing.F) {
	seeds := []string{
		"EHLO x\r\nMAIL FROM:<a@agency.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\nFrom: a@agency.test\r\n\r\nhi\r\n.\r\nQUIT\r\n",
		"EHLO x\r\nAUTH PLAIN AGFAYWdlbmN5LnRlc3QAcGFzc3dvcmQ=\r\nMAIL FROM:<a@agency.test> SIZE=10\r\n",
		"EHLO x\r\nAUTH LOGIN\r\nYQ==\r\ncA==\r\nRSET\r\nNOOP\r\n",
		"HELO x\r\nMAIL FROM:<>\r\nRCPT TO:<@route:b@x>\r\nDATA\r\n",
		"EHLO x\r\nMAIL FROM:<a@agency.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\nbody\n.\nMAIL FROM:<evil@x>\r\n.\r\n",
		"EHLO x\r\nMAIL FROM:<a@agency.test>\r\nRCPT TO:<b@example.test>\r\nBDAT 5 LAST\r\nhello",
		"EHLO x\r\nSTARTTLS\r\n",
		"\x00\xff\r\nEHLO \x80\r\nVRFY x\r\nEXPN y\r\nHELP\r\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	srv, addr, logs := fuzzServer(f)
	defer srv.Close()
	f.Fuzz(func(t *testing.T, input []byte) {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(2 * time.Second))
		go func() {
			c.Write(input)
			c.Write([]byte("\r\n.\r\nQUIT\r\n"))
		}()
		io.Copy(io.Discard, c)
		if l := logs.String(); strings.Contains(l, "panic") {
			t.Fatalf("session panicked on %q:\n%s", input, l)
		}
	})
}

func fuzzServer(f *testing.F) (*Server, string, *syncBuffer) {
	serverTLS, _, err := certs.ForTest()
	if err != nil {
		f.Fatal(err)
	}
	dir, err := directory.Load(f.TempDir() + "/none.yaml")
	if err != nil {
		f.Fatal(err)
	}
	logs := &syncBuffer{}
	srv, err := New(Options{
		Hostname: "fuzz.test", Listen: "127.0.0.1:0", TLS: serverTLS.Clone(),
		AllowPlaintextLoopback: true,
		Limits: Limits{MaxMessageBytes: 1 << 16, MaxRecipients: 5, MaxLineLength: 1000, MaxHeaderBytes: 1 << 12,
			CommandTimeout: 2 * time.Second, DataTimeout: 2 * time.Second, MaxConnections: 100, MaxConnectionsPerIP: 100},
		Spool:      spool.New(f.TempDir(), 1<<10),
		Logger:     slog.New(slog.NewTextHandler(logs, nil)),
		NewQueueID: func() string { return "FUZZ" },
	}, &Settings{Directory: dir, AuthMaxFailures: 1000, AuthWindow: time.Minute,
		Trusted: trustedLoopback()}, HandlerFunc(func(ctx context.Context, m *Message) Reply {
		io.Copy(io.Discard, m.Body.Reader())
		return Reply{Code: 250, Enhanced: [3]int{2, 0, 0}, Text: "ok"}
	}))
	if err != nil {
		f.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		f.Fatal(err)
	}
	return srv, srv.Addrs()[0].String(), logs
}

func trustedLoopback() []TrustedNetwork {
	return []TrustedNetwork{{Prefix: mustPrefix("127.0.0.0/8"), SenderDomains: []string{"agency.test"}}}
}
