package gateway

import (
	"context"
	"io"
	"os"
	"testing"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/scan"
	"github.com/okuri/okuri/spool"
)

// benchSetup loads the example policy, a scanner and the bench
// harness's messages (testdata), spooled as smtpd spools them.
func benchSetup(b *testing.B) (*policy.Policy, *scan.Scanner, map[string]*spool.Body) {
	b.Helper()
	cfg, err := config.Load("../examples/okuri.yaml")
	if err != nil {
		b.Fatal(err)
	}
	pol, err := policy.New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	sc, err := scan.New(scan.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	bodies := map[string]*spool.Body{}
	for _, name := range benchMessages {
		data, err := os.ReadFile("testdata/bench-" + name + ".eml")
		if err != nil {
			b.Fatal(err)
		}
		w := spool.New(b.TempDir(), 1<<20).NewWriter()
		w.Write(data)
		if bodies[name], err = w.Finish(); err != nil {
			b.Fatal(err)
		}
	}
	return pol, sc, bodies
}

var benchMessages = []string{"text4k", "csv100k"}

var knownAll = policy.KnownFunc(func(context.Context, string) (bool, error) { return true, nil })

// BenchmarkScanDecide measures what the gateway does per message before it
// relays: display headers, scan, facts and decision (the bench harness's
// messages, in testdata). Run with:
//
//	go test -run '^$' -bench ScanDecide -benchmem ./gateway
func BenchmarkScanDecide(b *testing.B) {
	pol, sc, bodies := benchSetup(b)
	for _, name := range benchMessages {
		body := bodies[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(body.Size())
			for b.Loop() {
				h, _ := readHeader(body)
				displayHeaders(h)
				res, err := sc.Scan(context.Background(), body, body.Size())
				f := pol.Facts(context.Background(), policy.Input{MailFrom: "alice@agency.example.jp",
					RcptTo: []string{"bob@example.net"}, Header: h, Message: body.Reader(), Scan: res, ScanErr: err, History: knownAll})
				pol.Decide(f)
			}
		})
	}
}

// BenchmarkPassPath is BenchmarkScanDecide plus the header rewrite of
// each delivery, read to the end as the relay would (the upstream left
// out). Run with:
//
//	go test -run '^$' -bench PassPath -benchmem ./gateway
func BenchmarkPassPath(b *testing.B) {
	pol, sc, bodies := benchSetup(b)
	rcpts := []string{"rcpt@example.net", "bob@agency.example.jp"}
	for _, name := range benchMessages {
		body := bodies[name]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(body.Size())
			for b.Loop() {
				h, _ := readHeader(body)
				displayHeaders(h)
				res, err := sc.Scan(context.Background(), body, body.Size())
				f := pol.Facts(context.Background(), policy.Input{MailFrom: "alice@agency.example.jp",
					RcptTo: rcpts, Header: h, Message: body.Reader(), Scan: res, ScanErr: err, History: knownAll})
				d := pol.Decide(f)
				for _, dl := range d.Deliveries("alice@agency.example.jp", rcpts) {
					r, err := apply(&dl, h, body)
					if err != nil {
						b.Fatal(err)
					}
					io.Copy(io.Discard, r)
				}
			}
		})
	}
}
