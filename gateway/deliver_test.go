package gateway

import (
	"bytes"
	"context"
	"io"
	"testing"

	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/relay"
)

// The pass path rewrites the header it read once in Handle: each
// delivery of a split with forced BCC carries exactly the bytes the
// rewrite of the stored message gives (what a release sends), and the
// body unchanged.
func TestDeliverRewritesTheHeaderReadOnce(t *testing.T) {
	var sent [][]byte
	f := newFixture(t, fixtureOpts{relay: func(next relay.Sender, _ *auditRecorder) relay.Sender {
		return senderFunc(func(ctx context.Context, env relay.Envelope, msg io.Reader) (*relay.Result, error) {
			b, err := io.ReadAll(msg)
			if err != nil {
				return nil, err
			}
			sent = append(sent, b)
			return next.Send(ctx, env, bytes.NewReader(b))
		})
	}})
	to := []string{"yamada.hanako@gmail.com", "sato.jiro@yahoo.co.jp", "suzuki@agency.example.jp"}
	const body = "\r\n明日の会議は10時からです。\r\n"
	msg := "From: tanaka@agency.example.jp\r\nTo: =?UTF-8?B?5bGx55Sw?= <yamada.hanako@gmail.com>,\r\n sato.jiro@yahoo.co.jp\r\nCc: suzuki@agency.example.jp\r\n" +
		"Subject: hi\r\nContent-Type: text/plain; charset=UTF-8\r\n" + body
	m := message(t, "tanaka@agency.example.jp", to, msg)
	h, err := readHeader(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	d := &policy.Decision{Action: policy.Split, Rule: "split"}
	d.Rewrite.Split, d.Rewrite.ForceBCC, d.Rewrite.Internal = true, true, []string{"agency.example.jp"}
	dls := d.Deliveries(m.From, m.To)
	rep := f.gw.deliver(context.Background(), m, h, displayHeaders(h), nil, d, dls, f.gw.log)
	if rep.Code != 250 || len(sent) != 3 {
		t.Fatalf("reply %+v, %d messages sent, want 250 and 3", rep, len(sent))
	}
	for i, dl := range dls {
		r, err := dl.Apply(bytes.NewReader([]byte(msg)))
		if err != nil {
			t.Fatal(err)
		}
		want, _ := io.ReadAll(r)
		if !bytes.Equal(sent[i], want) || !bytes.HasSuffix(sent[i], []byte(body)) {
			t.Errorf("delivery %d sent\n%q\nwant\n%q", i, sent[i], want)
		}
	}
	if bytes.Contains(sent[1], []byte("sato.jiro")) || bytes.Contains(sent[2], []byte("yamada")) {
		t.Errorf("split deliveries show the other external recipient:\n%q\n%q", sent[1], sent[2])
	}
}
