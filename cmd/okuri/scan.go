package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/okuri/okuri/policy/scan"
)

const scanUsage = `Usage: okuri scan [-json] FILE|MESSAGE.eml...

Scans each input with the gateway's scanner and prints its verdict
(personal_data, clean, encrypted, unscannable), findings and reasons.
A .eml file, or any input that starts with message header fields, is
scanned as a whole message; anything else as one attachment.

Exit status: 0 when every input was scanned (whatever the verdict),
1 on usage errors, 2 when an input could not be read.
`

// cmdScan implements "okuri scan".
func cmdScan(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, scanUsage) }
	asJSON := fs.Bool("json", false, "print each result as JSON (one object per line)")
	if err := fs.Parse(args); err != nil {
		return 1
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return 1
	}
	opts := scan.DefaultOptions()
	if dir, err := os.UserCacheDir(); err == nil {
		// Repeated runs load PDFium's compiled code instead of compiling
		// it again (seconds).
		opts.PDFCacheDir = filepath.Join(dir, "okuri", "pdfium")
	}
	s, err := scan.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "okuri scan: %v\n", err)
		return 1
	}
	defer s.Close()
	status := 0
	for _, name := range fs.Args() {
		res, err := scanInput(s, name)
		if err != nil {
			fmt.Fprintf(stderr, "okuri scan: %v\n", err)
			status = 2
			continue
		}
		if *asJSON {
			out := struct {
				Input string `json:"input"`
				*scan.Result
			}{name, res}
			b, err := json.Marshal(out)
			if err != nil {
				fmt.Fprintf(stderr, "okuri scan: %s: %v\n", name, err)
				status = 2
				continue
			}
			fmt.Fprintf(stdout, "%s\n", b)
			continue
		}
		printResult(stdout, name, res)
	}
	return status
}

// scanInput scans one file as a message or as a bare file.
func scanInput(s *scan.Scanner, name string) (*scan.Result, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", name)
	}
	head := make([]byte, 4096)
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	ctx := context.Background()
	if strings.EqualFold(filepath.Ext(name), ".eml") || looksLikeMessage(head[:n]) {
		return s.Scan(ctx, f, st.Size())
	}
	return s.ScanFile(ctx, filepath.Base(name), f, st.Size())
}

// looksLikeMessage reports whether data starts with an RFC 5322 header
// block that has at least one field a message always carries.
func looksLikeMessage(data []byte) bool {
	end := bytes.Index(data, []byte("\n\n"))
	if e := bytes.Index(data, []byte("\r\n\r\n")); e >= 0 && (end < 0 || e < end) {
		end = e
	}
	if end <= 0 {
		return false
	}
	known := false
	for _, line := range bytes.Split(data[:end], []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if len(line) == 0 {
			continue
		}
		if line[0] == ' ' || line[0] == '\t' {
			continue // folded continuation
		}
		name, _, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(name) == 0 || bytes.ContainsAny(name, " \t") {
			return false
		}
		switch strings.ToLower(string(name)) {
		case "from", "to", "subject", "date", "message-id", "received", "mime-version", "content-type", "return-path":
			known = true
		}
	}
	return known
}

// printResult writes the human-readable report of one input.
func printResult(w io.Writer, name string, res *scan.Result) {
	fmt.Fprintf(w, "%s: %s\n", name, res.Verdict)
	for _, r := range res.Reasons {
		fmt.Fprintf(w, "  reason: %s\n", r)
	}
	if len(res.Findings) > 0 {
		tt := textTable{indent: "  "}
		tt.add("KIND", "COUNT", "RECORDS", "WHERE", "SAMPLES")
		for _, f := range res.Findings {
			where := f.Where.Part
			if f.Where.Path != "" {
				where += "/" + f.Where.Path
			}
			if f.Where.Sheet != "" {
				where += " [" + f.Where.Sheet + "]"
			}
			if f.Where.Column != "" {
				where += " column " + f.Where.Column
			}
			tt.add(f.Kind, strconv.Itoa(f.Count), strconv.Itoa(f.Records), where, strings.Join(f.Samples, ", "))
		}
		tt.write(w)
	}
	if len(res.Parts) > 1 || len(res.Parts) == 1 && res.Parts[0].Verdict != res.Verdict {
		tt := textTable{indent: "  "}
		tt.add("PART", "VERDICT", "TYPE", "SIZE", "NAME")
		for _, p := range res.Parts {
			tt.add(p.Path, string(p.Verdict), p.ContentType, strconv.FormatInt(p.Size, 10), p.Name)
		}
		tt.write(w)
	}
}
