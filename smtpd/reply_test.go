package smtpd

import "testing"

// The Handler's reply reaches the client as it is (ASCII only), and a
// reply that is not a valid SMTP reply becomes 451 4.3.0.
func TestHandlerReplyTranscript(t *testing.T) {
	tests := []struct {
		name  string
		reply Reply
		want  string
	}{
		{"held", Reply{250, EnhancedCode{2, 0, 0}, "Ok: held as 01JD3 (sender self-check required, rule pd-external-few)"},
			"250 2.0.0 Ok: held as 01JD3 (sender self-check required, rule pd-external-few)"},
		{"store full", Reply{452, EnhancedCode{4, 3, 1}, "Insufficient system storage, try again later (ref QID1)"},
			"452 4.3.1 Insufficient system storage, try again later (ref QID1)"},
		{"rule reject", Reply{550, EnhancedCode{5, 7, 1}, "Message rejected by policy rule 顧客-list (ref QID1)"},
			"550 5.7.1 Message rejected by policy rule ??????-list (ref QID1)"},
		{"CRLF in text", Reply{554, EnhancedCode{5, 0, 0}, "refused\r\n250 fake"}, "554 5.0.0 refused??250 fake"},
		{"code without class", Reply{0, EnhancedCode{}, ""}, "451 4.3.0 Local error, try again later (ref QID1)"},
		{"3xx", Reply{354, EnhancedCode{3, 0, 0}, "go on"}, "451 4.3.0 Local error"},
		{"class mismatch", Reply{250, EnhancedCode{5, 7, 1}, "Ok"}, "451 4.3.0 Local error"},
		{"empty text", Reply{250, EnhancedCode{2, 0, 0}, ""}, "250 2.0.0 Ok"},
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

func TestParseEnhancedCode(t *testing.T) {
	for in, want := range map[string]string{"5.7.1": "5.7.1", "4.3.0": "4.3.0", "2.0.0": "2.0.0", "5.1.10": "5.1.10"} {
		c, err := ParseEnhancedCode(in)
		if err != nil || c.String() != want {
			t.Errorf("%q: %v %v", in, c, err)
		}
	}
	for _, in := range []string{"", "5.7", "3.0.0", "5.7.1.2", "5.x.1", "5.-1.1", "5.+1.1", "5.1234.1", " 5.7.1"} {
		if c, err := ParseEnhancedCode(in); err == nil {
			t.Errorf("%q parsed as %v", in, c)
		}
	}
}
