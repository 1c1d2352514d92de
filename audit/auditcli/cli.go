// Package auditcli implements `okuri audit …`: the security team's tools
// over the audit stream (or an export file): verify, tail, export and the
// monthly evidence report. cmd/okuri only dispatches to Run.
//
// Exit codes: 0 success, 1 verification found problems, 2 usage or
// connection errors.
package auditcli

import (
	"bufio"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // report months in Asia/Tokyo on hosts without zoneinfo

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/okuri/okuri/audit"
)

const usage = `usage: okuri audit <command> [flags]

commands:
  verify  [-nats URL -stream NAME | -data DIR | -file EXPORT.jsonl] [-pubkey PEM] [-since D] [-json]
          check every instance's hash chain; exit 1 on any problem
  tail    [-nats URL -stream NAME] [-f] [-type T] [-since D] [-tz ZONE]
          print events for people (日本語 / English)
  export  [-nats URL -stream NAME] -since D [-until D] [-format jsonl|csv] [-o FILE]
          jsonl keeps the exact published bytes (verifiable with verify -file);
          csv is UTF-8 with BOM for Excel
  report  -month 2026-11 [-format csv|html] [-tz ZONE] [-nats URL -stream NAME | -file F]
          monthly evidence report (証跡レポート) for No.118 / 指針5-5

Sources: -nats URL (default $OKURI_AUDIT_NATS_URL or nats://127.0.0.1:4222) with
-stream NAME (default OKURI_AUDIT); -data DIR reads the embedded store of a
stopped gateway; -or-data DIR reads it when nothing answers at -nats;
-file reads a JSONL export. okuri audit … -config okuri.yaml finds the
source in the configuration (cmd/okuri).

D is a duration back from now (90m, 24h, 7d) or a date/time (2026-11-01, 2026-11-01T09:00:00+09:00).
`

// Run executes `okuri audit args…`.
func Run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var err error
	code := 0
	switch args[0] {
	case "verify":
		code, err = runVerify(ctx, args[1:], stdout, stderr)
	case "tail":
		err = runTail(ctx, args[1:], stdout, stderr)
	case "export":
		err = runExport(ctx, args[1:], stdout, stderr)
	case "report":
		err = runReport(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "okuri audit: unknown command %q\n%s", args[0], usage)
		return 2
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "okuri audit %s: %v\n", args[0], err)
		return 2
	}
	return code
}

// source is where events are read from: the stream or an export file.
type source struct {
	natsURL   string
	tokenFile string
	stream    string
	file      string
	dataDir   string
	// orData is read when nothing answers at natsURL: the embedded store
	// of a stopped gateway that, while it runs, serves it on a listener.
	orData string
}

func (s *source) flags(fs *flag.FlagSet, withFile bool) {
	fs.StringVar(&s.natsURL, "nats", envOr("OKURI_AUDIT_NATS_URL", nats.DefaultURL), "NATS URL")
	fs.StringVar(&s.tokenFile, "nats-token-file", "", "file with the NATS token (the embedded server's data_dir/audit-nats.token)")
	fs.StringVar(&s.stream, "stream", "OKURI_AUDIT", "JetStream stream name")
	if withFile {
		fs.StringVar(&s.file, "file", "", "read a JSONL export instead of the stream")
	}
	fs.StringVar(&s.dataDir, "data", "", "read the embedded JetStream store in this data directory (gateway stopped)")
	fs.StringVar(&s.orData, "or-data", "", "if nothing answers at -nats, read the embedded store in this data directory")
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// each calls fn for every event payload from since on (stream sequence 0
// for export files). follow keeps reading new stream messages.
func (s *source) each(ctx context.Context, since time.Time, follow bool, fn func(sseq uint64, data []byte) error) error {
	if s.file != "" {
		f, err := os.Open(s.file)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 64*1024), 16<<20)
		line := 0
		for sc.Scan() {
			line++
			b := sc.Bytes()
			if len(b) == 0 {
				continue
			}
			if line == 1 {
				b = []byte(strings.TrimPrefix(string(b), "\ufeff"))
			}
			if !since.IsZero() {
				if ev, err := audit.Unmarshal(b); err == nil && ev.Time.Before(since) {
					continue
				}
			}
			if err := fn(0, append([]byte(nil), b...)); err != nil {
				return err
			}
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s line %d: %w", s.file, line, err)
		}
		return nil
	}
	nc, closeFn, err := s.connect()
	if err != nil {
		return err
	}
	defer closeFn()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	return audit.ReadStream(ctx, js, s.stream, audit.ReadOptions{Since: since, Follow: follow}, fn)
}

// connect opens the stream's NATS connection: the URL, or the embedded
// store of a stopped gateway. Its errors say what to do next.
func (s *source) connect() (*nats.Conn, func(), error) {
	if s.dataDir != "" {
		return openStore(s.dataDir)
	}
	opts := []nats.Option{nats.Name("okuri-audit-cli"), nats.Timeout(5 * time.Second)}
	if s.tokenFile != "" {
		tok, err := audit.ReadTokenFile(s.tokenFile)
		if err != nil && s.orData == "" {
			return nil, nil, err
		}
		opts = append(opts, nats.Token(tok))
	}
	nc, err := nats.Connect(s.natsURL, opts...)
	if err == nil {
		return nc, nc.Close, nil
	}
	if errors.Is(err, nats.ErrAuthorization) {
		return nil, nil, fmt.Errorf("connect %s: %w (okuri's embedded server needs its token: "+
			"-nats-token-file DATA_DIR/audit-nats.token, or -config okuri.yaml)", s.natsURL, err)
	}
	if s.orData != "" && errors.Is(err, nats.ErrNoServers) {
		return openStore(s.orData)
	}
	return nil, nil, fmt.Errorf("connect %s: %w\n"+
		"Is okuri running with audit.embedded_listen (or audit.nats_url) set to this address? "+
		"For a stopped gateway read its store: -data DATA_DIR, or -config okuri.yaml", s.natsURL, err)
}

func openStore(dir string) (*nats.Conn, func(), error) {
	if _, err := os.Stat(filepath.Join(dir, "nats")); err != nil {
		return nil, nil, fmt.Errorf("no embedded audit store in %s (is it okuri's data_dir?): %w", dir, err)
	}
	nc, closeFn, err := audit.OpenEmbeddedStore(dir)
	if errors.Is(err, audit.ErrStoreInUse) {
		return nil, nil, fmt.Errorf("%w\n"+
			"okuri is running and holds its audit store. Either read the running gateway's stream: set "+
			"audit.embedded_listen: 127.0.0.1:14222 in the config (as examples/okuri.yaml does), restart okuri and "+
			"run okuri audit … -config okuri.yaml (or -nats nats://127.0.0.1:14222); or stop okuri and run this again", err)
	}
	return nc, closeFn, err
}

// parseWhen reads "7d", "24h", "90m" (back from now) or a date/time.
func parseWhen(s string, now time.Time, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil {
			return now.Add(-time.Duration(d) * 24 * time.Hour), nil
		}
	}
	if d, err := time.ParseDuration(s); err == nil {
		return now.Add(-d), nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cannot read %q as a duration (7d, 24h) or date (2026-11-01)", s)
}

func loadPublicKey(path string) (ed25519.PublicKey, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		return nil, fmt.Errorf("%s: no PEM block", path)
	}
	if blk.Type == "PRIVATE KEY" {
		k, err := audit.LoadSigningKey(path)
		if err != nil {
			return nil, err
		}
		return k.Public().(ed25519.PublicKey), nil
	}
	k, err := x509.ParsePKIXPublicKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%s: not an Ed25519 public key", path)
	}
	return pub, nil
}

func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return time.Local, nil
	}
	return time.LoadLocation(name)
}
