package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/okuri/okuri/bench/loadgen"
)

// runReport prints the JSON results named on the command line, in that
// order, as one markdown table with the ratio to the -base system;
// with -median, repeated runs are reduced to their median.
func runReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	base := fs.String("base", "postfix", "label of the system the ratio column compares to")
	median := fs.Bool("median", false, "one row per system, kind and C: the run with the median msg/s")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: okuri-bench report [-base LABEL] RESULT.json...")
	}
	var results []*loadgen.Result
	for _, path := range fs.Args() {
		b, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("read result: %w", err)
		}
		var r loadgen.Result
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("decode result %s: %w", path, err)
		}
		results = append(results, &r)
	}
	if !*median {
		fmt.Print(loadgen.MarkdownTable(results, *base))
		return nil
	}
	kept, runs := loadgen.Medians(results)
	n := 0
	for _, r := range kept {
		n = max(n, runs[r])
	}
	fmt.Print(loadgen.MarkdownTable(kept, *base))
	fmt.Printf("\nEach row: the median by msg/s of %d runs, with that run's latencies.\n", n)
	return nil
}
