package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/okuri/okuri/config"
	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/policy/rewrite"
	"github.com/okuri/okuri/policy/scan"
)

const explainUsage = `Usage: okuri explain -config FILE [flags] MESSAGE.eml

Scans the message with the gateway's scanner, builds the policy facts and
prints the decision of the configured rules with the full explanation:
every rule in order, matched or not, and each condition.

The envelope defaults to the message's headers: the sender is the From:
address, the recipients are the To:, Cc: and Bcc: addresses. No store is
opened (a running okuri holds it): every external domain and address
counts as never delivered to before, unless named with -known.

Flags:
`

// cmdExplain implements "okuri explain".
func cmdExplain(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, explainUsage); fs.PrintDefaults() }
	cfgPath := fs.String("config", "", "configuration file (required)")
	asJSON := fs.Bool("json", false, "print the decision (with the structured explanation) as JSON")
	from := fs.String("from", "", "envelope sender (default: the From: address)")
	rcpts := fs.String("rcpt", "", "comma-separated envelope recipients (default: To, Cc and Bcc addresses)")
	user := fs.String("user", "", "authenticated user (default: the envelope sender)")
	knownList := fs.String("known", "", "comma-separated domains and addresses to treat as delivered to before")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if *cfgPath == "" || fs.NArg() != 1 {
		fs.Usage()
		return 1
	}
	cfg, err := config.Load(*cfgPath)
	if err != nil {
		fmt.Fprintf(stderr, "okuri explain: %v\n", err)
		return 1
	}
	pol, err := policy.New(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "okuri explain: %v\n", err)
		return 1
	}
	opts := scan.DefaultOptions()
	opts.Detect.OwnDomains = cfg.Domains.Internal
	sc, err := scan.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "okuri explain: %v\n", err)
		return 1
	}
	defer sc.Close()

	name := fs.Arg(0)
	f, err := os.Open(name)
	if err != nil {
		fmt.Fprintf(stderr, "okuri explain: %v\n", err)
		return 2
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		fmt.Fprintf(stderr, "okuri explain: %v\n", err)
		return 2
	}
	ctx := context.Background()
	res, scanErr := sc.Scan(ctx, f, st.Size())

	env, err := envelopeFromHeader(io.NewSectionReader(f, 0, st.Size()))
	if err != nil {
		fmt.Fprintf(stderr, "okuri explain: %s: %v\n", name, err)
		return 2
	}
	if *from != "" {
		env.from = *from
	}
	if *rcpts != "" {
		env.rcpts = splitList(*rcpts)
	}
	if *user == "" {
		*user = env.from
	}
	var hist policy.History
	if *knownList != "" {
		set := map[string]bool{}
		for _, k := range splitList(*knownList) {
			set[strings.ToLower(k)] = true
		}
		hist = policy.KnownFunc(func(_ context.Context, s string) (bool, error) { return set[strings.ToLower(s)], nil })
	}
	facts := pol.Facts(ctx, policy.Input{
		MailFrom: env.from, RcptTo: env.rcpts, User: *user,
		Message: io.NewSectionReader(f, 0, st.Size()),
		Scan:    res, ScanErr: scanErr, History: hist,
	})
	d := pol.Decide(facts)
	if *asJSON {
		b, err := json.MarshalIndent(d, "", "  ")
		if err != nil {
			fmt.Fprintf(stderr, "okuri explain: %v\n", err)
			return 2
		}
		fmt.Fprintf(stdout, "%s\n", b)
		return 0
	}
	fmt.Fprintf(stdout, "%s\n", name)
	fmt.Fprintf(stdout, "envelope: from %s, %d recipient(s)\n", env.from, len(env.rcpts))
	fmt.Fprint(stdout, d.Text())
	if hist == nil {
		fmt.Fprintln(stdout, "\n(no store consulted: every external recipient counted as first-time; use -known to name known ones)")
	}
	return 0
}

type envelope struct {
	from  string
	rcpts []string
}

// envelopeFromHeader takes the sender from From: and the recipients from
// To:, Cc: and Bcc:.
func envelopeFromHeader(r io.Reader) (envelope, error) {
	h, err := rewrite.ReadHeader(bufio.NewReader(r))
	if err != nil {
		return envelope{}, err
	}
	var env envelope
	for _, v := range h.Get("From") {
		for _, a := range rewrite.Addresses(rewrite.ParseAddressList(v)) {
			if a != "" && env.from == "" {
				env.from = a
			}
		}
	}
	for _, field := range []string{"To", "Cc", "Bcc"} {
		for _, v := range h.Get(field) {
			for _, a := range rewrite.Addresses(rewrite.ParseAddressList(v)) {
				if a != "" {
					env.rcpts = append(env.rcpts, a)
				}
			}
		}
	}
	return env, nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
