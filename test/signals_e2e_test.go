package test

import (
	"io"
	"net"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// TestSIGTERMLetsSessionFinish: a message in the middle of DATA when
// SIGTERM arrives is still accepted and delivered; new connections are
// not; the process then exits 0.
func TestSIGTERMLetsSessionFinish(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()
	if err := c.Mail("alice@agency.test", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Rcpt("x@example.test", nil); err != nil {
		t.Fatal(err)
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, "From: alice@agency.test\r\nSubject: in flight\r\n\r\nfirst half\r\n")
	p.signal(syscall.SIGTERM)
	p.waitLog(`"msg":"shutting down"`, 5*time.Second)
	if conn, err := net.DialTimeout("tcp", p.SMTP, time.Second); err == nil {
		conn.SetReadDeadline(time.Now().Add(time.Second))
		buf := make([]byte, 64)
		n, _ := conn.Read(buf)
		conn.Close()
		if strings.HasPrefix(string(buf[:n]), "220") {
			t.Fatal("a new connection was greeted after SIGTERM")
		}
	}
	io.WriteString(w, "second half\r\n")
	if err := w.Close(); err != nil {
		t.Fatalf("message in flight at SIGTERM: %v", err)
	}
	c.Quit()
	if err := p.waitExit(10 * time.Second); err != nil {
		t.Fatalf("exit: %v", err)
	}
	m := e.Sink.Wait(t, 1, time.Second)[0]
	if !strings.Contains(string(m.Data), "first half\r\nsecond half") {
		t.Fatalf("delivered %q", m.Data)
	}
}

// TestSIGTERMClosesIdleSessionsAfterGrace: an idle client cannot hold the
// gateway open past the shutdown grace.
func TestSIGTERMClosesIdleSessionsAfterGrace(t *testing.T) {
	e := newEnv(t)
	e.Cfg.ShutdownGrace = "1s"
	p := e.start()
	c := dialAuth(t, e, p, "alice@agency.test", "alicePass-123")
	defer c.Close()
	start := time.Now()
	p.signal(syscall.SIGTERM)
	if err := p.waitExit(15 * time.Second); err != nil {
		t.Fatalf("exit: %v", err)
	}
	if d := time.Since(start); d > 12*time.Second {
		t.Fatalf("shutdown took %v with an idle session", d)
	}
	p.waitLog("shutdown deadline passed", time.Second)
}

// TestSIGHUPReload: a user added with `okuri user add` while running can
// log in at once (the users file is re-read when it changes, issue 12 item
// 5), and still after SIGHUP; a broken config on reload is refused and the
// running one stays.
func TestSIGHUPReload(t *testing.T) {
	e := newEnv(t)
	p := e.start()
	tryAuth := func(user, pw string) error {
		c, err := smtp.DialStartTLS(p.SMTP, e.clientTLS(t))
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		return c.Auth(sasl.NewPlainClient("", user, pw))
	}
	if err := tryAuth("bob@agency.test", "bobPass-4567"); err == nil {
		t.Fatal("unknown user accepted")
	}
	e.addUser("bob@agency.test", "bobPass-4567")
	if err := tryAuth("bob@agency.test", "bobPass-4567"); err != nil {
		t.Fatalf("new user before reload: %v", err)
	}
	p.signal(syscall.SIGHUP)
	p.waitLog(`"msg":"config reloaded"`, 5*time.Second)
	if err := tryAuth("bob@agency.test", "bobPass-4567"); err != nil {
		t.Fatalf("new user after reload: %v", err)
	}
	good, _ := os.ReadFile(e.cfgPath)
	os.WriteFile(e.cfgPath, append(good, []byte("bogus_key: 1\n")...), 0o600)
	p.signal(syscall.SIGHUP)
	p.waitLog(`"msg":"config reload refused"`, 5*time.Second)
	p.waitLog(`bogus_key: unknown key`, time.Second)
	if err := tryAuth("alice@agency.test", "alicePass-123"); err != nil {
		t.Fatalf("after a refused reload: %v", err)
	}
}

func TestCheckConfigBinary(t *testing.T) {
	e := newEnv(t)
	e.writeConfig()
	if out, err := runOkuri(nil, "check-config", "-config", e.cfgPath); err != nil || !strings.Contains(out, ": ok") {
		t.Fatalf("good config: %v\n%s", err, out)
	}
	bad := e.cfgPath + ".bad"
	os.WriteFile(bad, []byte("smtp:\n  listen: nope\n  limits:\n    max_recipients: -1\nrelay:\n  upstream: ftp://x\ntypo: 1\n"), 0o600)
	out, err := runOkuri(nil, "check-config", "-config", bad)
	if err == nil {
		t.Fatal("bad config passed")
	}
	for _, want := range []string{
		bad + ":2: smtp.listen: must be host:port",
		bad + ":4: smtp.limits.max_recipients: must be greater than zero",
		bad + ":6: relay.upstream: must be smtp://host:port",
		bad + ":7: typo: unknown key",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	if out, err := runOkuri(nil, "check-config", "-config", "../examples/okuri.yaml"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
}
