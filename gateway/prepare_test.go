package gateway

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/okuri/okuri/quarantine"
	"github.com/okuri/okuri/relay"
)

var update = flag.Bool("update", false, "rewrite testdata/held/*.golden")

// TestPrepareStoredRecords: held records as the store keeps them — one
// with the versioned rewrite plan (v1), one written before the plan
// existed, carrying the whole policy decision — are released with the
// same deliveries and header rewrites, recorded in one golden file: a
// message held across an upgrade goes out as it was decided.
func TestPrepareStoredRecords(t *testing.T) {
	body, err := os.ReadFile(filepath.Join("testdata", "held", "body.eml"))
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "held", "split.golden")
	for _, name := range []string{"v1.json", "legacy.json"} {
		t.Run(name, func(t *testing.T) {
			got := released(t, filepath.Join("testdata", "held", name), body)
			if *update && name == "v1.json" {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Fatalf("released differently from %s:\n%s", golden, got)
			}
		})
	}
}

// released decodes a stored record, prepares its release and writes each
// delivery's envelope and rewritten header section.
func released(t *testing.T, path string, body []byte) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m quarantine.Message
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	dls, err := Prepare(context.Background(), &m, relay.Envelope{From: m.From, To: m.To, ID: m.ID})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i, dl := range dls {
		r, err := dl.Rewrite(strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(r)
		head, _, _ := strings.Cut(string(out), "\r\n\r\n")
		fmt.Fprintf(&b, "== delivery %d: MAIL FROM:<%s> RCPT TO:%v\n%s\n", i+1, dl.Env.From, dl.Env.To, strings.ReplaceAll(head, "\r\n", "\n"))
	}
	return b.String()
}

// TestPrepareUnknownPlanVersion: a record from a newer release is not
// delivered with a guessed rewrite; Prepare says why and the message
// stays stored.
func TestPrepareUnknownPlanVersion(t *testing.T) {
	m := &quarantine.Message{ID: "01JD3QX7B2M4N6P8R0S2T4V6W8", Decision: quarantine.Decision{Rewrite: &quarantine.RewritePlan{V: 2, Split: true}}}
	_, err := Prepare(context.Background(), m, relay.Envelope{From: "a@agency.example.jp", To: []string{"x@example.com"}})
	if err == nil || !strings.Contains(err.Error(), "version 2 unknown") {
		t.Fatalf("Prepare with plan v2: %v", err)
	}
}
