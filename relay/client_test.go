package relay

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/okuri/okuri/certs"
	"github.com/okuri/okuri/internal/smtpsink"
)

const testMsg = "From: a@agency.test\r\nTo: b@example.test\r\nSubject: hi\r\n\r\nbody\r\n.leading dot\r\n"

func tlsPair(t *testing.T) (*tls.Config, *tls.Config) {
	srv, cli, err := certs.ForTest()
	if err != nil {
		t.Fatal(err)
	}
	return srv, cli
}

func TestClientDeliversWithTLSAndAuthAndReusesConnections(t *testing.T) {
	srvTLS, cliTLS := tlsPair(t)
	sink := smtpsink.Start(t, smtpsink.Options{TLS: srvTLS, Username: "relay", Password: "s3cret"})
	cl, err := NewClient(Options{Upstream: "smtp://" + sink.Addr, TLS: cliTLS, Username: "relay", Password: "s3cret", PoolSize: 2, PoolIdle: time.Minute, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for i := range 3 {
		res, err := cl.Send(context.Background(), Envelope{From: "a@agency.test", To: []string{"b@example.test", "c@example.test"}}, strings.NewReader(testMsg))
		if err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		if len(res.Accepted) != 2 || len(res.Refused) != 0 {
			t.Fatalf("send %d: %+v", i, res)
		}
	}
	msgs := sink.Messages()
	if len(msgs) != 3 || !msgs[0].TLS || msgs[0].User != "relay" {
		t.Fatalf("sink got %d messages, first %+v", len(msgs), msgs[0])
	}
	if !bytes.Equal(msgs[2].Data, []byte(testMsg)) {
		t.Fatalf("bytes changed:\n%q\n%q", msgs[2].Data, testMsg)
	}
	if n := sink.Connections(); n != 1 {
		t.Fatalf("sink saw %d connections for 3 messages; want 1 (pooled)", n)
	}
}

func TestClientStartTLSRequired(t *testing.T) {
	sink := smtpsink.Start(t, smtpsink.Options{}) // no TLS offered
	cl, _ := NewClient(Options{Upstream: "smtp://" + sink.Addr, Timeout: 5 * time.Second})
	defer cl.Close()
	_, err := cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"b@y.test"}}, strings.NewReader(testMsg))
	var re *Error
	if !errors.As(err, &re) || re.Op != "starttls" || !re.Temporary {
		t.Fatalf("want temporary starttls error, got %v", err)
	}
	if len(sink.Messages()) != 0 {
		t.Fatal("message sent in plaintext although STARTTLS is required")
	}
	cl, _ = NewClient(Options{Upstream: "smtp://" + sink.Addr, Timeout: 5 * time.Second, StartTLSOpportunistic: true})
	defer cl.Close()
	if _, err := cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"b@y.test"}}, strings.NewReader(testMsg)); err != nil {
		t.Fatalf("opportunistic: %v", err)
	}
}

func TestClientImplicitTLSVerifiesCertificate(t *testing.T) {
	srvTLS, cliTLS := tlsPair(t)
	sink := smtpsink.Start(t, smtpsink.Options{TLS: srvTLS, Implicit: true})
	cl, _ := NewClient(Options{Upstream: "smtps://" + sink.Addr, Timeout: 5 * time.Second}) // system roots: must fail
	defer cl.Close()
	if _, err := cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"b@y.test"}}, strings.NewReader(testMsg)); err == nil {
		t.Fatal("self-signed upstream certificate accepted without trust")
	}
	cl, _ = NewClient(Options{Upstream: "smtps://" + sink.Addr, TLS: cliTLS, Timeout: 5 * time.Second})
	defer cl.Close()
	if _, err := cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"b@y.test"}}, strings.NewReader(testMsg)); err != nil {
		t.Fatal(err)
	}
}

func TestClientRecipientRefusals(t *testing.T) {
	srvTLS, cliTLS := tlsPair(t)
	sink := smtpsink.Start(t, smtpsink.Options{TLS: srvTLS})
	sink.Refuse("bad@y.test", 550)
	sink.Refuse("later@y.test", 450)
	cl, _ := NewClient(Options{Upstream: "smtp://" + sink.Addr, TLS: cliTLS, PoolSize: 1, PoolIdle: time.Minute, Timeout: 5 * time.Second})
	defer cl.Close()

	res, err := cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"ok@y.test", "bad@y.test", "later@y.test"}}, strings.NewReader(testMsg))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Accepted) != 1 || len(res.Refused) != 2 || res.Refused[0].Temporary || !res.Refused[1].Temporary {
		t.Fatalf("partial result %+v %+v", res, res.Refused)
	}

	_, err = cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"bad@y.test"}}, strings.NewReader(testMsg))
	var re *Error
	if !errors.As(err, &re) || re.Temporary || len(re.Refused) != 1 {
		t.Fatalf("all refused permanently: %v", err)
	}
	_, err = cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"bad@y.test", "later@y.test"}}, strings.NewReader(testMsg))
	if !IsTemporary(err) {
		t.Fatalf("one temporary refusal among all refused must be temporary: %v", err)
	}
	if got := len(sink.Messages()); got != 1 {
		t.Fatalf("sink got %d messages, want 1", got)
	}
	sink.FailData(554)
	_, err = cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"ok@y.test"}}, strings.NewReader(testMsg))
	if !errors.As(err, &re) || re.Temporary || re.Op != "data" {
		t.Fatalf("554 after DATA: %v", err)
	}
}

func TestClientUpstreamDown(t *testing.T) {
	sink := smtpsink.Start(t, smtpsink.Options{})
	addr := sink.Addr
	sink.Close()
	cl, _ := NewClient(Options{Upstream: "smtp://" + addr, Timeout: 2 * time.Second})
	_, err := cl.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"b@y.test"}}, strings.NewReader(testMsg))
	if !IsTemporary(err) {
		t.Fatalf("down upstream must be temporary: %v", err)
	}
}

func TestClientRetriesStalePooledConnection(t *testing.T) {
	srvTLS, cliTLS := tlsPair(t)
	sink := smtpsink.Start(t, smtpsink.Options{TLS: srvTLS})
	cl, _ := NewClient(Options{Upstream: "smtp://" + sink.Addr, TLS: cliTLS, PoolSize: 1, PoolIdle: time.Minute, Timeout: 5 * time.Second})
	defer cl.Close()
	env := Envelope{From: "a@x.test", To: []string{"b@y.test"}}
	if _, err := cl.Send(context.Background(), env, strings.NewReader(testMsg)); err != nil {
		t.Fatal(err)
	}
	// Break the pooled connection underneath the client.
	cl.mu.Lock()
	cl.idle[0].c.Close()
	cl.mu.Unlock()
	if _, err := cl.Send(context.Background(), env, strings.NewReader(testMsg)); err != nil {
		t.Fatalf("send on stale pooled connection: %v", err)
	}
	if got := len(sink.Messages()); got != 2 {
		t.Fatalf("sink got %d, want 2", got)
	}
}

func TestDirSender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	d, err := NewDirSender(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"b@y.test"}, ID: "01JD3QX7B2M4N6P8R0S2T4V6W8"}, strings.NewReader(testMsg)); err != nil {
		t.Fatal(err)
	}
	emls, _ := filepath.Glob(filepath.Join(dir, "*-01JD3QX7B2M4N6P8R0S2T4V6W8-*.eml"))
	envs, _ := filepath.Glob(filepath.Join(dir, "*.envelope.json"))
	tmps, _ := filepath.Glob(filepath.Join(dir, ".tmp-*"))
	if len(emls) != 1 || len(envs) != 1 || len(tmps) != 0 {
		t.Fatalf("outbox: %v %v %v", emls, envs, tmps)
	}
	got, _ := os.ReadFile(emls[0])
	if string(got) != testMsg {
		t.Fatalf("eml differs: %q", got)
	}
}

// An id is only ever a file name token: path separators and dots go.
func TestDirSenderIDIsAToken(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	d, _ := NewDirSender(dir)
	if _, err := d.Send(context.Background(), Envelope{From: "a@x.test", To: []string{"b@y.test"}, ID: "../../etc/x"}, strings.NewReader(testMsg)); err != nil {
		t.Fatal(err)
	}
	emls, _ := filepath.Glob(filepath.Join(dir, "*-etcx-*.eml"))
	if len(emls) != 1 {
		all, _ := os.ReadDir(dir)
		t.Fatalf("outbox: %v", all)
	}
}
