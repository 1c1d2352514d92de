package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/okuri/okuri/bench/sink"
)

// runSink runs the discard server until ctx ends or -max-duration passes.
func runSink(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	var (
		cfg          sink.Config
		useTLS       bool
		passwordFile string
		statsFile    string
		maxDuration  time.Duration
	)
	fs.StringVar(&cfg.Addr, "listen", "127.0.0.1:2599", "loopback host:port to listen on")
	fs.BoolVar(&useTLS, "tls", false, "offer STARTTLS with a self-signed certificate")
	fs.StringVar(&cfg.User, "user", "", "require AUTH PLAIN as this user")
	fs.StringVar(&passwordFile, "password-file", "", "file holding the AUTH password (else $OKURI_BENCH_PASSWORD)")
	fs.StringVar(&statsFile, "stats", "", `keep "MESSAGES BYTES SESSIONS" up to date in this file (every 100 ms)`)
	fs.DurationVar(&maxDuration, "max-duration", time.Hour, "stop after this long")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if useTLS {
		tc, err := sink.SelfSignedTLS()
		if err != nil {
			return err
		}
		cfg.TLS = tc
	}
	if cfg.User != "" {
		p, err := readPassword(passwordFile)
		if err != nil {
			return err
		}
		cfg.Password = p
	}
	cfg.ErrorLog = log.New(os.Stderr, "sink: ", log.LstdFlags)

	s, err := sink.Start(cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "okuri-bench sink: listening on %s\n", s.Addr())
	ctx, cancel := context.WithTimeout(ctx, maxDuration)
	defer cancel()
	statsErr := reportStats(ctx, s, statsFile)
	closeErr := s.Close()
	fmt.Fprintf(os.Stderr, "okuri-bench sink: %d messages, %d bytes, %d sessions\n", s.Messages(), s.Bytes(), s.Sessions())
	return errors.Join(statsErr, closeErr)
}

// reportStats rewrites path with the sink's counters every 100 ms until
// ctx ends, then once more. Without a path it only waits for ctx.
func reportStats(ctx context.Context, s *sink.Sink, path string) error {
	if path == "" {
		<-ctx.Done()
		return nil
	}
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	last := int64(-1)
	for {
		select {
		case <-ctx.Done():
			return writeStats(path, s)
		case <-tick.C:
			if n := s.Messages() + s.Sessions(); n != last {
				if err := writeStats(path, s); err != nil {
					return err
				}
				last = n
			}
		}
	}
}

// writeStats replaces path atomically with "MESSAGES BYTES SESSIONS\n".
func writeStats(path string, s *sink.Sink) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	line := fmt.Sprintf("%d %d %d\n", s.Messages(), s.Bytes(), s.Sessions())
	if err := os.WriteFile(tmp, []byte(line), 0o644); err != nil {
		return fmt.Errorf("write stats: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write stats: %w", err)
	}
	return nil
}
