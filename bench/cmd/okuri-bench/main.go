// Command okuri-bench measures SMTP relays: a load generator and the
// discard sink they relay to. See docs/perf-bench.md and bench/compare.sh.
//
//	okuri-bench sink -listen 127.0.0.1:2599 [-stats FILE]
//	okuri-bench send -addr 127.0.0.1:2525 -c 8 -n 2000 -kind text4k [-json FILE]
//	okuri-bench report [-base postfix] RESULT.json...
//	okuri-bench message -kind csv100k > sample.eml
//
// Both refuse non-loopback addresses unless told otherwise (send only),
// and both stop on their own: send when its messages are sent or
// -max-duration passed, sink on SIGINT/SIGTERM or after -max-duration.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: okuri-bench <command> [flags]

commands:
  send   send N messages over C connections and report msg/s and latencies
  sink   run a discard SMTP server that counts what it receives
  report print send -json results as a markdown table
  message print one message of a kind, as send sends it

"okuri-bench <command> -h" lists a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch cmd, args := os.Args[1], os.Args[2:]; cmd {
	case "send":
		err = runSend(ctx, args)
	case "sink":
		err = runSink(ctx, args)
	case "report":
		err = runReport(args)
	case "message":
		err = runMessage(args)
	case "-h", "-help", "--help", "help":
		fmt.Print(usage)
		return
	default:
		fmt.Fprintf(os.Stderr, "okuri-bench: unknown command %q\n\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "okuri-bench %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
