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

// BenchmarkScanDecide measures what the gateway does per message before it
// relays: display headers, scan, facts and decision (the bench harness's
// messages, in testdata). Run with:
//
//	go test -run '^$' -bench ScanDecide -benchmem ./gateway
func BenchmarkScanDecide(b *testing.B) {
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
	for _, name := range []string{"text4k", "csv100k"} {
		data, err := os.ReadFile("testdata/bench-" + name + ".eml")
		if err != nil {
			b.Fatal(err)
		}
		sp := spool.New(b.TempDir(), 1<<20)
		w := sp.NewWriter()
		w.Write(data)
		body, _ := w.Finish()
		known := policy.KnownFunc(func(context.Context, string) (bool, error) { return true, nil })
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				h, _ := readHeader(body)
				displayHeaders(h)
				res, err := sc.Scan(context.Background(), body, body.Size())
				f := pol.Facts(context.Background(), policy.Input{MailFrom: "alice@agency.example.jp",
					RcptTo: []string{"bob@example.net"}, Header: h, Message: body.Reader(), Scan: res, ScanErr: err, History: known})
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
	for _, name := range []string{"text4k", "csv100k"} {
		data, err := os.ReadFile("testdata/bench-" + name + ".eml")
		if err != nil {
			b.Fatal(err)
		}
		sp := spool.New(b.TempDir(), 1<<20)
		w := sp.NewWriter()
		w.Write(data)
		body, _ := w.Finish()
		known := policy.KnownFunc(func(context.Context, string) (bool, error) { return true, nil })
		rcpts := []string{"rcpt@example.net", "bob@agency.example.jp"}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				h, _ := readHeader(body)
				displayHeaders(h)
				res, err := sc.Scan(context.Background(), body, body.Size())
				f := pol.Facts(context.Background(), policy.Input{MailFrom: "alice@agency.example.jp",
					RcptTo: rcpts, Header: h, Message: body.Reader(), Scan: res, ScanErr: err, History: known})
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
