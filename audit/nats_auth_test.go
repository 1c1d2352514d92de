package audit

import (
	"context"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

func freeLoopback(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestEmbeddedListenerNeedsToken: with audit.embedded_listen set, a
// client without the token cannot connect (to read or to publish); with
// the token from data_dir it reads the stream; the token file is private
// and survives a restart.
func TestEmbeddedListenerNeedsToken(t *testing.T) {
	dir := t.TempDir()
	addr := freeLoopback(t)
	ob := newBoltOutbox(t, openBolt(t), OutboxOptions{})
	l, err := Open(context.Background(), fastOptions(Options{DataDir: dir, EmbeddedListen: addr}), ob, nil, testLogger(t))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		l.Close(ctx)
	}()
	if err := l.Emit(context.Background(), mailEvents(3, "tok")...); err != nil {
		t.Fatal(err)
	}
	waitDrained(t, ob, 10*time.Second)

	if nc, err := nats.Connect("nats://"+addr, nats.Timeout(3*time.Second)); err == nil {
		nc.Close()
		t.Fatal("connected without credentials")
	} else if !strings.Contains(strings.ToLower(err.Error()), "authorization") {
		t.Fatalf("connect without credentials: %v", err)
	}
	if nc, err := nats.Connect("nats://"+addr, nats.Token("guessed-token-guessed-token-guessed"), nats.Timeout(3*time.Second)); err == nil {
		nc.Close()
		t.Fatal("connected with a wrong token")
	}

	path := EmbeddedTokenFile(dir)
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("token file mode %v, want 0600", fi.Mode().Perm())
	}
	tok, err := ReadTokenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	nc, err := nats.Connect("nats://"+addr, nats.Token(tok), nats.Timeout(3*time.Second))
	if err != nil {
		t.Fatalf("connect with the token: %v", err)
	}
	defer nc.Close()
	js, _ := jetstream.New(nc)
	if msgs := readAll(t, js, "OKURI_AUDIT"); len(msgs) < 3 {
		t.Fatalf("read %d events with the token", len(msgs))
	}
	again, err := embeddedToken(path)
	if err != nil || again != tok {
		t.Errorf("token changed on the next start: %v", err)
	}
}
