package smtpd

import (
	"testing"

	"github.com/okuri/okuri/internal/smtpcode"
)

// The Handler's reply reaches the client as it is (ASCII only), and a
// reply that is not a valid SMTP reply becomes 451 4.3.0.
func TestHandlerReplyTranscript(t *testing.T) {
	tests := []struct {
		name  string
		reply Reply
		want  string
	}{
		{"held", Reply{250, smtpcode.Enhanced{2, 0, 0}, "Ok: held as 01JD3 (sender self-check required, rule pd-external-few)"},
			"250 2.0.0 Ok: held as 01JD3 (sender self-check required, rule pd-external-few)"},
		{"store full", Reply{452, smtpcode.Enhanced{4, 3, 1}, "Insufficient system storage, try again later (ref QID1)"},
			"452 4.3.1 Insufficient system storage, try again later (ref QID1)"},
		{"rule reject", Reply{550, smtpcode.Enhanced{5, 7, 1}, "Message rejected by policy rule 顧客-list (ref QID1)"},
			"550 5.7.1 Message rejected by policy rule ??????-list (ref QID1)"},
		{"CRLF in text", Reply{554, smtpcode.Enhanced{5, 0, 0}, "refused\r\n250 fake"}, "554 5.0.0 refused??250 fake"},
		{"code without class", Reply{0, smtpcode.Enhanced{}, ""}, "451 4.3.0 Local error, try again later (ref QID1)"},
		{"3xx", Reply{354, smtpcode.Enhanced{3, 0, 0}, "go on"}, "451 4.3.0 Local error"},
		{"class mismatch", Reply{250, smtpcode.Enhanced{5, 7, 1}, "Ok"}, "451 4.3.0 Local error"},
		{"empty text", Reply{250, smtpcode.Enhanced{2, 0, 0}, ""}, "250 2.0.0 Ok"},
	}
	srv, rec := testServer(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec.mu.Lock()
			rec.reply = &tt.reply
			rec.mu.Unlock()
			c := login(t, srv, "alice@agency.test", alicePass)
			got := c.data("alice@agency.test", "customer@example.net", "From: alice@agency.test\r\nSubject: x\r\n\r\nhi\r\n")
			if len(got) < len(tt.want) || got[:len(tt.want)] != tt.want {
				t.Fatalf("S: %q\nwant %q", got, tt.want)
			}
			c.expect("QUIT", "221")
		})
	}
}
