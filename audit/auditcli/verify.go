package auditcli

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/okuri/okuri/audit"
)

func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("okuri audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var src source
	src.flags(fs, true)
	pubFile := fs.String("pubkey", "", "Ed25519 public key (PEM); every event must be signed by it")
	since := fs.String("since", "", "verify only events from this time (the first link is then not checked)")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	if err := fs.Parse(args); err != nil {
		return 2, err
	}
	var pub ed25519.PublicKey
	if *pubFile != "" {
		k, err := loadPublicKey(*pubFile)
		if err != nil {
			return 2, err
		}
		pub = k
	}
	from, err := parseWhen(*since, time.Now(), time.Local)
	if err != nil {
		return 2, err
	}
	v := audit.NewVerifier(pub)
	if err := src.each(ctx, from, false, func(sseq uint64, data []byte) error {
		v.Add(sseq, data)
		return nil
	}); err != nil {
		return 2, err
	}
	rep := v.Report()
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return 2, err
		}
	} else {
		printReport(stdout, rep, pub != nil)
	}
	if !rep.OK() {
		return 1, nil
	}
	return 0, nil
}

func printReport(w io.Writer, rep audit.Report, signed bool) {
	fmt.Fprintf(w, "監査ログ検証 / audit log verification: %d events, %d instances\n", rep.Events, len(rep.Instances))
	for _, in := range rep.Instances {
		fmt.Fprintf(w, "  instance %s: seq %d..%d, %d events, %d missing, %d duplicates\n",
			in.Instance, in.First, in.Last, in.Events, in.Missing, in.Duplicates)
	}
	if signed {
		fmt.Fprintln(w, "  signatures: checked")
	} else {
		fmt.Fprintln(w, "  signatures: not checked (no -pubkey)")
	}
	for _, p := range rep.Problems {
		fmt.Fprintf(w, "  問題 / PROBLEM: %s\n", p)
	}
	if rep.OK() {
		fmt.Fprintln(w, "結果 / result: OK — 改ざん・欠落は見つかりませんでした / no alteration or gap found")
	} else {
		fmt.Fprintf(w, "結果 / result: NG — %d 件の問題 / %d problems\n", len(rep.Problems), len(rep.Problems))
	}
}
