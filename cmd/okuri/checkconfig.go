package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/okuri/okuri/config"
)

func cmdCheckConfig(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check-config", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("config", "", "configuration file")
	if err := fs.Parse(args); err != nil || *path == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: okuri check-config -config FILE")
		return 1
	}
	if _, err := loadConfig(*path, stderr); err != nil {
		return 1
	}
	fmt.Fprintf(stdout, "%s: ok\n", *path)
	return 0
}

// loadConfig loads path and prints every problem, one per line.
func loadConfig(path string, stderr io.Writer) (*config.Config, error) {
	cfg, err := config.Load(path)
	var ps config.Problems
	switch {
	case errors.As(err, &ps):
		for _, p := range ps {
			fmt.Fprintln(stderr, p.String())
		}
	case err != nil:
		fmt.Fprintf(stderr, "okuri: %v\n", err)
	}
	return cfg, err
}
