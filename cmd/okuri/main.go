// Command okuri is the outbound email DLP gateway. See the README for the
// configuration reference and operations.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=v1.2.3".
var version = "dev"

const usage = `okuri — outbound email DLP gateway

Usage:
  okuri run -config FILE            run the gateway
  okuri check-config -config FILE   validate a configuration file (exit 0/1)
  okuri user add -config FILE ADDRESS [-name NAME] [-alias ADDR]...
  okuri user passwd -config FILE ADDRESS
  okuri scan [-json] FILE|MESSAGE.eml...
  okuri explain -config FILE MESSAGE.eml   why the policy decides what it decides
  okuri audit verify|tail|export|report [flags]   audit log tools (docs/AUDIT.md)
  okuri version
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 1
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "run":
		return cmdRun(rest, stderr)
	case "check-config":
		return cmdCheckConfig(rest, stdout, stderr)
	case "user":
		return cmdUser(rest, stdin, stdout, stderr)
	case "scan":
		return cmdScan(rest, stdout, stderr)
	case "audit":
		return cmdAudit(rest, stdout, stderr)
	case "explain":
		return cmdExplain(rest, stdout, stderr)
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, versionString())
		return 0
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "okuri: unknown command %q\n\n%s", cmd, usage)
	return 1
}

func versionString() string {
	rev := ""
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				rev = " " + s.Value[:12]
			}
		}
	}
	return fmt.Sprintf("okuri %s%s (%s %s/%s)", version, rev, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
