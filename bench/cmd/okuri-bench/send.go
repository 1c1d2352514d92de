package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/okuri/okuri/bench/loadgen"
)

// runSend parses the send flags, runs the load and prints the result.
func runSend(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("send", flag.ContinueOnError)
	var (
		cfg          loadgen.Config
		kind, to     string
		passwordFile string
		jsonOut      string
		label        string
		maxDuration  time.Duration
		failOnError  bool
	)
	fs.StringVar(&cfg.Addr, "addr", "", "host:port of the system under test (loopback unless -allow-remote)")
	fs.IntVar(&cfg.Conns, "c", 8, "concurrent connections")
	fs.IntVar(&cfg.Messages, "n", 1000, "messages to measure, one per connection")
	fs.IntVar(&cfg.Warmup, "warmup", 0, "messages to send before measuring")
	fs.StringVar(&kind, "kind", string(loadgen.KindText4K), fmt.Sprintf("message kind: %v", loadgen.Kinds))
	fs.StringVar(&cfg.From, "from", "bench@example.com", "envelope and header sender")
	fs.StringVar(&to, "to", "rcpt@example.net", "recipients, comma-separated")
	fs.StringVar(&cfg.HeloName, "helo", "okuri-bench.localdomain", "EHLO name")
	fs.BoolVar(&cfg.StartTLS, "starttls", false, "issue STARTTLS after EHLO")
	fs.BoolVar(&cfg.InsecureSkipVerify, "insecure-skip-verify", false, "accept any server certificate (load testing only)")
	fs.StringVar(&cfg.User, "user", "", "AUTH PLAIN user; no AUTH when empty")
	fs.StringVar(&passwordFile, "password-file", "", "file holding the AUTH password (else $OKURI_BENCH_PASSWORD)")
	fs.DurationVar(&cfg.Timeout, "timeout", 30*time.Second, "timeout per SMTP command and for the DATA reply")
	fs.BoolVar(&cfg.AllowRemote, "allow-remote", false, "permit a non-loopback -addr")
	fs.StringVar(&jsonOut, "json", "", `also write the result as JSON to this file ("-" for stdout)`)
	fs.StringVar(&label, "label", "", "name of the system under test, echoed in the output")
	fs.DurationVar(&maxDuration, "max-duration", 10*time.Minute, "give up after this long")
	fs.BoolVar(&failOnError, "fail-on-error", false, "exit 1 when any message failed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var err error
	if cfg.Kind, err = loadgen.ParseKind(kind); err != nil {
		return err
	}
	cfg.To = splitList(to)
	if cfg.User != "" {
		if cfg.Password, err = readPassword(passwordFile); err != nil {
			return err
		}
	}

	ctx, cancel := context.WithTimeout(ctx, maxDuration)
	defer cancel()
	res, err := loadgen.Run(ctx, cfg)
	if err != nil {
		return err
	}
	res.Label = label
	fmt.Println(res.Summary())
	if jsonOut != "" {
		if err := writeJSON(jsonOut, res); err != nil {
			return err
		}
	}
	if failOnError && res.Failed > 0 {
		return fmt.Errorf("%d of %d messages failed", res.Failed, res.Messages)
	}
	return nil
}

// readPassword reads the AUTH password from file, or from the
// environment when file is empty, so it never shows in a process list.
func readPassword(file string) (string, error) {
	if file == "" {
		p := os.Getenv("OKURI_BENCH_PASSWORD")
		if p == "" {
			return "", errors.New("-user needs -password-file or $OKURI_BENCH_PASSWORD")
		}
		return p, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// writeJSON writes res as indented JSON to path, or stdout for "-".
func writeJSON(path string, res *loadgen.Result) error {
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("encode result: %w", err)
	}
	b = append(b, '\n')
	if path == "-" {
		_, err = os.Stdout.Write(b)
		return err
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return fmt.Errorf("write result: %w", err)
	}
	return nil
}

// splitList splits a comma-separated list, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
