package approvalsui

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRendersFromRecordOnly: the approvals UI shows the held record
// (quarantine.Message) and nothing else — no policy package, which would
// let a page re-derive what the record already says, and no MIME or
// charset decoding of its own, which would let the sender confirm
// something other than what the scanner saw (issue 14). Its tests are
// held to the same, so they build records as the gateway writes them.
func TestRendersFromRecordOnly(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-test", "-f", "{{.ImportPath}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := []string{"github.com/okuri/okuri/policy", "github.com/emersion/go-message"}
	for _, p := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if p == f || strings.HasPrefix(p, f+"/") {
				t.Errorf("approvals-ui (or its tests) depends on %s", p)
			}
		}
	}
}
