package gateway

import (
	"testing"

	"github.com/okuri/okuri/policy"
	"github.com/okuri/okuri/smtpd"
)

// A held message's forced BCC is applied when it is delivered after
// release, by the worker, which writes no message.rewritten event: the
// decision event records it, so the evidence report counts the rewrite
// whether the message was held first or passed directly (issue 13 item 3).
func TestDecidedEventRecordsRewrite(t *testing.T) {
	m := &smtpd.Message{QueueID: "01KBX0Y3W1T2E9N8Q5R7S4V6M2", From: "tanaka@agency.example.jp",
		To: []string{"a@example.com", "b@example.net"}}
	for _, tc := range []struct {
		rw   policy.Rewrite
		want string
	}{
		{policy.Rewrite{ForceBCC: true}, "bcc"},
		{policy.Rewrite{ForceBCC: true, Split: true}, "split"},
		{policy.Rewrite{}, ""},
	} {
		ev := decidedEvent(m, &policy.Decision{Action: policy.HoldApproval, Rule: "pii-attachment-external", Rewrite: tc.rw})
		got := ""
		if ev.Rewrite != nil {
			got = ev.Rewrite.Kind
		}
		if got != tc.want {
			t.Errorf("rewrite %+v: decided event rewrite %q, want %q", tc.rw, got, tc.want)
		}
	}
}
