package main

import (
	"io"

	"github.com/okuri/okuri/audit/auditcli"
)

// cmdAudit runs `okuri audit verify|tail|export|report`; see
// audit/auditcli and docs/AUDIT.md. Exit 0 ok, 1 verification problems,
// 2 usage or connection errors.
func cmdAudit(args []string, stdout, stderr io.Writer) int {
	return auditcli.Run(args, stdout, stderr)
}
