package main

import (
	"io"
	"slices"
	"strings"
	"testing"
)

// The example configuration lets `okuri audit … -config` read a running
// gateway through the embedded listener and a stopped one from its store
// (issue 13 item 5).
func TestAuditSourceFromExampleConfig(t *testing.T) {
	args, err := auditSourceFromConfig([]string{"tail", "-config", "../../examples/okuri.yaml", "-since", "1h"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(args, " ")
	for _, want := range []string{"tail -nats nats://127.0.0.1:14222 -or-data ", " -stream OKURI_AUDIT -since 1h"} {
		if !strings.Contains(got, want) {
			t.Errorf("args %q lack %q", got, want)
		}
	}
	if i := slices.Index(args, "-or-data"); i < 0 || !strings.HasSuffix(args[i+1], "data") {
		t.Errorf("args %q: -or-data is not the example's data_dir", got)
	}
}
