package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/okuri/okuri/audit"
	"github.com/okuri/okuri/audit/auditcli"
)

// cmdAudit runs `okuri audit verify|tail|export|report`; see
// audit/auditcli and docs/AUDIT.md. Exit 0 ok, 1 verification problems,
// 2 usage or connection errors. With -config FILE the stream is found from
// the configuration: audit.nats_url, the embedded server's
// audit.embedded_listen, or else the data directory of a stopped gateway.
func cmdAudit(args []string, stdout, stderr io.Writer) int {
	args, err := auditSourceFromConfig(args, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "okuri audit: %v\n", err)
		return 2
	}
	return auditcli.Run(args, stdout, stderr)
}

func auditSourceFromConfig(args []string, stderr io.Writer) ([]string, error) {
	if len(args) == 0 {
		return args, nil
	}
	path, rest := "", []string{args[0]}
	for i := 1; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-config" || a == "--config":
			if i+1 >= len(args) {
				return nil, fmt.Errorf("-config needs a file")
			}
			path = args[i+1]
			i++
		case strings.HasPrefix(a, "-config=") || strings.HasPrefix(a, "--config="):
			path = a[strings.IndexByte(a, '=')+1:]
		default:
			rest = append(rest, a)
		}
	}
	if path == "" {
		return args, nil
	}
	cfg, err := loadConfig(path, stderr)
	if err != nil {
		return nil, fmt.Errorf("config %s is not valid", path)
	}
	var src []string
	switch {
	case cfg.Audit.NATSURL != "":
		src = []string{"-nats", cfg.Audit.NATSURL}
	case cfg.Audit.EmbeddedListen != "":
		// The running gateway's listener, else its store once it stopped.
		src = []string{"-nats", "nats://" + cfg.Audit.EmbeddedListen, "-or-data", cfg.DataDir,
			"-nats-token-file", audit.EmbeddedTokenFile(cfg.DataDir)}
	default:
		src = []string{"-data", cfg.DataDir}
	}
	src = append(src, "-stream", cfg.Audit.Stream)
	// Flags given explicitly come after, so they win.
	return append(append([]string{rest[0]}, src...), rest[1:]...), nil
}
