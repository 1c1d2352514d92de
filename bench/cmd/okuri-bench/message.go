package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/okuri/okuri/bench/loadgen"
)

// runMessage writes one message of a kind to stdout, exactly as send
// sends it (before dot-stuffing), e.g. to check it with "okuri scan".
func runMessage(args []string) error {
	fs := flag.NewFlagSet("message", flag.ContinueOnError)
	kind := fs.String("kind", string(loadgen.KindText4K), fmt.Sprintf("message kind: %v", loadgen.Kinds))
	from := fs.String("from", "bench@example.com", "header sender")
	to := fs.String("to", "rcpt@example.net", "recipients, comma-separated")
	index := fs.Int("i", 0, "message number (Subject and Message-ID)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	k, err := loadgen.ParseKind(*kind)
	if err != nil {
		return err
	}
	tmpl, err := loadgen.NewTemplate(k, *from, splitList(*to))
	if err != nil {
		return err
	}
	if _, err := os.Stdout.Write(append(tmpl.Header(*index), tmpl.Body...)); err != nil {
		return fmt.Errorf("write message: %w", err)
	}
	return nil
}
